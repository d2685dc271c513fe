/**
 * ingest_per_s / ingest_ratio: readings per second through `store.insertReadings` (the real
 * write path: validation, probe keys, INSERT OR IGNORE, rollups, one transaction per call) in
 * batches as the poller delivers them (one reading per probe = 8 per call), and in large
 * batches (backfill); each divided by a bare better-sqlite3 prepared INSERT loop in ONE
 * transaction into the same `readings` table (the store's own schema, a scratch db, same pragmas).
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { openStore } from "../../src/store";
import { benchLogger, workDir, type BenchContext } from "../lib/context";
import { figure, type Figure } from "../lib/report";
import { round } from "../lib/stats";
import { benchDevice, benchProbes, readingBatches, type SeriesSpec } from "../lib/synthetic";

const PROBES = 8;
const STEP_MS = 5_000;
const LARGE_BATCH_POLLS = 125; // 1000 readings per call

const specFor = (readings: number): SeriesSpec => {
  const toMs = Date.UTC(2025, 0, 1);
  return { probes: benchProbes(PROBES), fromMs: toMs - (readings / PROBES - 1) * STEP_MS, toMs, stepMs: STEP_MS };
};

/** Readings per second of `store.insertReadings`, batches of `pollsPerBatch` polls, fresh db. */
const storeRate = (dir: string, spec: SeriesSpec, pollsPerBatch: number, withCatalog: boolean): number => {
  const store = openStore({ dataDir: dir, logger: benchLogger() });
  try {
    store.upsertDevices([benchDevice()]);
    store.upsertProbes(spec.probes);
    const batches = [...readingBatches(spec, pollsPerBatch)];
    const devices = [benchDevice()];
    const t0 = performance.now();
    let n = 0;
    for (const batch of batches) {
      if (withCatalog) {
        // What main.ts does on every poll:result before inserting.
        store.upsertDevices(devices);
        store.upsertProbes(spec.probes);
      }
      n += store.insertReadings(batch).length;
    }
    const s = (performance.now() - t0) / 1000;
    if (n !== batches.reduce((a, b) => a + b.length, 0)) throw new Error(`store kept ${n} of the readings`);
    return n / s;
  } finally {
    store.close();
  }
};

/** The baseline: a prepared INSERT into the store's `readings` table in a scratch db, `perTx` readings per transaction. */
const bareRate = (dir: string, spec: SeriesSpec, perTx: number): number => {
  // Let the store create the schema and pragmas, then write to its table directly.
  const path = join(dir, "scratch.db");
  const store = openStore({ path, logger: benchLogger() });
  store.upsertProbes(spec.probes);
  store.close();
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    const pkOf = new Map((db.prepare("SELECT probe_id, pk FROM series").raw(true).all() as [string, number][]).map(([id, pk]) => [id, pk]));
    const insert = db.prepare("INSERT INTO readings (probe_pk, ts_ms, temp_c) VALUES (?, ?, ?)");
    const rows: [number, number, number | null][] = [];
    for (const batch of readingBatches(spec, 1000)) for (const r of batch) rows.push([pkOf.get(r.probeId)!, r.tsMs, r.tempC]);
    const tx = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const row = rows[i]!;
        insert.run(row[0], row[1], row[2]);
      }
    });
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += perTx) tx(i, Math.min(rows.length, i + perTx));
    return rows.length / ((performance.now() - t0) / 1000);
  } finally {
    db.close();
  }
};

export const runIngest = async (ctx: BenchContext): Promise<Figure[]> => {
  const pollReadings = ctx.quick ? 4_000 : 48_000;
  const largeReadings = ctx.quick ? 40_000 : 400_000;
  const pollSpec = specFor(pollReadings);
  const largeSpec = specFor(largeReadings);

  const bare = bareRate(workDir(ctx, "ingest-bare"), largeSpec, Number.MAX_SAFE_INTEGER);
  const barePerPoll = bareRate(workDir(ctx, "ingest-bare-poll"), pollSpec, PROBES);
  ctx.log(`[ingest] bare loop: ${Math.round(bare)}/s in one transaction, ${Math.round(barePerPoll)}/s one transaction per ${PROBES}`);
  const perPoll = storeRate(workDir(ctx, "ingest-poll"), pollSpec, 1, false);
  const large = storeRate(workDir(ctx, "ingest-large"), largeSpec, LARGE_BATCH_POLLS, false);
  const withCatalog = storeRate(workDir(ctx, "ingest-main"), specFor(ctx.quick ? 2_000 : 16_000), 1, true);
  const r = (v: number): string => Math.round(v).toLocaleString("en-US");

  return [
    figure("ingest_per_s", perPoll, "/s", `insertReadings, ${PROBES} readings per call (one poll), ${r(pollReadings)} readings into a fresh db`),
    figure(
      "ingest_ratio",
      perPoll / bare,
      "×",
      `${r(perPoll)}/s ÷ bare prepared INSERT loop in one transaction ${r(bare)}/s (same table and pragmas, scratch db); ` +
        `bare loop committing every ${PROBES} rows: ${r(barePerPoll)}/s (store ÷ that = ${round(perPoll / barePerPoll, 2)}); ` +
        `with main.ts's upsertDevices+upsertProbes per poll: ${r(withCatalog)}/s`,
    ),
    figure("ingest_batch_per_s", large, "/s", `insertReadings, ${LARGE_BATCH_POLLS * PROBES} readings per call, ${r(largeReadings)} readings`),
    figure("ingest_batch_ratio", large / bare, "×", `${r(large)}/s ÷ bare one-transaction loop ${r(bare)}/s (same rows)`),
  ];
};
