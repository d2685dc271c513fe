/**
 * history_p95_ms / history_ratio: `/api/history` over real HTTP on the real app, a 24 h window
 * at 1000 points per probe for all 8 probes, out of 14 days at 5 s (≈ 1.9 M rows); windows end at
 * seeded-random times so the page cache is not always hot. Baseline: the naive way (raw rows via
 * `readingsBetween` + `downsampleMinMax` in JS) behind the same kind of HTTP server, same queries.
 *
 * history_scaling: the same query over 365 days ÷ over 1 day, on one db (4 probes at 60 s: the
 * rollup rows a query reads do not depend on the raw step once the step is ≤ the 1-min bucket).
 */
import { join } from "node:path";
import { DB_FILE_NAME, openStore, pickLevelMs, type SqliteStore } from "../../src/store";
import { benchLogger, workDir, type BenchContext } from "../lib/context";
import { figure, type Figure } from "../lib/report";
import { median, percentile, round, seededRandom } from "../lib/stats";
import { checkHistory, historyUrl, startNaiveServer, startRealApp, timedGet, type RunningServer } from "../lib/servers";
import { benchDevice, benchProbes, readingBatches, readingCount, type SeriesSpec } from "../lib/synthetic";

const DAY_MS = 86_400_000;
const POINTS = 1000;

/** Where the 14-day history db is left for the service benchmarks (copied into a data dir). */
export const historyDbPath = (ctx: BenchContext): string => join(ctx.tmpDir, "history", DB_FILE_NAME);

/** Fills a fresh store through `insertReadings` (rollups included); returns readings/s. */
const buildStore = (dir: string, spec: SeriesSpec, pollsPerBatch: number): { store: SqliteStore; rows: number; perS: number } => {
  const store = openStore({ dataDir: dir, logger: benchLogger() });
  store.upsertDevices([benchDevice()]);
  store.upsertProbes(spec.probes);
  const t0 = performance.now();
  let rows = 0;
  for (const batch of readingBatches(spec, pollsPerBatch)) rows += store.insertReadings(batch).length;
  return { store, rows, perS: rows / ((performance.now() - t0) / 1000) };
};

const timedQueries = async (urls: readonly string[], ids: readonly string[]): Promise<number[]> => {
  const out: number[] = [];
  for (const url of urls) {
    const res = await timedGet(url);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.body.slice(0, 200)}`);
    checkHistory(res.body, ids, POINTS);
    out.push(res.ms);
  }
  return out;
};

const closeAll = async (servers: RunningServer[], store: SqliteStore): Promise<void> => {
  for (const s of servers) await s.close();
  store.close();
};

export const runHistory = async (ctx: BenchContext): Promise<Figure[]> => {
  const days = ctx.quick ? 1 : 14;
  const nowMs = Math.floor(Date.now() / 1000) * 1000;
  const spec: SeriesSpec = { probes: benchProbes(8), fromMs: nowMs - days * DAY_MS, toMs: nowMs, stepMs: 5_000 };
  const ids = spec.probes.map((p) => p.id);
  ctx.log(`[history] building ${days} days × 8 probes × 5 s = ${readingCount(spec).toLocaleString("en-US")} readings`);
  const { store, rows, perS } = buildStore(join(ctx.tmpDir, "history"), spec, 720);
  const servers = [await startRealApp(store, workDir(ctx, "history-app")), await startNaiveServer(store)];
  const [ours, naive] = servers as [RunningServer, RunningServer];
  try {
    const random = seededRandom(42);
    const windows = (n: number): Array<{ from: number; to: number }> =>
      Array.from({ length: n }, () => {
        const to = nowMs - Math.floor(random() * Math.max(0, days - 1) * DAY_MS);
        return { from: to - DAY_MS, to };
      });
    const urls = (base: string, list: Array<{ from: number; to: number }>): string[] => list.map((w) => historyUrl(base, ids, w.from, w.to, POINTS));
    await timedQueries(urls(ours.url, windows(5)), ids);
    await timedQueries(urls(naive.url, windows(1)), ids);
    const measured = windows(ctx.quick ? 20 : 200);
    const oursMs = await timedQueries(urls(ours.url, measured), ids);
    const naiveMs = await timedQueries(urls(naive.url, windows(ctx.quick ? 3 : 20)), ids);
    // Diagnostics: the store call alone on the same windows, and the answer's size.
    const storeMs = measured.slice(0, 50).map((w) => {
      const t0 = performance.now();
      store.history(ids, w.from, w.to, POINTS);
      return performance.now() - t0;
    });
    const bytes = (await timedGet(urls(ours.url, measured.slice(0, 1))[0]!)).body.length;
    const [op50, op95, np50, np95] = [median(oursMs), percentile(oursMs, 95), median(naiveMs), percentile(naiveMs, 95)];
    return [
      figure(
        "history_p95_ms",
        op95,
        "ms",
        `GET /api/history 8 probes × 24 h × ${POINTS} pts, ${oursMs.length} windows; p50 ${round(op50)} ms; store.history alone p50 ${round(median(storeMs))}, p95 ${round(percentile(storeMs, 95))} ms; ` +
          `answer ${round(bytes / 1024)} KB; db ${rows.toLocaleString("en-US")} rows (${days} d, built at ${Math.round(perS).toLocaleString("en-US")}/s)`,
      ),
      figure("history_ratio", np50 / op50, "×", `naive p50 ${round(np50)} ms ÷ ours p50 ${round(op50)} ms (p95: ${round(np95)} ÷ ${round(op95)} = ${round(np95 / op95)}×), ${naiveMs.length} naive windows`),
    ];
  } finally {
    await closeAll(servers, store);
  }
};

export const runScaling = async (ctx: BenchContext): Promise<Figure[]> => {
  const days = ctx.quick ? 30 : 365;
  const probeCount = ctx.quick ? 2 : 4;
  const nowMs = Math.floor(Date.now() / 1000) * 1000;
  const spec: SeriesSpec = { probes: benchProbes(probeCount), fromMs: nowMs - days * DAY_MS, toMs: nowMs, stepMs: 60_000 };
  const ids = spec.probes.map((p) => p.id);
  ctx.log(`[scaling] building ${days} days × ${probeCount} probes × 60 s = ${readingCount(spec).toLocaleString("en-US")} readings`);
  const { store, rows } = buildStore(workDir(ctx, "scaling"), spec, 1440);
  const app = await startRealApp(store, workDir(ctx, "scaling-app"));
  try {
    const longFrom = nowMs - days * DAY_MS;
    const shortFrom = nowMs - DAY_MS;
    const longUrl = historyUrl(app.url, ids, longFrom, nowMs, POINTS);
    const shortUrl = historyUrl(app.url, ids, shortFrom, nowMs, POINTS);
    await timedQueries([longUrl, shortUrl, longUrl, shortUrl], ids);
    const longMs: number[] = [];
    const shortMs: number[] = [];
    const longStore: number[] = [];
    const shortStore: number[] = [];
    for (let i = 0; i < (ctx.quick ? 5 : 15); i++) {
      longMs.push(...(await timedQueries([longUrl], ids)));
      shortMs.push(...(await timedQueries([shortUrl], ids)));
      let t0 = performance.now();
      store.history(ids, longFrom, nowMs, POINTS);
      longStore.push(performance.now() - t0);
      t0 = performance.now();
      store.history(ids, shortFrom, nowMs, POINTS);
      shortStore.push(performance.now() - t0);
    }
    const levelS = (from: number): number => pickLevelMs(from, nowMs, POINTS) / 1000;
    const [l, s, ls, ss] = [median(longMs), median(shortMs), median(longStore), median(shortStore)];
    return [
      figure(
        "history_scaling",
        l / s,
        "×",
        `GET /api/history p50 from=${days} d ago ${round(l)} ms ÷ from=1 d ago ${round(s)} ms (${probeCount} probes, ${POINTS} pts; ` +
          `rollup level ${levelS(longFrom)} s vs ${levelS(shortFrom)} s; store.history alone ${round(ls)} ÷ ${round(ss)} ms = ${round(ls / ss)}×); ` +
          `db ${rows.toLocaleString("en-US")} rows at 60 s${ctx.quick ? " (quick: 30 d)" : ""}`,
      ),
    ];
  } finally {
    await closeAll([app], store);
  }
};
