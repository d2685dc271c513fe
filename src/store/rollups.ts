/**
 * Rollup maintenance: per probe and bucket (6 h, 1 h, 10 min, 2 min, 1 min) the count, sum, min and max with
 * their times. Kept in step with `readings` inside the same transaction (upsert on insert,
 * rebuild of the boundary bucket on prune), so a rollup always equals its raw rows.
 */
import type { SeriesColumns } from "./columns";
import type { Db } from "./db";
import { aggregateByBucket, bucketStart, rollItems, type SeriesItem } from "./downsample";

/** Rollup bucket sizes, coarsest first; each divides the one before (so levels build on each other). */
export const ROLLUP_LEVELS_MS: readonly number[] = [21_600_000, 3_600_000, 600_000, 120_000, 60_000];
const FINEST_FIRST = [...ROLLUP_LEVELS_MS].reverse();
ROLLUP_LEVELS_MS.forEach((levelMs, i) => {
  const finer = ROLLUP_LEVELS_MS[i + 1];
  if (finer !== undefined && levelMs % finer !== 0) throw new Error("rollup levels must divide each other");
});

/** bucket_ms, min_c, max_c, packed offsets (see DRAW_COLUMNS). */
type DrawRow = [number, number | null, number | null, number];
type DrawRowWithPk = [number, ...DrawRow];

/**
 * What drawing needs from a bucket, in as few values as possible (each value handed to JS costs
 * more than reading the row): the offsets of min_ts and max_ts from the bucket start (each below
 * the largest level, < 2^25 ms) packed into one integer (< 2^50, exact), or for a bucket with only
 * unplugged readings -1 - (first_ts offset).
 */
const OFFSET_SCALE = 2 ** 25;
const DRAW_COLUMNS = `bucket_ms, min_c, max_c, coalesce((min_ts - bucket_ms) * ${OFFSET_SCALE} + (max_ts - bucket_ms), -1 - (first_ts - bucket_ms))`;
if (Math.max(...ROLLUP_LEVELS_MS) > OFFSET_SCALE) throw new Error("rollup level too wide for the packed offsets");

const pushDrawRow = (cols: SeriesColumns, bucketMs: number, minC: number | null, maxC: number | null, packed: number): void => {
  if (packed < 0 || minC === null || maxC === null) {
    cols.push(bucketMs, null, null, null, null, bucketMs + (packed < 0 ? -1 - packed : 0));
    return;
  }
  const minOff = Math.floor(packed / OFFSET_SCALE);
  // first_ts only matters for buckets without a temperature, so the bucket start stands in here.
  cols.push(bucketMs, minC, bucketMs + minOff, maxC, bucketMs + (packed - minOff * OFFSET_SCALE), bucketMs);
};

type RollupRow = [number, number, number, number, number | null, number | null, number | null, number | null, number, number];

const COLUMNS = "bucket_ms, n, n_null, sum_c, min_c, min_ts, max_c, max_ts, first_ts, last_ts";

const ROW_PARAMS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/** Rows per multi-row upsert statement (fewer statement round trips per batch). */
const UPSERT_CHUNK = 16;

const upsertSql = (rows: number): string => `
INSERT INTO rollups (level_ms, probe_pk, ${COLUMNS}) VALUES ${Array.from({ length: rows }, () => ROW_PARAMS).join(", ")}
ON CONFLICT (level_ms, bucket_ms, probe_pk) DO UPDATE SET
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
  const upsertOne = db.prepare(upsertSql(1));
  const upsertChunk = db.prepare(upsertSql(UPSERT_CHUNK));
  const replace = db.prepare(`INSERT OR REPLACE INTO rollups (level_ms, probe_pk, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const deleteOne = db.prepare("DELETE FROM rollups WHERE level_ms = ? AND probe_pk = ? AND bucket_ms = ?");
  // Bounded below by the probe's oldest bucket, so the scan covers only the span being pruned.
  const deleteBefore = db.prepare("DELETE FROM rollups WHERE level_ms = ? AND bucket_ms >= ? AND bucket_ms < ? AND probe_pk = ?");
  const select = db
    .prepare(`SELECT ${COLUMNS} FROM rollups WHERE level_ms = ? AND bucket_ms BETWEEN ? AND ? AND probe_pk = ? ORDER BY bucket_ms`)
    .raw(true);
  const selectDrawOne = db
    .prepare(`SELECT ${DRAW_COLUMNS} FROM rollups WHERE level_ms = ? AND bucket_ms BETWEEN ? AND ? AND probe_pk = ? ORDER BY bucket_ms`)
    .raw(true);
  const selectDrawPacked = db
    .prepare(
      `SELECT ((bucket_ms - @from) / @level) * @m + probe_pk, ${DRAW_COLUMNS.slice("bucket_ms, ".length)} FROM rollups ` +
        "WHERE level_ms = @level AND bucket_ms BETWEEN @from AND @to ORDER BY bucket_ms, probe_pk",
    )
    .raw(true);
  const selectDrawAll = db
    .prepare(`SELECT probe_pk, ${DRAW_COLUMNS} FROM rollups WHERE level_ms = ? AND bucket_ms BETWEEN ? AND ? ORDER BY bucket_ms, probe_pk`)
    .raw(true);
  const rawRows = db.prepare("SELECT ts_ms, temp_c FROM readings WHERE probe_pk = ? AND ts_ms BETWEEN ? AND ? ORDER BY ts_ms").raw(true);
  const countAll = db.prepare("SELECT coalesce(sum(n + n_null), 0) FROM rollups WHERE level_ms = ?").pluck();

  const write = (stmt: typeof replace, levelMs: number, pk: number, it: SeriesItem): void => {
    stmt.run(levelMs, pk, it.tsMs, it.n, it.nNull, it.sumC, it.minC, it.minTs, it.maxC, it.maxTs, it.firstTs, it.lastTs);
  };

  /** Upserts rows given as flat parameter lists of 12, UPSERT_CHUNK rows per statement. */
  const upsertRows = (params: (number | null)[]): void => {
    const rows = params.length / 12;
    const chunkLen = 12 * UPSERT_CHUNK;
    let i = 0;
    for (; i + chunkLen <= params.length; i += chunkLen) upsertChunk.run(params.slice(i, i + chunkLen));
    for (; i < rows * 12; i += 12) upsertOne.run(params.slice(i, i + 12));
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
    /**
     * Folds newly inserted readings (grouped by probe key) into every level: one upsert per
     * (level, bucket, probe) touched by the batch, not one per reading. Call inside the insert
     * transaction, with only the rows that were actually inserted.
     */
    addAll(byPk: ReadonlyMap<number, readonly { tsMs: number; tempC: number | null }[]>): void {
      const params: (number | null)[] = [];
      for (const [pk, readings] of byPk) {
        let items: Iterable<SeriesItem> | null = null;
        for (const levelMs of FINEST_FIRST) {
          const buckets: Map<number, SeriesItem> = items === null ? aggregateByBucket(readings, levelMs) : rollItems(items, levelMs);
          for (const it of buckets.values()) {
            params.push(levelMs, pk, it.tsMs, it.n, it.nNull, it.sumC, it.minC, it.minTs, it.maxC, it.maxTs, it.firstTs, it.lastTs);
          }
          items = buckets.values();
        }
      }
      upsertRows(params);
    },
    /** After raw rows of `pk` before `cutMs` were deleted: drop whole buckets, rebuild the partial one. */
    pruneBefore(pk: number, cutMs: number, oldestMs: number): void {
      for (const levelMs of ROLLUP_LEVELS_MS) {
        const start = bucketStart(cutMs, levelMs);
        deleteBefore.run(levelMs, bucketStart(oldestMs, levelMs), start, pk);
        if (start < cutMs) rebuildBucket(levelMs, pk, start);
      }
    },
    /** Buckets of one level whose start lies in [fromMs, toMs], ascending. */
    read(levelMs: number, pk: number, fromMs: number, toMs: number): SeriesItem[] {
      return (select.all(levelMs, fromMs, toMs, pk) as RollupRow[]).map(rowToItem);
    },
    /**
     * The drawing columns (bucket start, min and max with times, first time) of one level's
     * buckets in [fromMs, toMs] for each wanted probe key, appended to `into` in time order.
     * All probes are read in one index scan when most of them are wanted; then bucket and probe
     * key come packed in one integer (bucket index × 2^k + key) when that is exact.
     */
    readColumns(levelMs: number, fromMs: number, toMs: number, into: ReadonlyMap<number, SeriesColumns>, series: { count: number; maxPk: number }): void {
      if (into.size * 2 < series.count) {
        for (const [pk, cols] of into) {
          for (const r of selectDrawOne.all(levelMs, fromMs, toMs, pk) as DrawRow[]) pushDrawRow(cols, r[0], r[1], r[2], r[3]);
        }
        return;
      }
      const m = 2 ** Math.ceil(Math.log2(series.maxPk + 1));
      if (fromMs % levelMs === 0 && (Math.floor((toMs - fromMs) / levelMs) + 1) * m <= Number.MAX_SAFE_INTEGER) {
        for (const r of selectDrawPacked.all({ level: levelMs, from: fromMs, to: toMs, m }) as DrawRow[]) {
          const index = Math.floor(r[0] / m);
          const cols = into.get(r[0] - index * m);
          if (cols) pushDrawRow(cols, fromMs + index * levelMs, r[1], r[2], r[3]);
        }
        return;
      }
      for (const r of selectDrawAll.all(levelMs, fromMs, toMs) as DrawRowWithPk[]) {
        const cols = into.get(r[0]);
        if (cols) pushDrawRow(cols, r[1], r[2], r[3], r[4]);
      }
    },
    /** Total readings (with or without temperature), from the coarsest level. */
    countReadings(): number {
      return countAll.get(ROLLUP_LEVELS_MS[0]) as number;
    },
  };
};

export type Rollups = ReturnType<typeof createRollups>;
