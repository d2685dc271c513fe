/**
 * What the predictor measures from the recent readings before it forecasts anything: the current
 * temperature and rate, the reading noise, the pit level, and the Newton constant k now and
 * before the stall.
 */
import type { StallState } from "../shared";
import { median, madSigma, quantile } from "./math";
import { estimateK } from "./newton";
import { localFit, MS_PER_HOUR, MS_PER_MIN, rateFit, tempsBetween, typicalGapMs, widenFor, type LocalFit, type Series } from "./samples";

export interface PredictParams {
  /** Chance that a low-and-slow cook that has not stalled yet will stall (0–1). */
  stallProbability: number;
  /** Median length of a stall, hours (Weibull prior). */
  stallMedianH: number;
  /** Weibull shape of the stall length (> 1: the longer it lasted, the sooner it ends). */
  stallShape: number;
  /** Relative (log) model error of a Newton forecast with a pit channel. */
  sigmaNewton: number;
  /** Relative (log) model error of a rate-only forecast (no pit). */
  sigmaLinear: number;
  /**
   * Growth of the log variance per hour of horizon: what nobody can see coming (the pit is
   * turned up, the meat wrapped, the weather changes) adds up like a random walk.
   */
  varPerHour: number;
  /**
   * How much faster the meat heats after a stall than its k before it (the surface is dry or
   * wrapped, so evaporation no longer takes its share of the heat).
   */
  postStallKFactor: number;
  /** The pit level is the median over this last stretch. */
  pitWindowMs: number;
  /** Horizon (h) at which Newton and the recent rate weigh equally (0 = Newton only). */
  blendHours: number;
  /** A pit reading older than this is not used. */
  pitFreshMs: number;
  /** Window for the current k. */
  kWindowMs: number;
  /**
   * Extra log variance at the start of a probe's history, fading linearly to 0 after
   * `earlyHours`: early in a cook the core still lags the surface, so neither k nor the rate of
   * rise has settled on what it will be.
   */
  earlyVar: number;
  earlyHours: number;
  /**
   * The k of the current rate (`caughtUpK`) is taken only while the meat is less than this share
   * of the way from its first reading to the pit: the core's lag behind the surface is an early
   * part of the heating; later, a 15-min rise faster than k implies is a pit swing or noise.
   */
  earlyProgress: number;
}

export const DEFAULT_PREDICT_PARAMS: PredictParams = {
  stallProbability: 0.7,
  stallMedianH: 2.5,
  stallShape: 2,
  sigmaNewton: 0.15,
  sigmaLinear: 0.25,
  varPerHour: 0.01,
  postStallKFactor: 1,
  pitWindowMs: 30 * MS_PER_MIN,
  blendHours: 0.25,
  pitFreshMs: 15 * MS_PER_MIN,
  kWindowMs: 45 * MS_PER_MIN,
  earlyVar: 0.05,
  earlyHours: 2.5,
  earlyProgress: 0.5,
};

export interface PredictContext {
  nowMs: number;
  lastMs: number;
  /** Smoothed current meat temperature, °C. */
  tempC: number;
  noiseC: number;
  /** Rates of rise over 15, 30 and 60 min, °C/h (null when not enough data). */
  rate15: number | null;
  rate30: number | null;
  rate60: number | null;
  /**
   * The current rate of rise: over 30 min (15 or 60 when that has too few readings), and the
   * temperature at the middle of its window, where a fitted line's slope is the true rate.
   */
  rateNow: number | null;
  rateNowAtC: number | null;
  /**
   * Relative standard error of rateNow (0 when unknown): a rate from few or coarse readings is
   * less sure, and so is every forecast drawn from it alone.
   */
  rateNowRelSe: number;
  /** Pit level (median of the last `pitWindowMs`) and its scatter, or null without a fresh pit. */
  pitC: number | null;
  pitSdC: number;
  /** k now (from the window that fits the regime) and its relative uncertainty. */
  k: number | null;
  kRelSd: number;
  /** k before the stall / typical k of this piece of meat, or null. */
  kRef: number | null;
  /** Highest sustained (30-min) rate of rise so far and the temperature it happened at. */
  peakRate: number | null;
  peakRateAtC: number | null;
}

/** A current rate of rise and how sure it is (rateFit: a forecast from it builds its range on that). */
const fitOver = (meat: Series, atMs: number, windowMs: number, gapMs: number | null): LocalFit | null =>
  rateFit(meat, atMs, widenFor(windowMs, gapMs), 4);

/**
 * Window fits far enough in the past never change while the series only grows, so they are
 * memoised per series (keyed by the buffer object the tracker owns; a restart makes a new one),
 * each with the time its window ends. Windows that end before the series' first sample (it
 * keeps 16 h) are never asked for again and are dropped, so a probe left in for days does not
 * pile them up.
 */
interface Memo {
  byKey: Map<string, { t: number; v: unknown }>;
  pruneAtSize: number;
}
const memo = new WeakMap<object, Memo>();
const arrayIds = new WeakMap<object, number>();
let nextArrayId = 1;
const idOf = (a: object): number => {
  let id = arrayIds.get(a);
  if (id === undefined) {
    id = nextArrayId++;
    arrayIds.set(a, id);
  }
  return id;
};
const MEMO_SLACK = 256;
const cached = <T>(owner: Series, key: string, t: number, stable: boolean, compute: () => T): T => {
  if (!stable) return compute();
  let m = memo.get(owner);
  if (!m) {
    m = { byKey: new Map(), pruneAtSize: MEMO_SLACK };
    memo.set(owner, m);
  }
  const hit = m.byKey.get(key);
  if (hit) return hit.v as T;
  const v = compute();
  m.byKey.set(key, { t, v });
  if (m.byKey.size >= m.pruneAtSize && owner.length > 0) {
    const firstMs = owner.tsAt(0);
    for (const [k, e] of m.byKey) if (e.t < firstMs) m.byKey.delete(k);
    m.pruneAtSize = 2 * m.byKey.size + MEMO_SLACK;
  }
  return v;
};
/** How many window fits are memoised for a series (diagnostics and tests). */
export const memoSizeOf = (series: Series): number => memo.get(series)?.byKey.size ?? 0;
const STABLE_AFTER_MS = 2 * MS_PER_MIN;

/** k over several windows ending at atMs; their median and relative spread. */
const kAt = (meat: Series, pit: Series, atMs: number, windowMs: number, notBeforeMs: number): { k: number; relSd: number } | null => {
  const ks: number[] = [];
  for (const w of [windowMs / 2, windowMs, windowMs * 1.5]) {
    if (atMs - w < notBeforeMs) continue;
    const k = estimateK(meat, pit, atMs, w);
    if (k !== null) ks.push(k);
  }
  if (ks.length === 0) return null;
  const k = ks.length === 3 ? (ks[1] as number) : median(ks);
  const spread = ks.length > 1 ? (Math.max(...ks) - Math.min(...ks)) / 2 : Math.abs(k) * 0.3;
  return { k, relSd: k > 0 ? spread / k : 1 };
};

/** Typical k of this meat before `untilMs`: upper quartile of hourly-window estimates. */
const kReference = (meat: Series, pit: Series, untilMs: number): number | null => {
  if (meat.length === 0) return null;
  const firstMs = meat.tsAt(0);
  const lastMs = meat.tsAt(meat.length - 1);
  const step = 15 * MS_PER_MIN;
  const ks: number[] = [];
  for (let t = Math.floor(untilMs / step) * step; t >= firstMs + MS_PER_HOUR; t -= step) {
    const k = cached(meat, `k|${idOf(pit)}|${t}`, t, t <= lastMs - STABLE_AFTER_MS, () => estimateK(meat, pit, t, MS_PER_HOUR));
    if (k !== null && k > 0) ks.push(k);
  }
  return ks.length >= 2 ? quantile(ks, 0.75) : (ks[0] ?? null);
};

/** The 90th percentile of 30-min rates (every 10 min) before `untilMs`, with the temperature there. */
const peakRate = (meat: Series, untilMs: number, gapMs: number | null): { rate: number; tempC: number } | null => {
  if (meat.length === 0) return null;
  const firstMs = meat.tsAt(0);
  const lastMs = meat.tsAt(meat.length - 1);
  const step = 10 * MS_PER_MIN;
  const windowMs = widenFor(30 * MS_PER_MIN, gapMs);
  const pts: { rate: number; tempC: number }[] = [];
  for (let t = Math.floor(untilMs / step) * step; t >= firstMs + windowMs; t -= step) {
    const fit = cached(meat, `r|${windowMs}|${t}`, t, t <= lastMs - STABLE_AFTER_MS, () => localFit(meat, t, windowMs, 4));
    if (fit && fit.rateCPerHour > 0) pts.push({ rate: fit.rateCPerHour, tempC: fit.tempC });
  }
  if (pts.length === 0) return null;
  const q = quantile(pts.map((x) => x.rate), 0.9);
  const best = pts.reduce((a, b) => (Math.abs(b.rate - q) < Math.abs(a.rate - q) ? b : a));
  return { rate: q, tempC: best.tempC };
};

/**
 * Early in a cook the core lags the surface (heat has to soak in before the centre follows the
 * regular exponential), so the meat speeds up for its first hour or two and k fitted over the
 * last 45 min trails what it does now. While the last 15 min rose faster than that k implies, the
 * k of that rate (rate / (pit − meat)) is the better guess. At targets of 55 / 60 / 65 °C (roasts,
 * steaks: the whole cook is this early phase) the 30-min checkpoint went from 31 / 24 / 17 % to
 * 21 / 13 / 9 % off; the default targets' checkpoints do not move. Only in the first half of the
 * way to the pit (`earlyProgress`): a fast cook (inkbird-2 probe_2, k 0.7/h, its history started
 * when it went into the meat) was at 89.6 °C of 95 at 2.3 h, and a 15-min surge there made it
 * 5 min early at 30 min instead of 2.
 */
const caughtUpK = (k: { k: number; relSd: number }, rate15: number, pitGapC: number): { k: number; relSd: number } => {
  if (pitGapC <= 5) return k;
  const kRate = rate15 / pitGapC;
  return kRate > k.k ? { k: kRate, relSd: k.relSd } : k;
};

/** The pit's latest level (median of this last stretch) replaces the window's median … */
const PIT_LATEST_MS = 5 * MS_PER_MIN;
/** … when it is this much higher (ordinary pit swings stay within it). */
const PIT_RISE_C = 5;

export const buildContext = (
  nowMs: number,
  meat: Series,
  pitAll: Series,
  stall: StallState | null,
  p: PredictParams,
): PredictContext | null => {
  if (meat.length === 0) return null;
  const lastMs = meat.tsAt(meat.length - 1);
  // Windows widen for probes that report every few minutes (see typicalGapMs).
  const gapMs = typicalGapMs(meat);
  const pitGapMs = typicalGapMs(pitAll);
  const fit = localFit(meat, lastMs, 10 * MS_PER_MIN, 3);
  const tempC = fit?.tempC ?? meat.tempAt(meat.length - 1);
  const lastPitMs = pitAll.length > 0 ? pitAll.tsAt(pitAll.length - 1) : null;
  const pitFresh = lastPitMs !== null && nowMs - lastPitMs <= widenFor(p.pitFreshMs, pitGapMs, 2.5);
  const pitRecent = pitFresh ? tempsBetween(pitAll, lastPitMs - widenFor(p.pitWindowMs, pitGapMs), lastPitMs) : [];
  let pitC = pitRecent.length > 0 ? median(pitRecent) : null;
  if (pitC !== null && lastPitMs !== null) {
    // A pit that climbed (turned up, or still heating): its last minutes say more about the
    // hours ahead than the half-hour median. A fall is not followed: it is mostly a lid, wind or a
    // refuel, and the fire comes back.
    const latest = tempsBetween(pitAll, lastPitMs - widenFor(PIT_LATEST_MS, pitGapMs), lastPitMs);
    const latestC = latest.length > 0 ? median(latest) : pitC;
    if (latestC > pitC + PIT_RISE_C) pitC = latestC;
  }
  const pitSdC = pitRecent.length > 2 ? madSigma(pitRecent) : 5;

  const historyMs = lastMs - meat.tsAt(0);
  const fit15 = fitOver(meat, lastMs, 15 * MS_PER_MIN, gapMs);
  const rate15 = fit15?.rateCPerHour ?? null;
  const stallStart = stall?.sinceMs ?? null;
  const stallEnd = stall && !stall.stalled ? stall.endedMs : null;
  let k: { k: number; relSd: number } | null = null;
  let kRef: number | null = null;
  if (pitC !== null) {
    kRef = kReference(meat, pitAll, stallStart ?? lastMs);
    // After a stall only the readings since it ended describe the heating; during and before
    // it, the recent window does.
    k = kAt(meat, pitAll, lastMs, p.kWindowMs, stallEnd ?? Number.NEGATIVE_INFINITY);
    const startC = meat.tempAt(0);
    const progress = pitC - startC > 5 ? (tempC - startC) / (pitC - startC) : 1;
    if (k && rate15 !== null && historyMs < p.earlyHours * MS_PER_HOUR && progress < p.earlyProgress) {
      // The 15-min rate is the slope at the middle of its window, when the meat was cooler.
      const midC = tempC - (rate15 * widenFor(15 * MS_PER_MIN, gapMs)) / 2 / MS_PER_HOUR;
      k = caughtUpK(k, rate15, pitC - midC);
    }
  }
  const peak = peakRate(meat, stallStart ?? lastMs, gapMs);
  const fit30 = fitOver(meat, lastMs, 30 * MS_PER_MIN, gapMs);
  const fit60 = fitOver(meat, lastMs, MS_PER_HOUR, gapMs);
  const [nowFit, rateWindowMs] = fit30 ? [fit30, 30 * MS_PER_MIN] : fit15 ? [fit15, 15 * MS_PER_MIN] : [fit60, MS_PER_HOUR];
  const rateNow = nowFit?.rateCPerHour ?? null;
  return {
    nowMs,
    lastMs,
    tempC,
    noiseC: fit?.noiseC ?? 0.5,
    rate15,
    rate30: fit30?.rateCPerHour ?? null,
    rate60: fit60?.rateCPerHour ?? null,
    rateNow,
    rateNowRelSe: nowFit && nowFit.rateCPerHour > 0 ? nowFit.rateSe / nowFit.rateCPerHour : 0,
    rateNowAtC: rateNow === null ? null : tempC - (rateNow * widenFor(rateWindowMs, gapMs)) / 2 / MS_PER_HOUR,
    pitC,
    pitSdC,
    k: k?.k ?? null,
    kRelSd: k?.relSd ?? 1,
    kRef,
    peakRate: peak?.rate ?? null,
    peakRateAtC: peak?.tempC ?? null,
  };
};
