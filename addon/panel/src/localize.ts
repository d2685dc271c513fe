/**
 * The panel's strings in the user's Home Assistant language (English and German, as the card).
 * The language is read once when the panel opens: a change in the profile shows the next time
 * the panel is opened.
 */
import { matchLanguage, safeLocale, stringTables, type Localize } from "../../../src/shared/localize";
import de from "./translations/de.json";
import en from "./translations/en.json";

export type PanelKey = keyof typeof en;
export type PanelLocalize = Localize<PanelKey>;

const TABLES = stringTables(en, { de });

/** A localize function for one language: missing keys fall back to English, then to the key. */
export const createPanelLocalize = TABLES.localize;

/** The default of the pure formatters, so their tests and callers without a language read English. */
export const english = createPanelLocalize("en");

/** The words for a value the server sends (a status, a kind); one the panel has none for shows as it came. */
export const labelOf = <V extends string>(keys: Partial<Record<V, PanelKey>>, value: V, localize: PanelLocalize): string => {
  const key = keys[value];
  return key ? localize(key) : value;
};

export interface PanelLanguage {
  /** The table ("en", "de"). */
  language: string;
  /** BCP 47 tag for dates and numbers: a regional tag in that language when one is known ("de-AT"). */
  locale: string;
}

/**
 * `stored` is Home Assistant's `selectedLanguage` as it is in localStorage (JSON: `"de"`, or
 * `null`, or absent), `browser` is `navigator.language`. The language chosen in Home Assistant wins;
 * one the panel has no table for is English, as on the card (which gets it from `hass.language`).
 */
export const pickPanelLanguage = (stored: string | null, browser: string | undefined): PanelLanguage => {
  const chosen = parseStored(stored);
  const language = TABLES.languageOf(chosen ?? browser ?? "en");
  const regional = [chosen, browser].find((tag) => tag?.includes("-") && matchLanguage(tag, [language]) !== null);
  return { language, locale: regional ? safeLocale(regional, language) : language };
};

const parseStored = (stored: string | null): string | null => {
  if (!stored) return null;
  try {
    const value: unknown = JSON.parse(stored);
    return typeof value === "string" && value ? value : null;
  } catch {
    // Not written by Home Assistant's frontend: the browser's language decides.
    return null;
  }
};

/** Home Assistant's frontend keeps the user's language under this key, on the origin the ingress iframe shares. */
const HA_LANGUAGE_KEY = "selectedLanguage";

const storedLanguage = (): string | null => {
  try {
    return globalThis.localStorage?.getItem(HA_LANGUAGE_KEY) ?? null;
  } catch (err) {
    // Storage can be blocked (private mode, iframe policies): the browser's language decides.
    console.debug("grill-stats: localStorage unavailable", err);
    return null;
  }
};

const page = pickPanelLanguage(storedLanguage(), globalThis.navigator?.language);

/** The page's locale and strings: fixed while the panel is open, so views import them instead of passing them down. */
export const locale = page.locale;
export const localize = createPanelLocalize(page.language);
