import { composeAlarmText, joinUnits } from "../../../src/alarms/alarm-text";
import { formatTemp, formatTime, type FormatContext } from "../format";
import type { AlarmPhase, ProbeStatus, ProbeView } from "../probe-view";

export type DisplayLevel = "none" | "info" | "warning" | "critical";

export interface AlarmDisplay {
  level: DisplayLevel;
  /** Translation key of the short state label; null when nothing should be shown. */
  labelKey: string | null;
  showAcknowledge: boolean;
  showSnooze: boolean;
  /** Draw attention (animated border) — only for a firing alarm. */
  urgent: boolean;
}

/**
 * How an alarm phase is shown and which buttons make sense. Buttons appear only when the
 * helper exists (`has.*`): pressing a missing input_button would fail for the user.
 */
export const computeAlarmDisplay = (
  phase: AlarmPhase | null,
  has: { acknowledge: boolean; snooze: boolean },
): AlarmDisplay => {
  switch (phase) {
    case "firing":
      return { level: "critical", labelKey: "alarm.firing", showAcknowledge: has.acknowledge, showSnooze: has.snooze, urgent: true };
    case "pre_alarm":
      return { level: "warning", labelKey: "alarm.pre_alarm", showAcknowledge: has.acknowledge, showSnooze: has.snooze, urgent: false };
    case "snoozed":
      return { level: "info", labelKey: "alarm.snoozed", showAcknowledge: has.acknowledge, showSnooze: false, urgent: false };
    case "acknowledged":
      return { level: "info", labelKey: "alarm.acknowledged", showAcknowledge: false, showSnooze: false, urgent: false };
    case "armed":
      return { level: "none", labelKey: "alarm.armed", showAcknowledge: false, showSnooze: false, urgent: false };
    default:
      return { level: "none", labelKey: null, showAcknowledge: false, showSnooze: false, urgent: false };
  }
};

/** Badge for a probe that is not reading normally; null when it is fine. */
export const computeStatusBadge = (status: ProbeStatus): { level: DisplayLevel; labelKey: string } | null => {
  switch (status) {
    case "ok":
      return null;
    case "glitch":
      return { level: "warning", labelKey: "status.glitch" };
    case "stale":
      return { level: "warning", labelKey: "status.stale" };
    case "unplugged":
      return { level: "info", labelKey: "status.unplugged" };
    case "offline":
      return { level: "critical", labelKey: "status.offline" };
    case "missing":
      return { level: "critical", labelKey: "status.missing" };
  }
};

/** The most urgent level among probes (for the card's header accent). */
export const mostUrgent = (levels: Iterable<DisplayLevel>): DisplayLevel => {
  const order: DisplayLevel[] = ["none", "info", "warning", "critical"];
  let best = 0;
  for (const l of levels) best = Math.max(best, order.indexOf(l));
  return order[best] ?? "none";
};

/**
 * The alarm line of a probe, written by the card in its own language, number format and clock
 * (the add-on writes `alarm_message` in Home Assistant's language and the add-on's time zone),
 * with the add-on's alarm texts. The add-on's message where a fact is missing, also from an
 * add-on that posts no facts; the card knows no device's last contact (a device alarm is no
 * probe's alarm anyway).
 */
export const alarmLine = (p: ProbeView, fmt: FormatContext, nowMs: number): string | null => {
  const a = p.alarm;
  if (a.phase === null || a.kind === null) return a.message === null ? null : joinUnits(a.message);
  const facts = {
    kind: a.kind,
    phase: a.phase,
    probe: p.name,
    device: p.device.name,
    value: a.value,
    threshold: a.threshold,
    sinceMs: a.sinceMs,
    doneMs: p.eta.p50Ms,
    readingMs: p.lastSeenMs,
    lastSeenMs: null,
  };
  const format = {
    language: fmt.locale,
    temp: (value: number, digits: number) => formatTemp(fmt, value, p.unitLabel, digits),
    clock: (ms: number) => formatTime(fmt, ms, nowMs),
    nowMs,
  };
  const text = composeAlarmText(facts, format) ?? a.message;
  return text === null ? null : joinUnits(text);
};
