import type { AlarmKind } from "../shared";
import type { AlarmLevel, AlarmSample, EffectiveRule } from "./types";

/**
 * Which side of the threshold is the alarm side, and whether the threshold itself counts.
 * target: reached at ≥ target; high: above; low: below; battery: at or below the percent;
 * offline/stale: older than the minutes; unplugged: value 1 (unplugged) vs 0.
 */
const SIDES: Record<AlarmKind, { up: boolean; inclusive: boolean }> = {
  target: { up: true, inclusive: true },
  pre_alarm: { up: true, inclusive: true },
  high: { up: true, inclusive: false },
  low: { up: false, inclusive: false },
  battery_low: { up: false, inclusive: true },
  offline: { up: true, inclusive: false },
  stale: { up: true, inclusive: false },
  unplugged: { up: true, inclusive: false },
};

/** Threshold used for the unplugged alarm, whose sample is 1 (unplugged) or 0 (plugged in). */
export const UNPLUGGED_THRESHOLD = 0.5;

const isActive = (kind: AlarmKind, value: number, threshold: number): boolean => {
  const side = SIDES[kind];
  if (side.up) return side.inclusive ? value >= threshold : value > threshold;
  return side.inclusive ? value <= threshold : value < threshold;
};

/** True when the value has moved back past the hysteresis band (strictly, for the "up" kinds at 0 band). */
const isPastBand = (kind: AlarmKind, value: number, threshold: number, hysteresis: number): boolean => {
  const side = SIDES[kind];
  if (hysteresis <= 0) return !isActive(kind, value, threshold);
  return side.up ? value <= threshold - hysteresis : value >= threshold + hysteresis;
};

const MINUTE_MS = 60_000;

/** Pre-alarm window test for target alarms: the predicted done time is within `factor` × window. */
const isEtaWithin = (rule: EffectiveRule, sample: AlarmSample, nowMs: number, factor: number): boolean => {
  if (rule.preAlarmMinutes <= 0 || sample.etaDoneMs === null || sample.etaDoneMs === undefined) return false;
  return sample.etaDoneMs - nowMs <= rule.preAlarmMinutes * MINUTE_MS * factor;
};

/**
 * Where a sample sits for a rule. Pure. For target alarms the pre-alarm window and its own
 * band (twice the window, so a wobbling ETA does not flap) are layered under the temperature.
 */
export const computeLevel = (rule: EffectiveRule, sample: AlarmSample, nowMs: number): AlarmLevel => {
  if (sample.clear && !sample.hold) return "clear";
  if (sample.hold || sample.value === null || !Number.isFinite(sample.value)) return "unknown";
  const { kind, threshold, hysteresis } = rule;
  if (isActive(kind, sample.value, threshold)) return "active";
  if (kind === "target" && isEtaWithin(rule, sample, nowMs, 1)) return "pre";
  if (!isPastBand(kind, sample.value, threshold, hysteresis)) return "band";
  if (kind === "target" && isEtaWithin(rule, sample, nowMs, 2)) return "band";
  return "clear";
};
