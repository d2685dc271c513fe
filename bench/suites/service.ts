/**
 * The shipped process, `node dist/main.js`, in demo mode with a temp data dir:
 *  - startup_ms: spawn → first 200 from /api/health (median of 3 fresh starts);
 *  - rss_idle_mb: VmRSS a few seconds after start (first polls done);
 *  - api_p95_ms / api_errors: autocannon in a process of its own (bench/child/load-child.ts),
 *    100 connections for 10 s — 50 on /api/probes and 50 on /api/history as the panel's live view
 *    asks it (every probe, last 4 h, 1500 points, `format=columns`) — against a service whose
 *    data dir holds the 14-day history db (if built).
 */
import { execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DB_FILE_NAME } from "../../src/store";
import { workDir, type BenchContext } from "../lib/context";
import { cleanEnv, cpuSeconds, DIST_MAIN, REPO_DIR, freePort, rssMb, spawnService, waitForHealth, writeOptions, type ServiceProcess } from "../lib/process";
import { figure, type Figure } from "../lib/report";
import { median, percentile, round, sleep } from "../lib/stats";
import { timedGet } from "../lib/servers";
import type { LoadReply, LoadResult, LoadSpec } from "../child/load-child";
import { historyDbPath } from "./history";

const requireBuild = (): void => {
  if (!existsSync(DIST_MAIN)) throw new Error("dist/main.js is missing: npm run build has not succeeded");
};

const startDemo = async (dir: string, options: Record<string, unknown> = {}): Promise<{ svc: ServiceProcess; startupMs: number }> => {
  const port = await freePort();
  const env = cleanEnv({
    GRILL_STATS_OPTIONS: writeOptions(dir, { poll_interval_seconds: 5, ...options }),
    GRILL_STATS_DATA_DIR: join(dir, "data"),
    GRILL_STATS_PORT: String(port),
  });
  const t0 = performance.now();
  const svc = spawnService({ entry: DIST_MAIN, port, env });
  try {
    const readyAt = await waitForHealth(svc);
    return { svc, startupMs: readyAt - t0 };
  } catch (err) {
    await svc.stop();
    throw err;
  }
};

/**
 * Baseline for rss_idle_mb: a bare node process that imports every package dist/main.js imports
 * and listens on a port, nothing else — what the platform costs before any of our code runs.
 */
const dependencyBaselineMb = async (ctx: BenchContext): Promise<{ mb: number; packages: string[] }> => {
  const bundle = readFileSync(DIST_MAIN, "utf8");
  const packages = [...new Set([...bundle.matchAll(/^import\s[^;]*?["']([^"'.][^"']*)["'];?$/gm)].map((m) => m[1]!).filter((p) => !p.startsWith("node:")))].sort();
  const dir = workDir(ctx, "deps-baseline");
  symlinkSync(join(REPO_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  const entry = join(dir, "deps.mjs");
  writeFileSync(entry, `${packages.map((p) => `import ${JSON.stringify(p)};`).join("\n")}\nimport { createServer } from "node:http";\ncreateServer((_q, s) => s.end("ok")).listen(0, "127.0.0.1");\n`);
  const child = spawn(process.execPath, [entry], { stdio: "ignore" });
  try {
    await sleep(2_000);
    if (child.pid === undefined || child.exitCode !== null) throw new Error(`the dependency baseline process exited (${child.exitCode})`);
    return { mb: rssMb(child.pid), packages };
  } finally {
    child.kill("SIGTERM");
  }
};

export const runStartupAndIdle = async (ctx: BenchContext): Promise<Figure[]> => {
  requireBuild();
  const starts: number[] = [];
  for (let i = 0; i < (ctx.quick ? 1 : 3); i++) {
    const { svc, startupMs } = await startDemo(workDir(ctx, `startup-${i}`));
    starts.push(startupMs);
    await svc.stop();
  }
  const { svc } = await startDemo(workDir(ctx, "idle"));
  try {
    await sleep(ctx.quick ? 2_000 : 6_000);
    const idle = rssMb(svc.pid);
    const base = await dependencyBaselineMb(ctx);
    return [
      figure("startup_ms", median(starts), "ms", `spawn → /api/health 200, fresh data dir, demo mode; ${starts.map((s) => Math.round(s)).join(", ")} ms`),
      figure(
        "rss_idle_mb",
        idle,
        "MB",
        `VmRSS of node dist/main.js ${ctx.quick ? 2 : 6} s after start (demo mode, polling every 5 s); ` +
          `a bare node importing its packages (${base.packages.join(", ")}) and listening: ${round(base.mb)} MB`,
      ),
    ];
  } finally {
    await svc.stop();
  }
};

const LOAD_CHILD = join(REPO_DIR, "bench", "child", "load-child.ts");

/** Runs `spec` in a fresh load-generator process (see bench/child/load-child.ts). */
const loadInChild = (spec: LoadSpec): Promise<LoadReply> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", LOAD_CHILD, JSON.stringify(spec)], { cwd: REPO_DIR, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`the load generator failed: ${err.message} ${stderr.slice(0, 500)}`));
      try {
        resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as LoadReply);
      } catch {
        reject(new Error(`the load generator printed no result: ${stdout.slice(0, 200)} ${stderr.slice(0, 500)}`));
      }
    });
  });

const load = async (url: string, connections: number, durationS: number, headers: Record<string, string> = {}): Promise<LoadResult> =>
  (await loadInChild({ durationS, loads: [{ url, connections, headers }] })).results[0] as LoadResult;

const errorsOf = (r: LoadResult): number => r.errors + r.timeouts + r.non2xx;
const breakdown = (route: string, r: LoadResult): string => `${route}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`;

export const runApiLoad = async (ctx: BenchContext): Promise<Figure[]> => {
  requireBuild();
  const dir = workDir(ctx, "api");
  const seeded = existsSync(historyDbPath(ctx));
  if (seeded) {
    workDir(ctx, "api/data");
    copyFileSync(historyDbPath(ctx), join(dir, "data", DB_FILE_NAME));
  }
  const { svc, startupMs } = await startDemo(dir);
  try {
    await sleep(2_000);
    const probesText = await (await fetch(`${svc.url}/api/probes`)).text();
    const probes = JSON.parse(probesText) as Array<{ id: string }>;
    const now = Date.now();
    const pairsPath = `/api/history?probe=${probes.map((p) => encodeURIComponent(p.id)).join(",")}&from=${now - 4 * 3_600_000}&to=${now + 60_000}&points=1500`;
    const historyPath = `${pairsPath}&format=columns`;
    const plainBytes = async (path: string): Promise<number> =>
      (await (await fetch(`${svc.url}${path}`, { headers: { "accept-encoding": "identity" } })).arrayBuffer()).byteLength;
    const historyBytes = await plainBytes(historyPath);
    const pairsBytes = await plainBytes(pairsPath);
    const durationS = ctx.quick ? 3 : 10;
    const cpuBefore = cpuSeconds(svc.pid);
    const mixed = await loadInChild({
      durationS,
      loads: [
        { url: `${svc.url}/api/probes`, connections: 50 },
        { url: `${svc.url}${historyPath}`, connections: 50 },
      ],
    });
    const [p, h] = mixed.results as [LoadResult, LoadResult];
    // Who was busy: the service, or the load generator (autocannon keeps every body as a string).
    const serviceCpu = (cpuSeconds(svc.pid) - cpuBefore) / durationS;
    const generatorCpu = mixed.cpuPerSecond;
    for (const [route, l] of [["/api/probes", p], ["/api/history", h]] as const) {
      if (l.latencies.length === 0) throw new Error(`no ${route} response completed within ${durationS} s under 50 connections (${l.errors} errors)`);
    }
    const all = [...p.latencies, ...h.latencies];
    const rps = (l: LoadResult, s = durationS): number => Math.round(l.latencies.length / s);
    // Diagnostics: what each route costs on its own.
    const aloneS = ctx.quick ? 2 : 3;
    const probesAlone = await load(`${svc.url}/api/probes`, 100, aloneS);
    // As a browser asks (the panel through ingress): gzip accepted, so the cached gzipped answer goes out.
    const historyGzip = await load(`${svc.url}${historyPath}`, 100, aloneS, { "accept-encoding": "gzip, deflate, br" });
    const historyOne: number[] = [];
    for (let i = 0; i < 20; i++) historyOne.push((await timedGet(`${svc.url}${historyPath}`)).ms);
    return [
      ...(seeded
        ? [figure("startup_history_ms", startupMs, "ms", "spawn → /api/health 200 of the same service with the 14-day db (8 probes × 5 s) in its data dir")]
        : []),
      figure(
        "api_p95_ms",
        percentile(all, 95),
        "ms",
        `100 connections ${durationS} s: /api/probes p95 ${round(percentile(p.latencies, 95))} ms (p50 ${round(median(p.latencies))}, ${rps(p)} req/s), ` +
          `/api/history (${probes.length} probes, 4 h, 1500 pts, columns) p95 ${round(percentile(h.latencies, 95))} ms (p50 ${round(median(h.latencies))}, ${rps(h)} req/s); ` +
          `data dir ${seeded ? "seeded with the 14-day history db" : "fresh"}; CPU during the load: service ${Math.round(serviceCpu * 100)} %, autocannon ${Math.round(generatorCpu * 100)} % of one core. Alone: /api/probes 100 conns p95 ${round(percentile(probesAlone.latencies, 95))} ms ` +
          `at ${rps(probesAlone, aloneS)} req/s (answer ${round(probesText.length / 1024)} KB); /api/history 100 conns with Accept-Encoding: gzip ` +
          `p95 ${round(percentile(historyGzip.latencies, 95))} ms at ${rps(historyGzip, aloneS)} req/s (answer ${round(historyBytes / 1024)} KB plain; ${round(pairsBytes / 1024)} KB in the pairs layout); one /api/history at a time p50 ${round(median(historyOne))} ms`,
      ),
      figure(
        "api_errors",
        errorsOf(p) + errorsOf(h),
        "",
        `of ${all.length} responses — ${breakdown("/api/probes", p)}; ${breakdown("/api/history", h)} (autocannon timeout 10 s)`,
      ),
    ];
  } finally {
    await svc.stop();
  }
};
