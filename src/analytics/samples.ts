/**
 * Time series helpers on clean samples (ascending by time). Rates are in °C per hour, times in
 * epoch ms, as everywhere in analytics.
 */
import { fitLineRobust, type LineFit } from "./math";

export interface Sample {
  tsMs: number;
  tempC: number;
}

export const MS_PER_MIN = 60_000;
export const MS_PER_HOUR = 3_600_000;

/**
 * A time series as the fits and the predictor read it: ascending by time, indexed from 0. The
 * tracker's clean history is the long one (16 h at one sample per 20 s, per probe), so it lives
 * in typed arrays (16 bytes a sample) rather than as objects (~80 bytes each with their boxed
 * numbers, all traced by every full GC).
 */
export interface Series {
  readonly length: number;
  /** Time of sample i, epoch ms. */
  tsAt(i: number): number;
  /** Value of sample i: °C (°C/h in the stall detector's rate series). */
  tempAt(i: number): number;
}

/**
 * A growable series in two Float64Arrays: appends at the end, drops from the front (a moving
 * start index, compacted when the arrays fill up), so a window that slides never reallocates.
 */
export class SampleBuffer implements Series {
  private ts: Float64Array;
  private temp: Float64Array;
  private head = 0;
  private end = 0;

  constructor(capacity = 64) {
    this.ts = new Float64Array(capacity);
    this.temp = new Float64Array(capacity);
  }

  static of(samples: Iterable<Sample>): SampleBuffer {
    const b = new SampleBuffer();
    for (const p of samples) b.push(p.tsMs, p.tempC);
    return b;
  }

  get length(): number {
    return this.end - this.head;
  }

  tsAt(i: number): number {
    return this.ts[this.head + i] as number;
  }

  tempAt(i: number): number {
    return this.temp[this.head + i] as number;
  }

  push(tsMs: number, tempC: number): void {
    if (this.end === this.ts.length) this.makeRoom();
    this.ts[this.end] = tsMs;
    this.temp[this.end] = tempC;
    this.end++;
  }

  /** Replaces the newest sample (the buffer must not be empty). */
  setLast(tsMs: number, tempC: number): void {
    this.ts[this.end - 1] = tsMs;
    this.temp[this.end - 1] = tempC;
  }

  /** Drops the samples older than `tMs`. */
  dropBefore(tMs: number): void {
    while (this.head < this.end && (this.ts[this.head] as number) < tMs) this.head++;
  }

  /** A new buffer with the samples up to and including `tMs`. */
  copyUntil(tMs: number): SampleBuffer {
    const out = new SampleBuffer(Math.max(1, this.length));
    for (let i = 0; i < this.length && this.tsAt(i) <= tMs; i++) out.push(this.tsAt(i), this.tempAt(i));
    return out;
  }

  toArray(): Sample[] {
    const out: Sample[] = [];
    for (let i = 0; i < this.length; i++) out.push({ tsMs: this.tsAt(i), tempC: this.tempAt(i) });
    return out;
  }

  /** Full: move the live samples to the front if that frees half, else double the arrays. */
  private makeRoom(): void {
    const n = this.length;
    if (this.head >= this.ts.length / 2) {
      this.ts.copyWithin(0, this.head, this.end);
      this.temp.copyWithin(0, this.head, this.end);
    } else {
      const ts = new Float64Array(this.ts.length * 2);
      const temp = new Float64Array(this.ts.length * 2);
      ts.set(this.ts.subarray(this.head, this.end));
      temp.set(this.temp.subarray(this.head, this.end));
      this.ts = ts;
      this.temp = temp;
    }
    this.head = 0;
    this.end = n;
  }
}

/** An empty series (for "no pit"). */
export const EMPTY_SERIES: Series = new SampleBuffer(1);

/** Index of the first sample with tsMs >= t (binary search). */
export const lowerBound = (s: Series, t: number): number => {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.tsAt(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Index just past the last sample with tsMs <= toMs, scanning from `from`. */
const endOfWindow = (s: Series, from: number, toMs: number): number => {
  let i = from;
  while (i < s.length && s.tsAt(i) <= toMs) i++;
  return i;
};

/** The samples of `s` from index `from` on, as a series of their own (no copy). */
export const tailOf = (s: Series, from: number): Series =>
  from <= 0
    ? s
    : { length: Math.max(0, s.length - from), tsAt: (i: number) => s.tsAt(i + from), tempAt: (i: number) => s.tempAt(i + from) };

/** Samples with fromMs <= tsMs <= toMs. */
export const between = (s: Series, fromMs: number, toMs: number): Sample[] => {
  const out: Sample[] = [];
  for (let i = lowerBound(s, fromMs), end = endOfWindow(s, i, toMs); i < end; i++) out.push({ tsMs: s.tsAt(i), tempC: s.tempAt(i) });
  return out;
};

/** Temperatures with fromMs <= tsMs <= toMs. */
export const tempsBetween = (s: Series, fromMs: number, toMs: number): number[] => {
  const out: number[] = [];
  for (let i = lowerBound(s, fromMs), end = endOfWindow(s, i, toMs); i < end; i++) out.push(s.tempAt(i));
  return out;
};

/** Linear interpolation at t, clamped to the first/last sample; null for an empty series. */
export const valueAt = (s: Series, t: number): number | null => {
  if (s.length === 0) return null;
  const i = lowerBound(s, t);
  if (i <= 0) return s.tempAt(0);
  if (i >= s.length) return s.tempAt(s.length - 1);
  const aTs = s.tsAt(i - 1);
  const aC = s.tempAt(i - 1);
  const span = s.tsAt(i) - aTs;
  return span <= 0 ? s.tempAt(i) : aC + ((s.tempAt(i) - aC) * (t - aTs)) / span;
};

/**
 * Median spacing of the last `last` + 1 readings, ms; null with fewer than 3 readings. The
 * windows below are set in minutes for a probe that reports every few seconds; loggers and
 * cloud devices that report every 2–10 min (a ThermoWorks Node: 10 min by default) need wider
 * ones, or every fit comes back empty.
 */
export const typicalGapMs = (s: Series, last = 9): number | null => {
  const n = s.length;
  if (n < 3) return null;
  const gaps: number[] = [];
  for (let i = Math.max(1, n - last); i < n; i++) gaps.push(s.tsAt(i) - s.tsAt(i - 1));
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1] as number;
};

/** Sparser than this, a window is not widened further (hours-long windows would lag too much). */
export const MAX_WIDENING_GAP_MS = 20 * MS_PER_MIN;

/** `windowMs`, or wide enough to hold `points` readings at the typical spacing `gapMs`. */
export const widenFor = (windowMs: number, gapMs: number | null, points = 4.5): number =>
  gapMs === null ? windowMs : Math.max(windowMs, points * Math.min(gapMs, MAX_WIDENING_GAP_MS));

export interface LocalFit {
  /** Fitted temperature at the window's end, °C. */
  tempC: number;
  /** Slope, °C per hour. */
  rateCPerHour: number;
  /**
   * Standard error of the slope, °C per hour: the least-squares one from localFit; from rateFit,
   * on the scale of a normal 80 % range, allowing for correlated residuals, rounding and few readings.
   */
  rateSe: number;
  /** Residual scatter around the line, °C (the reading noise). */
  noiseC: number;
  n: number;
  spanMs: number;
}

/**
 * How much wider the slope's standard error is than a fit of independent readings says. A
 * thermometer's readings are not independent around the line: they sit on its resolution's steps
 * (whole °F: 0.56 °C) and on its own smoothing, so neighbours err alike and the line knows less
 * than their number suggests. With lag-1 correlation ρ of the residuals, n readings are worth
 * n·(1 − ρ)/(1 + ρ) independent ones.
 */
const autocorrelationInflation = (xs: readonly number[], ys: readonly number[], fit: LineFit): number => {
  let num = 0;
  let den = 0;
  let prev: number | null = null;
  for (let i = 0; i < xs.length; i++) {
    const r = (ys[i] as number) - fit.intercept - fit.slope * (xs[i] as number);
    den += r * r;
    if (prev !== null) num += prev * r;
    prev = r;
  }
  const rho = den > 0 ? Math.min(Math.max(num / den, 0), 0.9) : 0;
  return Math.sqrt((1 + rho) / (1 - rho));
};

/** Readings before a window that also tell the probe's resolution (a whole-°F probe repeats values). */
const RESOLUTION_LOOKBACK = 64;

/**
 * The probe's resolution as its readings show it around a window: the smallest change between
 * neighbouring readings, but only where the rounding shows — some neighbours read the same. Where
 * every reading differs from the last (a fine resolution, or readings far apart) the smallest
 * change is the rise between readings, not a step: 0, no floor.
 */
const resolutionAround = (s: Series, from: number, end: number): number => {
  let step = Number.POSITIVE_INFINITY;
  let repeats = 0;
  for (let i = Math.max(1, from - RESOLUTION_LOOKBACK); i < end; i++) {
    const d = Math.abs(s.tempAt(i) - s.tempAt(i - 1));
    if (d <= 1e-6) repeats++;
    else if (d < step) step = d;
  }
  return repeats > 0 && Number.isFinite(step) ? step : 0;
};

/**
 * The least standard error a slope through rounded readings can have. Readings that land exactly
 * on a line (three whole-°F readings 15 min apart) leave no residual, yet each hides up to half a
 * step of rounding: uniform, so a scatter of step / √12.
 */
const resolutionSlopeSe = (xs: readonly number[], step: number): number => {
  if (step <= 0) return 0;
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const sxx = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return sxx > 0 ? step / Math.sqrt(12) / Math.sqrt(sxx) : 0;
};

/**
 * A slope from few readings is less sure than its standard error on the normal scale says: the
 * P10–P90 of a slope fitted to n readings spans Student's t with n − 2 degrees of freedom
 * (1.89× the standard error with 4 readings, 1.31× with 32), not the normal's 1.28×. This is that
 * ratio (Cornish–Fisher expansion of t's 90th percentile).
 */
const Z90 = 1.2816;
const fewReadingsInflation = (dof: number): number => {
  if (dof < 1) return 3;
  const z = Z90;
  const t = z + (z ** 3 + z) / (4 * dof) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * dof * dof);
  return t / z;
};

/** The window's samples and their robust line (shared by localFit and rateFit). */
const fitWindow = (s: Series, atMs: number, windowMs: number, minPoints: number) => {
  const from = lowerBound(s, atMs - windowMs + 1);
  const end = endOfWindow(s, from, atMs);
  const n = end - from;
  if (n < minPoints) return null;
  const spanMs = n > 0 ? s.tsAt(end - 1) - s.tsAt(from) : 0;
  if (spanMs < windowMs / 3) return null;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = from; i < end; i++) {
    xs.push((s.tsAt(i) - atMs) / MS_PER_HOUR);
    ys.push(s.tempAt(i));
  }
  const fit: LineFit | null = fitLineRobust(xs, ys);
  return fit ? { fit, xs, ys, from, end, n, spanMs } : null;
};

/**
 * Robust straight line through the samples in (atMs − windowMs, atMs], evaluated at atMs; its
 * `rateSe` is the plain least-squares one (see rateFit for one to build a range on).
 * Null with fewer than `minPoints` samples or when they span less than a third of the window.
 */
export const localFit = (s: Series, atMs: number, windowMs: number, minPoints = 3): LocalFit | null => {
  const w = fitWindow(s, atMs, windowMs, minPoints);
  if (!w) return null;
  return { tempC: w.fit.intercept, rateCPerHour: w.fit.slope, rateSe: w.fit.slopeSe, noiseC: w.fit.residualSd, n: w.n, spanMs: w.spanMs };
};

/**
 * localFit for a rate a forecast stands on: its `rateSe` holds the true rate within ±1.28 SE
 * about 80 % of the time whether the readings scatter, sit on whole-°F steps or come every
 * 10–15 min (71–96 % in the tests; the plain least-squares error held it 23–100 %). It costs a
 * few passes over the window more, so only the predictor's current-rate fits use it, not the
 * many window fits behind k and the peak rate.
 */
export const rateFit = (s: Series, atMs: number, windowMs: number, minPoints = 3): LocalFit | null => {
  const w = fitWindow(s, atMs, windowMs, minPoints);
  if (!w) return null;
  const { fit, xs, ys, from, end, n } = w;
  const rateSe = Math.max(fit.slopeSe, resolutionSlopeSe(xs, resolutionAround(s, from, end))) * autocorrelationInflation(xs, ys, fit) * fewReadingsInflation(n - 2);
  return { tempC: fit.intercept, rateCPerHour: fit.slope, rateSe, noiseC: fit.residualSd, n, spanMs: w.spanMs };
};
