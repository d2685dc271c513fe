/**
 * Numbers as people type them into a field, in the number format of their Home Assistant profile
 * ("93,5" with a decimal comma). The fields are `<input type=text inputmode=decimal>`: a number
 * input reads only the browser's own format, so in an English browser "93,5" becomes 935 (the
 * comma taken as a thousands separator) and "93,5" typed in a German one reads back as "93.5".
 */
import { isUngrouped } from "./localize";

interface NumberMarks {
  decimal: string;
  /** null: the format has no digit grouping. */
  group: string | null;
}

const marksCache = new Map<string, NumberMarks>();
/** Formatters of `toNumberInput`, per locale and digits: it runs for every field of every render. */
const inputFormats = new Map<string, Intl.NumberFormat>();

/** The decimal and grouping marks `locale` writes numbers with (`undefined`: the browser's). */
const numberMarks = (locale: string | undefined, useGrouping: boolean): NumberMarks => {
  const key = `${locale ?? ""}|${useGrouping}`;
  let marks = marksCache.get(key);
  if (!marks) {
    const parts = new Intl.NumberFormat(locale, { numberingSystem: "latn" }).formatToParts(12345.6);
    const group = parts.find((p) => p.type === "group")?.value ?? null;
    marks = { decimal: parts.find((p) => p.type === "decimal")?.value ?? ".", group: useGrouping ? group : null };
    marksCache.set(key, marks);
  }
  return marks;
};

/**
 * `value` as a field shows it: up to `maxDigits` decimals with the locale's decimal mark, Latin
 * digits and no grouping, so it reads back as it is shown ("93,5", "1440").
 */
export const toNumberInput = (value: number, locale: string | undefined, maxDigits = 1): string => {
  const key = `${locale ?? ""}|${maxDigits}`;
  let fmt = inputFormats.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: maxDigits, useGrouping: false, numberingSystem: "latn" });
    inputFormats.set(key, fmt);
  }
  return fmt.format(value);
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A space-like group mark (French writes a narrow no-break space): any space typed stands for it; Swiss German's ’ an apostrophe. */
const groupPattern = (group: string): string => (/^\s$/.test(group) ? "\\s" : group === "’" ? "['’]" : escapeRegExp(group));

/**
 * What someone typed, read as a number: null for an empty field, "invalid" for anything that is
 * not a plain number ("abc", "1e3", "0x10", "9..5"). The locale's decimal mark is taken, and so is
 * a decimal point (or a decimal comma) from a keyboard that has only that key. The locale's
 * grouping is taken between groups of three digits ("1.440" in German, "1,440" in English, so
 * what a value is shown as elsewhere reads back); `useGrouping` false (Home Assistant's number
 * format "none") takes none.
 */
export const parseNumberInput = (text: string, locale: string | undefined, useGrouping = !isUngrouped(locale)): number | null | "invalid" => {
  // Bidi marks around a sign (Arabic writes one), a minus sign for a hyphen.
  const typed = text.replace(/[\u200e\u200f\u061c]/g, "").trim().replace(/^\u2212/, "-");
  if (typed === "") return null;
  const { decimal, group } = numberMarks(locale, useGrouping);
  const marks = (exclude: string | null): string => [...new Set([decimal, ".", ","])].filter((m) => m !== exclude).map(escapeRegExp).join("|");
  if (group !== null && group !== decimal) {
    const grouped = new RegExp(`^([+-]?)(\\d{1,3}(?:${groupPattern(group)}\\d{3})+)(?:(?:${marks(group)})(\\d+))?$`).exec(typed);
    if (grouped) return Number(`${grouped[1]}${(grouped[2] ?? "").replace(/\D/g, "")}.${grouped[3] ?? "0"}`);
  }
  const plain = new RegExp(`^([+-]?)(\\d*)(?:(?:${marks(null)})(\\d*))?$`).exec(typed);
  const [, sign = "", whole = "", fraction = ""] = plain ?? [];
  if (!plain || (whole === "" && fraction === "")) return "invalid";
  return Number(`${sign}${whole || "0"}.${fraction || "0"}`);
};
