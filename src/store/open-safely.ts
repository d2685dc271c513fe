/**
 * Opens the data folder's store, and when its database cannot be used still gives a store, so
 * live temperatures, alarms and Home Assistant keep working and the reason is shown:
 * - a damaged file (one SQLite refuses, or one that opens but fails its quick_check) is set aside
 *   (`grill-stats.db.damaged-<time>`, with its -wal and -shm) and a new database started next to
 *   it (a backup of the data folder still has the old one); only the newest DAMAGED_COPIES_KEPT
 *   such copies are kept, so a failing SD card does not fill the disk with them;
 * - a folder that cannot hold one (read-only, full, not a folder, not ours to write) gives a store
 *   in memory: nothing is kept over a restart, and `problem` says so.
 * A database written by a newer release (`StoreVersionError`) is not touched: it fails as before.
 */
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { errorMessage, startupFailureText, systemErrorCode, type Clock, type Logger } from "../shared";
import { DB_FILE_NAME, StoreVersionError } from "./db";
import { openStore, type SqliteStore } from "./store";

export interface SafeStore {
  store: SqliteStore;
  /** What went wrong with the data folder's database at start, or null. */
  problem: string | null;
}

const DAMAGED = new Set(["SQLITE_NOTADB", "SQLITE_CORRUPT"]);
/** How many damaged databases set aside are kept (the one just set aside included). */
const DAMAGED_COPIES_KEPT = 3;
const SIDECARS = ["", "-wal", "-shm"] as const;

/**
 * Deletes all but the newest `keep` copies set aside as `<db>.damaged-<time>` (with their -wal and
 * -shm), never `justSetAside`: newest by the time in the name, which sorts as text, but a clock
 * that starts wrong (a Raspberry Pi without a clock battery, before NTP) must not make the copy
 * just set aside look oldest. Failing to prune is logged and does not stop the start.
 */
const pruneDamagedCopies = (path: string, justSetAside: string, keep: number, log: Logger): void => {
  const dir = dirname(path);
  const prefix = `${basename(path)}.damaged-`;
  let others: string[];
  try {
    const copies = new Set(readdirSync(dir).filter((f) => f.startsWith(prefix)).map((f) => f.replace(/-(wal|shm)$/, "")));
    copies.delete(basename(justSetAside));
    others = [...copies].sort().reverse();
  } catch (err) {
    log.warn("could not list old damaged database copies; they are left as they are", { dir, err: errorMessage(err) });
    return;
  }
  const deleted: string[] = [];
  for (const copy of others.slice(Math.max(0, keep - 1))) {
    try {
      for (const suffix of SIDECARS) rmSync(join(dir, `${copy}${suffix}`), { force: true });
      deleted.push(copy);
    } catch (err) {
      log.warn("could not delete an old damaged database copy; delete it by hand to free the space", { copy: join(dir, copy), err: errorMessage(err) });
    }
  }
  if (deleted.length > 0) log.info("older damaged database copies deleted", { kept: keep, deleted });
};
/** SQLite's and the file system's ways of saying the folder cannot hold the database. */
const UNUSABLE = /^(SQLITE_(CANTOPEN|READONLY|IOERR|FULL|PERM)|EACCES|EPERM|EROFS|ENOSPC|EEXIST|ENOTDIR|EISDIR)/;

export const openStoreSafely = (deps: { dataDir: string; logger: Logger; clock?: Clock; now?: () => Date }): SafeStore => {
  const log = deps.logger;
  const path = join(deps.dataDir, DB_FILE_NAME);
  const open = (where: { dataDir: string } | { path: string }): SqliteStore =>
    openStore({ ...where, logger: log, checkIntegrity: true, ...(deps.clock ? { clock: deps.clock } : {}) });
  const inMemory = (err: unknown): SafeStore => {
    const problem = `the database cannot be used (${startupFailureText(err)}); history is kept in memory only and is lost at the next restart`;
    log.error(`${problem}. Free the disk or fix the folder, then restart the add-on`);
    return { store: open({ path: ":memory:" }), problem };
  };
  try {
    return { store: open({ dataDir: deps.dataDir }), problem: null };
  } catch (err) {
    if (err instanceof StoreVersionError) throw err;
    const code = systemErrorCode(err);
    if (DAMAGED.has(code)) {
      const stamp = (deps.now?.() ?? new Date()).toISOString().replace(/[:.]/g, "-");
      const aside = `${path}.damaged-${stamp}`;
      try {
        for (const suffix of SIDECARS) if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${aside}${suffix}`);
        const store = open({ dataDir: deps.dataDir });
        const problem = `the database was damaged (${errorMessage(err)}): it was set aside as ${aside} and a new one started`;
        log.error(problem);
        pruneDamagedCopies(path, aside, DAMAGED_COPIES_KEPT, log);
        return { store, problem };
      } catch (again) {
        return inMemory(again);
      }
    }
    if (UNUSABLE.test(code)) return inMemory(err);
    throw err;
  }
};
