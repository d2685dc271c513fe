/**
 * Synthetic cook history for the benchmarks: one device with N probes reporting every `stepMs`
 * (a pit that wobbles around 110 °C, meats that rise through a cook each day, an unplugged
 * stretch per day so gaps exist), rounded to 0.1 °C like the cloud's values. Deterministic.
 */
import type { Device, Probe, Reading } from "../../src/shared";
import { seededRandom } from "./stats";

export const BENCH_SERIAL = "BE:NC:H0:00:00:01";
export const BENCH_DEVICE_KEY = "bench0000001";
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export const benchDevice = (): Device => ({
  serial: BENCH_SERIAL,
  key: BENCH_DEVICE_KEY,
  label: "Bench Smoker",
  kind: "signals",
  model: "signals",
  firmware: "1.0",
  batteryPct: 90,
  batteryState: null,
  signalDbm: -60,
  lastSeenMs: null,
  transmitIntervalSec: 5, reportDeltaC: null,
});

export const benchProbes = (count: number): Probe[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `${BENCH_DEVICE_KEY}_${i + 1}`,
    deviceSerial: BENCH_SERIAL,
    deviceKey: BENCH_DEVICE_KEY,
    channel: String(i + 1),
    label: i === 0 ? "Pit" : `Meat ${i}`,
    type: "Pro-Series",
    role: i === 0 ? "pit" : "meat",
  }));

/** The temperature of probe `i` at `tsMs` (null while unplugged). */
export const syntheticTempC = (i: number, tsMs: number, noise: number): number | null => {
  const dayMs = (((tsMs + i * HOUR_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  const h = dayMs / HOUR_MS;
  let c: number;
  if (i === 0) c = 110 + 5 * Math.sin(tsMs / 1_800_000) + 2 * noise;
  else if (h < 14) c = 5 + 90 * (1 - Math.exp(-h / (3.5 + i * 0.3))) + 0.4 * noise;
  else if (h < 15.5) return null;
  else c = 21 + 0.3 * noise;
  return Math.round(c * 10) / 10;
};

export interface SeriesSpec {
  probes: Probe[];
  fromMs: number;
  toMs: number;
  stepMs: number;
  seed?: number;
}

/** Readings poll by poll (one per probe per step), `pollsPerBatch` polls per yielded batch. */
export function* readingBatches(spec: SeriesSpec, pollsPerBatch: number): Generator<Reading[]> {
  const random = seededRandom(spec.seed ?? 7);
  let batch: Reading[] = [];
  let polls = 0;
  for (let ts = spec.fromMs; ts <= spec.toMs; ts += spec.stepMs) {
    spec.probes.forEach((p, i) => {
      // A few ms of jitter between channels, as a device stamps them.
      batch.push({ probeId: p.id, tsMs: ts + i, tempC: syntheticTempC(i, ts, random() - 0.5) });
    });
    if (++polls === pollsPerBatch) {
      yield batch;
      batch = [];
      polls = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/** Number of readings `readingBatches(spec, …)` produces. */
export const readingCount = (spec: SeriesSpec): number =>
  (Math.floor((spec.toMs - spec.fromMs) / spec.stepMs) + 1) * spec.probes.length;
