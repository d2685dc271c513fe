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

/** Index of the first sample with tsMs >= t (binary search). */
export const lowerBound = (s: readonly Sample[], t: number): number => {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((s[mid] as Sample).tsMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Samples with fromMs <= tsMs <= toMs. */
export const between = (s: readonly Sample[], fromMs: number, toMs: number): Sample[] => {
  const out: Sample[] = [];
  for (let i = lowerBound(s, fromMs); i < s.length && (s[i] as Sample).tsMs <= toMs; i++) out.push(s[i] as Sample);
  return out;
};

/** Linear interpolation at t, clamped to the first/last sample; null for an empty series. */
export const valueAt = (s: readonly Sample[], t: number): number | null => {
  if (s.length === 0) return null;
  const i = lowerBound(s, t);
  if (i <= 0) return (s[0] as Sample).tempC;
  if (i >= s.length) return (s[s.length - 1] as Sample).tempC;
  const a = s[i - 1] as Sample;
  const b = s[i] as Sample;
  const span = b.tsMs - a.tsMs;
  return span <= 0 ? b.tempC : a.tempC + ((b.tempC - a.tempC) * (t - a.tsMs)) / span;
};

/**
 * Median spacing of the last `last` + 1 readings, ms; null with fewer than 3 readings. The
 * windows below are set in minutes for a probe that reports every few seconds; loggers and
 * cloud devices that report every 2–10 min (a ThermoWorks Node: 10 min by default) need wider
 * ones, or every fit comes back empty.
 */
export const typicalGapMs = (s: readonly Sample[], last = 9): number | null => {
  const n = s.length;
  if (n < 3) return null;
  const gaps: number[] = [];
  for (let i = Math.max(1, n - last); i < n; i++) gaps.push((s[i] as Sample).tsMs - (s[i - 1] as Sample).tsMs);
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
  /** Standard error of the slope, °C per hour. */
  rateSe: number;
  /** Residual scatter around the line, °C (the reading noise). */
  noiseC: number;
  n: number;
  spanMs: number;
}

/**
 * Robust straight line through the samples in (atMs − windowMs, atMs], evaluated at atMs.
 * Null with fewer than `minPoints` samples or when they span less than a third of the window.
 */
export const localFit = (s: readonly Sample[], atMs: number, windowMs: number, minPoints = 3): LocalFit | null => {
  const w = between(s, atMs - windowMs + 1, atMs);
  if (w.length < minPoints) return null;
  const spanMs = (w[w.length - 1] as Sample).tsMs - (w[0] as Sample).tsMs;
  if (spanMs < windowMs / 3) return null;
  const fit: LineFit | null = fitLineRobust(
    w.map((p) => (p.tsMs - atMs) / MS_PER_HOUR),
    w.map((p) => p.tempC),
  );
  if (!fit) return null;
  return { tempC: fit.intercept, rateCPerHour: fit.slope, rateSe: fit.slopeSe, noiseC: fit.residualSd, n: w.length, spanMs };
};

/**
 * Keeps at most one sample per `stepMs` (the first of each step); used to bound the memory of
 * the long history the predictor looks back on.
 */
export const decimate = (s: readonly Sample[], stepMs: number): Sample[] => {
  const out: Sample[] = [];
  let next = Number.NEGATIVE_INFINITY;
  for (const p of s) {
    if (p.tsMs >= next) {
      out.push(p);
      next = p.tsMs + stepMs;
    }
  }
  return out;
};

/** Median of the temperatures in (atMs − windowMs, atMs]; null when empty. */
export const medianTemp = (s: readonly Sample[], atMs: number, windowMs: number): number | null => {
  const w = between(s, atMs - windowMs + 1, atMs).map((p) => p.tempC);
  if (w.length === 0) return null;
  w.sort((a, b) => a - b);
  const mid = w.length >> 1;
  return w.length % 2 ? (w[mid] as number) : ((w[mid - 1] as number) + (w[mid] as number)) / 2;
};
