/**
 * Scoring of a replayed cook: done-time error at checkpoints before the real done time (ours and
 * the two baselines), P10–P90 coverage, and stall detection delay against the stalls documented
 * in the cooks README.
 */
import { median } from "../math";
import { truthReachedS, type CookFile } from "./csv";
import type { Moment } from "./replay";

export const CHECKPOINTS_S = [4 * 3600, 2 * 3600, 3600, 1800] as const;
/** A checkpoint exists when there is an evaluated moment at most this long before it. */
const CHECKPOINT_SLACK_S = 600;

/**
 * Stall starts documented in /work/shared/data/cooks/README.md (hours → seconds), and the cooks
 * documented as having none. Files not listed are scored without a reference.
 */
export const STALL_REFERENCE: Record<string, { startS: number | null }> = {
  "brisket-brisket-tracking-1.csv": { startS: 8.5 * 3600 },
  "unknown-meat-smart-smoker-course-1.csv": { startS: 5.0 * 3600 },
  "pork-shoulder-inkbird-bbq-data-1.csv": { startS: 6.0 * 3600 },
  "pork-heatledger-1.csv": { startS: 2.2 * 3600 },
  "unknown-meat-inkbird-bbq-data-2.csv": { startS: null },
  "roast-chicken-heatledger-1.csv": { startS: null },
};

/**
 * Wraps documented in the same README (hours → seconds): the brisket was wrapped at the end of
 * its plateau, about 10.5 h (the owner's notes), the pork shoulder at 6.85 h (16:38 in its
 * Notes.txt). `--wraps` replays them as "wrap" notes written at that moment.
 */
export const WRAP_REFERENCE: Record<string, number> = {
  "brisket-brisket-tracking-1.csv": 10.5 * 3600,
  "pork-shoulder-inkbird-bbq-data-1.csv": 6.85 * 3600,
};

export interface CheckpointResult {
  beforeS: number;
  atS: number;
  remainingS: number;
  /** Absolute error of the predicted done time, seconds; null = no estimate at that moment. */
  oursErrS: number | null;
  aErrS: number | null;
  bErrS: number | null;
  oursEtaS: number | null;
}

export interface ProbeResult {
  file: string;
  probe: string;
  targetC: number;
  truthS: number | null;
  checkpoints: CheckpointResult[];
  /** Moments before the truth: total, with a range, truth inside the range. */
  moments: number;
  withRange: number;
  inside: number;
  /** Mean of (P90 − P10) / time remaining over the moments with a range. */
  meanRelWidth: number | null;
}

export interface StallResult {
  file: string;
  refStartS: number | null;
  /** true: a stall is documented; false: documented as none; null: unknown file. */
  expected: boolean | null;
  /** First moment any meat probe reported stalled (detection time), and which probe. */
  detectedS: number | null;
  probe: string | null;
  delayS: number | null;
}

const err = (atS: number, etaS: number | null, truthS: number): number | null => (etaS === null ? null : Math.abs(atS + etaS - truthS));

export const scoreProbe = (file: CookFile, probe: string, targetC: number, moments: readonly Moment[]): ProbeResult => {
  const mine = moments.filter((m) => m.probe === probe);
  const truthS = truthReachedS(file, probe, targetC);
  const result: ProbeResult = { file: file.name, probe, targetC, truthS, checkpoints: [], moments: 0, withRange: 0, inside: 0, meanRelWidth: null };
  if (truthS === null) return result;
  for (const beforeS of CHECKPOINTS_S) {
    const wanted = truthS - beforeS;
    let at: Moment | null = null;
    for (const m of mine) if (m.t_s <= wanted) at = m;
    if (!at || wanted - at.t_s > CHECKPOINT_SLACK_S) continue;
    result.checkpoints.push({
      beforeS, atS: at.t_s, remainingS: truthS - at.t_s,
      oursErrS: err(at.t_s, at.eta_s, truthS), aErrS: err(at.t_s, at.baselineA_s, truthS), bErrS: err(at.t_s, at.baselineB_s, truthS),
      oursEtaS: at.eta_s,
    });
  }
  const widths: number[] = [];
  for (const m of mine) {
    if (m.t_s >= truthS) break;
    result.moments++;
    if (m.eta_p10_s === null || m.eta_p90_s === null) continue;
    result.withRange++;
    const remaining = truthS - m.t_s;
    if (m.eta_p10_s <= remaining && remaining <= m.eta_p90_s) result.inside++;
    widths.push((m.eta_p90_s - m.eta_p10_s) / remaining);
  }
  result.meanRelWidth = widths.length > 0 ? widths.reduce((a, b) => a + b, 0) / widths.length : null;
  return result;
};

export const scoreStall = (file: CookFile, moments: readonly Moment[]): StallResult => {
  const ref = STALL_REFERENCE[file.name];
  const first = moments.find((m) => m.stalled) ?? null;
  const refStartS = ref?.startS ?? null;
  return {
    file: file.name,
    refStartS,
    expected: ref === undefined ? null : refStartS !== null,
    detectedS: first?.t_s ?? null,
    probe: first?.probe ?? null,
    delayS: first && refStartS !== null ? first.t_s - refStartS : null,
  };
};

export interface CheckpointSummary {
  beforeS: number;
  n: number;
  /** Median absolute error as % of the time remaining (a missing estimate counts as infinitely wrong). */
  oursPct: number | null;
  aPct: number | null;
  bPct: number | null;
}

const pct = (errs: (number | null)[], remaining: number[]): number | null => {
  if (errs.length === 0) return null;
  const m = median(errs.map((e, i) => (e === null ? Number.POSITIVE_INFINITY : (100 * e) / (remaining[i] as number))));
  return Number.isFinite(m) ? Math.round(m * 10) / 10 : null;
};

export const summarizeCheckpoints = (probes: readonly ProbeResult[]): CheckpointSummary[] =>
  CHECKPOINTS_S.map((beforeS) => {
    const cps = probes.flatMap((p) => p.checkpoints.filter((c) => c.beforeS === beforeS));
    const remaining = cps.map((c) => c.remainingS);
    return {
      beforeS,
      n: cps.length,
      oursPct: pct(cps.map((c) => c.oursErrS), remaining),
      aPct: pct(cps.map((c) => c.aErrS), remaining),
      bPct: pct(cps.map((c) => c.bErrS), remaining),
    };
  });

export const coverageOf = (probes: readonly ProbeResult[]): { coverage: number | null; withRangeShare: number | null; meanRelWidth: number | null } => {
  const inside = probes.reduce((s, p) => s + p.inside, 0);
  const withRange = probes.reduce((s, p) => s + p.withRange, 0);
  const moments = probes.reduce((s, p) => s + p.moments, 0);
  const widths = probes.filter((p) => p.meanRelWidth !== null).map((p) => [p.meanRelWidth as number, p.withRange] as const);
  const wSum = widths.reduce((s, [, n]) => s + n, 0);
  return {
    coverage: withRange > 0 ? Math.round((1000 * inside) / withRange) / 10 : null,
    withRangeShare: moments > 0 ? Math.round((1000 * withRange) / moments) / 10 : null,
    meanRelWidth: wSum > 0 ? Math.round((100 * widths.reduce((s, [w, n]) => s + w * n, 0)) / wSum) / 100 : null,
  };
};
