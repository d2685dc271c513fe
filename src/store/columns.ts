/**
 * Column-oriented series for the history hot path: raw readings and rollup buckets go straight
 * from SQLite rows into typed arrays (no object per row), and min/max downsampling runs over
 * those arrays. A missing temperature is NaN. `downsampleItems` (the object API used by the
 * naive reference) runs through the same code, so both give identical answers.
 */
import type { HistoryPoint } from "../shared";

/** `a` copied into a new array of `n` elements (n ≥ a.length). */
const grown = (a: Float64Array, n: number): Float64Array => {
  const b = new Float64Array(n);
  b.set(a);
  return b;
};

export class SeriesColumns {
  /** Reading time or bucket start. */
  ts: Float64Array;
  minC: Float64Array;
  minTs: Float64Array;
  maxC: Float64Array;
  maxTs: Float64Array;
  firstTs: Float64Array;
  length = 0;

  constructor(capacity = 256) {
    const n = Math.max(16, capacity);
    this.ts = new Float64Array(n);
    this.minC = new Float64Array(n);
    this.minTs = new Float64Array(n);
    this.maxC = new Float64Array(n);
    this.maxTs = new Float64Array(n);
    this.firstTs = new Float64Array(n);
  }

  private grow(): void {
    const n = this.ts.length * 2;
    this.ts = grown(this.ts, n);
    this.minC = grown(this.minC, n);
    this.minTs = grown(this.minTs, n);
    this.maxC = grown(this.maxC, n);
    this.maxTs = grown(this.maxTs, n);
    this.firstTs = grown(this.firstTs, n);
  }

  /** One bucket (or reading); a null min/max means it holds no temperature. */
  push(
    ts: number,
    minC: number | null,
    minTs: number | null,
    maxC: number | null,
    maxTs: number | null,
    firstTs: number,
  ): void {
    if (this.length === this.ts.length) this.grow();
    const i = this.length++;
    this.ts[i] = ts;
    this.minC[i] = minC ?? Number.NaN;
    this.minTs[i] = minTs ?? Number.NaN;
    this.maxC[i] = maxC ?? Number.NaN;
    this.maxTs[i] = maxTs ?? Number.NaN;
    this.firstTs[i] = firstTs;
  }

  pushReading(ts: number, tempC: number | null): void {
    this.push(ts, tempC, tempC === null ? null : ts, tempC, tempC === null ? null : ts, ts);
  }
}

/** Median spacing of consecutive entries (sampled), 0 with fewer than two. */
export const typicalStepOf = (ts: Float64Array, length: number): number => {
  if (length < 2) return 0;
  const deltas = length - 1;
  const samples = Math.min(deltas, 2048);
  const picked = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const k = Math.floor((i * deltas) / samples);
    picked[i] = ts[k + 1]! - ts[k]!;
  }
  picked.sort();
  return picked[Math.floor(samples / 2)]!;
};

export interface DownsampleOptions {
  fromMs: number;
  toMs: number;
  /** At most this many points come out (≥ 1). */
  points: number;
  /** Spacing of the source data; a pause longer than 3 steps (and 2 output buckets) is a gap. */
  stepMs: number;
}

/**
 * Downsampled points of one probe as columns (no array per point): `tempC` NaN = null (a gap).
 * What the HTTP layer encodes straight into the JSON answer.
 */
export class PointColumns {
  ts: Float64Array;
  tempC: Float64Array;
  length = 0;

  constructor(capacity = 64) {
    const n = Math.max(4, capacity);
    this.ts = new Float64Array(n);
    this.tempC = new Float64Array(n);
  }

  /** `tempC` null or NaN = a gap. */
  push(ts: number, tempC: number | null): void {
    if (this.length === this.ts.length) {
      this.ts = grown(this.ts, this.ts.length * 2);
      this.tempC = grown(this.tempC, this.tempC.length * 2);
    }
    this.ts[this.length] = ts;
    this.tempC[this.length++] = tempC ?? Number.NaN;
  }

  toPoints(): HistoryPoint[] {
    const out: HistoryPoint[] = new Array<HistoryPoint>(this.length);
    for (let i = 0; i < this.length; i++) {
      const v = this.tempC[i]!;
      out[i] = [this.ts[i]!, Number.isNaN(v) ? null : v];
    }
    return out;
  }

  static fromPoints(points: readonly HistoryPoint[]): PointColumns {
    const c = new PointColumns(points.length);
    for (const [ts, v] of points) c.push(ts, v);
    return c;
  }
}

/** How many drawn buckets `points` points make: a min/max pair each (one point when only one is asked). */
export const drawBuckets = (points: number): number => {
  const p = Math.max(1, Math.floor(points));
  return p >= 2 ? Math.floor(p / 2) : 1;
};

/** Min/max downsampling (rules in `downsampleColumnsTo`) as `[ts, tempC | null]` pairs. */
export const downsampleColumns = (c: SeriesColumns, opts: DownsampleOptions): HistoryPoint[] =>
  downsampleColumnsTo(c, opts).toPoints();

/**
 * Min/max downsampling of time-ordered columns into at most `points` points over [fromMs, toMs]:
 * floor(points / 2) equal buckets, each giving its min and max at their real times (one point
 * when they coincide; ties keep the earlier time). A bucket holding only unplugged readings gives
 * `[ts, null]`; so does a pause in the data longer than the gap threshold (only where a whole
 * output bucket is empty, so the point budget holds). Consecutive nulls collapse to one.
 */
export const downsampleColumnsTo = (c: SeriesColumns, opts: DownsampleOptions): PointColumns => {
  const points = Math.max(1, Math.floor(opts.points));
  const perBucket = points >= 2 ? 2 : 1;
  const buckets = drawBuckets(points);
  const widthMs = Math.max(1, Math.ceil((opts.toMs - opts.fromMs + 1) / buckets));
  const gapMs = Math.max(2 * widthMs, 3 * opts.stepMs);
  const out = new PointColumns(Math.min(points, 2 * c.length + 2));
  // The previous emitted point (time, output bucket), for gap detection; -1 bucket = none.
  let prevTs = 0;
  let prevBucket = -1;
  let lastWasNull = false;

  const emit = (ts: number, v: number | null, bucket: number): void => {
    if (v === null) {
      if (!lastWasNull) out.push(ts, null);
      lastWasNull = true;
    } else {
      if (prevBucket >= 0 && !lastWasNull && ts - prevTs > gapMs && bucket - prevBucket >= 2)
        out.push(Math.floor((prevTs + ts) / 2), null);
      out.push(ts, v);
      lastWasNull = false;
    }
    prevTs = ts;
    prevBucket = bucket;
  };

  let accBucket = -1;
  let minC = Number.NaN;
  let minTs = Number.NaN;
  let maxC = Number.NaN;
  let maxTs = Number.NaN;
  let firstTs = 0;
  const flush = (): void => {
    if (Number.isNaN(minC) || Number.isNaN(maxC)) emit(firstTs, null, accBucket);
    else if (perBucket === 1) emit(maxTs, maxC, accBucket);
    else if (minTs === maxTs) emit(minTs, minC, accBucket);
    else if (minTs < maxTs) {
      emit(minTs, minC, accBucket);
      emit(maxTs, maxC, accBucket);
    } else {
      emit(maxTs, maxC, accBucket);
      emit(minTs, minC, accBucket);
    }
  };

  for (let i = 0; i < c.length; i++) {
    const bucket = Math.min(
      buckets - 1,
      Math.max(0, Math.floor((c.ts[i]! - opts.fromMs) / widthMs)),
    );
    const iMinC = c.minC[i]!;
    const iMinTs = c.minTs[i]!;
    const iMaxC = c.maxC[i]!;
    const iMaxTs = c.maxTs[i]!;
    if (bucket !== accBucket) {
      if (accBucket >= 0) flush();
      accBucket = bucket;
      minC = iMinC;
      minTs = iMinTs;
      maxC = iMaxC;
      maxTs = iMaxTs;
      firstTs = c.firstTs[i]!;
      continue;
    }
    if (
      !Number.isNaN(iMinC) &&
      (Number.isNaN(minC) || iMinC < minC || (iMinC === minC && iMinTs < minTs))
    ) {
      minC = iMinC;
      minTs = iMinTs;
    }
    if (
      !Number.isNaN(iMaxC) &&
      (Number.isNaN(maxC) || iMaxC > maxC || (iMaxC === maxC && iMaxTs < maxTs))
    ) {
      maxC = iMaxC;
      maxTs = iMaxTs;
    }
    if (c.firstTs[i]! < firstTs) firstTs = c.firstTs[i]!;
  }
  if (accBucket >= 0) flush();
  return out;
};
