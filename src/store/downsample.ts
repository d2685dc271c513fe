/**
 * Pure downsampling and aggregation helpers (no I/O). A `SeriesItem` is either one raw reading
 * or one rollup bucket; both carry min and max with their real timestamps, so downsampled
 * output keeps peaks and troughs where they happened.
 */
import type { HistoryPoint } from "../shared";
import { downsampleColumns, SeriesColumns, type DownsampleOptions } from "./columns";

export type { DownsampleOptions } from "./columns";

export interface SeriesItem {
  /** Reading time, or the start of the rollup bucket. */
  tsMs: number;
  /** Readings with a temperature. */
  n: number;
  /** Readings without one (probe unplugged). */
  nNull: number;
  sumC: number;
  minC: number | null;
  minTs: number | null;
  maxC: number | null;
  maxTs: number | null;
  firstTs: number;
  lastTs: number;
}

export interface SeriesSummary {
  count: number;
  nullCount: number;
  meanC: number | null;
  minC: number | null;
  minTsMs: number | null;
  maxC: number | null;
  maxTsMs: number | null;
  firstTsMs: number | null;
  lastTsMs: number | null;
}

export const itemFromReading = (tsMs: number, tempC: number | null): SeriesItem =>
  tempC === null
    ? { tsMs, n: 0, nNull: 1, sumC: 0, minC: null, minTs: null, maxC: null, maxTs: null, firstTs: tsMs, lastTs: tsMs }
    : { tsMs, n: 1, nNull: 0, sumC: tempC, minC: tempC, minTs: tsMs, maxC: tempC, maxTs: tsMs, firstTs: tsMs, lastTs: tsMs };

/** Folds `src` into `acc` (same rules as the SQL rollup upsert: ties keep the earlier time). */
export const mergeItem = (acc: SeriesItem, src: SeriesItem): void => {
  acc.n += src.n;
  acc.nNull += src.nNull;
  acc.sumC += src.sumC;
  if (src.minC !== null && src.minTs !== null) {
    if (acc.minC === null || acc.minTs === null || src.minC < acc.minC || (src.minC === acc.minC && src.minTs < acc.minTs)) {
      acc.minC = src.minC;
      acc.minTs = src.minTs;
    }
  }
  if (src.maxC !== null && src.maxTs !== null) {
    if (acc.maxC === null || acc.maxTs === null || src.maxC > acc.maxC || (src.maxC === acc.maxC && src.maxTs < acc.maxTs)) {
      acc.maxC = src.maxC;
      acc.maxTs = src.maxTs;
    }
  }
  acc.firstTs = Math.min(acc.firstTs, src.firstTs);
  acc.lastTs = Math.max(acc.lastTs, src.lastTs);
};

export const bucketStart = (tsMs: number, levelMs: number): number => Math.floor(tsMs / levelMs) * levelMs;

const emptyItem = (startMs: number, tsMs: number): SeriesItem => ({
  tsMs: startMs, n: 0, nNull: 0, sumC: 0, minC: null, minTs: null, maxC: null, maxTs: null, firstTs: tsMs, lastTs: tsMs,
});

/** Folds one reading into `acc` (the same rules as `mergeItem`, without allocating). */
const addReading = (acc: SeriesItem, tsMs: number, tempC: number | null): void => {
  if (tempC === null) acc.nNull++;
  else {
    acc.n++;
    acc.sumC += tempC;
    if (acc.minC === null || acc.minTs === null || tempC < acc.minC || (tempC === acc.minC && tsMs < acc.minTs)) {
      acc.minC = tempC;
      acc.minTs = tsMs;
    }
    if (acc.maxC === null || acc.maxTs === null || tempC > acc.maxC || (tempC === acc.maxC && tsMs < acc.maxTs)) {
      acc.maxC = tempC;
      acc.maxTs = tsMs;
    }
  }
  if (tsMs < acc.firstTs) acc.firstTs = tsMs;
  if (tsMs > acc.lastTs) acc.lastTs = tsMs;
};

/** Groups readings into buckets of `levelMs` (keyed by bucket start). */
export const aggregateByBucket = (readings: Iterable<{ tsMs: number; tempC: number | null }>, levelMs: number): Map<number, SeriesItem> => {
  const out = new Map<number, SeriesItem>();
  let cur: SeriesItem | undefined;
  for (const r of readings) {
    const start = bucketStart(r.tsMs, levelMs);
    if (cur === undefined || cur.tsMs !== start) {
      cur = out.get(start);
      if (cur === undefined) {
        cur = emptyItem(start, r.tsMs);
        out.set(start, cur);
      }
    }
    addReading(cur, r.tsMs, r.tempC);
  }
  return out;
};

/** Groups finer buckets (or readings as items) into buckets of `levelMs`. */
export const rollItems = (items: Iterable<SeriesItem>, levelMs: number): Map<number, SeriesItem> => {
  const out = new Map<number, SeriesItem>();
  for (const item of items) {
    const start = bucketStart(item.tsMs, levelMs);
    const acc = out.get(start);
    if (acc) mergeItem(acc, item);
    else out.set(start, { ...item, tsMs: start });
  }
  return out;
};

export const summarizeItems = (items: Iterable<SeriesItem>): SeriesSummary => {
  let acc: SeriesItem | null = null;
  for (const item of items) {
    if (acc) mergeItem(acc, item);
    else acc = { ...item };
  }
  if (!acc) return { count: 0, nullCount: 0, meanC: null, minC: null, minTsMs: null, maxC: null, maxTsMs: null, firstTsMs: null, lastTsMs: null };
  return {
    count: acc.n,
    nullCount: acc.nNull,
    meanC: acc.n > 0 ? acc.sumC / acc.n : null,
    minC: acc.minC,
    minTsMs: acc.minTs,
    maxC: acc.maxC,
    maxTsMs: acc.maxTs,
    firstTsMs: acc.firstTs,
    lastTsMs: acc.lastTs,
  };
};

/** Median spacing of consecutive items (sampled), 0 with fewer than two items. */
export const typicalStepMs = (items: readonly { tsMs: number }[]): number => {
  if (items.length < 2) return 0;
  const deltas = items.length - 1;
  const samples = Math.min(deltas, 2048);
  const picked = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const k = Math.floor((i * deltas) / samples);
    picked[i] = items[k + 1]!.tsMs - items[k]!.tsMs;
  }
  picked.sort();
  return picked[Math.floor(samples / 2)]!;
};

/**
 * Min/max downsampling of time-ordered items into at most `points` points over [fromMs, toMs]
 * (rules in `downsampleColumns`, which this feeds).
 */
export const downsampleItems = (items: readonly SeriesItem[], opts: DownsampleOptions): HistoryPoint[] => {
  const cols = new SeriesColumns(items.length);
  for (const it of items) cols.push(it.tsMs, it.minC, it.minTs, it.maxC, it.maxTs, it.firstTs);
  return downsampleColumns(cols, opts);
};

/**
 * Naive reference: downsample raw, time-ordered points to at most `n` points, keeping each
 * bucket's min and max at their real times (same rules as `history`).
 */
export const downsampleMinMax = (points: readonly HistoryPoint[], n: number, range?: { fromMs: number; toMs: number }): HistoryPoint[] => {
  if (points.length === 0) return [];
  const items = points.map(([ts, v]) => itemFromReading(ts, v));
  return downsampleItems(items, {
    fromMs: range?.fromMs ?? points[0]![0],
    toMs: range?.toMs ?? points[points.length - 1]![0],
    points: n,
    stepMs: typicalStepMs(items),
  });
};

/** A piece of [fromMs, toMs] (inclusive) served by one rollup level, or raw rows (levelMs 0). */
export interface CoverSegment {
  levelMs: number;
  fromMs: number;
  toMs: number;
}

/**
 * Splits [fromMs, toMs] into whole buckets of the first level, the ragged ends recursively into
 * the next levels, and what is left into raw rows. `levelsMs` coarsest first.
 */
export const planCover = (fromMs: number, toMs: number, levelsMs: readonly number[]): CoverSegment[] => {
  if (fromMs > toMs) return [];
  const [levelMs, ...rest] = levelsMs;
  if (levelMs === undefined) return [{ levelMs: 0, fromMs, toMs }];
  const firstFull = Math.ceil(fromMs / levelMs) * levelMs;
  const endFull = Math.floor((toMs + 1) / levelMs) * levelMs;
  if (firstFull >= endFull) return planCover(fromMs, toMs, rest);
  return [
    ...planCover(fromMs, firstFull - 1, rest),
    { levelMs, fromMs: firstFull, toMs: endFull - 1 },
    ...planCover(endFull, toMs, rest),
  ];
};
