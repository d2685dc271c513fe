/**
 * Leave-one-out check of the predictor constants we tuned on the recorded cooks:
 *   npx tsx src/analytics/backtest/loo.ts [--dir ../shared/data/cooks] [--grid '{"name":[values]}']
 * For every cook: pick the constants that score best on the OTHER cooks, then score the held-out
 * cook with them, next to its score with the constants picked on all cooks. If the two agree and
 * the picks are stable across folds, the constants are not fitted to any one cook.
 */
import { resolve } from "node:path";
import { DEFAULT_PREDICT_PARAMS, type PredictParams } from "../predict";
import { readCookCsv } from "./csv";
import { evaluateCook, listCookFiles, summarize, type CookResult } from "./run";

const DEFAULT_GRID: Record<string, number[]> = {
  stallProbability: [0.5, 0.7, 0.9],
  stallMedianH: [2, 2.5, 3],
  stallShape: [1.5, 2, 3],
  varPerHour: [0.005, 0.01, 0.02],
  kWindowMs: [30, 45, 60].map((m) => m * 60_000),
};

const combos = (grid: Record<string, number[]>): Partial<PredictParams>[] => {
  let out: Record<string, number>[] = [{}];
  for (const [k, values] of Object.entries(grid)) out = out.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  return out as Partial<PredictParams>[];
};

/** Lower is better: mean of the checkpoint median errors (% of remaining) + distance of coverage from 80 %. */
const objective = (cooks: readonly CookResult[]): number => {
  const s = summarize(cooks);
  const errs = s.checkpoints.filter((c) => c.n > 0).map((c) => c.oursPct ?? 200);
  const meanErr = errs.length > 0 ? errs.reduce((a, b) => a + b, 0) / errs.length : 200;
  return meanErr + 0.5 * Math.abs((s.coverage ?? 0) - 80);
};

const fmt = (p: Partial<PredictParams>): string =>
  Object.entries(p).map(([k, v]) => `${k}=${k.endsWith("Ms") ? `${v / 60_000}min` : v}`).join(" ");

const main = (): void => {
  const dirArg = process.argv.indexOf("--dir");
  const dir = resolve(process.cwd(), dirArg >= 0 ? (process.argv[dirArg + 1] ?? "") : "../shared/data/cooks");
  const files = listCookFiles(dir).map((p) => readCookCsv(p));
  // `--grid '{"blendHours":[0,0.25]}'` checks other constants (the rest stay at their defaults).
  const gridArg = process.argv.indexOf("--grid");
  const grid = combos(gridArg >= 0 ? (JSON.parse(process.argv[gridArg + 1] ?? "{}") as Record<string, number[]>) : DEFAULT_GRID);
  process.stderr.write(`evaluating ${grid.length} combinations × ${files.length} cooks …\n`);
  const results = grid.map((params) => files.map((f) => evaluateCook(f, null, { predictParams: params }).result));
  const best = (use: (cooks: CookResult[]) => CookResult[]): number => {
    let bi = 0;
    let bv = Number.POSITIVE_INFINITY;
    results.forEach((r, i) => {
      const v = objective(use(r));
      if (v < bv) {
        bv = v;
        bi = i;
      }
    });
    return bi;
  };
  const all = best((r) => r);
  const current = grid.findIndex((g) => Object.entries(g).every(([k, v]) => DEFAULT_PREDICT_PARAMS[k as keyof PredictParams] === v));
  process.stdout.write(`picked on all cooks: ${fmt(grid[all] as Partial<PredictParams>)}  (objective ${objective(results[all] as CookResult[]).toFixed(1)})\n`);
  if (current >= 0) process.stdout.write(`shipped defaults:    ${fmt(grid[current] as Partial<PredictParams>)}  (objective ${objective(results[current] as CookResult[]).toFixed(1)})\n`);
  const line = (label: string, cooks: CookResult[]): void => {
    const s = summarize(cooks);
    const cps = s.checkpoints.map((c) => `${c.beforeS / 3600}h ${c.oursPct ?? "n/a"}%`).join("  ");
    process.stdout.write(`${label.padEnd(34)} ${cps}  coverage ${s.coverage ?? "n/a"}%\n`);
  };
  const looPicks = files.map((_, i) => best((r) => r.filter((_, j) => j !== i)));
  process.stdout.write("\npooled over all cooks (median error % of remaining per checkpoint):\n");
  line("each cook scored with LOO pick", files.map((_, i) => results[looPicks[i] as number]?.[i] as CookResult));
  line("picked on all cooks (in-sample)", results[all] as CookResult[]);
  if (current >= 0) line("shipped defaults", results[current] as CookResult[]);
  process.stdout.write("\nheld-out cook                               picked without it                         held-out score: LOO pick / all-cooks pick\n");
  files.forEach((f, i) => {
    const pick = looPicks[i] as number;
    const held = (idx: number): string => {
      const r = results[idx]?.[i] as CookResult;
      const s = summarize([r]);
      const cps = s.checkpoints.filter((c) => c.n > 0).map((c) => `${c.beforeS / 3600}h:${c.oursPct ?? "n/a"}%`).join(" ");
      return `${cps || "no checkpoints"} cov ${s.coverage ?? "n/a"}%`;
    };
    process.stdout.write(`${f.name.padEnd(43)} ${fmt(grid[pick] as Partial<PredictParams>).padEnd(60)} ${held(pick)}  /  ${held(all)}\n`);
  });
};

main();
