import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BadRequestError, type HistoryPoint, type Reading } from "../../src/shared";
import {
  DB_FILE_NAME,
  downsampleMinMax,
  pickLevelMs,
  planCover,
  ROLLUP_LEVELS_MS,
} from "../../src/store";
import { naive, rng, series, tempStore } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % DAY);

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.done());

const insertAll = (readings: Reading[]): void => {
  for (let i = 0; i < readings.length; i += 1000)
    t.store.insertReadings(readings.slice(i, i + 1000));
};
const values = (pts: HistoryPoint[]): number[] => pts.flatMap(([, v]) => (v === null ? [] : [v]));

describe("downsampleMinMax (pure)", () => {
  const flatWithSpikes = Array.from({ length: 10_000 }, (_, i): HistoryPoint => [
    i * 5_000,
    i === 6_123 ? 240 : i === 2_000 ? -10 : 100 + (i % 7) / 10,
  ]);

  it("keeps the global max and min of a series with single spikes, at their real times", () => {
    for (const n of [1, 2, 3, 10, 99, 500, 1000]) {
      const out = downsampleMinMax(flatWithSpikes, n);
      expect(out.length).toBeLessThanOrEqual(n);
      expect(out).toContainEqual([6_123 * 5_000, 240]);
      if (n >= 2) expect(out).toContainEqual([2_000 * 5_000, -10]);
    }
  });

  it("returns raw points when they already fit, and [] for no input", () => {
    const few: HistoryPoint[] = [
      [0, 1],
      [5_000, 2],
      [10_000, 3],
    ];
    expect(downsampleMinMax(few, 10)).toEqual(few);
    expect(downsampleMinMax([], 10)).toEqual([]);
  });

  it("turns unplugged stretches and long pauses into single nulls", () => {
    const pts: HistoryPoint[] = [];
    for (let i = 0; i < 100; i++) pts.push([i * 5_000, 50]);
    for (let i = 100; i < 200; i++) pts.push([i * 5_000, null]);
    for (let i = 200; i < 300; i++) pts.push([i * 5_000, 60]);
    for (let i = 600; i < 700; i++) pts.push([i * 5_000, 70]);
    const out = downsampleMinMax(pts, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    const nulls = out.filter(([, v]) => v === null);
    expect(nulls).toHaveLength(2);
    const firstNull = out.findIndex(([, v]) => v === null);
    expect(out[firstNull - 1]![1]).toBe(50);
    expect(out[firstNull + 1]![1]).toBe(60);
    const secondNull = out.findLastIndex(([, v]) => v === null);
    expect(out[secondNull - 1]![1]).toBe(60);
    expect(out[secondNull + 1]![1]).toBe(70);
    expect(out[secondNull]![0]).toBeGreaterThan(299 * 5_000);
    expect(out[secondNull]![0]).toBeLessThan(600 * 5_000);
  });
});

describe("planCover / pickLevelMs", () => {
  it("covers a range exactly once with whole buckets and raw edges", () => {
    const segs = planCover(T0 + 123_456, T0 + 5 * HOUR + 7_000, ROLLUP_LEVELS_MS);
    expect(segs[0]!.fromMs).toBe(T0 + 123_456);
    expect(segs[segs.length - 1]!.toMs).toBe(T0 + 5 * HOUR + 7_000);
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.fromMs).toBe(segs[i - 1]!.toMs + 1);
    for (const s of segs)
      if (s.levelMs > 0) expect([s.fromMs % s.levelMs, (s.toMs + 1) % s.levelMs]).toEqual([0, 0]);
    expect(segs.map((s) => s.levelMs)).toEqual([0, 60_000, 120_000, 600_000, HOUR, 0]);
  });

  it("picks the coarsest level not wider than a drawn bucket (range / (points / 2))", () => {
    expect(pickLevelMs(0, HOUR, 1000)).toBe(0);
    // A day at 1000 points: 500 pairs of 172.8 s → 2-min buckets (720 per probe, not 1440).
    expect(pickLevelMs(0, DAY, 1000)).toBe(120_000);
    expect(pickLevelMs(0, DAY, 1500)).toBe(60_000);
    // Five days: 864 s pairs → 10-min buckets (720 per probe, not 7200 one-minute ones).
    expect(pickLevelMs(0, 5 * DAY, 1000)).toBe(600_000);
    expect(pickLevelMs(0, 14 * DAY, 1000)).toBe(600_000);
    expect(pickLevelMs(0, HOUR, 1)).toBe(HOUR);
    expect(pickLevelMs(0, 60 * DAY, 1000)).toBe(HOUR);
    expect(pickLevelMs(0, 365 * DAY, 1000)).toBe(6 * HOUR);
  });
});

describe("history from the store", () => {
  it("keeps a single spike over 24 h / 1000 points (rollups) and never exceeds N", () => {
    const readings = series("p_1", T0, 17_280, 5_000, rng(1));
    readings[9_876]!.tempC = 400;
    readings[4_321]!.tempC = -40;
    insertAll(readings);
    for (const n of [1, 2, 3, 17, 200, 1000]) {
      const out = t.store.history(["p_1"], T0, T0 + DAY - 1, n).p_1!;
      expect(out.length).toBeLessThanOrEqual(n);
      expect(Math.max(...values(out))).toBe(400);
      expect(out).toContainEqual([readings[9_876]!.tsMs, 400]);
      if (n >= 2) expect(out).toContainEqual([readings[4_321]!.tsMs, -40]);
    }
  });

  it("every point is a real reading, in time order, within the range, for random ranges", () => {
    const rand = rng(11);
    const readings = series("p_1", T0, 40_000, 5_000, rand, 3_000);
    insertAll(readings);
    const byTs = new Map(readings.map((r) => [r.tsMs, r.tempC]));
    for (let k = 0; k < 25; k++) {
      const from = T0 + Math.floor(rand() * 150_000_000);
      const to = from + Math.floor(rand() * 100_000_000);
      const n = 2 + Math.floor(rand() * 600);
      const out = t.store.history(["p_1"], from, to, n).p_1!;
      expect(out.length).toBeLessThanOrEqual(n);
      for (let i = 0; i < out.length; i++) {
        const [ts, v] = out[i]!;
        if (i > 0) expect(ts).toBeGreaterThanOrEqual(out[i - 1]![0]);
        expect(ts).toBeGreaterThanOrEqual(from);
        expect(ts).toBeLessThanOrEqual(to);
        if (v !== null) expect(byTs.get(ts)).toBe(v);
      }
      const inRange = readings.filter((r) => r.tsMs >= from && r.tsMs <= to);
      const want = naive(inRange);
      if (want.count > 0)
        expect([Math.min(...values(out)), Math.max(...values(out))]).toEqual([
          want.minC,
          want.maxC,
        ]);
    }
  });

  it("served from rollups equals the raw-row answer when buckets line up", () => {
    const readings = [
      ...series("p_1", T0, 17_280, 5_000, rng(5), 2_000),
      ...series("p_2", T0, 17_280, 5_000, rng(6)),
    ];
    insertAll(readings);
    // Drawn buckets of 4 min (from 2-min rollups), 2 min (one 2-min rollup each), 1 min (1-min rollups).
    for (const [buckets, widthMs, levelMs] of [
      [360, 4 * 60_000, 120_000],
      [720, 2 * 60_000, 120_000],
      [1440, 60_000, 60_000],
    ] as const) {
      const to = T0 + buckets * widthMs - 1;
      expect(pickLevelMs(T0, to, 2 * buckets)).toBe(levelMs);
      const got = t.store.history(["p_1", "p_2"], T0, to, 2 * buckets);
      for (const id of ["p_1", "p_2"]) {
        const raw = t.store.readingsBetween(id, T0, to).map((r): HistoryPoint => [r.tsMs, r.tempC]);
        expect(got[id]!.length).toBeGreaterThan(buckets);
        expect(got[id]).toEqual(downsampleMinMax(raw, 2 * buckets, { fromMs: T0, toMs: to }));
      }
    }
  });

  it("historyColumns gives the same points as history (NaN = null), unknown ids empty, in request order", () => {
    insertAll([
      ...series("p_1", T0, 17_280, 5_000, rng(11), 1_500),
      ...series("p_2", T0 + HOUR, 5_000, 5_000, rng(12)),
    ]);
    const ids = ["p_2", "nope", "p_1"];
    for (const [from, to, n] of [
      [T0, T0 + DAY - 1, 1000],
      [T0 + 12_345, T0 + 7 * HOUR, 333],
      [T0, T0 + 10 * 60_000, 5000],
    ] as const) {
      const cols = t.store.historyColumns(ids, from, to, n);
      const points = t.store.history(ids, from, to, n);
      expect([...cols.keys()]).toEqual(ids);
      for (const id of ids) {
        const c = cols.get(id)!;
        const asPoints = Array.from({ length: c.length }, (_, i): HistoryPoint => [
          c.ts[i]!,
          Number.isNaN(c.tempC[i]!) ? null : c.tempC[i]!,
        ]);
        expect(asPoints).toEqual(points[id]);
      }
      expect(points.p_1!.some(([, v]) => v === null)).toBe(true);
    }
  });

  it("breaks the line with nulls for unplugged stretches and missing data, not for normal spacing", () => {
    const rand = rng(9);
    const part1 = series("p_1", T0, 4_000, 5_000, rand);
    const unplugged = Array.from({ length: 1_000 }, (_, i): Reading => ({
      probeId: "p_1",
      tsMs: T0 + (4_000 + i) * 5_000,
      tempC: null,
    }));
    const part2 = series("p_1", T0 + 5_000 * 5_000, 4_000, 5_000, rand);
    const part3 = series("p_1", T0 + 15_000 * 5_000, 2_000, 5_000, rand);
    insertAll([...part1, ...unplugged, ...part2, ...part3]);
    const out = t.store.history(["p_1"], T0, T0 + 17_000 * 5_000, 1000).p_1!;
    expect(out.length).toBeLessThanOrEqual(1000);
    const nullAt = out.flatMap(([ts, v]) => (v === null ? [ts] : []));
    expect(nullAt).toHaveLength(2);
    expect(nullAt[0]).toBeGreaterThanOrEqual(part1[part1.length - 1]!.tsMs);
    expect(nullAt[0]).toBeLessThan(part2[0]!.tsMs);
    expect(nullAt[1]).toBeGreaterThan(part2[part2.length - 1]!.tsMs);
    expect(nullAt[1]).toBeLessThan(part3[0]!.tsMs);

    const continuous = t.store.history(["p_1"], T0, T0 + 3_999 * 5_000, 1000).p_1!;
    expect(continuous.every(([, v]) => v !== null)).toBe(true);
  });

  it("rollup count and mean equal a naive computation over random data and ranges", () => {
    const rand = rng(21);
    const readings = series("p_1", T0, 30_000, 5_000, rand, 1_500).filter(() => rand() > 0.1);
    insertAll(readings);
    for (let k = 0; k < 30; k++) {
      const from = T0 + Math.floor(rand() * 100_000_000) - 1_000_000;
      const to = from + Math.floor(rand() * 80_000_000);
      const want = naive(readings.filter((r) => r.tsMs >= from && r.tsMs <= to));
      const got = t.store.summarize("p_1", from, to);
      expect([got.count, got.nullCount, got.minC, got.maxC]).toEqual([
        want.count,
        want.nullCount,
        want.minC,
        want.maxC,
      ]);
      if (want.meanC === null) expect(got.meanC).toBeNull();
      else expect(got.meanC).toBeCloseTo(want.meanC, 9);
    }
  });

  it("gives each probe the same answer whichever way its rollups are read (one probe, all probes, huge keys)", () => {
    const ids = ["p_1", "p_2", "p_3"];
    insertAll(
      ids.flatMap((id, i) => series(id, T0, 17_280, 5_000, rng(30 + i), i === 1 ? 700 : 0)),
    );
    const from = T0 + 3_456_789;
    const to = from + 20 * HOUR;
    const all = t.store.history(ids, from, to, 800);
    // Fewer than half of the probes: read per probe.
    expect(t.store.history(["p_2"], from, to, 800)).toEqual({ p_2: all.p_2 });
    // A probe key too large to pack with the bucket index: the unpacked read.
    const db = new Database(join(t.dir, DB_FILE_NAME));
    db.prepare("INSERT INTO series (pk, probe_id) VALUES (?, ?)").run(2 ** 50, "p_huge");
    db.close();
    expect(t.store.history([...ids, "p_huge"], from, to, 800)).toEqual({ ...all, p_huge: [] });
    for (const id of ids) expect(all[id]!.length).toBeGreaterThan(400);
  });

  it("answers unknown probes with [] and rejects bad arguments", () => {
    expect(t.store.history(["ghost"], T0, T0 + DAY, 100)).toEqual({ ghost: [] });
    const odd = t.store.history(["__proto__", "ghost", "ghost"], T0, T0 + DAY, 100);
    expect(Object.keys(odd)).toEqual(["__proto__", "ghost"]);
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(() => t.store.history(["p"], T0 + 1, T0, 100)).toThrow(BadRequestError);
    expect(() => t.store.history(["p"], T0, T0 + 1, 0)).toThrow(BadRequestError);
    expect(() => t.store.history(["p"], Number.NaN, T0, 10)).toThrow(BadRequestError);
  });
});
