import { formatClock } from "./local-time";
import { toUnit, unitSymbol, type AlarmKind, type AlarmState, type AlarmTransition, type TemperatureUnit } from "../shared";

/** Display unit, time zone and the moment the message is written. */
export interface FormatContext {
  unit: TemperatureUnit;
  timeZone: string;
  nowMs: number;
}

/** What the message talks about, as last seen (°C, percent, epoch ms). */
export interface AlarmFacts {
  /** Probe display name (probe alarms) — untrusted cloud text, used as plain text only. */
  probeName: string | null;
  deviceName: string | null;
  /** °C for temperature alarms, percent for battery. */
  value: number | null;
  threshold: number | null;
  readingTsMs: number | null;
  etaDoneMs: number | null;
  lastSeenMs: number | null;
  /** Minutes (stale/offline limits). */
  limitMinutes: number | null;
}

const TITLES: Record<AlarmKind, string> = {
  target: "Target reached",
  pre_alarm: "Almost done",
  high: "Too hot",
  low: "Too cold",
  unplugged: "Probe unplugged",
  offline: "Device offline",
  stale: "No new readings",
  battery_low: "Battery low",
};

/** "96 °C"; one decimal only when whole degrees would hide the difference to `versusC`. */
export const formatTemp = (tempC: number, unit: TemperatureUnit, versusC?: number | null): string => {
  const v = toUnit(tempC, unit);
  const whole = Math.round(v);
  const needsDecimal = versusC !== undefined && versusC !== null && versusC !== tempC && whole === Math.round(toUnit(versusC, unit));
  return `${needsDecimal ? (Math.round(v * 10) / 10).toFixed(1) : String(whole)} ${unitSymbol(unit)}`;
};

/** "Chicken probe", but "Signals probe 2" stays as it is. */
const probeNoun = (name: string): string => (/\bprobe\b/i.test(name) ? name : `${name} probe`);

const firingMessage = (kind: AlarmKind, alarm: AlarmState, f: AlarmFacts, ctx: FormatContext): string => {
  const probe = f.probeName ?? alarm.probeId ?? "Probe";
  const device = f.deviceName ?? alarm.deviceKey ?? "Device";
  const t = (c: number | null, versus?: number | null): string => (c === null ? "?" : formatTemp(c, ctx.unit, versus));
  switch (kind) {
    case "target":
      return `${probe} reached ${t(f.value, f.threshold)} (target ${t(f.threshold, f.value)}) at ${formatClock(alarm.sinceMs, ctx.timeZone)}`;
    case "pre_alarm": {
      const eta = f.etaDoneMs ?? ctx.nowMs;
      const minutes = Math.max(1, Math.round((eta - ctx.nowMs) / 60_000));
      return `${probe} will reach ${t(f.threshold)} in about ${minutes} min (${formatClock(eta, ctx.timeZone)})`;
    }
    case "high":
      return `${probe} is ${t(f.value, f.threshold)}, above ${t(f.threshold, f.value)}`;
    case "low":
      return `${probe} is ${t(f.value, f.threshold)}, below ${t(f.threshold, f.value)}`;
    case "unplugged":
      return `${probeNoun(probe)} unplugged`;
    case "stale":
      return `${probe}: no new reading since ${f.readingTsMs === null ? "a while" : formatClock(f.readingTsMs, ctx.timeZone)}`;
    case "offline":
      return `${device} offline: no contact since ${f.lastSeenMs === null ? "a while" : formatClock(f.lastSeenMs, ctx.timeZone)}`;
    case "battery_low":
      return `${device} battery at ${f.value === null ? "?" : Math.round(f.value)} %`;
  }
};

const armedMessage = (alarm: AlarmState, f: AlarmFacts, ctx: FormatContext): string => {
  const probe = f.probeName ?? alarm.probeId ?? "Probe";
  const device = f.deviceName ?? alarm.deviceKey ?? "Device";
  const t = f.threshold === null ? "?" : formatTemp(f.threshold, ctx.unit);
  switch (alarm.kind) {
    case "target":
    case "pre_alarm":
      return `${probe}: alarm at the ${t} target`;
    case "high":
      return `${probe}: alarm above ${t}`;
    case "low":
      return `${probe}: alarm below ${t}`;
    case "unplugged":
      return `${probe}: alarm when unplugged`;
    case "stale":
      return `${probe}: alarm after ${f.limitMinutes ?? "?"} min without a reading`;
    case "offline":
      return `${device}: alarm after ${f.limitMinutes ?? "?"} min offline`;
    case "battery_low":
      return `${device}: alarm at ${f.threshold ?? "?"} % battery`;
  }
};

/**
 * The message a person sees for the alarm after `transition` (or its standing message when
 * `transition` is null): "Brisket reached 96 °C (target 95 °C) at 18:42".
 */
export const describeAlarm = (alarm: AlarmState, transition: AlarmTransition | null, f: AlarmFacts, ctx: FormatContext): string => {
  if (alarm.phase === "pre_alarm") return firingMessage("pre_alarm", alarm, f, ctx);
  if (alarm.phase === "armed") return armedMessage(alarm, f, ctx);
  // Acknowledged and snoozed alarms keep the message they fired with.
  if (transition === "acknowledged" || transition === "snoozed" || transition === null) return alarm.message || firingMessage(alarm.kind, alarm, f, ctx);
  return firingMessage(alarm.kind, alarm, f, ctx);
};

/** Notification title: "Grill Stats · Target reached". */
export const alarmTitle = (alarm: AlarmState): string => `Grill Stats · ${TITLES[alarm.phase === "pre_alarm" ? "pre_alarm" : alarm.kind]}`;
