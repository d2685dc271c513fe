/**
 * What the predictor believed at each scored checkpoint of the recorded cooks (diagnostics):
 *   npx tsx src/analytics/backtest/explain.ts [--dir ../shared/data/cooks] [--target C] [cook-name-filter]
 * One line per checkpoint: time remaining, our P50 [P10, P90] and method, and the context the
 * forecast came from (pit level, k now / before the stall, rates, stall state). Start here before
 * changing a constant: most large errors are a regime or an input, not a tuning problem.
 */
import { resolve } from "node:path";
import { DEFAULT_PREDICT_PARAMS } from "../predict";
import { buildContext } from "../predict-context";
import { EMPTY_SERIES, MS_PER_MIN } from "../samples";
import { defaultTargetC, readCookCsv } from "./csv";
import { probeIdOf, replayCook } from "./replay";
import { evaluateCook, listCookFiles } from "./run";

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const num = (x: number | null, digits = 1): string => (x === null ? "–" : x.toFixed(digits));
const mins = (s: number | null): string => (s === null ? "null" : String(Math.round(s / 60)));

const main = (): void => {
  const dir = resolve(process.cwd(), arg("--dir") ?? "../shared/data/cooks");
  const targetArg = arg("--target");
  const filter = process.argv.slice(2).find((a, i, all) => !a.startsWith("--") && !["--dir", "--target"].includes(all[i - 1] ?? ""));
  for (const path of listCookFiles(dir)) {
    const file = readCookCsv(path);
    if (filter && !file.name.includes(filter)) continue;
    const targetC = targetArg !== undefined ? Number(targetArg) : defaultTargetC(file);
    const { result } = evaluateCook(file, targetC);
    const wanted = new Map(result.probes.flatMap((p) => p.checkpoints.map((c) => [`${p.probe}@${c.atS}`, { beforeS: c.beforeS, truthS: p.truthS as number }] as const)));
    const pitName = [...file.probes].find(([, role]) => role === "pit")?.[0];
    process.stdout.write(`\n${file.name}  target ${targetC ?? "n/a"} °C\n`);
    replayCook(file, targetC, {}, (m, engine) => {
      const w = wanted.get(`${m.probe}@${m.t_s}`);
      if (!w) return;
      const id = probeIdOf(m.probe);
      const state = engine.states().find((s) => s.id === id);
      const stall = state?.stall ?? null;
      const c = buildContext(m.t_s * 1000, engine.series(id), pitName ? engine.series(probeIdOf(pitName)) : EMPTY_SERIES, stall, DEFAULT_PREDICT_PARAMS);
      const nowMs = m.t_s * 1000;
      const stallText = !stall || stall.sinceMs === null ? "no stall"
        : stall.stalled ? `stalled ${Math.round((nowMs - stall.sinceMs) / MS_PER_MIN)} min`
        : `stall ended ${Math.round((nowMs - (stall.endedMs ?? nowMs)) / MS_PER_MIN)} min ago`;
      const ctx = c === null ? "no context"
        : `T ${num(c.tempC)} pit ${num(c.pitC, 0)}±${num(c.pitSdC)} k ${num(c.k, 3)}±${num(c.kRelSd, 2)} kRef ${num(c.kRef, 3)} rate15/30/60 ${num(c.rate15)}/${num(c.rate30)}/${num(c.rate60)}`;
      process.stdout.write(
        `  ${m.probe.padEnd(9)} ${String(w.beforeS / 60).padStart(3)} min before  t ${(m.t_s / 3600).toFixed(2)} h  remaining ${mins(w.truthS - m.t_s)}` +
          `  ours ${mins(m.eta_s)} [${mins(m.eta_p10_s)}, ${mins(m.eta_p90_s)}] ${m.method}  | ${ctx} | ${stallText}\n`,
      );
    });
  }
};

main();
