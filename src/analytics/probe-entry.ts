/**
 * One probe as the engine tracks it, and how its public state and target/done events are derived.
 */
import { heardEverySec, probeNaming, type Device, type Probe, type ProbeAutoName, type ProbeHealth, type ProbeSettings, type ProbeState, type StallState } from "../shared";
import { ETA_REASONS } from "../shared/eta-reasons";
import type { ProbeEventOut } from "./events";
import { predictDone, type PredictParams, type Prediction } from "./predict";
import type { ProbeTracker } from "./probe-tracker";
import { MS_PER_MIN, typicalGapMs, type Series } from "./samples";
import type { StallDetector } from "./stall";

export interface ProbeEntry {
  probe: Probe;
  tracker: ProbeTracker;
  stall: StallDetector | null;
  prediction: Prediction | null;
  /** When the meat first reached the current target (cleared when it falls well below). */
  reachedMs: number | null;
  reachedTargetC: number | null;
  doneEmitted: boolean;
  lastStall: StallState | null;
  /** The pit probe this meat probe was last forecast with (see the engine's pitFor). */
  pitId: string | null;
  /** When the meat was wrapped (the cook's latest "wrap" note for it), or null. */
  wrappedMs: number | null;
  /**
   * When the probe last went into meat (plugged in, or into meat from the room: an "inserted"
   * that was not a dropout), or null: a wrap from before that was another meat's.
   */
  meatSinceMs: number | null;
  /**
   * The meat reached `targetC` at `reachedMs` and then came off (its probe was pulled or reads
   * the room): that done time stands, rather than "not rising", until meat goes in again.
   */
  cameOff: { reachedMs: number; targetC: number; lowC: number | null } | null;
}

/** Stale after max(3 × how often the device is heard from, 3 × poll interval, 2 min); offline after 4× that (≥ 15 min). */
export const staleAfterMs = (device: Device | undefined, pollIntervalMs: number): number =>
  Math.max(3 * (device ? (heardEverySec(device) ?? 0) : 0) * 1000, 3 * pollIntervalMs, 2 * MS_PER_MIN);
export const offlineAfterMs = (staleMs: number): number => Math.max(4 * staleMs, 15 * MS_PER_MIN);

/** Target reached and held at or above (target − 1 °C) this long → "done". */
export const DONE_HOLD_MS = 5 * MS_PER_MIN;

/** The probe label, else "<device label> probe <channel>" (English: the API's `name`), and what an unlabelled one is named after. */
export const namingOf = (probe: Probe, device: Device | undefined): { name: string; autoName: ProbeAutoName | null } =>
  probeNaming(probe.label, device?.label.trim() || probe.deviceSerial, probe.channel);

export const healthOf = (e: ProbeEntry, nowMs: number, staleMs: number): ProbeHealth => {
  const last = e.tracker.last();
  if (!last) return "unknown";
  if (last.tempC === null) return "unplugged";
  const age = nowMs - last.tsMs;
  if (age > offlineAfterMs(staleMs)) return "offline";
  if (age > staleMs) return "stale";
  if (e.tracker.glitching()) return "glitch";
  // A meat probe that suddenly reads much lower was pulled (done, wrapped, moved): the probe is
  // fine and its reading is shown while the fall is held. A sudden rise is more often a fault
  // (a probe against the grate, a bad contact) until it holds.
  if (e.tracker.holding() && !(e.probe.role === "meat" && e.tracker.heldDirection() === "fall")) return "glitch";
  return "ok";
};

const round = (x: number | null, digits = 1): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/**
 * A wrap is taken off the meat, wrapped, and the probe put back: the probe's history may start
 * over (a reinsertion) up to this long after the wrap was marked, and it is still that meat's.
 */
export const WRAP_PULL_MS = 30 * MS_PER_MIN;

/**
 * When the meat the probe is in now was wrapped, or null. The cook's latest wrap note for the
 * probe, unless the probe went into meat later than a wrap's own pull allows: then that was
 * other meat (the next brisket on the same probe is not wrapped). A probe moved within the same
 * meat, or re-seated, keeps the wrap.
 */
export const wrapOfThisMeat = (e: Pick<ProbeEntry, "wrappedMs" | "meatSinceMs">): number | null =>
  e.wrappedMs !== null && (e.meatSinceMs === null || e.wrappedMs >= e.meatSinceMs - WRAP_PULL_MS) ? e.wrappedMs : null;

/** Recomputes the prediction of a meat probe (null when it has no target). */
export const updatePrediction = (e: ProbeEntry, pit: Series, targetC: number | null, nowMs: number, params?: Partial<PredictParams>): void => {
  if (e.probe.role !== "meat" || targetC === null) {
    e.prediction = null;
    return;
  }
  e.prediction = predictDone({ nowMs, targetC, meat: e.tracker.clean(), pit, stall: e.stall?.state() ?? null, wrappedMs: wrapOfThisMeat(e), params });
};

/** Done meat that came off and then rose this much above its lowest since is new heat, not the old meat. */
const CAME_OFF_REHEAT_C = 5;

/** target_reached when the clean temperature crosses the target; done once it held for DONE_HOLD_MS. */
export const targetEvents = (e: ProbeEntry, targetC: number | null, nowMs: number): ProbeEventOut[] => {
  if (e.probe.role !== "meat" || targetC === null) return [];
  const clean = e.tracker.clean();
  if (clean.length === 0) return [];
  const last = { tsMs: clean.tsAt(clean.length - 1), tempC: clean.tempAt(clean.length - 1) };
  const out: ProbeEventOut[] = [];
  if (e.reachedTargetC !== targetC || last.tempC < targetC - 2) {
    // Fallen well below the target it had reached: off the heat and resting (a pull that the
    // probe saw as a jump came here as a "removed" event already).
    if (e.reachedTargetC === targetC && e.reachedMs !== null) e.cameOff = { reachedMs: e.reachedMs, targetC, lowC: null };
    if (e.reachedTargetC !== targetC) e.cameOff = null;
    if (e.reachedTargetC !== targetC || e.reachedMs !== null) e.doneEmitted = false;
    e.reachedMs = null;
    e.reachedTargetC = targetC;
  }
  if (e.cameOff !== null) {
    // Heating again (back on the heat, or the probe in new meat, which a probe left in the
    // resting meat may go into without a plug or a jump to tell): the old done time is over.
    e.cameOff.lowC = Math.min(e.cameOff.lowC ?? last.tempC, last.tempC);
    if (last.tempC > e.cameOff.lowC + CAME_OFF_REHEAT_C) e.cameOff = null;
  }
  if (e.reachedMs === null && last.tempC >= targetC) {
    // The first reading of this run at the target (what the done time says), not this poll's last.
    let i = clean.length - 1;
    while (i > 0 && clean.tempAt(i - 1) >= targetC) i--;
    e.reachedMs = clean.tsAt(i);
    out.push({ kind: "target_reached", probeId: e.probe.id, tsMs: last.tsMs, tempC: last.tempC, detail: { targetC } });
  }
  if (e.reachedMs !== null && !e.doneEmitted && last.tempC >= targetC - 1 && Math.max(nowMs, last.tsMs) - e.reachedMs >= DONE_HOLD_MS) {
    e.doneEmitted = true;
    out.push({ kind: "done", probeId: e.probe.id, tsMs: last.tsMs, tempC: last.tempC, detail: { targetC, reachedMs: e.reachedMs } });
  }
  return out;
};

/** Unplugged this long (or 2.5 reading gaps, if longer), a meat probe stops showing its done time. */
export const UNPLUGGED_BLIP_MS = 2 * MS_PER_MIN;

const NO_READINGS = { doneMs: null, p10Ms: null, p90Ms: null, reason: ETA_REASONS.no_readings, method: "none" } as const;
const NO_RECENT = { doneMs: null, p10Ms: null, p90Ms: null, reason: ETA_REASONS.no_recent, method: "none" } as const;

export const toProbeState = (e: ProbeEntry, device: Device | undefined, settings: ProbeSettings | undefined, nowMs: number, staleMs: number): ProbeState => {
  const last = e.tracker.last();
  const clean = e.tracker.clean();
  const lastCleanC = clean.length > 0 ? clean.tempAt(clean.length - 1) : null;
  const status = healthOf(e, nowMs, staleMs);
  const meat = e.probe.role === "meat";
  const targetC = settings?.targetC ?? null;
  const held = e.tracker.heldDirection();
  const tracked = e.tracker.minMax();
  // A held fall is shown as the probe's reading (a pull, most often): the lowest shown includes it.
  // A held rise is flagged as a glitch and not counted. The rate of the readings before either
  // says nothing about it.
  const fallC = held === "fall" && last?.tempC != null && !e.tracker.glitching() ? last.tempC : null;
  const minC = fallC === null || tracked.minC === null ? tracked.minC : Math.min(tracked.minC, fallC);
  const maxC = tracked.maxC;
  // An impossible value is never shown; a held jump is (it may well be real), a rise flagged as glitch.
  const tempC = last?.tempC === null || last === null ? null : e.tracker.glitching() ? lastCleanC : last.tempC;
  const fresh = status === "ok" || status === "glitch";
  // Unplugged for longer than a missed reading or two, stale or offline, the probe shows no done
  // time: the forecast is kept (a probe back within minutes picks it up again) but not shown as
  // if the meat were still watched. A radio blip does not blank it.
  const lastCleanMs = clean.length > 0 ? clean.tsAt(clean.length - 1) : null;
  const blip = Math.max(UNPLUGGED_BLIP_MS, 2.5 * (typicalGapMs(clean) ?? 0));
  const watched = fresh || (status === "unplugged" && lastCleanMs !== null && nowMs - lastCleanMs <= blip);
  // Done and off the heat: that done time, unless the watched probe says done (again) itself. So
  // too while the sudden fall of a pull is still being held (a sparse probe needs up to 20 min
  // to show it settled; meanwhile the forecast has no recent clean reading to go on).
  const offMs = e.cameOff !== null && e.cameOff.targetC === targetC ? e.cameOff.reachedMs
    : e.reachedMs !== null && e.reachedTargetC === targetC && e.tracker.holding() ? e.reachedMs : null;
  const doneAndOff = meat && offMs !== null && !(watched && e.prediction?.eta.method === "done") ? offMs : null;
  return {
    id: e.probe.id,
    deviceSerial: e.probe.deviceSerial,
    deviceKey: e.probe.deviceKey,
    deviceKind: device?.kind ?? "unknown",
    channel: e.probe.channel,
    ...namingOf(e.probe, device),
    role: e.probe.role,
    tempC: round(tempC, 2),
    tsMs: last?.tsMs ?? null,
    status,
    // As finely as tempC: rounded coarser, the current reading could show above the maximum.
    minC: round(minC, 2),
    maxC: round(maxC, 2),
    rateCPerHour: fresh && held === null ? round(e.tracker.rateCPerHour()) : null,
    targetC,
    highC: settings?.highC ?? null,
    lowC: settings?.lowC ?? null,
    eta: doneAndOff !== null ? { doneMs: doneAndOff, p10Ms: doneAndOff, p90Ms: doneAndOff, reason: ETA_REASONS.reached, method: "done" }
      : meat && targetC !== null ? (watched || !e.prediction ? (e.prediction?.eta ?? NO_READINGS) : NO_RECENT) : null,
    stall: meat ? (e.stall?.state() ?? null) : null,
    forecast: meat && targetC !== null && watched && doneAndOff === null ? (e.prediction?.forecast ?? []) : [],
    lidOpen: e.probe.role === "pit" && fresh && e.tracker.lidOpen(),
    wrappedMs: meat ? wrapOfThisMeat(e) : null,
  };
};
