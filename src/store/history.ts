/**
 * History reads that cost what is drawn, not what is stored: long ranges come from the coarsest
 * rollup level whose bucket fits in a drawn bucket (range / (points / 2)), with the ragged ends
 * of the range from raw rows, then min/max downsampling to at most `points` points per probe.
 */
import { BadRequestError, type HistoryPoint } from "../shared";
import type { Catalog } from "./catalog";
import type { Db } from "./db";
import { downsampleColumnsTo, drawBuckets, PointColumns, SeriesColumns, typicalStepOf } from "./columns";
import {
  itemFromReading,
  planCover,
  summarizeItems,
  type SeriesItem,
  type SeriesSummary,
} from "./downsample";
import { ROLLUP_LEVELS_MS, type Rollups } from "./rollups";

/**
 * The coarsest rollup level (ms) not wider than one drawn bucket (range / (points / 2): each
 * bucket is drawn as its min/max pair): no rollup bucket spans more than a drawn one, and every
 * extreme is still drawn at its own time; 0 = read raw rows.
 */
export const pickLevelMs = (fromMs: number, toMs: number, points: number): number =>
  ROLLUP_LEVELS_MS.find((levelMs) => levelMs <= (toMs - fromMs + 1) / drawBuckets(points)) ?? 0;

/** Buckets reserved per probe before the first row is read (they grow by doubling). */
const MAX_INITIAL_CAPACITY = 4096;

/**
 * Rows to reserve per probe for a window: its buckets, but no more than a typical answer up front.
 * A window of centuries (any caller can ask for one) must not reserve gigabytes.
 */
export const initialCapacity = (fromMs: number, toMs: number, levelMs: number): number =>
  levelMs === 0 ? 256 : Math.min(Math.ceil((toMs - fromMs + 1) / levelMs) + 64, MAX_INITIAL_CAPACITY);

const checkRange = (fromMs: number, toMs: number): void => {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs))
    throw new BadRequestError("from and to must be epoch milliseconds");
  if (fromMs > toMs) throw new BadRequestError(`from (${fromMs}) must not be after to (${toMs})`);
};

export const createHistory = (db: Db, catalog: Catalog, rollups: Rollups) => {
  const raw = db
    .prepare(
      "SELECT ts_ms, temp_c FROM readings WHERE probe_pk = ? AND ts_ms BETWEEN ? AND ? ORDER BY ts_ms",
    )
    .raw(true);

  const rawItems = (pk: number, fromMs: number, toMs: number): SeriesItem[] =>
    (raw.all(pk, fromMs, toMs) as [number, number | null][]).map(([ts, tempC]) =>
      itemFromReading(ts, tempC),
    );

  /** Items covering [fromMs, toMs] exactly: whole buckets of the given levels, raw rows at the edges. */
  const coverItems = (
    pk: number,
    fromMs: number,
    toMs: number,
    levelsMs: readonly number[],
  ): SeriesItem[] => {
    const items: SeriesItem[] = [];
    for (const seg of planCover(fromMs, toMs, levelsMs)) {
      const part =
        seg.levelMs === 0
          ? rawItems(pk, seg.fromMs, seg.toMs)
          : rollups.read(seg.levelMs, pk, seg.fromMs, seg.toMs);
      for (const item of part) items.push(item);
    }
    return items;
  };

  /** Probe id → its downsampled points as columns, in `probeIds` order (unknown ids: empty). */
  const historyColumns = (
    probeIds: readonly string[],
    fromMs: number,
    toMs: number,
    points: number,
  ): Map<string, PointColumns> => {
    checkRange(fromMs, toMs);
    if (!Number.isInteger(points) || points < 1)
      throw new BadRequestError("points must be a whole number of at least 1");
    const from = Math.ceil(fromMs);
    const to = Math.floor(toMs);
    const levelMs = pickLevelMs(from, to, points);
    // Probe id → its columns (null = unknown probe); one column set per distinct key.
    const byId = new Map<string, SeriesColumns | null>();
    const byPk = new Map<number, SeriesColumns>();
    const capacity = initialCapacity(from, to, levelMs);
    for (const probeId of probeIds) {
      if (byId.has(probeId)) continue;
      const pk = catalog.findPk(probeId);
      let cols: SeriesColumns | null = null;
      if (pk !== null) {
        cols = byPk.get(pk) ?? new SeriesColumns(capacity);
        byPk.set(pk, cols);
      }
      byId.set(probeId, cols);
    }
    // Whole buckets of the chosen level, raw rows at the ragged ends, in time order per probe.
    for (const seg of levelMs === 0
      ? [{ levelMs: 0, fromMs: from, toMs: to }]
      : planCover(from, to, [levelMs])) {
      if (seg.levelMs !== 0)
        rollups.readColumns(seg.levelMs, seg.fromMs, seg.toMs, byPk, catalog.seriesShape());
      else
        for (const [pk, cols] of byPk)
          for (const [ts, tempC] of raw.all(pk, seg.fromMs, seg.toMs) as [number, number | null][])
            cols.pushReading(ts, tempC);
    }
    const out = new Map<string, PointColumns>();
    for (const [probeId, cols] of byId) {
      if (cols === null) {
        out.set(probeId, new PointColumns(0));
        continue;
      }
      const stepMs = Math.max(levelMs, typicalStepOf(cols.ts, cols.length));
      out.set(probeId, downsampleColumnsTo(cols, { fromMs: from, toMs: to, points, stepMs }));
    }
    return out;
  };

  return {
    historyColumns,

    history(
      probeIds: string[],
      fromMs: number,
      toMs: number,
      points: number,
    ): Record<string, HistoryPoint[]> {
      const out: [string, HistoryPoint[]][] = [];
      for (const [id, cols] of historyColumns(probeIds, fromMs, toMs, points))
        out.push([id, cols.toPoints()]);
      // fromEntries defines own properties, so an id like "__proto__" cannot touch the prototype.
      return Object.fromEntries(out);
    },

    /** Count, mean, min and max (with times) of one probe over [fromMs, toMs], from rollups + raw edges. */
    summarize(probeId: string, fromMs: number, toMs: number): SeriesSummary {
      checkRange(fromMs, toMs);
      const pk = catalog.findPk(probeId);
      return summarizeItems(
        pk === null ? [] : coverItems(pk, Math.ceil(fromMs), Math.floor(toMs), ROLLUP_LEVELS_MS),
      );
    },
  };
};
