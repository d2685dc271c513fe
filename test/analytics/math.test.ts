import { describe, expect, it } from "vitest";
import { madSigma, median, quantile } from "../../src/analytics/math";
import { seededRandom } from "../../src/shared";

/** The definitions, by a plain sort: what the fast versions must equal to the last bit. */
const quantileBySort = (values: readonly number[], q: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const a = sorted[Math.floor(pos)] as number;
  const b = sorted[Math.ceil(pos)] as number;
  return a + (b - a) * (pos - Math.floor(pos));
};
const madBySort = (values: readonly number[]): number => {
  const m = quantileBySort(values, 0.5);
  return 1.4826 * quantileBySort(values.map((v) => Math.abs(v - m)), 0.5);
};

describe("robust statistics", () => {
  it("median, quantile and madSigma equal the sort-based definitions on random lists (ties, odd and even lengths)", () => {
    const random = seededRandom(5);
    for (let round = 0; round < 3000; round++) {
      const n = 1 + Math.floor(random() * (round % 3 === 0 ? 8 : 400));
      const kind = round % 4;
      const values = Array.from({ length: n }, () =>
        kind === 0 ? Math.round(random() * 5) : kind === 1 ? 60 + random() * 0.3 : kind === 2 ? (random() - 0.5) * 1e6 : Math.round(random() * 1000) / 10,
      );
      if (round % 7 === 0) values.sort((a, b) => a - b); // already sorted
      if (round % 11 === 0) values.sort((a, b) => b - a); // reversed
      const copy = [...values];
      expect(median(values)).toBe(quantileBySort(values, 0.5));
      const q = random();
      expect(quantile(values, q)).toBe(quantileBySort(values, q));
      expect(madSigma(values)).toBe(madBySort(values));
      expect(values).toEqual(copy); // inputs are not reordered
    }
  });

  it("gives exact values on small cases and NaN for nothing", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(madSigma([1, 1, 2, 2, 4, 6, 9])).toBeCloseTo(1.4826, 10);
    expect(madSigma([5, 5, 5, 5])).toBe(0);
    expect(madSigma([])).toBeNaN();
    expect(median([])).toBeNaN();
  });
});
