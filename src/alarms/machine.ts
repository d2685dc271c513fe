import type { AlarmKind, AlarmPhase, AlarmState, AlarmTransition } from "../shared";
import { computeLevel } from "./levels";
import type { AlarmInput, AlarmRuntime, AlarmSample, EffectiveRule, MachineResult, PendingChange, TransitionEvent } from "./types";

/** A change is confirmed after this many consecutive readings … */
export const CONFIRM_READINGS = 2;
/** … or after it has held this long, whichever comes first. */
export const CONFIRM_MS = 30_000;
const MINUTE_MS = 60_000;

const TEMPERATURE_KINDS: ReadonlySet<AlarmKind> = new Set(["target", "high", "low", "pre_alarm"]);
/** The phases of an alarm that has gone off and not been armed again. */
const REACHED_PHASES: ReadonlySet<AlarmPhase> = new Set(["firing", "snoozed", "acknowledged"]);

/** Critical alarms are delivered during quiet hours; the others are muted there. */
export const isCriticalKind = (kind: AlarmKind): boolean =>
  kind === "target" || kind === "high" || kind === "low" || kind === "unplugged" || kind === "offline";

/** A fresh, armed alarm. */
export const newRuntime = (
  base: { id: string; kind: AlarmKind; probeId: string | null; deviceKey: string | null },
  nowMs: number,
): AlarmRuntime => ({
  alarm: {
    ...base,
    phase: "armed",
    message: "",
    valueC: null,
    thresholdC: null,
    sinceMs: nowMs,
    snoozedUntilMs: null,
    repeatCount: 0,
    critical: isCriticalKind(base.kind),
  },
  threshold: null,
  lastNotifyMs: null,
  lastLevel: "unknown",
  pending: null,
});

/** Mutable working copy of one evaluation. */
interface Step {
  s: AlarmRuntime;
  out: TransitionEvent[];
  nowMs: number;
}

const move = (step: Step, transition: AlarmTransition, to: AlarmPhase, patch: Partial<AlarmState>, source: string | null = null): void => {
  const from = step.s.alarm.phase;
  step.s = { ...step.s, alarm: { ...step.s.alarm, ...patch, phase: to }, pending: null };
  step.out.push({ transition, fromPhase: from, toPhase: to, tsMs: step.nowMs, source, alarm: step.s.alarm });
};

const raise = (step: Step): void => {
  move(step, "raised", "firing", { sinceMs: step.nowMs, repeatCount: 0, snoozedUntilMs: null });
  step.s.lastNotifyMs = step.nowMs;
};

const rearm = (step: Step): void => {
  const latest = step.s.latestC;
  move(step, "cleared", "armed", { sinceMs: step.nowMs, repeatCount: 0, snoozedUntilMs: null, ...(latest != null ? { valueC: latest } : {}) });
  step.s.latestC = null;
  step.s.lastNotifyMs = null;
};

const repeat = (step: Step): void => {
  move(step, "repeated", "firing", { repeatCount: step.s.alarm.repeatCount + 1, snoozedUntilMs: null });
  step.s.lastNotifyMs = step.nowMs;
};

const isConfirmed = (p: PendingChange | null, level: PendingChange["level"], nowMs: number): boolean =>
  p !== null && p.level === level && (p.count >= CONFIRM_READINGS || nowMs - p.sinceMs >= CONFIRM_MS);

/** Confirmed level changes move the phase. */
const applyPending = (step: Step): void => {
  const { phase } = step.s.alarm;
  const p = step.s.pending;
  if (isConfirmed(p, "active", step.nowMs) && (phase === "armed" || phase === "pre_alarm")) raise(step);
  else if (isConfirmed(p, "pre", step.nowMs) && phase === "armed" && !headsUpSilenced(step.s.alarm, step.nowMs)) {
    move(step, "pre_alarm", "pre_alarm", { sinceMs: step.nowMs, repeatCount: 0, snoozedUntilMs: null });
  } else if (isConfirmed(p, "clear", step.nowMs)) {
    if (phase !== "armed") rearm(step);
    // Back below: a heads-up dismissed for this approach may come again on the next one.
    else if (step.s.alarm.snoozedUntilMs !== null) step.s = { ...step.s, alarm: { ...step.s.alarm, snoozedUntilMs: null } };
  }
};

/**
 * An armed alarm with `snoozedUntilMs` had its heads-up acknowledged or snoozed: no heads-up
 * again until then (the alarm itself still goes off when the target is reached).
 */
const headsUpSilenced = (a: AlarmState, nowMs: number): boolean => a.phase === "armed" && a.snoozedUntilMs !== null && nowMs < a.snoozedUntilMs;

/** An acknowledged heads-up stays quiet for this approach; a clear or the alarm itself ends that sooner. */
const HEADS_UP_ACK_MS = 24 * 60 * MINUTE_MS;

/**
 * Repeats while firing, and the end of a snooze. `wasActive`: the reading was on the alarm side
 * before this input too, so a reminder found due is late only by the time between two checks.
 */
const applyTimers = (step: Step, rule: EffectiveRule, wasActive: boolean): void => {
  const { alarm, lastLevel, lastNotifyMs } = step.s;
  if (alarm.phase === "firing" && lastLevel === "active") {
    const repeatMs = rule.repeatMinutes * MINUTE_MS;
    const dueMs = (lastNotifyMs ?? alarm.sinceMs) + repeatMs;
    if (step.nowMs >= dueMs) {
      repeat(step);
      // The next one is due a repeat after this one's slot, not after the check that found it due
      // (up to a reading or a tick late each time: ~2 of 96 reminders lost in 8 h). One overdue by
      // more than a repeat (a check missed) starts a new schedule instead of catching up, and so
      // does one that waited inside the band (kept, its slot would bring the next one seconds on).
      if (wasActive && step.nowMs - dueMs < repeatMs) step.s.lastNotifyMs = dueMs;
    }
  } else if (alarm.phase === "snoozed" && alarm.snoozedUntilMs !== null && step.nowMs >= alarm.snoozedUntilMs) {
    if (lastLevel === "active") repeat(step);
    else if (lastLevel === "clear") rearm(step);
    // Inside the band (or a target's heads-up window) the crossing is not over: re-armed there,
    // meat resting at its target would be announced as reached again on its next wobble up. It
    // waits, as a firing alarm there does: the reminder goes out once the reading is back on the
    // alarm side, and a confirmed fall past the band re-arms it (applyPending).
  }
};

const nextPending = (prev: PendingChange | null, level: AlarmRuntime["lastLevel"], sample: AlarmSample, nowMs: number): PendingChange | null => {
  if (level === "unknown") return prev;
  if (level === "band") return null;
  const tsMs = sample.tsMs ?? null;
  if (prev && prev.level === level) {
    const fresh = tsMs === null || tsMs !== prev.lastTsMs;
    return fresh ? { ...prev, count: prev.count + 1, lastTsMs: tsMs } : prev;
  }
  return { level, sinceMs: nowMs, count: 1, lastTsMs: tsMs };
};

const onSample = (step: Step, sample: AlarmSample, rule: EffectiveRule): void => {
  let level = computeLevel(rule, sample, step.nowMs);
  const thresholdChanged = step.s.threshold !== null && step.s.threshold !== rule.threshold;
  // A moved threshold is a person's decision, not a wobbling reading: it takes effect at once,
  // without the hysteresis band and without waiting for a second reading.
  if (thresholdChanged && level === "band") level = "clear";
  const temperature = TEMPERATURE_KINDS.has(rule.kind);
  // A target alarm's value is the reading it went off at ("reached 95.6 °C at 18:42"), kept
  // until it is armed again — also while a fall below the target waits to be confirmed (the meat
  // pulled: "reached 28 °C" would be read as the reading it went off at); a high or low alarm's
  // is the latest ("the pit is 140 °C").
  const held = rule.kind === "target" && REACHED_PHASES.has(step.s.alarm.phase);
  step.s = {
    ...step.s,
    alarm: {
      ...step.s.alarm,
      valueC: temperature && !held && sample.value !== null ? sample.value : step.s.alarm.valueC,
      thresholdC: temperature ? rule.threshold : null,
    },
    latestC: held && sample.value !== null ? sample.value : (step.s.latestC ?? null),
    threshold: rule.threshold,
    lastLevel: level === "unknown" ? step.s.lastLevel : level,
    pending: nextPending(thresholdChanged ? null : step.s.pending, level, sample, step.nowMs),
  };
  if (thresholdChanged && step.s.pending) step.s.pending = { ...step.s.pending, count: CONFIRM_READINGS };
  applyPending(step);
};

/**
 * The alarm state machine, pure: `(state, input, nowMs, rule) → {state, transitions}`.
 *
 * armed → pre_alarm (target only) → firing → repeated every `repeatMinutes` while the condition
 * holds → snoozed (back to firing at the end if still true, armed if back past the band, else
 * once one of the two is so) → acknowledged → armed
 * again only once the value is back past the hysteresis band. A level change must hold for
 * 2 consecutive readings or 30 s before it moves the phase, so a wobbling reading never flaps.
 */
export const evaluateAlarm = (state: AlarmRuntime, input: AlarmInput, nowMs: number, rule: EffectiveRule): MachineResult => {
  const step: Step = { s: state, out: [], nowMs };
  const { phase } = state.alarm;
  const wasActive = state.lastLevel === "active";
  switch (input.type) {
    case "sample":
      if (rule.enabled) onSample(step, input, rule);
      applyTimers(step, rule, wasActive);
      break;
    case "tick":
      if (rule.enabled) applyPending(step);
      applyTimers(step, rule, wasActive);
      break;
    case "acknowledge":
      if (phase === "firing" || phase === "snoozed") {
        move(step, "acknowledged", "acknowledged", { snoozedUntilMs: null }, input.source);
      } else if (phase === "pre_alarm") {
        // "I know it is coming": the heads-up goes away; reaching the target still raises the alarm.
        move(step, "acknowledged", "armed", { snoozedUntilMs: nowMs + HEADS_UP_ACK_MS }, input.source);
      }
      break;
    case "snooze":
      if (phase === "firing" || phase === "snoozed") {
        move(step, "snoozed", "snoozed", { snoozedUntilMs: nowMs + input.minutes * MINUTE_MS }, input.source);
      } else if (phase === "pre_alarm") {
        // The heads-up comes back after the snooze if the target is still ahead; reaching it raises the alarm at once.
        move(step, "snoozed", "armed", { snoozedUntilMs: nowMs + input.minutes * MINUTE_MS }, input.source);
      }
      break;
  }
  return { state: step.s, transitions: step.out };
};
