/** Small statistics and timing helpers for the benchmarks (no I/O). */

/** Nearest-rank percentile (p in 0–100) of the values; NaN when there are none. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
};

export const median = (values: readonly number[]): number => percentile(values, 50);

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;

/** Milliseconds elapsed while `fn` ran (high resolution). */
export const timeMs = <T>(fn: () => T): { ms: number; value: T } => {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
};

export const timeMsAsync = async <T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
};

/** A deterministic pseudo-random source, so every run asks the same questions. */
export { seededRandom } from "../../src/shared/random";

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rounds to a few significant digits for display (keeps integers whole). */
export const round = (v: number, digits = 3): number => {
  if (!Number.isFinite(v) || v === 0) return v;
  if (Math.abs(v) >= 10 ** digits) return Math.round(v);
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(v))));
  return Math.round(v * scale) / scale;
};
