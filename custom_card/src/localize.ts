import { stringTables, type Localize as LocalizeFor } from "../../src/shared/localize";
import de from "./translations/de.json";
import en from "./translations/en.json";
import fr from "./translations/fr.json";
import nl from "./translations/nl.json";

export type TranslationKey = keyof typeof en;
export type Localize = LocalizeFor<TranslationKey>;

const TABLES = stringTables(en, { de, fr, nl });

/** Language code from `hass.locale.language` or `hass.language` ("de-AT" → "de"); English fallback. */
export const pickLanguage = (hass: { locale?: { language?: string }; language?: string } | undefined): string =>
  TABLES.languageOf(hass?.locale?.language ?? hass?.language ?? "en");

/** A localize function for one language: missing keys fall back to English, then to the key. */
export const createLocalize = TABLES.localize;
