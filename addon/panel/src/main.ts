/** Entry of the ingress panel bundle (dist/panel/panel.js). */
import "./app";
