import { isUngrouped } from "./localize";
import type { TemperatureUnit } from "./model";

export const fToC = (f: number): number => (f - 32) / 1.8;
export const cToF = (c: number): number => c * 1.8 + 32;

/** A temperature in °C expressed in the given display unit. */
export const toUnit = (tempC: number, unit: TemperatureUnit): number => (unit === "F" ? cToF(tempC) : tempC);
export const fromUnit = (value: number, unit: TemperatureUnit): number => (unit === "F" ? fToC(value) : value);
/** A temperature difference (a rate, a band) in °C expressed in the display unit. */
export const deltaToUnit = (deltaC: number, unit: TemperatureUnit): number => (unit === "F" ? deltaC * 1.8 : deltaC);
export const unitSymbol = (unit: TemperatureUnit): string => (unit === "F" ? "°F" : "°C");
export const round1 = (x: number): number => Math.round(x * 10) / 10;

const numberFormats = new Map<string, Intl.NumberFormat>();
/**
 * A cached formatter writing `digits` to `maxDigits` decimals as `locale` does ("95,4" in German),
 * without digit grouping for a locale marked so (Home Assistant's number format "none").
 */
export const numberFormat = (locale: string, digits: number, maxDigits = digits): Intl.NumberFormat => {
  const key = `${locale}|${digits}|${maxDigits}`;
  let fmt = numberFormats.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: maxDigits, useGrouping: !isUngrouped(locale) });
    numberFormats.set(key, fmt);
  }
  return fmt;
};

/** English that writes 95.5 with a point and Latin digits (en-DK, en-ZA … write a comma; "-u-nu-" other digits). */
const ENGLISH = /^en(?:-(?:US|GB))?$/i;
/**
 * `value` with `digits` decimals as `locale` writes it, exactly as `numberFormat` does. English
 * below 1000 (no digit grouping) is written without ICU: the service formats alarm texts all the
 * time, and the first Intl formatter loads ICU's locale data into the process, ~6 MB of resident
 * memory for good, which an English-speaking Home Assistant never needs. Rounding as Intl's: half
 * away from zero on the shortest decimal of the number ("1.005" → "1.01", where toFixed says "1.00").
 */
export const formatDecimal = (value: number, locale: string, digits: number): string => {
  const magnitude = String(Math.abs(value));
  if (ENGLISH.test(locale) && Math.abs(value) < 1000 && !magnitude.includes("e") && Number.isInteger(digits) && digits >= 0 && digits <= 6) {
    const rounded = Math.round(Number(`${magnitude}e${digits}`)) / 10 ** digits;
    if (rounded < 1000) return `${value < 0 || Object.is(value, -0) ? "-" : ""}${rounded.toFixed(digits)}`;
  }
  return numberFormat(locale, digits).format(value);
};
