/**
 * Public surface of the SQLite store (the only folder that imports better-sqlite3).
 *
 *   const store = openStore({ dataDir: config.dataDir, logger });   // ${dataDir}/grill-stats.db
 *   store.insertReadings(poll.readings)   // idempotent; returns only the new rows
 *   store.history(ids, fromMs, toMs, 1000) // ≤ 1000 points per probe, peaks kept, gaps = null
 *   const retention = createRetentionService({ store, days: config.historyRetentionDays, logger });
 *
 * Everything is synchronous (better-sqlite3); each call is one short transaction.
 */
export { openStore, type SqliteStore, type StoreDeps } from "./store";
export { openStoreSafely, type SafeStore } from "./open-safely";
export { createRetentionService, msUntilNextHour, type RetentionService } from "./retention";
export { createIngest, MAX_PENDING_READINGS, type Ingest } from "./ingest";
export { StoreVersionError, DB_FILE_NAME } from "./db";
export { ROLLUP_LEVELS_MS } from "./rollups";
export { pickLevelMs } from "./history";
export {
  downsampleMinMax,
  downsampleItems,
  itemFromReading,
  planCover,
  summarizeItems,
  typicalStepMs,
  type SeriesItem,
  type SeriesSummary,
  type DownsampleOptions,
} from "./downsample";
