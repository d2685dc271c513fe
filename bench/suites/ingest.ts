/**
 * ingest_per_s / ingest_ratio: readings per second through `store.insertReadings` (the real
 * write path: validation, probe keys, INSERT OR IGNORE, rollups, one transaction per call) in
 * 1000-reading calls, divided by a bare better-sqlite3 prepared INSERT loop over the same rows in
 * ONE transaction into the same `readings` table (the store's own schema, a scratch db, same
 * pragmas). ingest_poll_per_s / ingest_poll_ratio (INFO): one poll (8 readings) per call, against
 * the fair baseline for that granularity, a bare loop committing every 8 rows. Each ratio is the
 * median of paired rounds (store and bare back to back, fresh dbs), since these machines are noisy.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { openStore } from "../../src/store";
import { benchLogger, workDir, type BenchContext } from "../lib/context";
import { figure, type Figure } from "../lib/report";
import { median } from "../lib/stats";
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

/** Median over rounds of (store rate, bare rate, store ÷ bare), each round on fresh dbs, run back to back. */
const pairedRounds = (
  ctx: BenchContext,
  name: string,
  rounds: number,
  store: (dir: string) => number,
  bare: (dir: string) => number,
): { store: number; bare: number; ratio: number } => {
  const s: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate the order so neither side always runs on the warmer (or more loaded) half.
    const bareDir = workDir(ctx, `${name}-bare-${i}`);
    const storeDir = workDir(ctx, `${name}-store-${i}`);
    let bv: number;
    let sv: number;
    if (i % 2 === 0) {
      bv = bare(bareDir);
      sv = store(storeDir);
    } else {
      sv = store(storeDir);
      bv = bare(bareDir);
    }
    b.push(bv);
    s.push(sv);
    ratios.push(sv / bv);
  }
  return { store: median(s), bare: median(b), ratio: median(ratios) };
};

export const runIngest = async (ctx: BenchContext): Promise<Figure[]> => {
  const rounds = ctx.quick ? 1 : 3;
  const pollReadings = ctx.quick ? 4_000 : 24_000;
  const largeReadings = ctx.quick ? 40_000 : 400_000;
  const pollSpec = specFor(pollReadings);
  const largeSpec = specFor(largeReadings);
  const r = (v: number): string => Math.round(v).toLocaleString("en-US");

  // Headline: the store's real write path in 1000-reading calls vs the bare loop over the same rows in ONE transaction.
  const large = pairedRounds(ctx, "ingest-large", rounds, (d) => storeRate(d, largeSpec, LARGE_BATCH_POLLS, false), (d) => bareRate(d, largeSpec, Number.MAX_SAFE_INTEGER));
  ctx.log(`[ingest] ${LARGE_BATCH_POLLS * PROBES} per call: store ${r(large.store)}/s, bare one-transaction loop ${r(large.bare)}/s`);
  // Per poll (8 readings per call, one transaction each) vs a bare loop committing every 8 rows.
  const poll = pairedRounds(ctx, "ingest-poll", rounds, (d) => storeRate(d, pollSpec, 1, false), (d) => bareRate(d, pollSpec, PROBES));
  ctx.log(`[ingest] ${PROBES} per call: store ${r(poll.store)}/s, bare loop committing every ${PROBES} rows ${r(poll.bare)}/s`);
  const withCatalog = storeRate(workDir(ctx, "ingest-main"), specFor(ctx.quick ? 2_000 : 16_000), 1, true);
  const of = `median of ${rounds} paired round${rounds === 1 ? "" : "s"} on fresh dbs`;

  return [
    figure("ingest_per_s", large.store, "/s", `insertReadings, ${LARGE_BATCH_POLLS * PROBES} readings per call (validation, keys, INSERT OR IGNORE, rollups, one transaction per call), ${r(largeReadings)} readings; ${of}`),
    figure(
      "ingest_ratio",
      large.ratio,
      "×",
      `store ${r(large.store)}/s ÷ bare prepared INSERT loop over the same rows in ONE transaction ${r(large.bare)}/s (same table and pragmas, scratch db); ${of}`,
    ),
    figure("ingest_poll_per_s", poll.store, "/s", `insertReadings, ${PROBES} readings per call (one poll, one transaction each), ${r(pollReadings)} readings; ${of}`),
    figure(
      "ingest_poll_ratio",
      poll.ratio,
      "×",
      `store ${r(poll.store)}/s ÷ bare prepared INSERT loop committing every ${PROBES} rows ${r(poll.bare)}/s (same rows); ` +
        `with main.ts's upsertDevices+upsertProbes per poll: ${r(withCatalog)}/s`,
    ),
  ];
};
