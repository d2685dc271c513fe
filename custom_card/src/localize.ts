import de from "./translations/de.json";
import en from "./translations/en.json";

export type TranslationKey = keyof typeof en;
export type Localize = (key: TranslationKey, vars?: Record<string, string | number>) => string;

const TABLES: Record<string, Partial<Record<TranslationKey, string>>> = { en, de };

/** Language code from `hass.locale.language` or `hass.language` ("de-AT" → "de"); English fallback. */
export const pickLanguage = (hass: { locale?: { language?: string }; language?: string } | undefined): string => {
  const raw = hass?.locale?.language ?? hass?.language ?? "en";
  const exact = raw.toLowerCase();
  if (TABLES[exact]) return exact;
  const base = exact.split(/[-_]/)[0] ?? "en";
  return TABLES[base] ? base : "en";
};

/** A localize function for one language: missing keys fall back to English, then to the key. */
export const createLocalize = (language: string): Localize => {
  const table = TABLES[language] ?? {};
  return (key, vars) => {
    const template = table[key] ?? en[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
};

export const LANGUAGES = Object.keys(TABLES);
