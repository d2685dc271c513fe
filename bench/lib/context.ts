/** What every benchmark suite receives, and a wrapper that turns a crash into ERROR figures. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createLogger, errorMessage, type RootLogger } from "../../src/shared";
import { failedFigure, type Figure } from "./report";

export interface BenchContext {
  /** BENCH_QUICK=1: smaller data, shorter runs (smoke test, quick looks). */
  quick: boolean;
  /** A temporary directory for this run (removed at the end). */
  tmpDir: string;
  /** Progress (stderr), so stdout stays figures only. */
  log(msg: string): void;
}

/** A sub-directory of the run's temp dir. */
export const workDir = (ctx: BenchContext, name: string): string => {
  const dir = join(ctx.tmpDir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** Logger for in-process modules under test: warnings and errors only, to stderr. */
export const benchLogger = (): RootLogger => createLogger({ level: "warn", sink: { write: (line) => process.stderr.write(line) } });

/**
 * Runs a suite; if it throws, every key it promised becomes an ERROR figure with the reason
 * (a missing build, a module that does not compile yet …) and the other suites still run.
 */
export const guarded = async (
  ctx: BenchContext,
  name: string,
  keys: ReadonlyArray<readonly [key: string, unit: string]>,
  run: () => Promise<Figure[]>,
): Promise<Figure[]> => {
  const t0 = performance.now();
  ctx.log(`[${name}] start`);
  try {
    const figures = await run();
    ctx.log(`[${name}] done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const seen = new Set(figures.map((f) => f.key));
    const missing = keys.filter(([k]) => !seen.has(k)).map(([k, unit]) => failedFigure(k, unit, `${name} did not report it`));
    return [...figures, ...missing];
  } catch (err) {
    const reason = `${name} failed: ${errorMessage(err).split("\n")[0] ?? ""}`;
    ctx.log(`[${name}] ${reason}`);
    if (err instanceof Error && err.stack) ctx.log(err.stack);
    return keys.map(([k, unit]) => failedFigure(k, unit, reason));
  }
};
