/**
 * String tables (the card, the panel, the alarm texts and the Home Assistant names each have their
 * own): one complete English table, others that may lag behind it, and `{var}` placeholders.
 */
export type Localize<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

/** The table language for a BCP 47 tag ("de-AT" → "de"); null when there is no table for it. */
export const matchLanguage = (tag: string, languages: readonly string[]): string | null => {
  const exact = tag.toLowerCase();
  if (languages.includes(exact)) return exact;
  const base = exact.split(/[-_]/)[0] ?? "";
  return languages.includes(base) ? base : null;
};

/** `tag` in canonical form, or `fallback` when Intl does not accept it. */
export const safeLocale = (tag: string, fallback = "en"): string => {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? fallback;
  } catch {
    // An invalid tag from a misconfigured profile or storage must not break the page: the fallback is safe.
    return fallback;
  }
};

/** The formats of a Home Assistant user's profile (`hass.locale`), as far as the card and panel read them. */
export interface HaLocale {
  language?: string;
  /** "language" | "system" | "comma_decimal" | "decimal_comma" | "space_comma" | "none". */
  number_format?: string;
  /** "language" | "system" | "12" | "24". */
  time_format?: string;
  /** "local" | "server". */
  time_zone?: string;
}

/**
 * The locale numbers are written in under Home Assistant's number format, apart from the
 * language: `undefined` is the browser's own ("system"). "none" is how Home Assistant's frontend
 * writes a number under it (JavaScript's own `String(n)`): a decimal point and no digit grouping,
 * whatever the language ("1440.5", not "1.440,5" in German).
 */
export const numberFormatOf = (numberFormat: string | undefined, language: string): { locale: string | undefined; useGrouping: boolean } => {
  switch (numberFormat) {
    case "comma_decimal":
      return { locale: "en-US", useGrouping: true };
    case "decimal_comma":
      return { locale: "de", useGrouping: true };
    case "space_comma":
      return { locale: "fr", useGrouping: true };
    case "system":
      return { locale: undefined, useGrouping: true };
    case "none":
      return { locale: "en-US", useGrouping: false };
    default:
      return { locale: safeLocale(language), useGrouping: true };
  }
};

/**
 * Where a number locale has to travel as one string (the panel hands `numberLocale` to every
 * formatter and to the chart), "no digit grouping" rides along in a private-use subtag: Intl
 * accepts and ignores it, `numberFormat` (units.ts) reads it.
 */
const UNGROUPED = "-x-nogroup";

/** `locale` marked as written without digit grouping ("en-US" → "en-US-x-nogroup"). */
export const withoutGrouping = (locale: string): string => (isUngrouped(locale) ? locale : safeLocale(`${locale}${UNGROUPED}`, locale));

/** Whether a number locale says "no digit grouping" (see `withoutGrouping`). */
export const isUngrouped = (locale: string | undefined): boolean => locale?.toLowerCase().endsWith(UNGROUPED) ?? false;

/** Home Assistant's time format as Intl's `hour12`: undefined follows the locale ("language", "system"). */
export const hour12Of = (timeFormat: string | undefined): boolean | undefined => (timeFormat === "12" ? true : timeFormat === "24" ? false : undefined);

/** Whether Intl knows `tz` as a time zone ("Europe/Berlin"; not "Mars/Base"). */
const isValidTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    // RangeError for an unknown zone: the caller falls back to the browser's zone.
    return false;
  }
};

/**
 * Home Assistant's time zone setting (`hass.locale.time_zone`) as the zone times are shown in:
 * "server" is Home Assistant's own zone (`hass.config.time_zone`), when Intl knows it; undefined
 * is the browser's zone ("local", no profile, or a zone this browser cannot show).
 */
export const timeZoneOf = (timeZone: string | undefined, serverTimeZone: string | undefined): string | undefined =>
  timeZone === "server" && serverTimeZone && isValidTimeZone(serverTimeZone) ? serverTimeZone : undefined;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `ms` in `timeZone` (undefined: the browser's), as "2026-11-27": to tell whether two times fall on the same day. */
export const dayKeyIn = (ms: number, timeZone?: string): string => {
  const key = timeZone ?? "";
  let fmt = dayFormats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", ...(timeZone ? { timeZone } : {}) });
    dayFormats.set(key, fmt);
  }
  return fmt.format(ms);
};

/** createLocalize for a set of tables: a missing key falls back to English, then to the key itself. */
const createLocalizer =
  <K extends string>(english: Record<K, string>, tables: Readonly<Record<string, Partial<Record<K, string>>>>) =>
  (language: string): Localize<K> => {
    const table: Partial<Record<K, string>> = tables[language] ?? {};
    return (key, vars) => {
      const template = table[key] ?? english[key] ?? key;
      if (!vars) return template;
      return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
    };
  };

/**
 * A set of string tables (English complete, others partial): `localize(tag)` is the localizer of
 * the table a language tag falls under ("de-CH" → German, a language without a table → English),
 * made once per table rather than on every call (entity names are written on every poll).
 */
export const stringTables = <K extends string>(english: Record<K, string>, others: Readonly<Record<string, Partial<Record<K, string>>>>) => {
  const tables: Record<string, Partial<Record<K, string>>> = { en: english, ...others };
  const languages = Object.keys(tables);
  const make = createLocalizer(english, tables);
  const made = new Map(languages.map((language) => [language, make(language)]));
  const languageOf = (tag: string): string => matchLanguage(tag, languages) ?? "en";
  return { languages, languageOf, localize: (tag: string): Localize<K> => made.get(languageOf(tag)) as Localize<K> };
};
