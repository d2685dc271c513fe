/**
 * An alarm's text as the panel shows it: in the panel's language and display unit and on the
 * viewer's clock, written from the alarm's facts with the add-on's own alarm texts
 * (composeAlarmText, which the card uses too). The add-on writes `message` once, in Home
 * Assistant's language and unit and the add-on's time zone, for the push and the history; the
 * panel may be in another language (the user's profile), in °F while Home Assistant uses °C (the
 * panel's unit switch), or in another zone. Where a fact is missing (an armed alarm's limits, a
 * pre-alarm without a done time) the add-on's message is shown as it came; an armed temperature
 * alarm names its limit in the panel's unit.
 */
import { ALARM_TEXTS, composeAlarmText, joinUnits } from "../../../src/alarms/alarm-text";
import { silentAfterMinutes, type AlarmState, type Device, type ProbeState, type TemperatureUnit } from "../../../src/shared/model";
import type { AlarmRule } from "../../../src/shared/ports";
import { toUnit, unitSymbol } from "../../../src/shared/units";
import { formatClock, formatNumber, formatSettingNumber } from "./format";

/** What a person calls a device: its label from the cloud ("Big Smoker"), else its serial, else the key we know it by. */
export const deviceName = (device: { label: string; serial?: string } | undefined, key: string): string => device?.label.trim() || device?.serial || key;

export interface AlarmTextContext {
  probe: Pick<ProbeState, "name" | "eta" | "tsMs"> | undefined;
  device: (Pick<Device, "label" | "lastSeenMs"> & Partial<Device>) | undefined;
  /** The alarm's rule as the rules API lists it (its minutes or percent, for an armed alarm's text). */
  rule?: AlarmRule | undefined;
  unit: TemperatureUnit;
  locale: string;
  /** The locale numbers are written in (Home Assistant's number format); `locale` without. */
  numberLocale?: string;
  /** The zone its times are shown in (the page's); undefined is the browser's. */
  timeZone?: string | undefined;
  nowMs: number;
}

export const alarmText = (a: AlarmState, ctx: AlarmTextContext): string => {
  // A battery alarm's value and threshold are percent; the others' °C.
  const inUnit = (c: number | null): number | null => (c === null || a.kind === "battery_low" ? c : toUnit(c, ctx.unit));
  const threshold = inUnit(a.thresholdC);
  const facts = {
    kind: a.kind,
    phase: a.phase,
    probe: ctx.probe?.name ?? a.probeId,
    device: ctx.device ? deviceName(ctx.device, a.deviceKey ?? "") : a.deviceKey,
    // A battery alarm carries no reading of its own (the add-on keeps only temperatures): the device's.
    value: a.kind === "battery_low" ? (a.valueC ?? ctx.device?.batteryPct ?? null) : inUnit(a.valueC),
    threshold,
    sinceMs: a.sinceMs,
    doneMs: ctx.probe?.eta?.doneMs ?? null,
    readingMs: ctx.probe?.tsMs ?? null,
    lastSeenMs: ctx.device?.lastSeenMs ?? null,
  };
  const format = {
    language: ctx.locale,
    // The threshold is the probe's setting: as precisely as it was set (62.5 °C), as its tile shows it.
    temp: (value: number, digits: number) =>
      `${value === threshold ? formatSettingNumber(value, ctx.numberLocale ?? ctx.locale, digits) : formatNumber(value, ctx.numberLocale ?? ctx.locale, digits)}\u00a0${unitSymbol(ctx.unit)}`,
    clock: (ms: number) => formatClock(ms, ctx.locale, ctx.timeZone),
    nowMs: ctx.nowMs,
  };
  // The add-on's texts join no unit to its number: joined here, for a narrow banner or tile.
  return joinUnits(composeAlarmText(facts, format) ?? armedText(a, facts.probe ?? "", facts.device ?? "", threshold, ctx, format.temp) ?? a.message);
};

/**
 * An armed alarm in the viewer's words: a temperature alarm's limit in the viewer's unit ("Pit:
 * alarm above 275 °F"; the add-on's message is in Home Assistant's unit and language), the
 * others' minutes or percent from their rule, as the add-on counts them (a device that reports
 * every 15 min is not silent after 10). Null where the facts are missing: the add-on's message.
 */
const armedText = (
  a: AlarmState,
  probe: string,
  device: string,
  threshold: number | null,
  ctx: AlarmTextContext,
  temp: (value: number, digits: number) => string,
): string | null => {
  if (a.phase !== "armed") return null;
  const l = ALARM_TEXTS.localize(ctx.locale);
  const param = (name: string): number | null => {
    const v = ctx.rule?.params[name];
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  };
  const silentMinutes = (): number | null => {
    const minutes = param("minutes");
    const d = ctx.device;
    return minutes === null ? null : Math.round(silentAfterMinutes(minutes, d && { transmitIntervalSec: d.transmitIntervalSec ?? null, reportDeltaC: d.reportDeltaC ?? null }));
  };
  switch (a.kind) {
    case "target":
    case "pre_alarm":
      return threshold === null ? null : l("armed.target", { probe, threshold: temp(threshold, 0) });
    case "high":
    case "low":
      return threshold === null ? null : l(`armed.${a.kind}`, { probe, threshold: temp(threshold, 0) });
    case "unplugged":
      return l("armed.unplugged", { probe });
    case "stale":
    case "offline": {
      const minutes = silentMinutes();
      return minutes === null ? null : a.kind === "stale" ? l("armed.stale", { probe, minutes }) : l("armed.offline", { device, minutes });
    }
    case "battery_low": {
      const percent = param("percent");
      return percent === null ? null : l("armed.battery_low", { device, threshold: percent });
    }
    default:
      return null;
  }
};

/** `alarmText` for the alarms of a page: each alarm's probe and device looked up in the lists the page has. */
export const alarmDescriber =
  (probes: readonly ProbeState[], devices: readonly Device[], unit: TemperatureUnit, locale: string, nowMs: number, rules: readonly AlarmRule[] = [], numberLocale?: string, timeZone?: string) =>
  (a: AlarmState): string => {
    const probe = a.probeId === null ? undefined : probes.find((p) => p.id === a.probeId);
    const deviceKey = a.deviceKey ?? probe?.deviceKey;
    const rule = rules.find((r) => r.kind === a.kind && r.probeId === a.probeId && r.deviceKey === a.deviceKey);
    return alarmText(a, { probe, device: devices.find((d) => d.key === deviceKey), unit, locale, ...(numberLocale === undefined ? {} : { numberLocale }), timeZone, nowMs, rule });
  };
