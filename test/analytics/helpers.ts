import type { Device, Probe, ProbeSettings, Reading } from "../../src/shared";
import type { Sample } from "../../src/analytics";
import { normalFrom, seededRandom } from "../../src/shared";

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const T0 = 1_750_000_000_000;

/** Deterministic standard normal noise. */
export const gaussian = (seed: number): (() => number) => {
  const uniform = seededRandom(seed);
  return () => normalFrom(uniform);
};

/** Samples of f(hours since start) every stepMs over [fromH, toH]. */
export const series = (f: (h: number) => number, fromH: number, toH: number, stepMs = 30_000, noiseC = 0, seed = 1): Sample[] => {
  const noise = gaussian(seed);
  const out: Sample[] = [];
  for (let t = fromH * HOUR; t <= toH * HOUR + 1; t += stepMs) out.push({ tsMs: T0 + t, tempC: f(t / HOUR) + (noiseC ? noise() * noiseC : 0) });
  return out;
};

/** Newton heating: T(h) = pit − (pit − start)·e^(−k·h). */
export const newton = (pitC: number, startC: number, k: number) => (h: number): number => pitC - (pitC - startC) * Math.exp(-k * h);

/** Hours for Newton heating to go from tempC to targetC. */
export const newtonHoursTo = (pitC: number, tempC: number, targetC: number, k: number): number => Math.log((pitC - tempC) / (pitC - targetC)) / k;

export const device = (key = "dev1", transmitIntervalSec: number | null = null): Device => ({
  serial: key, key, label: "Signals", kind: "signals", model: "signals", firmware: null,
  batteryPct: 90, batteryState: null, signalDbm: null, lastSeenMs: null, transmitIntervalSec, reportDeltaC: null,
});

export const probe = (channel: string, role: Probe["role"], label = "", deviceKey = "dev1"): Probe => ({
  id: `${deviceKey}_${channel}`, deviceSerial: deviceKey, deviceKey, channel, label, type: "Pro-Series", role,
});

export const settingsMap = (entries: Record<string, number | null>): Map<string, ProbeSettings> =>
  new Map(Object.entries(entries).map(([probeId, targetC]) => [probeId, { probeId, targetC, highC: null, lowC: null }]));

export const toReadings = (probeId: string, samples: readonly Sample[]): Reading[] => samples.map((s) => ({ probeId, tsMs: s.tsMs, tempC: s.tempC }));
