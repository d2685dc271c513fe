import { isRfxSensor, silentAfterMinutes, type AlarmKind, type AlarmRule, type Device, type ProbeState } from "../shared";
import type { AlarmFacts } from "./messages";
import { toEffectiveRule } from "./rules";
import type { AlarmSample, EffectiveRule } from "./types";

const MINUTE_MS = 60_000;

/** One alarm to evaluate now: its rule (null = not wanted any more) and the latest sample. */
export interface AlarmSubject {
  id: string;
  kind: AlarmKind;
  probeId: string | null;
  deviceKey: string | null;
  rule: EffectiveRule | null;
  sample: AlarmSample;
  facts: AlarmFacts;
  /**
   * May the alarm be created now? low: once the pit has been inside its range (not during the
   * first warm-up); unplugged/stale: once the probe has had a reading; offline: once the device
   * was online with a probe in use. An existing alarm ignores this.
   */
  armable: boolean;
}

export type RuleResolver = (kind: AlarmKind, scope: { probeId: string | null; deviceKey: string | null }) => AlarmRule;

export const alarmIdOf = (owner: string, kind: AlarmKind): string => `${owner}:${kind}`;

const noFacts: AlarmFacts = { probeName: null, deviceName: null, value: null, threshold: null, readingTsMs: null, etaDoneMs: null, lastSeenMs: null, limitMinutes: null };

const ageMinutes = (tsMs: number | null, nowMs: number): number | null => (tsMs === null ? null : Math.max(0, nowMs - tsMs) / MINUTE_MS);

const isOffline = (device: Device | undefined, resolve: RuleResolver, nowMs: number): boolean => {
  if (!device) return false;
  const rule = toEffectiveRule(resolve("offline", { probeId: null, deviceKey: device.key }), null);
  const age = ageMinutes(device.lastSeenMs, nowMs);
  return age !== null && age > silentAfterMinutes(rule?.threshold ?? 10, device);
};

/** A meat probe of its own (an RFX Meat probe's sensors stand in through its core). */
const isMeatProbe = (p: ProbeState): boolean => p.role === "meat" && !isRfxSensor(p.deviceKind, p.channel);
/**
 * Meat that may still be cooking: a plugged meat probe below its target, or (without one) in hot
 * meat. A stale or offline one counts (out of range is not done).
 */
const COOKING_MIN_C = 35;
const isCooking = (p: ProbeState): boolean =>
  isMeatProbe(p) && p.tempC !== null && p.status !== "unplugged" && (p.targetC !== null ? p.eta?.method !== "done" : p.tempC >= COOKING_MIN_C);
/** Meat that got to its target (and may since have come off: it keeps its done time). */
const isDone = (p: ProbeState): boolean => isMeatProbe(p) && p.eta?.method === "done";
/** … in this cook. */
const isDoneSince = (p: ProbeState, cookStartMs: number): boolean => isDone(p) && (p.eta?.doneMs ?? Number.NEGATIVE_INFINITY) >= cookStartMs;

const probeSubjects = (p: ProbeState, device: Device | undefined, resolve: RuleResolver, nowMs: number, nothingCooking: boolean, lidHold: boolean): AlarmSubject[] => {
  const scope = { probeId: p.id, deviceKey: null };
  const base = { probeId: p.id, deviceKey: null };
  const plugged = p.tempC !== null && p.status !== "unplugged";
  const facts = { ...noFacts, probeName: p.name, probeAutoName: p.autoName, deviceName: device?.label || null, value: p.tempC, readingTsMs: p.tsMs };
  const eta = p.eta && p.eta.method !== "done" ? p.eta.doneMs : null;
  // A reading the tracker holds as a glitch (a spike, a probe handled) moves no temperature alarm:
  // 100 °C for one sample on a cold probe is no target reached, nor a pit too hot.
  const glitch = p.status === "glitch";
  const out: AlarmSubject[] = [];
  const target = toEffectiveRule(resolve("target", scope), resolve("pre_alarm", scope));
  out.push({ ...base, id: alarmIdOf(p.id, "target"), kind: "target", rule: target, armable: true,
    sample: { type: "sample", value: p.tempC, tsMs: p.tsMs, etaDoneMs: eta, hold: glitch },
    facts: { ...facts, threshold: target?.threshold ?? null, etaDoneMs: eta } });
  const high = toEffectiveRule(resolve("high", scope), null);
  out.push({ ...base, id: alarmIdOf(p.id, "high"), kind: "high", rule: high, armable: true,
    sample: { type: "sample", value: p.tempC, tsMs: p.tsMs, hold: glitch }, facts: { ...facts, threshold: high?.threshold ?? null } });
  // A pit is let go out once the food is done: its low alarm sleeps while no meat is cooking.
  const low = p.role === "pit" && nothingCooking ? null : toEffectiveRule(resolve("low", scope), null);
  const inRange = low !== null && p.tempC !== null && p.tempC >= low.threshold + low.hysteresis && (high === null || p.tempC <= high.threshold);
  out.push({ ...base, id: alarmIdOf(p.id, "low"), kind: "low", rule: low, armable: inRange,
    sample: { type: "sample", value: p.tempC, tsMs: p.tsMs, hold: lidHold || glitch }, facts: { ...facts, threshold: low?.threshold ?? null } });
  // An RFX Meat probe's sensors are watched through its core: pulled out, it rings once, not five times.
  if ((p.role === "meat" || p.role === "pit") && !isRfxSensor(p.deviceKind, p.channel)) {
    const unplugged = p.status === "unplugged" ? 1 : plugged ? 0 : null;
    // Meat that got to its target is taken off: pulling its probe is no emergency (also mid-cook,
    // while other meat cooks on and the cook does not end).
    out.push({ ...base, id: alarmIdOf(p.id, "unplugged"), kind: "unplugged", rule: isDone(p) ? null : toEffectiveRule(resolve("unplugged", scope), null),
      armable: plugged, sample: { type: "sample", value: unplugged, tsMs: p.tsMs }, facts });
    const staleRule = toEffectiveRule(resolve("stale", scope), null);
    const stale = staleRule ? { ...staleRule, threshold: silentAfterMinutes(staleRule.threshold, device) } : null;
    out.push({ ...base, id: alarmIdOf(p.id, "stale"), kind: "stale", rule: stale, armable: plugged,
      // An unplugged probe or an offline device has its own alarm: hold instead of doubling up.
      sample: { type: "sample", value: plugged ? ageMinutes(p.tsMs, nowMs) : null, hold: isOffline(device, resolve, nowMs) },
      facts: { ...facts, limitMinutes: stale?.threshold ?? null } });
  }
  return out;
};

const deviceSubjects = (d: Device, inUse: boolean, resolve: RuleResolver, nowMs: number): AlarmSubject[] => {
  const scope = { probeId: null, deviceKey: d.key };
  const base = { probeId: null, deviceKey: d.key };
  const facts = { ...noFacts, deviceName: d.label || d.model || d.serial, lastSeenMs: d.lastSeenMs };
  const offlineRule = toEffectiveRule(resolve("offline", scope), null);
  const offline = offlineRule ? { ...offlineRule, threshold: silentAfterMinutes(offlineRule.threshold, d) } : null;
  const age = ageMinutes(d.lastSeenMs, nowMs);
  const battery = toEffectiveRule(resolve("battery_low", scope), null);
  return [
    { ...base, id: alarmIdOf(d.key, "offline"), kind: "offline", rule: offline, sample: { type: "sample", value: age },
      armable: inUse && offline !== null && age !== null && age <= offline.threshold, facts: { ...facts, limitMinutes: offline?.threshold ?? null } },
    { ...base, id: alarmIdOf(d.key, "battery_low"), kind: "battery_low", rule: battery, armable: d.batteryPct !== null,
      sample: { type: "sample", value: d.batteryPct, clear: d.batteryState === "charging" },
      facts: { ...facts, value: d.batteryPct, threshold: battery?.threshold ?? null } },
  ];
};

/**
 * Every alarm the current probes and devices call for, with its rule and latest sample. Pure.
 * RFX meat probes get no offline alarm when their gateway is listed (the gateway's covers them).
 * A pit's low alarm is not called for once the food is done: a meat probe got to its target in
 * the running cook (started at `cookStartMs`), or the last cook ended a short while ago (`cookEnded`: its fire may still be dying), and no
 * meat may still be cooking. The fire dying after the cook is no alarm. A pit watched alone during
 * a cook (the other channels empty, an earlier cook's done probes left in), meat without a target,
 * or no cook at all yet keeps it.
 */
export const collectSubjects = (input: {
  probes: ProbeState[];
  devices: Device[];
  resolve: RuleResolver;
  nowMs: number;
  cookStartMs?: number | null;
  cookEnded?: boolean;
  /** Whether a pit's open lid still holds its low alarm (default: while it is open). */
  lidHolds?: (p: ProbeState) => boolean;
}): AlarmSubject[] => {
  const { probes, devices, resolve, nowMs } = input;
  const cookStartMs = input.cookStartMs ?? null;
  const byKey = new Map(devices.map((d) => [d.key, d]));
  const hasGateway = devices.some((d) => d.kind === "rfx_gateway");
  const fireMayDie = cookStartMs !== null ? probes.some((p) => isDoneSince(p, cookStartMs)) : input.cookEnded === true;
  const nothingCooking = fireMayDie && !probes.some(isCooking);
  const lidHolds = input.lidHolds ?? ((p: ProbeState) => p.lidOpen);
  const out = probes.flatMap((p) => probeSubjects(p, byKey.get(p.deviceKey), resolve, nowMs, nothingCooking, lidHolds(p)));
  for (const d of devices) {
    if (d.kind === "rfx_meat" && hasGateway) continue;
    // A gateway's probes are the RFX meat devices behind it.
    const feeds = (key: string): boolean => key === d.key || (d.kind === "rfx_gateway" && byKey.get(key)?.kind === "rfx_meat");
    const inUse = probes.some((p) => feeds(p.deviceKey) && p.tempC !== null);
    out.push(...deviceSubjects(d, inUse, resolve, nowMs));
  }
  return out;
};
