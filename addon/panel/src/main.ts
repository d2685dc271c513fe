/** Entry of the ingress panel bundle (dist/panel/panel.js). */
import "./app";
import { locale } from "./localize";

// index.html says English; screen readers should read the panel in the language it shows.
document.documentElement.lang = locale;
