import { createMemoryLogger, type Reading } from "../../src/shared";
import { openStore, type SqliteStore } from "../../src/store";
import { makeTempDir } from "../support/tmp";
import { seededRandom } from "../../src/shared";

/** A store in a fresh temp dir; `done()` closes it and removes the dir. */
export const tempStore = (now = () => 1_700_000_000_000, opts: { busyTimeoutMs?: number } = {}): { store: SqliteStore; dir: string; reopen: () => SqliteStore; done: () => void } => {
  const { dir, cleanup } = makeTempDir("grill-stats-store-");
  const logger = createMemoryLogger();
  const clock = { now };
  let store = openStore({ dataDir: dir, logger, clock, ...opts });
  return {
    get store() {
      return store;
    },
    dir,
    reopen() {
      store.close();
      store = openStore({ dataDir: dir, logger, clock, ...opts });
      return store;
    },
    done() {
      store.close();
      cleanup();
    },
  };
};

/** Deterministic PRNG. */
export const rng = seededRandom;

/** A smooth cook-like series every `stepMs`, with random noise, optional null stretches. */
export const series = (probeId: string, startMs: number, count: number, stepMs: number, rand: () => number, nullEvery = 0): Reading[] =>
  Array.from({ length: count }, (_, i) => ({
    probeId,
    tsMs: startMs + i * stepMs,
    tempC: nullEvery > 0 && i % nullEvery < nullEvery / 10 ? null : Math.round((60 + 40 * Math.sin(i / 300) + rand() * 4) * 100) / 100,
  }));

/** Naive statistics over raw readings. */
export const naive = (readings: readonly Reading[]) => {
  const temps = readings.filter((r) => r.tempC !== null) as { tsMs: number; tempC: number }[];
  const sum = temps.reduce((s, r) => s + r.tempC, 0);
  return {
    count: temps.length,
    nullCount: readings.length - temps.length,
    meanC: temps.length ? sum / temps.length : null,
    minC: temps.length ? Math.min(...temps.map((r) => r.tempC)) : null,
    maxC: temps.length ? Math.max(...temps.map((r) => r.tempC)) : null,
  };
};
