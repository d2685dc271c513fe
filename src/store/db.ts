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

export const DB_FILE_NAME = "grill-stats.db";

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

export const openDatabase = (path: string, logger: Logger): Db => {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new AppError("unavailable", `Cannot open the database ${path}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("temp_store = MEMORY");
    db.pragma("cache_size = -16000");
    // Checkpoint every ~40 MB of WAL instead of 4 MB: bulk writes rewrite the same rollup pages,
    // and fewer checkpoints write them to the main file fewer times. Cap the idle WAL file size.
    db.pragma("wal_autocheckpoint = 10000");
    db.pragma("journal_size_limit = 67108864");
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
