/**
 * Replays a recorded cook through the real analytics engine, strictly causally: readings are fed
 * in time order, and each meat probe is evaluated at its own readings (at most once per 60 s of
 * data) right after a poll that holds everything up to that moment and nothing after it.
 */
import type { Device, Probe, ProbeSettings, Reading } from "../../shared";
import { createAnalyticsEngine, type AnalyticsEngine, type EngineOptions } from "../engine";
import type { CookFile } from "./csv";
import { baselineA, baselineB } from "./baselines";

/** One evaluated moment, in the JSON-lines shape `npm run backtest -- FILE.csv` prints. */
export interface EvalLine {
  probe: string;
  t_s: number;
  temp_c: number | null;
  eta_s: number | null;
  eta_p10_s: number | null;
  eta_p90_s: number | null;
  stalled: boolean;
}

export interface Moment extends EvalLine {
  method: string;
  reason: string | null;
  /** The two baselines' ETA at the same moment, seconds (null = no rise, no estimate). */
  baselineA_s: number | null;
  baselineB_s: number | null;
}

const DEVICE_KEY = "backtest";
const EVAL_EVERY_S = 60;

/** The engine's probe id for a probe name of a recorded cook. */
export const probeIdOf = (name: string): string => `${DEVICE_KEY}_${name.replace(/[^A-Za-z0-9]/g, "")}`;

export interface ReplayOptions extends EngineOptions {
  /** Seconds into the cook when the meat was wrapped (a "wrap" note on every meat probe), or null. */
  wrapAtS?: number | null;
  /** The step a meat probe that reports on change moves by before it reports (°C), or null. */
  reportDeltaC?: number | null;
}

/** Called after each evaluated moment, with the engine as it was then (diagnostics only). */
export type InspectMoment = (m: Moment, engine: AnalyticsEngine) => void;

const toProbe = (name: string, role: Probe["role"]): Probe => ({
  id: probeIdOf(name),
  deviceSerial: DEVICE_KEY,
  deviceKey: DEVICE_KEY,
  channel: name,
  label: name,
  type: "recorded",
  role,
});

export const replayCook = (file: CookFile, targetC: number | null, opts: ReplayOptions = {}, inspect?: InspectMoment): Moment[] => {
  const { wrapAtS = null, reportDeltaC = null, ...engineOpts } = opts;
  const engine = createAnalyticsEngine({ pollIntervalMs: 60_000, ...engineOpts });
  const device: Device = {
    serial: DEVICE_KEY, key: DEVICE_KEY, label: file.name, kind: "unknown", model: "recorded", firmware: null,
    batteryPct: null, batteryState: null, signalDbm: null, lastSeenMs: null, transmitIntervalSec: null, reportDeltaC,
  };
  const probes = [...file.probes].map(([name, role]) => toProbe(name, role));
  const nameOf = new Map(probes.map((p) => [p.id, p.channel]));
  const settings = new Map<string, ProbeSettings>(
    probes.map((p) => [p.id, { probeId: p.id, targetC: p.role === "meat" ? targetC : null, highC: null, lowC: null }]),
  );
  const lastEval = new Map<string, number>();
  const out: Moment[] = [];
  type Row = (typeof file.rows)[number];
  let pending: Reading[] = [];
  let first = true;
  let wrapped = false;
  let i = 0;
  while (i < file.rows.length) {
    const tS = (file.rows[i] as Row).tS;
    const batch: Row[] = [];
    while (i < file.rows.length && (file.rows[i] as Row).tS === tS) batch.push(file.rows[i++] as Row);
    for (const r of batch) pending.push({ probeId: toProbe(r.probe, r.role).id, tsMs: r.tS * 1000, tempC: r.tempC });
    // Meat probes due for an evaluation at this moment (at most one per 60 s of data each). A log
    // of about one reading a second has two of a probe in some whole seconds: the first is the one
    // the engine keeps (a reading not newer than the last is dropped), and the moment counts once.
    const dueIds = new Set<string>();
    const due = batch.filter((r) => {
      const id = toProbe(r.probe, r.role).id;
      if (r.role !== "meat" || dueIds.has(id)) return false;
      const prev = lastEval.get(id);
      if (prev !== undefined && tS - prev < EVAL_EVERY_S) return false;
      dueIds.add(id);
      return true;
    });
    if (due.length === 0) continue;
    if (wrapAtS !== null && !wrapped && tS >= wrapAtS) {
      // The note is written when the meat is wrapped, not before: causal like the readings.
      engine.setWraps(new Map(probes.filter((p) => p.role === "meat").map((p) => [p.id, wrapAtS * 1000])));
      wrapped = true;
    }
    // One poll with everything up to now, as the poller would deliver it: strictly causal.
    const { states } = engine.ingest({ devices: first ? [device] : [], probes: first ? probes : [], readings: pending, settings, nowMs: tS * 1000 });
    pending = [];
    first = false;
    for (const r of due) {
      const id = toProbe(r.probe, r.role).id;
      lastEval.set(id, tS);
      const s = states.find((x) => x.id === id);
      const eta = s?.eta ?? null;
      // Seconds from t_s until the target is reached: 0 once it has been (never negative).
      const rel = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : Math.max(0, Math.round(ms / 1000 - tS)));
      const series = engine.series(id);
      out.push({
        probe: nameOf.get(id) ?? r.probe,
        t_s: tS,
        temp_c: r.tempC,
        eta_s: rel(eta?.doneMs),
        eta_p10_s: rel(eta?.p10Ms),
        eta_p90_s: rel(eta?.p90Ms),
        stalled: s?.stall?.stalled ?? false,
        method: eta?.method ?? "none",
        reason: eta?.reason ?? null,
        baselineA_s: targetC === null ? null : baselineA(series, tS * 1000, targetC),
        baselineB_s: targetC === null ? null : baselineB(series, tS * 1000, targetC),
      });
      if (inspect) inspect(out[out.length - 1] as Moment, engine);
    }
  }
  return out;
};

export const toEvalLine = (m: Moment): EvalLine => ({
  probe: m.probe, t_s: m.t_s, temp_c: m.temp_c, eta_s: m.eta_s, eta_p10_s: m.eta_p10_s, eta_p90_s: m.eta_p90_s, stalled: m.stalled,
});
