/** Plain-text tables for the `--all` backtest. */
import type { BacktestSummary, CookResult } from "./run";

const min = (s: number | null): string => (s === null ? "  n/a" : `${Math.round(s / 60)}`.padStart(5));
const pctCell = (v: number | null): string => (v === null ? "   n/a" : `${v.toFixed(1)}%`.padStart(6));
const label = (s: number): string => (s >= 3600 ? `${s / 3600}h` : `${s / 60}min`);

export const formatReport = (cooks: readonly CookResult[], summary: BacktestSummary): string => {
  const lines: string[] = [];
  lines.push("Done-time error at checkpoints before the real done time (minutes): ours / A (weighted 20-min line) / B (1-h line)");
  for (const c of cooks) {
    lines.push(`\n${c.file}  target ${c.targetC ?? "n/a"} °C${c.skipped.length ? `  (never reached: ${c.skipped.join(", ")})` : ""}`);
    for (const p of c.probes) {
      const cov = p.withRange > 0 ? `${((100 * p.inside) / p.withRange).toFixed(0)}%` : "n/a";
      lines.push(`  ${p.probe.padEnd(10)} done at ${p.truthS === null ? "n/a" : `${(p.truthS / 3600).toFixed(2)} h`}  coverage ${cov} of ${p.withRange}/${p.moments} moments`);
      for (const cp of p.checkpoints) {
        lines.push(`    ${label(cp.beforeS).padStart(5)} before: ours ${min(cp.oursErrS)}  A ${min(cp.aErrS)}  B ${min(cp.bErrS)}   (remaining ${Math.round(cp.remainingS / 60)} min)`);
      }
    }
  }
  lines.push("\nSummary: median absolute error as % of the time remaining");
  lines.push("  checkpoint    n     ours       A       B");
  for (const s of summary.checkpoints) {
    lines.push(`  ${label(s.beforeS).padStart(10)} ${String(s.n).padStart(4)}   ${pctCell(s.oursPct)}  ${pctCell(s.aPct)}  ${pctCell(s.bPct)}`);
  }
  const pct = (v: number | null): string => (v === null ? "n/a" : `${v}%`);
  lines.push(`  P10–P90 coverage: ${pct(summary.coverage)} of moments with a range (${pct(summary.withRangeShare)} of moments had one; mean width ${summary.meanRelWidth === null ? "n/a" : `${summary.meanRelWidth}×`} the time remaining)`);
  lines.push("\nStall detection (detection time − documented start):");
  for (const s of summary.stalls) {
    const detected = s.detectedS === null ? "none" : `${(s.detectedS / 3600).toFixed(2)} h (${s.probe})`;
    const ref = s.expected === null ? "no reference" : s.refStartS === null ? "documented: none" : `documented ${(s.refStartS / 3600).toFixed(2)} h`;
    const delay = s.delayS === null ? "" : `  delay ${Math.round(s.delayS / 60)} min`;
    lines.push(`  ${s.file.padEnd(42)} ${ref.padEnd(18)} detected ${detected}${delay}`);
  }
  return `${lines.join("\n")}\n`;
};
