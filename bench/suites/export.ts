/**
 * export_rss_ratio / export_loop_ratio: a cook exported as CSV, each run in a fresh process
 * (bench/child/export-child.ts), the add-on's route against the baseline that reads every reading
 * at once and answers with one string. Ratios of that baseline to ours: how much less the peak
 * resident memory grows, and how much shorter the longest wait of the event loop is (polls,
 * alarms and other requests wait that long).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import type { ExportReply, ExportSpec } from "../child/export-child";
import { workDir, type BenchContext } from "../lib/context";
import { REPO_DIR } from "../lib/process";
import { figure, type Figure } from "../lib/report";
import { round } from "../lib/stats";

const CHILD = join(REPO_DIR, "bench", "child", "export-child.ts");

const exportOnce = (spec: ExportSpec): Promise<ExportReply> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, ["--expose-gc", "--import", "tsx", CHILD, JSON.stringify(spec)], { cwd: REPO_DIR, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`the export child failed: ${err.message} ${stderr.slice(0, 500)}`));
      try {
        resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as ExportReply);
      } catch (e) {
        reject(new Error(`the export child said: ${stdout.slice(0, 300)} (${String(e)})`));
      }
    });
  });

export const runExport = async (ctx: BenchContext): Promise<Figure[]> => {
  const hours = ctx.quick ? 24 : 72;
  const run = (mode: ExportSpec["mode"]) => exportOnce({ dir: workDir(ctx, `export-${mode}`), hours, format: "csv", mode });
  const whole = await run("whole");
  const ours = await run("ours");
  const what = `${hours} h × 10 probes at 5 s as CSV (${round(ours.bytes / 1e6)} MB)`;
  return [
    figure("export_rss_ratio", whole.rssGrowthMb / Math.max(ours.rssGrowthMb, 1), "×", `${what}: peak RSS growth, all at once ${round(whole.rssGrowthMb)} MB ÷ ours ${round(ours.rssGrowthMb)} MB (at least 1 MB counted)`),
    figure("export_loop_ratio", whole.maxLoopDelayMs / Math.max(ours.maxLoopDelayMs, 5), "×", `${what}: longest event-loop wait, all at once ${round(whole.maxLoopDelayMs)} ms ÷ ours ${round(ours.maxLoopDelayMs)} ms (at least 5 ms counted); time ${round(whole.ms)} / ${round(ours.ms)} ms`),
  ];
};
