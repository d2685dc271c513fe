/**
 * Opens the SQLite file, sets the pragmas and brings the schema up to date.
 * Only this folder imports better-sqlite3.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { AppError, errorMessage, type Logger } from "../shared";
import { LATEST_VERSION, MIGRATIONS, type Migration } from "./migrations";

export type Db = Database.Database;
export type Statement = Database.Statement;

export const DB_FILE_NAME = "grill-stats.db";
/** Page size of a newly created database file (bytes). */
export const PAGE_SIZE = 2048;

/** The database was written by a newer Grill Stats than this one. */
export class StoreVersionError extends AppError {
  constructor(
    readonly path: string,
    readonly foundVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      "unavailable",
      `The database ${path} has schema version ${foundVersion}, but this Grill Stats only knows versions up to ${knownVersion}: ` +
        "it was written by a newer release. Upgrade Grill Stats, or restore a backup made by this version.",
    );
  }
}

/** How long a write waits for another connection's lock before it fails with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** How many of quick_check's findings go into the error message (the first few say enough). */
const INTEGRITY_FINDINGS_SHOWN = 3;

/**
 * SQLite's `quick_check` over the whole file: a file whose header and schema are sound opens
 * without complaint even when pages in the middle are garbage, and would only fail later, in
 * the middle of a cook. It reads every page once (~70 ms for 300 000 readings, ~0.6 s for
 * 3 million on a desktop; it is I/O-bound, so an SD card's read speed sets it), skipping
 * integrity_check's slower cross-checks of index against table contents. Throws SQLITE_CORRUPT.
 */
const checkIntegrity = (db: Db, logger: Logger): void => {
  const startedMs = performance.now();
  const rows = db.pragma(`quick_check(${INTEGRITY_FINDINGS_SHOWN})`) as { quick_check: string }[];
  const ms = Math.round(performance.now() - startedMs);
  if (rows.length === 1 && rows[0]?.quick_check === "ok") {
    logger.info("database checked", { ms });
    return;
  }
  // A finding can span lines ("*** in database main ***\nTree 10 page 196: …"); the log wants one.
  const findings = rows
    .flatMap((row) => row.quick_check.split("\n"))
    .filter((line) => line.trim() !== "" && !line.startsWith("***"))
    .slice(0, INTEGRITY_FINDINGS_SHOWN);
  throw new Database.SqliteError(`integrity check failed: ${findings.join("; ")}`, "SQLITE_CORRUPT");
};

export const openDatabase = (path: string, logger: Logger, busyTimeoutMs = BUSY_TIMEOUT_MS, opts: { checkIntegrity?: boolean } = {}): Db => {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new AppError("unavailable", `Cannot open the database ${path}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
    // 2 KB pages for a new file (an existing one keeps its size). Each commit writes every page it
    // dirtied to the WAL, and a poll dirties a dozen or so (one per probe's readings, one per
    // rollup level, the device row), so the page size sets the bytes written per poll: ~38 KB
    // instead of ~62 KB at 4 KB pages (SD-card wear on a Raspberry Pi). 1 KB pages would halve it
    // again (~24 KB) but cost history reads ~10% (4x the page reads); 2 KB reads as fast as 4 KB.
    // Must come before the first table and before WAL mode.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("temp_store = MEMORY");
    // 2 MB page cache (SQLite's own malloc'd copy, counted in the process RSS and filled for good
    // within hours): the hot pages are the tails of readings and rollups; history reads are index
    // range scans whose misses the OS page cache serves in microseconds. 4 MB cost ~2 MB more RSS.
    db.pragma("cache_size = -2000");
    // Checkpoint every 10000 pages of WAL (~20 MB at 2 KB pages) instead of 1000: bulk writes rewrite
    // the same rollup pages, and fewer checkpoints write them to the main file fewer times. Cap the
    // idle WAL file size.
    db.pragma("wal_autocheckpoint = 10000");
    db.pragma("journal_size_limit = 67108864");
    // Before the migrations, which would write into a damaged file.
    if (opts.checkIntegrity === true) checkIntegrity(db, logger);
    migrate(db, path, logger);
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    throw new AppError("unavailable", `Cannot open the database ${path}: ${errorMessage(err)}`, { cause: err });
  }
  return db;
};

export const schemaVersion = (db: Db): number => db.pragma("user_version", { simple: true }) as number;

/** Runs every migration above the file's `user_version`, each in its own transaction. */
export const migrate = (db: Db, path: string, logger: Logger, migrations: readonly Migration[] = MIGRATIONS): void => {
  const latest = migrations.length === MIGRATIONS.length ? LATEST_VERSION : migrations.length;
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration #${i + 1} is numbered ${m.version}: migrations must be numbered 1, 2, 3 …`);
  });
  const current = schemaVersion(db);
  if (current > latest) throw new StoreVersionError(path, current, latest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    logger.info("database migrated", { version: m.version, name: m.name });
  }
};
