/**
 * Stall detection: a state machine on the smoothed rate of rise of a meat probe.
 *
 * The stall is evaporative cooling: the wet surface holds the meat near the wet-bulb temperature
 * until it dries (or is wrapped). What the probe shows is the rate of rise collapsing. We call it
 * a stall when the robust rate over the last `rateWindowMs` is either nearly flat
 * (≤ `flatCPerHour`) or slow (≤ `slowCPerHour`) and at most `dropRatio` of the median rate
 * in the `lookbackMs` before, for at least `dwellMs`, while the meat is in the plausible band
 * (`bandC`; a prior only — real stalls start anywhere from about 60 to 80 °C). Noise around the
 * threshold does not cancel a candidate (hysteresis), but the median rate over the dwell must be
 * a stall's too (or within `confirmSlackCPerHour` of flat): one low fit is not a stall. The stall
 * ends when the rate is back above max(`exitCPerHour`, twice the lowest rate in the stall, but at
 * most `exitCapCPerHour`) for `exitDwellMs`, or when the meat has risen `exitRiseC` above the
 * stall temperature. A stall resuming within `mergeGapMs` continues the previous one.
 */
import type { StallState } from "../shared";
import { median } from "./math";
import { localFit, lowerBound, MS_PER_HOUR, MS_PER_MIN, SampleBuffer, typicalGapMs, widenFor } from "./samples";

export interface StallOptions {
  rateWindowMs: number;
  lookbackMs: number;
  flatCPerHour: number;
  slowCPerHour: number;
  dropRatio: number;
  /** At the end of the dwell, its median rate confirms the stall up to this above `flatCPerHour`. */
  confirmSlackCPerHour: number;
  /** A candidate stall is cancelled only when the rate climbs this far above `slowCPerHour`. */
  hysteresisCPerHour: number;
  /** The stall ends when the rate is back above max(this, 2 × the lowest rate in the stall) … */
  exitCPerHour: number;
  /** … but never needs more than this: meat that climbs this fast for `exitDwellMs` is heating. */
  exitCapCPerHour: number;
  /** … or the meat has risen this far above the stall temperature. */
  exitRiseC: number;
  /** A new stall within this time after the last one ended continues it. */
  mergeGapMs: number;
  dwellMs: number;
  exitDwellMs: number;
  bandC: [number, number];
  /**
   * A fall between two readings of more than this, and faster than `coolCPerHour` over the time
   * between them, is the probe disturbed (handled, nudged, pulled and put back), not heat: no
   * stall starts on the rates whose window holds it, nor do they count in the medians.
   */
  disturbC: number;
  coolCPerHour: number;
}

export const DEFAULT_STALL_OPTIONS: StallOptions = {
  rateWindowMs: 15 * MS_PER_MIN,
  lookbackMs: 60 * MS_PER_MIN,
  // Below 2: a big brisket crawls at 1.6–2.5 °C/h for hours before it truly stalls (the 18 lb
  // one was called stalled at 1.8 °C/h, 47 min before its plateau).
  flatCPerHour: 1.5,
  slowCPerHour: 6,
  // Of the median rate before (0.6 of the highest, as it was, called stalls on noise: the highest
  // of an hour of noisy rates is the noise's peak).
  dropRatio: 0.7,
  confirmSlackCPerHour: 0.5,
  hysteresisCPerHour: 2,
  exitCPerHour: 4,
  // A slowdown that never went below 2.5 °C/h (a mild plateau, the spell after a wrap) asked for
  // 5+ °C/h, and a meat climbing at 5 °C/h stayed "stalled": the heat-ledger pork for 36 min
  // (its 1 h forecast 76 min late), the pork shoulder in whole °F for 48 min after the wrap.
  exitCapCPerHour: 5,
  exitRiseC: 5,
  mergeGapMs: 60 * MS_PER_MIN,
  dwellMs: 10 * MS_PER_MIN,
  exitDwellMs: 10 * MS_PER_MIN,
  bandC: [55, 85],
  // Above two whole-°F steps (1.1 °C): a probe read in whole °F moves a step down on noise alone.
  disturbC: 1.5,
  coolCPerHour: 20,
};

export interface StallDetector {
  /**
   * `resolutionC`: for a probe that reports only when its reading moved by this much (an RFX
   * Meat probe's delta trigger), the step; null for one that reports on a clock.
   */
  update(tsMs: number, tempC: number, resolutionC?: number | null): StallState;
  state(): StallState;
  /** Current smoothed rate, °C/h (null until enough data). */
  rateCPerHour(): number | null;
  reset(): void;
}

interface Internal {
  samples: SampleBuffer;
  /** The fitted rate (°C/h) at each reading. */
  rates: SampleBuffer;
  stalled: boolean;
  sinceMs: number | null;
  endedMs: number | null;
  /** When the last stall's end was seen (endedMs is back-dated to where the rise began). */
  exitedMs: number | null;
  /** When the rate first met the condition (dwell counts from here). */
  candidateMs: number | null;
  /** … and when the change began, backdated by half the rate window (the fit's lag). */
  candidateStartMs: number | null;
  stallTempC: number | null;
  minRate: number;
  lastRate: number | null;
  lastTs: number | null;
  /** The last reading that fell faster than heat can cool the meat (see `disturbC`). */
  disturbedMs: number | null;
  /** Where the reading changed (ts, new value): for a probe that reports on change, its reports. */
  levels: SampleBuffer;
  /**
   * The first of `levels` is only when the detector first saw the reading (mid-hold after a
   * restart or a reinsertion), not when it was reported; null once it has been trimmed away.
   */
  firstSeenMs: number | null;
}

const fresh = (): Internal => ({
  samples: new SampleBuffer(),
  rates: new SampleBuffer(),
  stalled: false,
  sinceMs: null,
  endedMs: null,
  exitedMs: null,
  candidateMs: null,
  candidateStartMs: null,
  stallTempC: null,
  minRate: Number.POSITIVE_INFINITY,
  lastRate: null,
  lastTs: null,
  disturbedMs: null,
  levels: new SampleBuffer(),
  firstSeenMs: null,
});

export function createStallDetector(opts: Partial<StallOptions> = {}): StallDetector {
  const o: StallOptions = { ...DEFAULT_STALL_OPTIONS, ...opts };
  let s = fresh();
  /** Readings and rates kept: the rate window plus the lookback before it. */
  const keepFor = (windowMs: number): number => Math.max(windowMs, o.lookbackMs) + windowMs + 5 * MS_PER_MIN;

  /**
   * The rate window for the current sampling: `rateWindowMs`, or wide enough for ~4.5 readings
   * when the probe reports less often, so a sparse probe gets a (smoother, later) rate rather
   * than none.
   */
  const windowFor = (): number => widenFor(o.rateWindowMs, typicalGapMs(s.samples));

  const snapshot = (): StallState => {
    const now = s.lastTs ?? 0;
    const durationMs = s.sinceMs === null ? 0 : (s.stalled ? now : (s.endedMs ?? now)) - s.sinceMs;
    return { stalled: s.stalled, sinceMs: s.sinceMs, endedMs: s.stalled ? null : s.endedMs, durationMs: Math.max(0, durationMs) };
  };

  /**
   * The median rate in the (lookback − rateWindowMs) before the current rate window — (tsMs −
   * lookback, tsMs − rateWindowMs] for a dense probe: what the meat was doing just before. Not
   * the highest: where the rates are noisy (a probe that reads in whole °F, one reading every
   * 2 min, dropouts) the highest is the noise's peak, and any ordinary rate looked like a drop
   * from it (the 18 lb brisket in whole °F: called stalled 201 min before its plateau).
   */
  const rateBefore = (tsMs: number, windowMs: number): number | null =>
    medianRate(tsMs - o.lookbackMs - windowMs + o.rateWindowMs, tsMs - windowMs);

  /** Median of the rates fitted in [fromMs, toMs]; null when there are none. */
  const medianRate = (fromMs: number, toMs: number): number | null => {
    const rates: number[] = [];
    for (let i = lowerBound(s.rates, fromMs); i < s.rates.length && s.rates.tsAt(i) <= toMs; i++) rates.push(s.rates.tempAt(i));
    return rates.length === 0 ? null : median(rates);
  };

  /**
   * At the end of the dwell: is the typical rate since the candidate began a stall's too? A
   * noisy probe dips below the thresholds now and then while the meat climbs at 3–4 °C/h, and
   * hysteresis alone then lets the dip become a stall.
   */
  const confirmed = (tsMs: number, tempC: number, windowMs: number): boolean => {
    const typical = medianRate(s.candidateMs ?? tsMs, tsMs);
    return typical !== null && (typical <= o.flatCPerHour + o.confirmSlackCPerHour || isStallRate(typical, tsMs, tempC, windowMs));
  };

  const isStallRate = (rate: number, tsMs: number, tempC: number, windowMs: number): boolean => {
    if (tempC < o.bandC[0] || tempC > o.bandC[1]) return false;
    if (rate <= o.flatCPerHour) return true;
    if (rate > o.slowCPerHour) return false;
    const before = rateBefore(tsMs, windowMs);
    return before !== null && rate <= o.dropRatio * before;
  };

  /**
   * The rate of a probe that reports only when it moved a step (`resolutionC`), from its reports
   * rather than from a line through the staircase the add-on records between them: a line over
   * 15 min of one held reading says 0 °C/h whatever the meat does (at 3 °F a brisket climbing
   * 2 °C/h holds each reading for 48 min, and was called stalled 226 min before its plateau).
   * A report comes when the meat moved a step, so the slope between reports a step or more
   * apart is the rate: from the earliest report within the rate window before the last, or
   * further back until the two are a step apart (an RFX Meat probe's core is the coldest of its
   * sensors, and an upload set off by another sensor moves it by less). A report that has not
   * come tells that the meat has not moved a step since the last one: the rate is at most a step
   * over the time since, either way.
   */
  const reportedRate = (tsMs: number, resolutionC: number, windowMs: number): number | null => {
    const n = s.levels.length;
    const first = s.firstSeenMs !== null && s.levels.tsAt(0) === s.firstSeenMs ? 1 : 0;
    if (n - first < 2) return null;
    const lastMs = s.levels.tsAt(n - 1);
    const lastC = s.levels.tempAt(n - 1);
    // Readings converted from °F to 0.001 °C: a whole step can come out a hair short of one.
    const stepC = resolutionC * 0.95;
    let j = n - 2;
    while (j > first && (s.levels.tsAt(j - 1) >= lastMs - windowMs || Math.abs(lastC - s.levels.tempAt(j)) < stepC)) j--;
    const between = (lastC - s.levels.tempAt(j)) / ((lastMs - s.levels.tsAt(j)) / MS_PER_HOUR);
    const capCPerHour = resolutionC / Math.max((tsMs - lastMs) / MS_PER_HOUR, 1 / 60);
    return Math.sign(between) * Math.min(Math.abs(between), capCPerHour);
  };

  const enter = (tempC: number, rate: number): void => {
    const start = s.candidateStartMs ?? s.lastTs ?? 0;
    // A stall that resumes soon after it ended is the same stall: the surface water it spends
    // does not come back, so its clock keeps running from the first start.
    const resumed = s.endedMs !== null && s.sinceMs !== null && start - s.endedMs <= o.mergeGapMs;
    s.stalled = true;
    s.sinceMs = resumed ? s.sinceMs : start;
    s.stallTempC = resumed && s.stallTempC !== null ? Math.min(s.stallTempC, tempC) : tempC;
    s.endedMs = null;
    s.minRate = rate;
    s.candidateMs = null;
  };

  const update = (tsMs: number, tempC: number, resolutionC: number | null = null): StallState => {
    if (s.lastTs !== null && tsMs <= s.lastTs) return snapshot();
    const n0 = s.samples.length;
    if (n0 > 0) {
      const fallC = s.samples.tempAt(n0 - 1) - tempC;
      if (fallC > Math.max(o.disturbC, (o.coolCPerHour * (tsMs - s.samples.tsAt(n0 - 1))) / MS_PER_HOUR)) s.disturbedMs = tsMs;
    }
    s.lastTs = tsMs;
    s.samples.push(tsMs, tempC);
    const reported = resolutionC !== null && resolutionC > 0;
    if (reported) {
      const n = s.levels.length;
      if (n === 0) s.firstSeenMs = tsMs;
      if (n === 0 || s.levels.tempAt(n - 1) !== tempC) s.levels.push(tsMs, tempC);
      // Reports stop in a stall: keep the last few whatever their age.
      if (s.levels.length > 64) s.levels.dropBefore(s.levels.tsAt(s.levels.length - 64));
    }
    const windowMs = windowFor();
    const keepMs = keepFor(windowMs);
    s.samples.dropBefore(tsMs - keepMs);
    const fit = localFit(s.samples, tsMs, windowMs, 4);
    if (!fit) return snapshot();
    const rate = reported ? reportedRate(tsMs, resolutionC, windowMs) : fit.rateCPerHour;
    if (rate === null) return snapshot();
    s.lastRate = rate;
    // A dip and its recovery in the rate window: its rate is the probe's, not the meat's (a 5 °C
    // dip on the 18 lb brisket's 2.5 °C/h crawl was called a stall 101 min before its plateau),
    // and it stays out of the medians the later rates are measured against.
    const disturbed = s.disturbedMs !== null && tsMs - s.disturbedMs < windowMs;
    if (!disturbed) s.rates.push(tsMs, rate);
    s.rates.dropBefore(tsMs - keepMs);

    const outOfBand = fit.tempC < o.bandC[0] || fit.tempC > o.bandC[1] + 2;
    if (!s.stalled) {
      // For a merge gap after a stall ended, meat that has risen out of it is not stalling again: it
      // would resume that stall and leave it at once (risen). After the pork shoulder's wrap one
      // probe started a stall 4 times in 70 min (2 now; 13 → 9 stall starts over the six cooks).
      const risenOut = s.exitedMs !== null && s.stallTempC !== null && tsMs - s.exitedMs <= o.mergeGapMs && fit.tempC - s.stallTempC >= o.exitRiseC;
      if (risenOut) s.candidateMs = null;
      else if (s.candidateMs === null) {
        if (!disturbed && isStallRate(rate, tsMs, fit.tempC, windowMs)) {
          s.candidateMs = tsMs;
          s.candidateStartMs = tsMs - windowMs / 2;
        }
      } else if (outOfBand || rate > o.slowCPerHour + o.hysteresisCPerHour) {
        // Only a clear recovery cancels a candidate; noise around the threshold does not.
        s.candidateMs = null;
      }
      if (s.candidateMs !== null && tsMs - s.candidateMs >= o.dwellMs) {
        if (confirmed(tsMs, fit.tempC, windowMs)) enter(fit.tempC, rate);
        else s.candidateMs = null;
      }
      return snapshot();
    }
    s.minRate = Math.min(s.minRate, rate);
    const risen = s.stallTempC !== null && fit.tempC - s.stallTempC >= o.exitRiseC;
    const exitRate = Math.max(o.exitCPerHour, Math.min(2 * Math.max(s.minRate, 1), o.exitCapCPerHour));
    if (risen || outOfBand || rate >= exitRate) {
      if (s.candidateMs === null) {
        s.candidateMs = tsMs;
        s.candidateStartMs = tsMs - windowMs / 2;
      }
      if (risen || tsMs - s.candidateMs >= o.exitDwellMs) {
        s.stalled = false;
        s.endedMs = Math.max(s.sinceMs ?? 0, s.candidateStartMs ?? tsMs);
        s.exitedMs = tsMs;
        s.candidateMs = null;
      }
    } else s.candidateMs = null;
    return snapshot();
  };

  return {
    update,
    state: snapshot,
    rateCPerHour: () => s.lastRate,
    reset: () => {
      s = fresh();
    },
  };
}
