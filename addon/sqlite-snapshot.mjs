// Consistent copies of the SQLite database for Home Assistant backups.
//
//   node addon/sqlite-snapshot.mjs snapshot [dataDir]   config.yaml backup_pre
//   node addon/sqlite-snapshot.mjs cleanup  [dataDir]   config.yaml backup_post
//   node addon/sqlite-snapshot.mjs restore  [dataDir]   addon/run.sh, before the service starts
//
// A hot backup tars /data while the service writes; a tar of a WAL-mode database can catch the
// main file between checkpoints, so config.yaml excludes the live files and this script writes
// a snapshot with VACUUM INTO instead: it runs inside one read transaction, so the copy holds
// exactly the committed state at that moment, WAL content included, while the service keeps
// writing. After a restore /data holds only the snapshot; `restore` turns it into the database.
// dataDir defaults to GRILL_STATS_DATA_DIR, else /data.
import Database from "better-sqlite3";
import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const DB_FILE = "grill-stats.db";
export const SNAPSHOT_FILE = "grill-stats.snapshot.db";

const pathsIn = (dataDir) => {
  const db = join(dataDir, DB_FILE);
  const snapshot = join(dataDir, SNAPSHOT_FILE);
  return { db, snapshot, snapshotTmp: `${snapshot}.tmp`, restoreTmp: `${db}.restore.tmp` };
};

const removeWithSidecars = (path) => {
  for (const suffix of ["", "-journal", "-wal", "-shm"])
    rmSync(`${path}${suffix}`, { force: true });
};

/** Write dataDir/grill-stats.snapshot.db from the live database. */
export const writeSnapshot = (dataDir) => {
  const p = pathsIn(dataDir);
  if (!existsSync(p.db)) return { result: "no-database", path: null };
  removeWithSidecars(p.snapshotTmp);
  const db = new Database(p.db, { fileMustExist: true, timeout: 30_000 });
  try {
    db.prepare("VACUUM INTO ?").run(p.snapshotTmp);
  } finally {
    db.close();
  }
  renameSync(p.snapshotTmp, p.snapshot);
  return { result: "written", path: p.snapshot };
};

/** Delete the snapshot once the backup has been taken. */
export const removeSnapshot = (dataDir) => {
  const p = pathsIn(dataDir);
  const existed = existsSync(p.snapshot);
  removeWithSidecars(p.snapshot);
  removeWithSidecars(p.snapshotTmp);
  return { result: existed ? "removed" : "none", path: null };
};

/** null when SQLite's quick_check passes, else what is wrong. */
const quickCheck = (path) => {
  let db = null;
  try {
    db = new Database(path, { fileMustExist: true });
    const rows = db.pragma("quick_check", { simple: false });
    return rows.length === 1 && rows[0]?.quick_check === "ok"
      ? null
      : JSON.stringify(rows).slice(0, 300);
  } catch (err) {
    // Not a database at all (or unreadable): that is the answer, not a crash.
    return err instanceof Error ? err.message : String(err);
  } finally {
    db?.close();
  }
};

/**
 * After a restore: no live database but a snapshot -> the snapshot becomes the database.
 * A snapshot that fails quick_check is moved aside (kept for a manual rescue), never deleted.
 */
export const restoreSnapshot = (dataDir, nowMs = Date.now()) => {
  const p = pathsIn(dataDir);
  if (existsSync(p.db)) return { result: "database-present", path: p.db };
  if (!existsSync(p.snapshot)) return { result: "none", path: null };
  removeWithSidecars(p.restoreTmp);
  copyFileSync(p.snapshot, p.restoreTmp);
  const problem = quickCheck(p.restoreTmp);
  if (problem !== null) {
    removeWithSidecars(p.restoreTmp);
    const aside = `${p.snapshot}.corrupt-${nowMs}`;
    renameSync(p.snapshot, aside);
    return { result: "corrupt", path: aside, problem };
  }
  // A -wal/-shm left without its database must never be replayed into the restored one.
  removeWithSidecars(p.db);
  renameSync(p.restoreTmp, p.db);
  rmSync(p.snapshot, { force: true });
  return { result: "restored", path: p.db };
};

const COMMANDS = { snapshot: writeSnapshot, cleanup: removeSnapshot, restore: restoreSnapshot };

const MESSAGES = {
  written: (r) => `database snapshot written to ${r.path}`,
  "no-database": () => "no database yet, nothing to snapshot",
  removed: () => "database snapshot removed",
  none: () => "no database snapshot present",
  "database-present": () => "database present, no restore needed",
  restored: (r) => `database restored from the backup snapshot into ${r.path}`,
  corrupt: (r) =>
    `the backup snapshot failed its integrity check (${r.problem}); moved it to ${r.path} and starting with an empty history`,
};

const runCli = (argv) => {
  const [command, dirArg] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write("usage: sqlite-snapshot.mjs snapshot|cleanup|restore [dataDir]\n");
    return 2;
  }
  const dataDir = dirArg ?? process.env.GRILL_STATS_DATA_DIR ?? "/data";
  try {
    const outcome = run(dataDir);
    const line = `[grill-stats] ${MESSAGES[outcome.result](outcome)}\n`;
    (outcome.result === "corrupt" ? process.stderr : process.stdout).write(line);
    return 0;
  } catch (err) {
    process.stderr.write(
      `[grill-stats] ${command} failed in ${dataDir}: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  }
};

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) process.exitCode = runCli(process.argv.slice(2));
