/** `openStore`: the SQLite implementation of every storage port, in one file per data dir. */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { systemClock, type Clock, type Logger, type Store, type StoreStats } from "../shared";
import { createAlarms } from "./alarms";
import { createCatalog } from "./catalog";
import { createCooks } from "./cooks";
import { DB_FILE_NAME, openDatabase, schemaVersion } from "./db";
import type { SeriesSummary } from "./downsample";
import { createHistory } from "./history";
import { createReadings } from "./readings";
import { createRollups } from "./rollups";
import { checkSettings, createSettings } from "./settings";
import { withSettingsFallback, type SettingsWithFallback } from "./settings-fallback";

export interface StoreDeps {
  /** Directory for `grill-stats.db` (created if missing). */
  dataDir?: string;
  /** Exact database file path (wins over dataDir); ":memory:" for a throwaway store. */
  path?: string;
  logger: Logger;
  clock?: Clock;
  /** How long a write waits for another program's lock on the file (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /** Run SQLite's quick_check before using the file (a damaged one fails with SQLITE_CORRUPT). */
  checkIntegrity?: boolean;
}

/** The Store ports plus a few extras that only the SQLite store offers. */
export interface SqliteStore extends Store, Pick<SettingsWithFallback, "unsavedWrites" | "writeFailure"> {
  /** Count, mean, min and max (with times) of one probe over [fromMs, toMs], served from rollups. */
  summarize(probeId: string, fromMs: number, toMs: number): SeriesSummary;
  /** Deletes at most about `maxRows` readings older than tsMs in one short transaction; 0 when done. */
  pruneChunk(tsMs: number, maxRows?: number): number;
  /** Deletes alarm transitions, delivery records and delivered outbox items older than tsMs. */
  pruneLogsOlderThan(tsMs: number): number;
  /** Schema version (`PRAGMA user_version`). */
  schemaVersion(): number;
}

const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

export const openStore = (deps: StoreDeps): SqliteStore => {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger.child("store");
  const path = deps.path ?? (deps.dataDir !== undefined ? join(deps.dataDir, DB_FILE_NAME) : undefined);
  if (path === undefined) throw new Error("openStore needs a dataDir or a path");
  const db = openDatabase(path, logger, deps.busyTimeoutMs, { checkIntegrity: deps.checkIntegrity === true && path !== ":memory:" });

  const catalog = createCatalog(db, clock);
  const rollups = createRollups(db);
  const readings = createReadings(db, catalog, rollups, logger);
  const history = createHistory(db, catalog, rollups);
  // Settings and stored values apply from memory while the database refuses writes.
  const settings = withSettingsFallback(createSettings(db, clock), checkSettings, logger, clock);
  const cooks = createCooks(db, clock);
  const alarms = createAlarms(db, clock);
  logger.info("database open", { path, version: schemaVersion(db) });

  return {
    upsertDevices: (devices) => catalog.upsertDevices(devices),
    upsertProbes: (probes) => catalog.upsertProbes(probes),
    listDevices: catalog.listDevices,
    listProbes: catalog.listProbes,
    ...readings,
    ...history,
    ...settings,
    ...cooks,
    ...alarms,

    stats(): StoreStats {
      const { oldestMs, newestMs } = readings.span();
      const sizeBytes = path === ":memory:" ? 0 : fileSize(path) + fileSize(`${path}-wal`);
      return { path, fileMissing: path !== ":memory:" && !existsSync(path), sizeBytes, readings: rollups.countReadings(), oldestMs, newestMs };
    },

    /** Writes a consistent snapshot (VACUUM INTO a temp file, then an atomic rename over `target`). */
    backupTo(target: string): void {
      const abs = resolve(target);
      mkdirSync(dirname(abs), { recursive: true });
      const tmp = `${abs}.tmp-${process.pid}`;
      rmSync(tmp, { force: true });
      try {
        db.prepare("VACUUM INTO ?").run(tmp);
        renameSync(tmp, abs);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw err;
      }
      logger.info("database backed up", { target: abs });
    },

    schemaVersion: () => schemaVersion(db),

    close(): void {
      if (!db.open) return;
      settings.flush();
      try {
        db.pragma("optimize");
      } catch (err) {
        logger.warn("PRAGMA optimize failed", { err });
      }
      db.close();
      logger.info("database closed", { path });
    },
  };
};
