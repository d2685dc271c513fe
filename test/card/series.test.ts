import { describe, expect, it } from "vitest";
import { appendRow, downsampleMinMax, emptyData, lastValue, mergeToColumns, trimBefore, valueExtent } from "../../custom_card/src/chart/series";

describe("mergeToColumns", () => {
  it("puts every series on the union of timestamps and carries each value forward until it changes", () => {
    const d = mergeToColumns({ a: [[10, 1], [30, 3]], b: [[20, 200]] });
    expect(d.x).toEqual([10, 20, 30]);
    expect(d.y["a"]).toEqual([1, 1, 3]);
    expect(d.y["b"]).toEqual([null, 200, 200]);
  });

  it("makes an explicit null (unavailable) a gap that lasts until the next reading", () => {
    const d = mergeToColumns({ a: [[1, 5], [2, null], [4, 7]], b: [[3, 1]] });
    expect(d.y["a"]).toEqual([5, null, null, 7]);
  });

  it("sorts unsorted input, lets the last of equal timestamps win and drops non-finite values", () => {
    const d = mergeToColumns({ a: [[5, 2], [1, 1], [5, 3], [7, Number.NaN]] });
    expect(d.x).toEqual([1, 5, 7]);
    expect(d.y["a"]).toEqual([1, 3, null]);
  });
});

describe("appendRow", () => {
  it("appends at the end and carries missing keys forward", () => {
    const d = mergeToColumns({ a: [[1, 10]], b: [[1, 20]] });
    appendRow(d, 2, { a: 11 });
    expect(d.x).toEqual([1, 2]);
    expect(d.y["a"]).toEqual([10, 11]);
    expect(d.y["b"]).toEqual([20, 20]);
  });

  it("updates the row in place when the timestamp already exists", () => {
    const d = mergeToColumns({ a: [[1, 10], [2, 11]] });
    appendRow(d, 2, { a: 12 });
    appendRow(d, 1, { a: 9 });
    expect(d.x).toEqual([1, 2]);
    expect(d.y["a"]).toEqual([9, 12]);
  });

  it("inserts a late (older) reading in time order", () => {
    const d = mergeToColumns({ a: [[1, 10], [3, 30]] });
    appendRow(d, 2, { a: 20 });
    expect(d.x).toEqual([1, 2, 3]);
    expect(d.y["a"]).toEqual([10, 20, 30]);
  });

  it("records an explicit null as a gap and ignores unknown keys", () => {
    const d = emptyData(["a"]);
    appendRow(d, 1, { a: 5, zzz: 3 });
    appendRow(d, 2, { a: null });
    expect(d.y["a"]).toEqual([5, null]);
    expect(Object.keys(d.y)).toEqual(["a"]);
  });
});

describe("trimBefore", () => {
  it("drops old rows but keeps the last older value at the window edge", () => {
    const d = mergeToColumns({ a: [[0, 1], [10, 2], [20, 3]] });
    trimBefore(d, 15);
    expect(d.x).toEqual([15, 20]);
    expect(d.y["a"]).toEqual([2, 3]);
  });

  it("does nothing when all rows are inside the window", () => {
    const d = mergeToColumns({ a: [[10, 1], [20, 2]] });
    trimBefore(d, 5);
    expect(d.x).toEqual([10, 20]);
  });
});

describe("downsampleMinMax", () => {
  const big = (n: number) => {
    const rows: Array<[number, number | null]> = [];
    for (let i = 0; i < n; i++) rows.push([i, Math.sin(i / 50) * 100]);
    return rows;
  };

  it("keeps at most two rows per pixel column", () => {
    const d = mergeToColumns({ a: big(10_000), b: big(10_000).map(([t, v]) => [t, (v ?? 0) / 2] as [number, number]) });
    const out = downsampleMinMax(d, 300);
    expect(out.x.length).toBeLessThanOrEqual(600);
    expect(out.x.length).toBeGreaterThan(300);
    expect(out.y["a"]).toHaveLength(out.x.length);
    expect(out.y["b"]).toHaveLength(out.x.length);
  });

  it("keeps a one-sample spike and a one-sample dip (peaks survive)", () => {
    const rows = big(10_000).map(([t]) => [t, 50] as [number, number]);
    rows[4321] = [4321, 250];
    rows[7000] = [7000, -40];
    const out = downsampleMinMax(mergeToColumns({ a: rows }), 200);
    const values = out.y["a"] ?? [];
    expect(Math.max(...values.map((v) => v ?? -Infinity))).toBe(250);
    expect(Math.min(...values.map((v) => v ?? Infinity))).toBe(-40);
  });

  it("orders min and max of a bucket as they happened", () => {
    const x = Array.from({ length: 100 }, (_, i) => i);
    const d = { x, y: { a: x.map((i) => (i < 50 ? 100 - i : i)) } };
    const out = downsampleMinMax(d, 1);
    expect(out.y["a"]).toEqual([100, 50]);
    expect(out.x).toEqual([0, 99]);
  });

  it("keeps gaps wider than a pixel as nulls", () => {
    const rows = big(1000).map(([t, v]) => [t, t >= 400 && t < 600 ? null : v] as [number, number | null]);
    const out = downsampleMinMax(mergeToColumns({ a: rows }), 100);
    const nullAt = out.x.filter((_, i) => out.y["a"]?.[i] === null);
    expect(nullAt.length).toBeGreaterThan(0);
    expect(nullAt.every((t) => t >= 400 && t < 600)).toBe(true);
  });

  it("returns small inputs unchanged and honours a range", () => {
    const d = mergeToColumns({ a: [[1, 1], [2, 2], [3, 3], [4, 4]] });
    expect(downsampleMinMax(d, 100)).toEqual(d);
    expect(downsampleMinMax(d, 100, { fromS: 2, toS: 3 }).x).toEqual([2, 3]);
  });
});

describe("valueExtent / lastValue", () => {
  it("spans all columns plus extra values, ignoring nulls", () => {
    expect(valueExtent([[1, null, 5], [3]], [10])).toEqual({ min: 1, max: 10 });
    expect(valueExtent([[null]])).toBeNull();
  });

  it("finds the last non-null value of a series", () => {
    const d = mergeToColumns({ a: [[1, 4], [2, null]], b: [[3, 1]] });
    expect(lastValue(d, "a")).toEqual({ tsS: 1, value: 4 });
    expect(lastValue(d, "missing")).toBeNull();
    expect(lastValue(mergeToColumns({ a: [[1, 4], [2, 6]] }), "a")).toEqual({ tsS: 2, value: 6 });
  });
});
