/**
 * `npm run bench` (after `npm run build`): every benchmark, one line per figure with PASS/FAIL
 * against its budget; `npm run bench -- --json` also prints all figures as one JSON object on
 * the last line. BENCH_QUICK=1 runs smaller data sets; `--only=store,frontend,process,memory`
 * picks suites. Progress goes to stderr. Everything is built in a temp dir removed at the end.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "./lib/context";
import { machineInfo } from "./lib/machine";
import { formatLine, statusOf, toJson, type Figure, type Status } from "./lib/report";
import { runFrontendSuite } from "./suites/frontend";
import { runMemorySuite, runProcessSuite } from "./suites/process";
import { runStoreSuite } from "./suites/store";

/** In order, one at a time: running any two together skews the timings of both. */
const SUITES: ReadonlyArray<readonly [name: string, run: (ctx: BenchContext) => Promise<Figure[]>]> = [
  ["store", runStoreSuite],
  ["frontend", runFrontendSuite],
  ["process", runProcessSuite],
  ["memory", runMemorySuite],
];

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(" ");

const main = async (): Promise<void> => {
  const json = process.argv.includes("--json");
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7).split(",") ?? null;
  const quick = process.env.BENCH_QUICK === "1";
  const tmpDir = mkdtempSync(join(tmpdir(), "grill-stats-bench-"));
  const cleanup = (): void => rmSync(tmpDir, { recursive: true, force: true });
  process.once("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  const ctx: BenchContext = { quick, tmpDir, log: (msg) => process.stderr.write(`${msg}\n`) };
  const machine = { ...machineInfo(), loadAtStart: load() };
  const header = `# grill-stats bench${quick ? " (BENCH_QUICK)" : ""}: ${machine.cpus}× ${machine.cpuModel}, ${machine.memTotalGb} GB, node ${machine.node}, load ${machine.loadAtStart}`;
  process.stdout.write(`${header}\n`);

  const figures: Figure[] = [];
  const t0 = performance.now();
  try {
    for (const [name, run] of SUITES) {
      if (only && !only.includes(name)) continue;
      const got = await run(ctx);
      for (const f of got) process.stdout.write(`${formatLine(f)}\n`);
      figures.push(...got);
    }
  } finally {
    cleanup();
  }
  const totalS = Math.round((performance.now() - t0) / 1000);
  const count = (s: Status): string => `${figures.filter((f) => statusOf(f) === s).length} ${s}`;
  process.stdout.write(`# ${figures.length} figures: ${count("PASS")}, ${count("FAIL")}, ${count("INFO")}, ${count("ERROR")}; ${totalS} s; load at end ${load()}\n`);
  if (json) process.stdout.write(`${JSON.stringify(toJson(figures, { ...machine, loadAtEnd: load(), quick, totalS }))}\n`);
};

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
