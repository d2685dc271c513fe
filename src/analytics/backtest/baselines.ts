/**
 * The two naive predictors the backtest compares against. Both see the same clean series as our
 * predictor (spikes and handling already removed), so the comparison is about the model.
 *  A: a weighted straight line over the last 20 minutes, weights rising linearly with recency;
 *  B: a straight line over the last hour.
 * ETA = (target − line value now) / slope; null when the line does not rise.
 */
import { fitLine } from "../math";
import { between, MS_PER_HOUR, MS_PER_MIN, type Series } from "../samples";

const MIN_RISE_C_PER_H = 1e-6;

const lineEta = (series: Series, nowMs: number, targetC: number, windowMs: number, weighted: boolean): number | null => {
  const w = between(series, nowMs - windowMs, nowMs);
  if (w.length < 3) return null;
  const xs = w.map((s) => (s.tsMs - nowMs) / MS_PER_HOUR);
  const weights = weighted ? w.map((s) => Math.max(1e-3, (s.tsMs - (nowMs - windowMs)) / windowMs)) : undefined;
  const fit = fitLine(xs, w.map((s) => s.tempC), 0, weights);
  if (!fit) return null;
  if (fit.intercept >= targetC) return 0;
  // A window of one held reading (a probe that reports on change) fits a slope of rounding error
  // (1e-30 °C/h), not a rise: an ETA of 10^31 s is no estimate either.
  if (fit.slope <= MIN_RISE_C_PER_H) return null;
  return Math.round(((targetC - fit.intercept) / fit.slope) * 3600);
};

export const baselineA = (series: Series, nowMs: number, targetC: number): number | null =>
  lineEta(series, nowMs, targetC, 20 * MS_PER_MIN, true);

export const baselineB = (series: Series, nowMs: number, targetC: number): number | null =>
  lineEta(series, nowMs, targetC, 60 * MS_PER_MIN, false);
