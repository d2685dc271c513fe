/**
 * An alarm's text as the panel shows it: in the panel's language and display unit and on the
 * viewer's clock, written from the alarm's facts with the add-on's own alarm texts. The add-on
 * writes `message` once, in Home Assistant's language and unit and the add-on's time zone, for
 * the push and the history; the panel may be in another language (the user's profile), in °F
 * while Home Assistant uses °C (the panel's unit switch), or in another zone. Where a fact is
 * missing (an armed alarm's limits, a pre-alarm without a done time) the add-on's message is
 * shown as it came.
 */
import de from "../../../src/alarms/translations/de.json";
import en from "../../../src/alarms/translations/en.json";
import { stringTables } from "../../../src/shared/localize";
import type { AlarmState, Device, ProbeState, TemperatureUnit } from "../../../src/shared/model";
import { toUnit, unitSymbol } from "../../../src/shared/units";
import { formatClock, formatTempValue } from "./format";

const TEXTS = stringTables(en, { de });

export interface AlarmTextContext {
  probe: Pick<ProbeState, "name" | "eta" | "tsMs"> | undefined;
  device: Pick<Device, "label" | "lastSeenMs"> | undefined;
  unit: TemperatureUnit;
  locale: string;
  nowMs: number;
}

/** "96 °C"; one decimal only when whole degrees would hide the difference to `versusC` (as the add-on writes it). */
const temp = (tempC: number, unit: TemperatureUnit, locale: string, versusC: number | null): string => {
  const whole = (c: number): number => Math.round(toUnit(c, unit));
  const needsDecimal = versusC !== null && versusC !== tempC && whole(tempC) === whole(versusC);
  return `${formatTempValue(tempC, unit, locale, needsDecimal ? 1 : 0)} ${unitSymbol(unit)}`;
};

/** "Chicken probe", but "Signals probe 2" stays as it is (the English unplugged message's `{noun}`). */
const probeNoun = (name: string): string => (/\bprobe\b/i.test(name) ? name : `${name} probe`);

export const alarmText = (a: AlarmState, ctx: AlarmTextContext): string => {
  if (a.phase === "armed") return a.message;
  const l = TEXTS.localize(ctx.locale);
  const probe = ctx.probe?.name ?? a.probeId ?? l("name.probe");
  const device = ctx.device?.label ?? a.deviceKey ?? l("name.device");
  const t = (c: number | null, versus: number | null = null): string | null => (c === null ? null : temp(c, ctx.unit, ctx.locale, versus));
  const clock = (ms: number | null | undefined): string => (ms === null || ms === undefined ? l("time.unknown") : formatClock(ms, ctx.locale));
  const value = t(a.valueC, a.thresholdC);
  const threshold = t(a.thresholdC, a.valueC);
  const kind = a.phase === "pre_alarm" ? "pre_alarm" : a.kind;
  switch (kind) {
    case "target":
      return value === null || threshold === null ? a.message : l("fired.target", { probe, value, threshold, time: clock(a.sinceMs) });
    case "pre_alarm": {
      const doneMs = ctx.probe?.eta?.doneMs ?? null;
      if (doneMs === null || a.thresholdC === null) return a.message;
      const minutes = Math.max(1, Math.round((doneMs - ctx.nowMs) / 60_000));
      return l("fired.pre_alarm", { probe, threshold: t(a.thresholdC) as string, minutes, time: clock(doneMs) });
    }
    case "high":
    case "low":
      return value === null || threshold === null ? a.message : l(`fired.${kind}`, { probe, value, threshold });
    case "unplugged":
      return l("fired.unplugged", { probe, noun: probeNoun(probe) });
    case "stale":
      return l("fired.stale", { probe, time: clock(ctx.probe?.tsMs) });
    case "offline":
      return l("fired.offline", { device, time: clock(ctx.device?.lastSeenMs) });
    case "battery_low":
      return a.valueC === null ? a.message : l("fired.battery_low", { device, value: Math.round(a.valueC) });
  }
};

/** `alarmText` for the alarms of a page: each alarm's probe and device looked up in the lists the page has. */
export const alarmDescriber =
  (probes: readonly ProbeState[], devices: readonly Device[], unit: TemperatureUnit, locale: string, nowMs: number) =>
  (a: AlarmState): string => {
    const probe = a.probeId === null ? undefined : probes.find((p) => p.id === a.probeId);
    const deviceKey = a.deviceKey ?? probe?.deviceKey;
    return alarmText(a, { probe, device: devices.find((d) => d.key === deviceKey), unit, locale, nowMs });
  };
