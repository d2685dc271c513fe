import { ALARM_TEXTS, composeAlarmText, decimalsVersus, settingDecimals } from "./alarm-text";
import { formatClock } from "./local-time";
import type en from "./translations/en.json";
import { formatDecimal, toUnit, unitSymbol, unlabelledProbeName, type AlarmPhase, type ProbeAutoName, type AlarmState, type AlarmTransition, type TemperatureUnit } from "../shared";
import type { Localize } from "../shared/localize";

/** Display unit, time zone, language and the moment the message is written. */
export interface FormatContext {
  unit: TemperatureUnit;
  timeZone: string;
  /** Home Assistant's language tag ("de-CH"): the texts are in its table (see alarmLanguage). */
  language: string;
  nowMs: number;
}

/** What the message talks about, as last seen (°C, percent, epoch ms). */
export interface AlarmFacts {
  /** Probe display name (probe alarms) — untrusted cloud text, used as plain text only. */
  probeName: string | null;
  /** An unlabelled probe's device and channel: its name is then said in the message's language. */
  probeAutoName?: ProbeAutoName | null;
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

type AlarmTextKey = keyof typeof en;

/** The table alarm texts are written from for a language tag ("de-CH" → "de"); English when there is none. */
export const alarmLanguage = ALARM_TEXTS.languageOf;

const localizeFor = ALARM_TEXTS.localize;

/** A number with `digits` decimals as the language writes it ("95,4" in German). */
const decimal = (v: number, digits: number, language = "en"): string => formatDecimal(v, language, digits);

/** "96 °C"; one decimal only when whole degrees would hide the difference to `versusC`. */
export const formatTemp = (tempC: number, unit: TemperatureUnit, versusC?: number | null, language?: string): string => {
  const v = toUnit(tempC, unit);
  const digits = decimalsVersus(v, versusC === undefined || versusC === null ? null : toUnit(versusC, unit));
  return `${decimal(v, digits > 0 ? 1 : 0, language)} ${unitSymbol(unit)}`;
};

/** Probe and device as the message names them: untrusted cloud text, interpolated as plain text. */
const subjects = (alarm: AlarmState, f: AlarmFacts, l: Localize<AlarmTextKey>, language: string): { probe: string; device: string } => ({
  probe: (f.probeAutoName ? unlabelledProbeName(language, f.probeAutoName) : f.probeName) ?? alarm.probeId ?? l("name.probe"),
  device: f.deviceName ?? alarm.deviceKey ?? l("name.device"),
});

/**
 * The firing text, written as the panel and the card write theirs (composeAlarmText), in the
 * add-on's unit and time zone, with placeholders where a fact is missing.
 */
const firingMessage = (alarm: AlarmState, f: AlarmFacts, ctx: FormatContext): string => {
  const { probe, device } = subjects(alarm, f, localizeFor(ctx.language), ctx.language);
  const inUnit = (c: number | null): number | null => (c === null || alarm.kind === "battery_low" ? c : toUnit(c, ctx.unit));
  // The alarm's own reading where it keeps one: a target alarm's is the reading it went off at,
  // so a reminder an hour later still says "reached 74.4 °C at 05:07", not the reading of now.
  const value = alarm.valueC ?? f.value;
  const text = composeAlarmText(
    { kind: alarm.kind, phase: alarm.phase, probe, device, value: inUnit(value), threshold: inUnit(f.threshold), sinceMs: alarm.sinceMs, doneMs: f.etaDoneMs, readingMs: f.readingTsMs, lastSeenMs: f.lastSeenMs },
    {
      language: ctx.language,
      temp: (v, digits) => `${decimal(v, digits > 0 ? 1 : 0, ctx.language)} ${unitSymbol(ctx.unit)}`,
      clock: (ms) => formatClock(ms, ctx.timeZone),
      nowMs: ctx.nowMs,
      placeholders: true,
    },
  );
  return text ?? alarm.message;
};

const armedMessage = (alarm: AlarmState, f: AlarmFacts, ctx: FormatContext, l: Localize<AlarmTextKey>): string => {
  const { probe, device } = subjects(alarm, f, l, ctx.language);
  // As precisely as it was set (a 73.9 °C target), as the fired text writes it.
  const limit = f.threshold === null ? null : toUnit(f.threshold, ctx.unit);
  const threshold = limit === null ? "?" : `${decimal(limit, settingDecimals(limit), ctx.language)} ${unitSymbol(ctx.unit)}`;
  const minutes = f.limitMinutes ?? "?";
  switch (alarm.kind) {
    case "target":
    case "pre_alarm":
      return l("armed.target", { probe, threshold });
    case "high":
    case "low":
      return l(`armed.${alarm.kind}`, { probe, threshold });
    case "unplugged":
      return l("armed.unplugged", { probe });
    case "stale":
      return l("armed.stale", { probe, minutes });
    case "offline":
      return l("armed.offline", { device, minutes });
    case "battery_low":
      return l("armed.battery_low", { device, threshold: f.threshold ?? "?" });
  }
};

/**
 * The message a person sees for the alarm after `transition` (or its standing message when
 * `transition` is null): "Brisket reached 96 °C (target 95 °C) at 18:42".
 */
export const describeAlarm = (alarm: AlarmState, transition: AlarmTransition | null, f: AlarmFacts, ctx: FormatContext): string => {
  const l = localizeFor(ctx.language);
  if (alarm.phase === "armed") return armedMessage(alarm, f, ctx, l);
  // Acknowledged and snoozed alarms keep the message they fired with (in the language it fired in).
  if (alarm.phase !== "pre_alarm" && (transition === "acknowledged" || transition === "snoozed" || transition === null)) return alarm.message || firingMessage(alarm, f, ctx);
  return firingMessage(alarm, f, ctx);
};

/** Notification title: "Grill Stats · Target reached", in the language of `language` (a tag, as FormatContext's). */
export const alarmTitle = (alarm: AlarmState, language: string): string => `Grill Stats · ${localizeFor(language)(`title.${alarm.phase === "pre_alarm" ? "pre_alarm" : alarm.kind}`)}`;

/** A known source of an acknowledgement or snooze, in words; another one shows as it came. */
const SOURCE_KEYS: Record<string, AlarmTextKey> = { notification: "source.notification", homeassistant: "source.homeassistant", api: "source.api" };

/**
 * What a transition's history record (and its deliveries) says, in the message's language:
 * "Brisket reached 97 °C (target 95 °C) at 16:00 — acknowledged via notification".
 * `previous` is the message the alarm showed before a clear; `valueC` what the probe reads now.
 */
export const describeTransition = (
  t: { transition: AlarmTransition; fromPhase: AlarmPhase; source: string | null },
  alarm: AlarmState,
  previous: string,
  valueC: number | null,
  ctx: FormatContext,
): string => {
  const l = localizeFor(ctx.language);
  const sourceKey = t.source === null ? undefined : SOURCE_KEYS[t.source];
  const via = t.source === null ? "" : l("record.via", { source: sourceKey ? l(sourceKey) : t.source });
  switch (t.transition) {
    case "acknowledged":
      return l("record.acknowledged", { message: alarm.message, via });
    case "snoozed":
      return l("record.snoozed", { message: alarm.message, time: formatClock(alarm.snoozedUntilMs ?? ctx.nowMs, ctx.timeZone), via });
    case "cleared": {
      if (t.fromPhase === "acknowledged") return l("record.rearmed", { message: alarm.message });
      const now = alarm.thresholdC !== null && valueC !== null ? l("record.now", { value: formatTemp(valueC, ctx.unit, null, ctx.language) }) : "";
      return l("record.cleared", { message: previous || alarm.message, now });
    }
    default:
      return alarm.message;
  }
};
