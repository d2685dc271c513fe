/**
 * Backtest over a folder of recorded cooks: replay each through the engine and score it.
 * Shared by the CLI and the regression tests.
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { errorMessage } from "../../shared";
import { defaultTargetC, readCookCsv, truthReachedS, type CookFile } from "./csv";
import {
  coverageOf, scoreProbe, scoreStall, summarizeCheckpoints, WRAP_REFERENCE,
  type CheckpointSummary, type ProbeResult, type StallResult,
} from "./metrics";
import { replayCook, type Moment, type ReplayOptions } from "./replay";

export interface RunOptions extends ReplayOptions {
  /** Replay the wraps documented for the cooks (WRAP_REFERENCE) as "wrap" notes. */
  documentedWraps?: boolean;
}

export interface CookResult {
  file: string;
  targetC: number | null;
  probes: ProbeResult[];
  /** Meat probes that never reached the target (not scored on ETA). */
  skipped: string[];
  stall: StallResult;
}

export interface BacktestSummary {
  checkpoints: CheckpointSummary[];
  coverage: number | null;
  withRangeShare: number | null;
  meanRelWidth: number | null;
  stalls: StallResult[];
}

export const evaluateCook = (file: CookFile, targetC: number | null, opts: RunOptions = {}): { result: CookResult; moments: Moment[] } => {
  const target = targetC ?? defaultTargetC(file);
  const { documentedWraps = false, ...replayOpts } = opts;
  const moments = replayCook(file, target, documentedWraps ? { ...replayOpts, wrapAtS: WRAP_REFERENCE[file.name] ?? null } : replayOpts);
  const probes: ProbeResult[] = [];
  const skipped: string[] = [];
  for (const [probe, role] of file.probes) {
    if (role !== "meat") continue;
    if (target === null || truthReachedS(file, probe, target) === null) skipped.push(probe);
    else probes.push(scoreProbe(file, probe, target, moments));
  }
  return { result: { file: file.name, targetC: target, probes, skipped, stall: scoreStall(file, moments) }, moments };
};

export const listCookFiles = (dir: string): string[] =>
  readdirSync(dir).filter((f) => f.toLowerCase().endsWith(".csv")).sort().map((f) => join(dir, f));

export const summarize = (cooks: readonly CookResult[]): BacktestSummary => {
  const probes = cooks.flatMap((c) => c.probes);
  return { checkpoints: summarizeCheckpoints(probes), ...coverageOf(probes), stalls: cooks.map((c) => c.stall) };
};

/**
 * Every cook of the folder. A file that cannot be read or replayed (a bad row, a wrong header) is
 * listed in `failed` with its reason, and the others are still scored.
 */
export const evaluateAll = (
  dir: string,
  targetC: number | null,
  opts: RunOptions = {},
  prepare: (file: CookFile) => CookFile = (f) => f,
): { cooks: CookResult[]; summary: BacktestSummary; failed: { file: string; error: string }[] } => {
  const cooks: CookResult[] = [];
  const failed: { file: string; error: string }[] = [];
  for (const path of listCookFiles(dir)) {
    try {
      cooks.push(evaluateCook(prepare(readCookCsv(path)), targetC, opts).result);
    } catch (err) {
      failed.push({ file: basename(path), error: errorMessage(err) });
    }
  }
  return { cooks, summary: summarize(cooks), failed };
};
