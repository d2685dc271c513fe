/** Entry of the ingress panel bundle (dist/panel/panel.js). */
import "./app";
import { locale, onLanguageChange } from "./localize";

// index.html says English; screen readers should read the panel in the language it shows.
const showLanguage = (): void => {
  document.documentElement.lang = locale;
};
showLanguage();
onLanguageChange(showLanguage);
