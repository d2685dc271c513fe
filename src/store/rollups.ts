/**
 * Rollup maintenance: per probe and bucket (6 h, 1 h, 10 min, 1 min) the count, sum, min and max with
 * their times. Kept in step with `readings` inside the same transaction (upsert on insert,
 * rebuild of the boundary bucket on prune), so a rollup always equals its raw rows.
 */
import type { Db } from "./db";
import { aggregateByBucket, bucketStart, rollItems, type SeriesItem } from "./downsample";

/** Rollup bucket sizes, coarsest first; each divides the one before (so levels build on each other). */
export const ROLLUP_LEVELS_MS: readonly number[] = [21_600_000, 3_600_000, 600_000, 60_000];
const FINEST_FIRST = [...ROLLUP_LEVELS_MS].reverse();
ROLLUP_LEVELS_MS.forEach((levelMs, i) => {
  const finer = ROLLUP_LEVELS_MS[i + 1];
  if (finer !== undefined && levelMs % finer !== 0) throw new Error("rollup levels must divide each other");
});

type RollupRow = [number, number, number, number, number | null, number | null, number | null, number | null, number, number];

const COLUMNS = "bucket_ms, n, n_null, sum_c, min_c, min_ts, max_c, max_ts, first_ts, last_ts";

const UPSERT = `
INSERT INTO rollups (level_ms, probe_pk, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (level_ms, probe_pk, bucket_ms) DO UPDATE SET
  n = n + excluded.n,
  n_null = n_null + excluded.n_null,
  sum_c = sum_c + excluded.sum_c,
  min_c = CASE WHEN excluded.min_c IS NOT NULL AND (min_c IS NULL OR excluded.min_c < min_c) THEN excluded.min_c ELSE min_c END,
  min_ts = CASE WHEN excluded.min_c IS NOT NULL AND (min_c IS NULL OR excluded.min_c < min_c
                  OR (excluded.min_c = min_c AND excluded.min_ts < min_ts)) THEN excluded.min_ts ELSE min_ts END,
  max_c = CASE WHEN excluded.max_c IS NOT NULL AND (max_c IS NULL OR excluded.max_c > max_c) THEN excluded.max_c ELSE max_c END,
  max_ts = CASE WHEN excluded.max_c IS NOT NULL AND (max_c IS NULL OR excluded.max_c > max_c
                  OR (excluded.max_c = max_c AND excluded.max_ts < max_ts)) THEN excluded.max_ts ELSE max_ts END,
  first_ts = min(first_ts, excluded.first_ts),
  last_ts = max(last_ts, excluded.last_ts)`;

const rowToItem = (r: RollupRow): SeriesItem => ({
  tsMs: r[0],
  n: r[1],
  nNull: r[2],
  sumC: r[3],
  minC: r[4],
  minTs: r[5],
  maxC: r[6],
  maxTs: r[7],
  firstTs: r[8],
  lastTs: r[9],
});

export const createRollups = (db: Db) => {
  const upsert = db.prepare(UPSERT);
  const replace = db.prepare(`INSERT OR REPLACE INTO rollups (level_ms, probe_pk, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const deleteOne = db.prepare("DELETE FROM rollups WHERE level_ms = ? AND probe_pk = ? AND bucket_ms = ?");
  const deleteBefore = db.prepare("DELETE FROM rollups WHERE level_ms = ? AND probe_pk = ? AND bucket_ms < ?");
  const select = db
    .prepare(`SELECT ${COLUMNS} FROM rollups WHERE level_ms = ? AND probe_pk = ? AND bucket_ms BETWEEN ? AND ? ORDER BY bucket_ms`)
    .raw(true);
  const rawRows = db.prepare("SELECT ts_ms, temp_c FROM readings WHERE probe_pk = ? AND ts_ms BETWEEN ? AND ? ORDER BY ts_ms").raw(true);
  const countAll = db.prepare("SELECT coalesce(sum(n + n_null), 0) FROM rollups WHERE level_ms = ?").pluck();

  const write = (stmt: typeof upsert, levelMs: number, pk: number, it: SeriesItem): void => {
    stmt.run(levelMs, pk, it.tsMs, it.n, it.nNull, it.sumC, it.minC, it.minTs, it.maxC, it.maxTs, it.firstTs, it.lastTs);
  };

  /** Recomputes one bucket from its raw rows (after a prune cut through it). */
  const rebuildBucket = (levelMs: number, pk: number, startMs: number): void => {
    const rows = rawRows.all(pk, startMs, startMs + levelMs - 1) as [number, number | null][];
    const item = aggregateByBucket(
      rows.map(([tsMs, tempC]) => ({ tsMs, tempC })),
      levelMs,
    ).get(startMs);
    if (item) write(replace, levelMs, pk, item);
    else deleteOne.run(levelMs, pk, startMs);
  };

  return {
    /** Folds newly inserted readings of one probe into every level (call inside the insert transaction). */
    add(pk: number, readings: readonly { tsMs: number; tempC: number | null }[]): void {
      let items: Iterable<SeriesItem> | null = null;
      for (const levelMs of FINEST_FIRST) {
        const buckets: Map<number, SeriesItem> = items === null ? aggregateByBucket(readings, levelMs) : rollItems(items, levelMs);
        for (const item of buckets.values()) write(upsert, levelMs, pk, item);
        items = buckets.values();
      }
    },
    /** After raw rows of `pk` before `cutMs` were deleted: drop whole buckets, rebuild the partial one. */
    pruneBefore(pk: number, cutMs: number): void {
      for (const levelMs of ROLLUP_LEVELS_MS) {
        const start = bucketStart(cutMs, levelMs);
        deleteBefore.run(levelMs, pk, start);
        if (start < cutMs) rebuildBucket(levelMs, pk, start);
      }
    },
    /** Buckets of one level whose start lies in [fromMs, toMs], ascending. */
    read(levelMs: number, pk: number, fromMs: number, toMs: number): SeriesItem[] {
      return (select.all(levelMs, pk, fromMs, toMs) as RollupRow[]).map(rowToItem);
    },
    /** Total readings (with or without temperature), from the coarsest level. */
    countReadings(): number {
      return countAll.get(ROLLUP_LEVELS_MS[0]) as number;
    },
  };
};

export type Rollups = ReturnType<typeof createRollups>;
