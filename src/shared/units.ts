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
/** A cached formatter writing `digits` to `maxDigits` decimals as `locale` does ("95,4" in German). */
export const numberFormat = (locale: string, digits: number, maxDigits = digits): Intl.NumberFormat => {
  const key = `${locale}|${digits}|${maxDigits}`;
  let fmt = numberFormats.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: maxDigits });
    numberFormats.set(key, fmt);
  }
  return fmt;
};
