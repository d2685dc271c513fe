import { normalFrom, seededRandom } from "../../shared";

/** The simulator's randomness: its world is deterministic given a seed. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

export const createRng = (seed: number): Rng => {
  const next = seededRandom(seed);
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    normal: () => normalFrom(next),
  };
};
