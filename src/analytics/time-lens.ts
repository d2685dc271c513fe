/**
 * A time lens around the analytics engine, for worlds that run faster than the wall clock (the
 * demo's simulator cooks a 12 h brisket in 12 minutes while its readings carry wall-clock
 * times). The engine's physics and its time constants (fit windows, stall dwell, staleness) are
 * in real cook time, so the lens stretches every time going in by `scale` around `originMs` and
 * shrinks every time coming out, so ETAs, stall spans and forecasts land on the wall clock the
 * chart and Home Assistant use. Rates stay in cook time (°C per simulated hour), which is what a
 * pitmaster reads them as. With scale 1 it is the identity.
 */
import type { Device, ProbeState, Reading } from "../shared";
import type { AnalyticsEngine, EngineOutput } from "./engine";
import type { ProbeEventOut } from "./events";
import { SampleBuffer } from "./samples";

export interface TimeLens {
  toModel(tsMs: number): number;
  toReal(tsMs: number): number;
}

export const createTimeLens = (scale: number, originMs: number): TimeLens => ({
  toModel: (t) => originMs + (t - originMs) * scale,
  // Whole milliseconds, as every other epoch time the add-on sends.
  toReal: (t) => Math.round(originMs + (t - originMs) / scale),
});

const mapNullable = (t: number | null, f: (t: number) => number): number | null => (t === null ? null : f(t));

const stateToReal = (s: ProbeState, lens: TimeLens, scale: number): ProbeState => ({
  ...s,
  tsMs: mapNullable(s.tsMs, lens.toReal),
  eta: s.eta && {
    ...s.eta,
    doneMs: mapNullable(s.eta.doneMs, lens.toReal),
    p10Ms: mapNullable(s.eta.p10Ms, lens.toReal),
    p90Ms: mapNullable(s.eta.p90Ms, lens.toReal),
  },
  stall: s.stall && {
    ...s.stall,
    sinceMs: mapNullable(s.stall.sinceMs, lens.toReal),
    endedMs: mapNullable(s.stall.endedMs, lens.toReal),
    durationMs: Math.round(s.stall.durationMs / scale),
  },
  forecast: s.forecast.map((f) => ({ ...f, tsMs: lens.toReal(f.tsMs) })),
  wrappedMs: mapNullable(s.wrappedMs, lens.toReal),
});

/** An event's own times (a stall's start and end, a done time) and spans come out of the lens too. */
const detailToReal = (d: Record<string, unknown>, lens: TimeLens, scale: number): Record<string, unknown> => {
  const out = { ...d };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v !== "number" || !k.endsWith("Ms")) continue;
    out[k] = k.endsWith("durationMs") ? Math.round(v / scale) : lens.toReal(v);
  }
  return out;
};

const eventToReal = (e: ProbeEventOut, lens: TimeLens, scale: number): ProbeEventOut => ({
  ...e,
  tsMs: lens.toReal(e.tsMs),
  ...(e.detail ? { detail: detailToReal(e.detail, lens, scale) } : {}),
});

/** The engine seen through the lens: same interface, wall-clock times in and out. */
export const withTimeLens = (inner: AnalyticsEngine, scale: number, originMs: number): AnalyticsEngine => {
  if (scale === 1) return inner;
  if (!(scale > 0)) throw new Error(`time scale must be > 0, got ${scale}`);
  const lens = createTimeLens(scale, originMs);
  const deviceToModel = (d: Device): Device => ({
    ...d,
    lastSeenMs: mapNullable(d.lastSeenMs, lens.toModel),
    transmitIntervalSec: d.transmitIntervalSec === null ? null : d.transmitIntervalSec * scale,
  });
  const readingToModel = (r: Reading): Reading => ({ ...r, tsMs: lens.toModel(r.tsMs) });
  let current: ProbeState[] = [];
  const out = (o: EngineOutput): EngineOutput => {
    current = o.states.map((s) => stateToReal(s, lens, scale));
    return { states: current, events: o.events.map((e) => eventToReal(e, lens, scale)) };
  };
  return {
    ingest: (input) =>
      out(inner.ingest({
        ...input,
        devices: input.devices.map(deviceToModel),
        readings: input.readings.map(readingToModel),
        nowMs: lens.toModel(input.nowMs),
      })),
    refresh: (settings, nowMs) => out(inner.refresh(settings, lens.toModel(nowMs))),
    states: () => current,
    resetMinMax: (probeIds, sinceMs) => inner.resetMinMax(probeIds, sinceMs === undefined ? undefined : lens.toModel(sinceMs)),
    setMinMax: (probeId, minC, maxC) => inner.setMinMax(probeId, minC, maxC),
    setWraps: (wrappedMs) => inner.setWraps(new Map([...wrappedMs].map(([id, t]) => [id, lens.toModel(t)]))),
    series: (probeId) => {
      const s = inner.series(probeId);
      const out = new SampleBuffer(Math.max(1, s.length));
      for (let i = 0; i < s.length; i++) out.push(lens.toReal(s.tsAt(i)), s.tempAt(i));
      return out;
    },
  };
};
