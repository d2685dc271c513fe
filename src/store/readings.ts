/** Raw readings: idempotent batched inserts (with rollups), range reads, latest values, pruning. */
import type { Logger, Reading } from "../shared";
import type { Catalog } from "./catalog";
import type { Db, Statement } from "./db";
import type { Rollups } from "./rollups";

/** Rows per multi-row INSERT (3 parameters each, well under SQLite's limit). */
const INSERT_CHUNK = 64;

const isValidReading = (r: Reading): boolean =>
  typeof r.probeId === "string" &&
  r.probeId.length > 0 &&
  Number.isSafeInteger(r.tsMs) &&
  (r.tempC === null || (typeof r.tempC === "number" && Number.isFinite(r.tempC)));

export const createReadings = (db: Db, catalog: Catalog, rollups: Rollups, logger: Logger) => {
  const insert = db.prepare("INSERT OR IGNORE INTO readings (probe_pk, ts_ms, temp_c) VALUES (?, ?, ?)");
  const between = db.prepare("SELECT ts_ms, temp_c FROM readings WHERE probe_pk = ? AND ts_ms BETWEEN ? AND ? ORDER BY ts_ms").raw(true);
  const latest = db.prepare("SELECT ts_ms, temp_c FROM readings WHERE probe_pk = ? ORDER BY ts_ms DESC LIMIT 1").raw(true);
  const oldest = db.prepare("SELECT ts_ms FROM readings WHERE probe_pk = ? ORDER BY ts_ms LIMIT 1").pluck();
  const nthBefore = db.prepare("SELECT ts_ms FROM readings WHERE probe_pk = ? AND ts_ms < ? ORDER BY ts_ms LIMIT 1 OFFSET ?").pluck();
  const deleteBefore = db.prepare("DELETE FROM readings WHERE probe_pk = ? AND ts_ms < ?");

  // Multi-row inserts: one statement per INSERT_CHUNK rows costs far less than one per row. Whether
  // each row was new is settled per chunk: all or none inserted (by far the usual cases: a new poll,
  // or a repeated one) is read off `changes`; a mixed chunk is rolled back to its savepoint and
  // redone row by row, so only rows that were really new are returned and folded into rollups.
  const multiInsert = new Map<number, Statement>();
  const insertRows = (rows: number): Statement => {
    let stmt = multiInsert.get(rows);
    if (!stmt) {
      stmt = db.prepare(`INSERT OR IGNORE INTO readings (probe_pk, ts_ms, temp_c) VALUES ${Array.from({ length: rows }, () => "(?, ?, ?)").join(", ")}`);
      multiInsert.set(rows, stmt);
    }
    return stmt;
  };
  const savepoint = db.prepare("SAVEPOINT insert_chunk");
  const rollbackTo = db.prepare("ROLLBACK TO insert_chunk");
  const release = db.prepare("RELEASE insert_chunk");

  /** Inserts valid[from, to) (params: 3 per row); returns a flag per row: inserted or not. */
  const insertChunk = (params: (number | null)[], from: number, to: number, isNew: Uint8Array): void => {
    const n = to - from;
    savepoint.run();
    const changes = insertRows(n).run(params.slice(from * 3, to * 3)).changes;
    if (changes === n || changes === 0) {
      release.run();
      isNew.fill(changes === 0 ? 0 : 1, from, to);
      return;
    }
    rollbackTo.run();
    for (let i = from; i < to; i++) isNew[i] = insert.run(params[i * 3], params[i * 3 + 1], params[i * 3 + 2]).changes === 1 ? 1 : 0;
    release.run();
  };

  const insertTx = db.transaction((readings: readonly Reading[]): { fresh: Reading[]; invalid: number } => {
    const valid: Reading[] = [];
    const params: (number | null)[] = [];
    for (const r of readings) {
      if (!isValidReading(r)) continue;
      valid.push(r);
      params.push(catalog.pkFor(r.probeId), r.tsMs, r.tempC);
    }
    const isNew = new Uint8Array(valid.length);
    for (let i = 0; i < valid.length; i += INSERT_CHUNK) insertChunk(params, i, Math.min(valid.length, i + INSERT_CHUNK), isNew);
    const fresh: Reading[] = [];
    const byPk = new Map<number, Reading[]>();
    for (let i = 0; i < valid.length; i++) {
      if (isNew[i] !== 1) continue;
      const r = valid[i]!;
      const pk = params[i * 3] as number;
      fresh.push(r);
      const list = byPk.get(pk);
      if (list) list.push(r);
      else byPk.set(pk, [r]);
    }
    if (byPk.size > 0) rollups.addAll(byPk);
    return { fresh, invalid: readings.length - valid.length };
  });

  const pruneChunkTx = db.transaction((tsMs: number, maxRows: number): number => {
    let deleted = 0;
    for (const [pk] of catalog.allSeries()) {
      if (deleted >= maxRows) break;
      const firstMs = oldest.get(pk) as number | undefined;
      if (firstMs === undefined || firstMs >= tsMs) continue;
      const nth = nthBefore.get(pk, tsMs, maxRows - deleted - 1) as number | undefined;
      const cutMs = nth === undefined ? tsMs : nth + 1;
      deleted += deleteBefore.run(pk, cutMs).changes;
      rollups.pruneBefore(pk, cutMs, firstMs);
    }
    return deleted;
  });

  const readingsBetween = (probeId: string, fromMs: number, toMs: number): Reading[] => {
    const pk = catalog.findPk(probeId);
    if (pk === null) return [];
    return (between.all(pk, fromMs, toMs) as [number, number | null][]).map(([tsMs, tempC]) => ({ probeId, tsMs, tempC }));
  };

  return {
    insertReadings(readings: Reading[]): Reading[] {
      if (readings.length === 0) return [];
      let result: { fresh: Reading[]; invalid: number };
      try {
        result = insertTx(readings);
      } catch (err) {
        catalog.resetCache();
        throw err;
      }
      if (result.invalid > 0) logger.warn("skipped invalid readings", { invalid: result.invalid, batch: readings.length });
      return result.fresh;
    },
    latestReadings(): Map<string, Reading> {
      const out = new Map<string, Reading>();
      for (const [pk, probeId] of catalog.allSeries()) {
        const row = latest.get(pk) as [number, number | null] | undefined;
        if (row) out.set(probeId, { probeId, tsMs: row[0], tempC: row[1] });
      }
      return out;
    },
    readingsBetween,
    /** Deletes at most about `maxRows` readings older than tsMs (one short transaction). */
    pruneChunk(tsMs: number, maxRows = 20_000): number {
      return pruneChunkTx(tsMs, Math.max(1, Math.floor(maxRows)));
    },
    pruneOlderThan(tsMs: number): number {
      let total = 0;
      for (;;) {
        const n = pruneChunkTx(tsMs, 20_000);
        total += n;
        if (n === 0) return total;
      }
    },
    /** Oldest and newest reading time over all probes (index seeks per probe). */
    span(): { oldestMs: number | null; newestMs: number | null } {
      let oldestMs: number | null = null;
      let newestMs: number | null = null;
      for (const [pk] of catalog.allSeries()) {
        const first = oldest.get(pk) as number | undefined;
        const last = latest.get(pk) as [number, number | null] | undefined;
        if (first !== undefined) oldestMs = oldestMs === null ? first : Math.min(oldestMs, first);
        if (last) newestMs = newestMs === null ? last[0] : Math.max(newestMs, last[0]);
      }
      return { oldestMs, newestMs };
    },
  };
};

export type Readings = ReturnType<typeof createReadings>;
