import type {
  AlarmKind,
  AlarmRule,
  AlarmState,
  AlarmTransition,
  AlarmTransitionRecord,
  DeliveryRecord,
} from "../shared";

/**
 * A rule as the state machine uses it: one alarm kind with its numbers resolved (defaults,
 * stored rules and probe settings merged).
 * `threshold` is in °C for target/high/low, percent for battery_low, minutes for offline/stale,
 * and unused (0) for unplugged.
 */
export interface EffectiveRule {
  kind: AlarmKind;
  enabled: boolean;
  threshold: number;
  /** How far the value must move back past the threshold before the alarm re-arms (same unit as threshold). */
  hysteresis: number;
  repeatMinutes: number;
  /** Target alarms only: pre-alarm this many minutes before the predicted done time; 0 = off. */
  preAlarmMinutes: number;
  critical: boolean;
}

/** Where a fresh value sits relative to a rule. */
export type AlarmLevel =
  /** The alarm condition is true. */
  | "active"
  /** Target alarms: the predicted done time is inside the pre-alarm window. */
  | "pre"
  /** Not active, but inside the hysteresis band: nothing re-arms or clears. */
  | "band"
  /** Moved back past the hysteresis band: clears and re-arms. */
  | "clear"
  /** No usable value (unplugged meat probe, lid open …): hold the current phase. */
  | "unknown";

/** One observation for one alarm. */
export interface AlarmSample {
  type: "sample";
  /** °C, percent, minutes, or 1/0 for unplugged (see EffectiveRule.threshold). null = no value. */
  value: number | null;
  /** Device time of the reading. Consecutive evaluations of the same reading count once. */
  tsMs?: number | null;
  /** Target alarms: predicted done time (epoch ms), null when unknown. */
  etaDoneMs?: number | null;
  /** Ignore this sample for state changes (lid open, device offline for a stale alarm …). */
  hold?: boolean;
  /** The condition is plainly gone whatever the value says (a battery on its charger). */
  clear?: boolean;
}

export type AlarmInput =
  | AlarmSample
  /** Time passed without a new sample: repeats and snooze expiry. */
  | { type: "tick" }
  | { type: "acknowledge"; source: string }
  | { type: "snooze"; minutes: number; source: string };

/** A candidate change waiting to be confirmed (≥ 2 consecutive readings or 30 s). */
export interface PendingChange {
  level: "active" | "pre" | "clear";
  sinceMs: number;
  count: number;
  lastTsMs: number | null;
}

/** What the state machine keeps per alarm: the published state plus bookkeeping. */
export interface AlarmRuntime {
  alarm: AlarmState;
  /** The threshold the last sample was judged against (a changed threshold skips the hysteresis band). */
  threshold: number | null;
  /** When the last raise/repeat went out; the next repeat is due `repeatMinutes` later. */
  lastNotifyMs: number | null;
  /** The level of the last sample (ticks re-use it for repeats and snooze expiry). */
  lastLevel: AlarmLevel;
  pending: PendingChange | null;
  /**
   * The latest reading of a target alarm that holds the one it went off at (`alarm.valueC`): it
   * becomes the alarm's value when it is armed again (the clear says what the probe reads now).
   */
  latestC?: number | null;
}

export interface TransitionEvent {
  transition: AlarmTransition;
  fromPhase: AlarmState["phase"];
  toPhase: AlarmState["phase"];
  tsMs: number;
  /** The alarm right after this transition (its message is written by the service). */
  alarm: AlarmState;
  /** Who acknowledged or snoozed ("api", "homeassistant_button", "notification" …). */
  source: string | null;
}

export interface MachineResult {
  state: AlarmRuntime;
  transitions: TransitionEvent[];
}

/** What the HTTP layer and the HA bridge call. */
export interface AlarmApi {
  list(): AlarmState[];
  /** Acknowledges a firing or snoozed alarm; no-op for other phases. Throws NotFoundError for an unknown id. */
  acknowledge(alarmId: string, source: string): AlarmState;
  /** Acknowledges every firing/snoozed alarm of the probe (and of its device). */
  acknowledgeProbe(probeId: string, source: string): AlarmState[];
  /** Snoozes a firing alarm for `minutes` (1 – 1440). Throws BadRequestError / NotFoundError. */
  snooze(alarmId: string, minutes: number, source: string): AlarmState;
  snoozeProbe(probeId: string, minutes: number, source: string): AlarmState[];
  /** Effective rules: one default per kind, and one per known probe/device and kind. */
  rules(): AlarmRule[];
  /** Validates and stores a rule; throws BadRequestError with a readable message. */
  setRule(rule: AlarmRule): AlarmRule;
  deliveries(limit: number): DeliveryRecord[];
  transitions(limit: number): AlarmTransitionRecord[];
}

export const PROBE_KINDS = ["target", "pre_alarm", "high", "low", "unplugged", "stale"] as const satisfies readonly AlarmKind[];
export const DEVICE_KINDS = ["offline", "battery_low"] as const satisfies readonly AlarmKind[];
export const ALL_KINDS: readonly AlarmKind[] = [...PROBE_KINDS, ...DEVICE_KINDS];
