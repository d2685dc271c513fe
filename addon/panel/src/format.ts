/**
 * Pure formatting for the panel: temperatures in the chosen unit, durations, times, ETAs.
 * Everything the panel shows as a number goes through here, so it is unit-tested without a browser.
 * The locale and localize arguments are English unless the caller passes the page's.
 */
import type { Eta, ProbeHealth, ProbeRole, TemperatureUnit } from "../../../src/shared/model";
import { localizeEtaReason } from "../../../src/shared/eta-reasons";
import { dayKeyIn } from "../../../src/shared/localize";
import { parseNumberInput, toNumberInput } from "../../../src/shared/number-input";
import { deltaToUnit, fromUnit, numberFormat, round1, toUnit, unitSymbol } from "../../../src/shared/units";
import { english, labelOf, type PanelKey, type PanelLocalize } from "./localize";

export { toUnit, fromUnit, unitSymbol } from "../../../src/shared/units";

/** "93.4" (no unit); "–" when unknown. */
export const formatTempValue = (tempC: number | null | undefined, unit: TemperatureUnit, locale = "en", digits = 1): string =>
  tempC === null || tempC === undefined || !Number.isFinite(tempC) ? "–" : formatNumber(toUnit(tempC, unit), locale, digits);

/** A number as the locale writes it, with `digits` decimals ("93,4"). */
export const formatNumber = (value: number, locale = "en", digits = 1): string => numberFormat(locale, digits).format(value);

/** "93.4 °C" / "200 °F", number and unit joined by a no-break space (they never wrap apart); "–" when unknown. */
export const formatTemp = (tempC: number | null | undefined, unit: TemperatureUnit, locale = "en", digits = 1): string => {
  const value = formatTempValue(tempC, unit, locale, digits);
  return value === "–" ? value : `${value}\u00a0${unitSymbol(unit)}`;
};

/**
 * A number the user set (a target, an alarm limit) as precisely as it was set: one decimal when it
 * has one, none when it is whole ("62.5", "95"); at least `digits` decimals.
 */
export const formatSettingNumber = (value: number, locale = "en", digits = 0): string => numberFormat(locale, digits, Math.max(digits, 1)).format(value);

/** A temperature setting in the display unit: "62.5 °C", "203 °F"; "–" when off. */
export const formatSetting = (tempC: number | null, unit: TemperatureUnit, locale = "en"): string =>
  tempC === null || !Number.isFinite(tempC) ? "–" : `${formatSettingNumber(toUnit(tempC, unit), locale)}\u00a0${unitSymbol(unit)}`;

/** A temperature setting as the value of its field (display unit, up to one decimal, the locale's mark: "93,5"); "" when off. */
export const toTempInput = (tempC: number | null, unit: TemperatureUnit, locale = "en"): string => (tempC === null ? "" : toNumberInput(round1(toUnit(tempC, unit)), locale, 1));

/** "+12.3 °F/h" for a rate of rise in °C per hour. */
export const formatRate = (rateCPerHour: number | null | undefined, unit: TemperatureUnit, locale = "en", localize: PanelLocalize = english): string => {
  if (rateCPerHour === null || rateCPerHour === undefined || !Number.isFinite(rateCPerHour)) return "";
  const v = deltaToUnit(rateCPerHour, unit);
  const sign = v > 0.05 ? "+" : v < -0.05 ? "−" : "±";
  return localize("rate.per_hour", { value: `${sign}${numberFormat(locale, 1).format(Math.abs(v))}\u00a0${unitSymbol(unit)}` });
};

/**
 * A value typed in the display unit (one decimal at most) and the locale's number format ("93,5"
 * or "93.5" with a decimal comma) → °C; null for empty; "invalid" for what is not a number. °C
 * keeps two decimals so that a °F value reads back as it was typed (204 °F is 95.56 °C, which
 * shows as 204 again; 95.6 °C would show as 204.1).
 */
export const parseTempInput = (text: string, unit: TemperatureUnit, locale = "en"): number | null | "invalid" => {
  const value = parseNumberInput(text, locale);
  if (value === null || value === "invalid") return value;
  return Math.round(fromUnit(round1(value), unit) * 100) / 100;
};

/** "5 h 12 min", "42 min", "< 1 min". */
export const formatDuration = (ms: number | null | undefined, localize: PanelLocalize = english): string => {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "–";
  const totalMin = Math.floor(ms / 60_000);
  if (totalMin < 1) return localize("duration.under_min");
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  if (h === 0) return localize("duration.min", { m });
  return m === 0 ? localize("duration.h", { h }) : localize("duration.h_min", { h, m });
};

/** "18:42" in the viewer's locale and zone. */
export const formatClock = (tsMs: number, locale = "en", timeZone?: string): string =>
  new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", ...(timeZone ? { timeZone } : {}) }).format(tsMs);

/** "18:42" today, "Sat 01:21" on another day (in the viewer's zone). */
export const formatClockOn = (tsMs: number, nowMs: number, locale = "en", timeZone?: string): string =>
  dayKeyIn(tsMs, timeZone) === dayKeyIn(nowMs, timeZone)
    ? formatClock(tsMs, locale, timeZone)
    : new Intl.DateTimeFormat(locale, { weekday: "short", hour: "numeric", minute: "2-digit", ...(timeZone ? { timeZone } : {}) }).format(tsMs);

/** "Sat 26 Nov, 10:42". */
export const formatDateTime = (tsMs: number, locale = "en", timeZone?: string): string =>
  new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "numeric",
    minute: "2-digit",
    ...(timeZone ? { timeZone } : {}),
  }).format(tsMs);

/**
 * When something began, as short as it can be told apart on a phone: the clock today ("5:47 AM"),
 * the weekday with it this past week ("Fri 5:47 AM"), the date before that ("Nov 20").
 */
export const formatSince = (tsMs: number, nowMs: number, locale = "en", timeZone?: string): string => {
  if (nowMs - tsMs < 6 * 86_400_000) return formatClockOn(tsMs, nowMs, locale, timeZone);
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", ...(timeZone ? { timeZone } : {}) }).format(tsMs);
};

export interface EtaText {
  /** "Done ~18:42" / "Done" / "ETA unknown". */
  main: string;
  /** "18:10 – 19:30 · in 2 h 10 min" or the reason when unknown. */
  detail: string;
}

/** ETA of a meat probe as two short lines; null when the probe has no target. */
export const formatEta = (eta: Eta | null, nowMs: number, locale = "en", timeZone?: string, localize: PanelLocalize = english): EtaText | null => {
  if (!eta) return null;
  // A forecast to the nearest minute, as Home Assistant's done-time sensor has it (and so the
  // card): 12:44:49 is "12:45" there and here alike. A time that has been is never rounded up.
  // Past midnight (an overnight brisket), with the weekday: "Done ~Sat 01:21", as the card has it.
  const clock = (ms: number): string => formatClockOn(Math.round(ms / 60_000) * 60_000, nowMs, locale, timeZone);
  // Done: when it got there (the add-on's reason, "target reached", would only repeat the line above).
  if (eta.method === "done") return { main: localize("eta.reached"), detail: eta.doneMs === null ? "" : formatClock(eta.doneMs, locale, timeZone) };
  if (eta.doneMs === null) return { main: localize("eta.unknown"), detail: eta.reason === null ? "" : localizeEtaReason(eta.reason, localize) };
  const range = eta.p10Ms !== null && eta.p90Ms !== null ? `${clock(eta.p10Ms)} – ${clock(eta.p90Ms)}` : "";
  const remaining = localize("eta.remaining", { duration: formatDuration(Math.max(0, eta.doneMs - nowMs), localize) });
  return { main: localize("eta.done", { time: clock(eta.doneMs) }), detail: range ? `${range} · ${remaining}` : remaining };
};

const HEALTH_KEYS: Record<ProbeHealth, PanelKey> = {
  ok: "health.ok",
  unplugged: "health.unplugged",
  stale: "health.stale",
  offline: "health.offline",
  glitch: "health.glitch",
  unknown: "health.unknown",
};
export const healthLabel = (status: ProbeHealth, localize: PanelLocalize = english): string => labelOf(HEALTH_KEYS, status, localize);

const ROLE_KEYS: Record<ProbeRole, PanelKey> = { meat: "role.meat", pit: "role.pit", ambient: "role.ambient", humidity: "role.humidity" };
export const roleLabel = (role: ProbeRole, localize: PanelLocalize = english): string => labelOf(ROLE_KEYS, role, localize);

/** Value for an `<input type=datetime-local>` in `timeZone` (undefined: the viewer's): "2024-05-27T18:42". */
export const toLocalInput = (tsMs: number, timeZone?: string): string => {
  const w = timeZone ? wallClockIn(tsMs, timeZone) : wallClockOf(new Date(tsMs));
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
};

/**
 * Back from `datetime-local` to epoch ms, read as a wall clock in `timeZone` (undefined: the
 * viewer's, as the browser reads it); null when empty or invalid. A clock time that the zone's
 * change to summer time skips is read in the offset before the change, one the change back repeats
 * as its first occurrence (as the browser reads its own zone).
 */
export const fromLocalInput = (value: string, timeZone?: string): number | null => {
  if (!value) return null;
  if (!timeZone) {
    const ms = new Date(value).getTime();
    return Number.isFinite(ms) ? ms : null;
  }
  const m = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  // The wall clock read as if it were UTC; the zone's offset is taken off below.
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, Number(m[6] ?? 0), Number((m[7] ?? "0").padEnd(3, "0")));
  // The zone's offset a day before and after (a change of offset is never closer together than that):
  // the earlier instant whose wall clock reads `value`, else (a skipped time) the one before the change.
  const candidates = [offsetIn(asUtc - 86_400_000, timeZone), offsetIn(asUtc + 86_400_000, timeZone)].map((off) => asUtc - off);
  const exact = candidates.filter((t) => asUtc - offsetIn(t, timeZone) === t).sort((a, b) => a - b);
  return exact[0] ?? candidates[0] ?? null;
};

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallClockOf = (d: Date): WallClock => ({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() });

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at `tsMs`. */
const wallClockIn = (tsMs: number, timeZone: string): WallClock => {
  let fmt = wallFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    wallFormats.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(tsMs).map((p) => [p.type, Number(p.value)]));
  return { year: parts["year"] ?? 0, month: parts["month"] ?? 1, day: parts["day"] ?? 1, hour: parts["hour"] ?? 0, minute: parts["minute"] ?? 0, second: parts["second"] ?? 0 };
};

/** How far `timeZone`'s wall clock is ahead of UTC at `tsMs`, in ms. */
const offsetIn = (tsMs: number, timeZone: string): number => {
  const w = wallClockIn(tsMs, timeZone);
  const wholeSecond = Math.floor(tsMs / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - wholeSecond;
};
