/**
 * Pure formatting in the user's locale and Home Assistant's time zone. Every number and time
 * the card shows goes through a `FormatContext` built once per `hass` locale.
 */
import { localizeEtaReason } from "../../src/shared/eta-reasons";
import { dayKeyIn, hour12Of, numberFormatOf, safeLocale, timeZoneOf, type HaLocale } from "../../src/shared/localize";
import type { EtaView } from "./probe-view";
import type { Localize } from "./localize";

export interface FormatContext {
  /** BCP 47 tag for text and dates ("de", "en-GB"). */
  locale: string;
  /** Locale for numbers (HA lets the user choose a number format apart from the language). */
  numberLocale: string | undefined;
  useGrouping: boolean;
  /** undefined = follow the locale. */
  hour12: boolean | undefined;
  /** IANA zone; undefined = the browser's own zone. */
  timeZone: string | undefined;
}

/**
 * Builds the context from `hass.locale` / `hass.language` / `hass.config.time_zone`.
 * HA's `time_zone: "server"` means the server's zone (`config.time_zone`); "local" the browser's.
 */
export const createFormatContext = (
  hass: { locale?: HaLocale; language?: string; config?: { time_zone?: string } } | undefined,
): FormatContext => {
  const loc = hass?.locale;
  const language = loc?.language ?? hass?.language ?? "en";
  const numbers = numberFormatOf(loc?.number_format, language);
  const timeZone = timeZoneOf(loc?.time_zone, hass?.config?.time_zone);
  return { locale: safeLocale(language), numberLocale: numbers.locale, useGrouping: numbers.useGrouping, hour12: hour12Of(loc?.time_format), timeZone };
};

/** A number with a fixed count of fraction digits ("203.4", "203,4"); "–" for null. */
export const formatNumber = (ctx: FormatContext, value: number | null | undefined, digits = 1): string => {
  if (value == null || !Number.isFinite(value)) return "–";
  return new Intl.NumberFormat(ctx.numberLocale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: ctx.useGrouping,
  }).format(value);
};

/** "203.4 °F" (a no-break space: the unit never wraps away from its number); "–" for null. */
export const formatTemp = (ctx: FormatContext, value: number | null | undefined, unitLabel: string, digits = 1): string => {
  const n = formatNumber(ctx, value, digits);
  return n === "–" || !unitLabel ? n : `${n}\u00a0${unitLabel}`;
};

/**
 * Rate of rise with its sign and unit, as the panel writes it: "+32.0 °F/h", "−1,5 °C/Std.";
 * null when it is too small to matter (under 0.05 per hour) or unknown.
 */
export const formatRate = (ctx: FormatContext, localize: Localize, ratePerHour: number | null, unitLabel: string): string | null => {
  if (ratePerHour === null || !Number.isFinite(ratePerHour) || Math.abs(ratePerHour) < 0.05) return null;
  return `${ratePerHour > 0 ? "+" : "−"}${localize("rate.per_hour", { value: formatTemp(ctx, Math.abs(ratePerHour), unitLabel) })}`;
};

/** Time of day in the context's zone ("18:42" / "6:42 PM"); a weekday is added when not today. */
export const formatTime = (ctx: FormatContext, ms: number, nowMs: number = Date.now()): string => {
  const base: Intl.DateTimeFormatOptions = {
    hour: "numeric",
    minute: "2-digit",
    ...(ctx.hour12 !== undefined ? { hour12: ctx.hour12 } : {}),
    ...(ctx.timeZone ? { timeZone: ctx.timeZone } : {}),
  };
  const sameDay = dayKeyIn(ms, ctx.timeZone) === dayKeyIn(nowMs, ctx.timeZone);
  return new Intl.DateTimeFormat(ctx.locale, sameDay ? base : { ...base, weekday: "short" }).format(ms);
};

/** "45 min", "2 h 05 min" (localized). */
export const formatDuration = (localize: Localize, minutes: number): string => {
  const total = Math.max(0, Math.round(minutes));
  const h = Math.floor(total / 60);
  const m = total % 60;
  return h === 0 ? localize("duration.min", { m }) : localize("duration.h_min", { h, m: String(m).padStart(2, "0") });
};

/**
 * The ETA line: "done ~18:42 (18:10–19:30)", just "done ~18:42" without a range, "target reached
 * at 18:42" once it was, the add-on's reason when there is no estimate (in the card's language),
 * or a generic "no done time yet".
 */
export const formatEta = (ctx: FormatContext, localize: Localize, eta: EtaView, nowMs: number = Date.now()): string => {
  if (eta.p50Ms === null) return eta.reason === null ? localize("eta.unknown") : localizeEtaReason(eta.reason, localize);
  // Done: when it got there (its "range" is that moment twice), not a forecast.
  if (eta.method === "done") return localize("eta.reached_at", { time: formatTime(ctx, eta.p50Ms, nowMs) });
  const time = formatTime(ctx, eta.p50Ms, nowMs);
  if (eta.p10Ms === null || eta.p90Ms === null) return localize("eta.done_single", { time });
  return localize("eta.done", { time, from: formatTime(ctx, eta.p10Ms, nowMs), to: formatTime(ctx, eta.p90Ms, nowMs) });
};

/** Minutes since an epoch-ms instant, never negative. */
export const minutesSince = (sinceMs: number, nowMs: number = Date.now()): number => Math.max(0, (nowMs - sinceMs) / 60_000);

/** A duration in seconds as h:mm (or h:mm:ss), hours not wrapping at 24; "-0:05" before the start. */
export const formatElapsed = (seconds: number, withSeconds = false): string => {
  const total = Math.round(Math.abs(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${seconds < 0 && total > 0 ? "-" : ""}${h}:${pad(m)}${withSeconds ? `:${pad(sec)}` : ""}`;
};
