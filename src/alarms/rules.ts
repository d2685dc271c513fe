import { z } from "zod";
import { BadRequestError, type AlarmKind, type AlarmRule, type ProbeSettings } from "../shared";
import { isCriticalKind } from "./machine";
import { UNPLUGGED_THRESHOLD } from "./levels";
import { ALL_KINDS, DEVICE_KINDS, type EffectiveRule } from "./types";

/** The add-on options that set rule defaults. */
export interface AlarmDefaults {
  repeatMinutes: number;
  preAlarmMinutes: number;
  batteryLowPct: number;
}

type Params = Record<string, number | string | boolean | null>;

const repeatMinutes = z.number().int("must be whole minutes").min(1, "must be at least 1 minute").max(240, "must be at most 240 minutes");
const hysteresisC = z.number().min(0, "must be 0 °C or more").max(20, "must be at most 20 °C");
const minutes = z.number().int("must be whole minutes").min(1, "must be at least 1 minute").max(1440, "must be at most 1440 minutes (a day)");

/** Editable parameters per kind (all optional: a missing or null one falls back to the default). */
const PARAM_SCHEMAS: Record<AlarmKind, z.ZodObject> = {
  target: z.object({ repeatMinutes, hysteresisC }).partial().strict(),
  high: z.object({ repeatMinutes, hysteresisC }).partial().strict(),
  low: z.object({ repeatMinutes, hysteresisC }).partial().strict(),
  pre_alarm: z.object({ minutes: z.number().int("must be whole minutes").min(1, "must be at least 1 minute").max(240, "must be at most 240 minutes") }).partial().strict(),
  unplugged: z.object({ repeatMinutes }).partial().strict(),
  stale: z.object({ minutes, repeatMinutes }).partial().strict(),
  offline: z.object({ minutes, repeatMinutes }).partial().strict(),
  battery_low: z
    .object({
      percent: z.number().int("must be a whole percent").min(1, "must be at least 1 %").max(99, "must be at most 99 %"),
      hysteresisPct: z.number().min(0, "must be 0 % or more").max(50, "must be at most 50 %"),
      repeatMinutes,
    })
    .partial()
    .strict(),
};

/** Temperatures of these kinds are probe settings (mirrored to Home Assistant helpers), not rule params. */
const SETTING_FIELD: Partial<Record<AlarmKind, keyof Omit<ProbeSettings, "probeId">>> = { target: "targetC", high: "highC", low: "lowC" };

export const isDeviceKind = (kind: AlarmKind): boolean => (DEVICE_KINDS as readonly string[]).includes(kind);

/** Built-in defaults: sensible for a first cook, every alarm on. */
export const defaultParams = (kind: AlarmKind, d: AlarmDefaults): Params => {
  switch (kind) {
    case "target":
    case "high":
    case "low":
      return { repeatMinutes: d.repeatMinutes, hysteresisC: 2 };
    case "pre_alarm":
      return { minutes: d.preAlarmMinutes };
    case "unplugged":
      return { repeatMinutes: d.repeatMinutes };
    case "offline":
      return { minutes: 10, repeatMinutes: d.repeatMinutes };
    // Non-critical alarms repeat less often: they should be seen, not nag.
    case "stale":
      return { minutes: 10, repeatMinutes: Math.max(30, d.repeatMinutes) };
    case "battery_low":
      return { percent: d.batteryLowPct, hysteresisPct: 5, repeatMinutes: Math.max(60, d.repeatMinutes) };
  }
};

const sameScope = (a: AlarmRule, probeId: string | null, deviceKey: string | null, kind: string): boolean =>
  a.kind === kind && a.probeId === probeId && a.deviceKey === deviceKey;

const withoutNulls = (p: Params): Params => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null));

/** The merged rule for one scope: defaults ← stored default (no probe/device) ← stored rule of the scope. */
export const resolveRule = (
  kind: AlarmKind,
  scope: { probeId: string | null; deviceKey: string | null },
  stored: AlarmRule[],
  defaults: AlarmDefaults,
  settings: ProbeSettings | null,
): AlarmRule => {
  const general = stored.find((r) => sameScope(r, null, null, kind));
  const own = scope.probeId || scope.deviceKey ? stored.find((r) => sameScope(r, scope.probeId, scope.deviceKey, kind)) : undefined;
  const params: Params = { ...defaultParams(kind, defaults), ...withoutNulls(general?.params ?? {}), ...withoutNulls(own?.params ?? {}) };
  const field = SETTING_FIELD[kind];
  if (field) params.thresholdC = settings ? settings[field] : null;
  return { probeId: scope.probeId, deviceKey: scope.deviceKey, kind, enabled: (own ?? general)?.enabled ?? true, params };
};

const num = (p: Params, key: string, fallback: number): number => {
  const v = p[key];
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
};

/**
 * The rule the state machine runs, or null when the alarm has nothing to watch (disabled, or
 * no target/high/low set). `preAlarm` is the probe's resolved pre_alarm rule (target only).
 */
export const toEffectiveRule = (rule: AlarmRule, preAlarm: AlarmRule | null): EffectiveRule | null => {
  const kind = rule.kind as AlarmKind;
  if (!rule.enabled || kind === "pre_alarm") return null;
  const p = rule.params;
  const base = { kind, enabled: true, repeatMinutes: num(p, "repeatMinutes", 5), preAlarmMinutes: 0, critical: isCriticalKind(kind) };
  switch (kind) {
    case "target":
    case "high":
    case "low": {
      const threshold = p.thresholdC;
      if (typeof threshold !== "number") return null;
      const preAlarmMinutes = kind === "target" && preAlarm?.enabled ? num(preAlarm.params, "minutes", 0) : 0;
      return { ...base, threshold, hysteresis: num(p, "hysteresisC", 2), preAlarmMinutes };
    }
    case "unplugged":
      return { ...base, threshold: UNPLUGGED_THRESHOLD, hysteresis: 0 };
    case "stale":
    case "offline":
      return { ...base, threshold: num(p, "minutes", 10), hysteresis: 0 };
    case "battery_low":
      return { ...base, threshold: num(p, "percent", 15), hysteresis: num(p, "hysteresisPct", 5) };
  }
};

const PROBE_ID = /^[a-z0-9]+_[A-Za-z0-9]+$/;
const DEVICE_KEY = /^[a-z0-9]+$/;

const issuesText = (error: z.ZodError, prefix: string): string =>
  error.issues.map((i) => `${[prefix, ...i.path.map(String)].join(".")}: ${i.message}`).join("; ");

/**
 * Checks a rule from the API and merges it onto the stored one of the same scope (a param set to
 * null goes back to its default). Throws BadRequestError with every problem spelled out.
 */
export const validateRule = (rule: AlarmRule, stored: AlarmRule[]): AlarmRule => {
  if (!(ALL_KINDS as readonly string[]).includes(rule.kind)) {
    throw new BadRequestError(`kind: unknown alarm kind "${rule.kind}" (one of ${ALL_KINDS.join(", ")})`);
  }
  const kind = rule.kind as AlarmKind;
  if (isDeviceKind(kind) && rule.probeId !== null) {
    throw new BadRequestError(`probeId: the ${kind} alarm belongs to a device; give deviceKey (or neither, for the default)`);
  }
  if (!isDeviceKind(kind) && rule.deviceKey !== null) {
    throw new BadRequestError(`deviceKey: the ${kind} alarm belongs to a probe; give probeId (or neither, for the default)`);
  }
  if (rule.probeId !== null && !PROBE_ID.test(rule.probeId)) throw new BadRequestError(`probeId: "${rule.probeId}" is not a probe id such as 10061c6f4770_1`);
  if (rule.deviceKey !== null && !DEVICE_KEY.test(rule.deviceKey)) throw new BadRequestError(`deviceKey: "${rule.deviceKey}" is not a device key such as 10061c6f4770`);
  if (typeof rule.enabled !== "boolean") throw new BadRequestError("enabled: must be true or false");
  if ("thresholdC" in rule.params && SETTING_FIELD[kind]) {
    throw new BadRequestError(`params.thresholdC: the ${kind} temperature is a probe setting; change it in the probe's settings (or its Home Assistant helper)`);
  }
  const given = Object.fromEntries(Object.entries(rule.params).filter(([, v]) => v !== null));
  const parsed = PARAM_SCHEMAS[kind].safeParse(given);
  if (!parsed.success) throw new BadRequestError(issuesText(parsed.error, "params"));
  const previous = stored.find((r) => sameScope(r, rule.probeId, rule.deviceKey, kind));
  const params: Params = { ...(previous?.params ?? {}), ...(parsed.data as Params) };
  for (const [k, v] of Object.entries(rule.params)) if (v === null) delete params[k];
  return { probeId: rule.probeId, deviceKey: rule.deviceKey, kind, enabled: rule.enabled, params };
};

/** Stored rules that no longer validate (hand-edited, older versions) are skipped, not fatal. */
export const isUsableStoredRule = (rule: AlarmRule): boolean => {
  try {
    validateRule(rule, []);
    return true;
  } catch (err) {
    if (err instanceof BadRequestError) return false;
    throw err;
  }
};
