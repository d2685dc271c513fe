/**
 * The analytics engine: pure state (no I/O, no timers). Feed it polls; it keeps one tracker per
 * probe (hygiene, lid, clean series), a stall detector and a predictor per meat probe, and
 * returns the state of every known probe plus the probe events the poll caused.
 */
import { isRfxSensor, RFX_CORE_CHANNEL, type Device, type Probe, type ProbeSettings, type ProbeState, type Reading } from "../shared";
import type { ProbeEventOut } from "./events";
import type { PredictParams } from "./predict";
import { staleAfterMs, targetEvents, toProbeState, updatePrediction, type ProbeEntry } from "./probe-entry";
import { createProbeTracker, type TrackerEvent } from "./probe-tracker";
import { EMPTY_SERIES, type Series } from "./samples";
import { createStallDetector, type StallOptions } from "./stall";

export interface EngineOptions {
  pollIntervalMs?: number;
  predictParams?: Partial<PredictParams>;
  stallOptions?: Partial<StallOptions>;
}

export interface EngineInput {
  devices: Device[];
  probes: Probe[];
  readings: Reading[];
  settings: ReadonlyMap<string, ProbeSettings>;
  nowMs: number;
}

export interface EngineOutput {
  states: ProbeState[];
  events: ProbeEventOut[];
}

export interface AnalyticsEngine {
  /** Feed one poll (devices, probes, only-new readings) + current settings; returns states of ALL known probes and events. */
  ingest(input: EngineInput): EngineOutput;
  /** Recompute (settings changed, or time passed without a poll → staleness). */
  refresh(settings: ReadonlyMap<string, ProbeSettings>, nowMs: number): EngineOutput;
  states(): ProbeState[];
  /** Restart min/max of these probes (a cook started), optionally from the readings since `sinceMs`. */
  resetMinMax(probeIds: readonly string[], sinceMs?: number): void;
  /** A probe's min/max as counted from the stored readings of its running cook. */
  setMinMax(probeId: string, minC: number | null, maxC: number | null): void;
  /**
   * When each meat probe's meat was wrapped (the active cook's "wrap" notes); every probe not in
   * the map is unwrapped. Takes effect at the next ingest or refresh.
   */
  setWraps(wrappedMs: ReadonlyMap<string, number>): void;
  /** The clean series of a probe (for diagnostics and the backtest). */
  series(probeId: string): Series;
}

const PROBE_EVENT_OF: Partial<Record<TrackerEvent["kind"], ProbeEventOut["kind"]>> = {
  inserted: "inserted",
  removed: "removed",
  reinserted: "reinserted",
  lid_open: "lid_open",
  lid_closed: "lid_closed",
};

/** Probes in id order, an RFX Meat probe's core before its sensors. */
const sortKey = (s: ProbeState): string => (s.channel === RFX_CORE_CHANNEL ? `${s.deviceKey}_` : s.id);

/** A meat probe's pit is replaced only by one whose last reading is this much fresher. */
const PIT_SWITCH_MS = 10 * 60_000;

export function createAnalyticsEngine(opts: EngineOptions = {}): AnalyticsEngine {
  const pollIntervalMs = opts.pollIntervalMs ?? 60_000;
  const devices = new Map<string, Device>();
  const entries = new Map<string, ProbeEntry>();
  let wraps: ReadonlyMap<string, number> = new Map();
  let current: ProbeState[] = [];

  const newEntry = (probe: Probe): ProbeEntry => ({
    probe,
    tracker: createProbeTracker({ role: probe.role }),
    // An RFX Meat probe's stall is its core's: the sensors nearer the handle would each call one.
    stall: probe.role === "meat" && !isRfxSensor(devices.get(probe.deviceKey)?.kind, probe.channel) ? createStallDetector(opts.stallOptions) : null,
    prediction: null,
    reachedMs: null,
    reachedTargetC: null,
    doneEmitted: false,
    lastStall: null,
    pitId: null,
    wrappedMs: wraps.get(probe.id) ?? null,
    meatSinceMs: null,
    cameOff: null,
  });

  const upsertProbe = (probe: Probe): void => {
    const e = entries.get(probe.id);
    if (!e || e.probe.role !== probe.role) entries.set(probe.id, newEntry(probe));
    else e.probe = probe;
  };

  /**
   * The pit this meat probe cooks in: a pit channel on the same device first, the freshest one.
   * It keeps the pit it had while that one still reports (within PIT_SWITCH_MS of the best), so
   * two pit probes that read a few degrees apart (grate and dome) do not take turns, each turn
   * moving the forecast.
   */
  const pitFor = (meat: ProbeEntry): Series => {
    let best: ProbeEntry | null = null;
    let bestScore = Number.NEGATIVE_INFINITY;
    let kept: ProbeEntry | null = null;
    let keptScore = Number.NEGATIVE_INFINITY;
    for (const e of entries.values()) {
      if (e.probe.role !== "pit") continue;
      const clean = e.tracker.clean();
      if (clean.length === 0) continue;
      const score = clean.tsAt(clean.length - 1) + (e.probe.deviceKey === meat.probe.deviceKey ? 3_600_000 : 0);
      if (e.probe.id === meat.pitId) [kept, keptScore] = [e, score];
      if (score > bestScore) [best, bestScore] = [e, score];
    }
    const chosen = kept !== null && keptScore >= bestScore - PIT_SWITCH_MS ? kept : best;
    meat.pitId = chosen?.probe.id ?? null;
    return chosen?.tracker.clean() ?? EMPTY_SERIES;
  };

  const feed = (e: ProbeEntry, r: Reading, events: ProbeEventOut[]): void => {
    const history = e.tracker.clean();
    const resolutionC = devices.get(e.probe.deviceKey)?.reportDeltaC ?? null;
    for (const ev of e.tracker.push(r.tsMs, r.tempC)) {
      const kind = PROBE_EVENT_OF[ev.kind];
      if (kind) events.push({ kind, probeId: e.probe.id, tsMs: ev.tsMs, tempC: ev.tempC, ...(ev.detail ? { detail: ev.detail } : {}) });
      // Done meat taken off keeps its done time; new meat (or the same probe back) starts over.
      if (ev.kind === "removed" && e.reachedMs !== null && e.reachedTargetC !== null) e.cameOff = { reachedMs: e.reachedMs, targetC: e.reachedTargetC, lowC: null };
      else if (ev.kind === "inserted" || ev.kind === "reinserted") e.cameOff = null;
      if (ev.kind === "inserted" && ev.detail?.resumed !== true) e.meatSinceMs = ev.tsMs;
    }
    const clean = e.tracker.clean();
    if (clean !== history) {
      // The tracker started a new history (plugged in anew, reinserted, moved; a pit cut at a lid
      // opening): the stall detector and the prediction start over from what it kept.
      e.stall?.reset();
      e.prediction = null;
      e.lastStall = null;
      for (let i = 0; i < clean.length; i++) e.stall?.update(clean.tsAt(i), clean.tempAt(i), resolutionC);
    }
    if (!e.stall || clean.length === 0) return;
    const tsMs = clean.tsAt(clean.length - 1);
    const tempC = clean.tempAt(clean.length - 1);
    if (tsMs !== r.tsMs) return;
    const before = e.stall.state();
    const after = e.stall.update(tsMs, tempC, resolutionC);
    if (after.stalled && !before.stalled) {
      events.push({ kind: "stalled", probeId: e.probe.id, tsMs, tempC, detail: { sinceMs: after.sinceMs } });
    } else if (!after.stalled && before.stalled) {
      events.push({ kind: "stall_ended", probeId: e.probe.id, tsMs, tempC, detail: { sinceMs: after.sinceMs, endedMs: after.endedMs, durationMs: after.durationMs } });
    }
  };

  const compute = (settings: ReadonlyMap<string, ProbeSettings>, nowMs: number, events: ProbeEventOut[]): EngineOutput => {
    const states: ProbeState[] = [];
    for (const e of entries.values()) {
      const s = settings.get(e.probe.id);
      const targetC = e.probe.role === "meat" ? (s?.targetC ?? null) : null;
      if (e.probe.role === "meat") {
        updatePrediction(e, pitFor(e), targetC, nowMs, opts.predictParams);
        events.push(...targetEvents(e, targetC, nowMs));
      }
      const device = devices.get(e.probe.deviceKey);
      states.push(toProbeState(e, device, s, nowMs, staleAfterMs(device, pollIntervalMs)));
    }
    states.sort((a, b) => {
      const [ka, kb] = [sortKey(a), sortKey(b)];
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    current = states;
    return { states, events };
  };

  return {
    ingest(input) {
      for (const d of input.devices) devices.set(d.key, d);
      for (const p of input.probes) upsertProbe(p);
      const events: ProbeEventOut[] = [];
      const sorted = [...input.readings].sort((a, b) => a.tsMs - b.tsMs || (a.probeId < b.probeId ? -1 : 1));
      for (const r of sorted) {
        const e = entries.get(r.probeId);
        if (e) feed(e, r, events);
      }
      return compute(input.settings, input.nowMs, events);
    },
    refresh(settings, nowMs) {
      return compute(settings, nowMs, []);
    },
    states: () => current,
    resetMinMax(probeIds, sinceMs) {
      for (const id of probeIds) entries.get(id)?.tracker.resetMinMax(sinceMs);
    },
    setMinMax(probeId, minC, maxC) {
      entries.get(probeId)?.tracker.setMinMax(minC, maxC);
    },
    setWraps(wrappedMs) {
      wraps = new Map(wrappedMs);
      for (const e of entries.values()) e.wrappedMs = wraps.get(e.probe.id) ?? null;
    },
    series: (probeId) => entries.get(probeId)?.tracker.clean() ?? EMPTY_SERIES,
  };
}
