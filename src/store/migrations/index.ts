/**
 * Numbered, append-only schema migrations. Each runs once, in its own transaction, and sets
 * `PRAGMA user_version` to its number. Never edit a released migration: add the next one.
 * (SQL lives in .ts modules so the esbuild bundle carries it.)
 */
import { sql as core } from "./001_core";
import { sql as settings } from "./002_settings";
import { sql as cooks } from "./003_cooks";
import { sql as alarms } from "./004_alarms";
import { sql as rollupsByBucket } from "./005_rollups_by_bucket";
import { sql as rollups2min } from "./006_rollups_2min";
import { sql as deviceReportDelta } from "./007_device_report_delta";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "core", sql: core },
  { version: 2, name: "settings", sql: settings },
  { version: 3, name: "cooks", sql: cooks },
  { version: 4, name: "alarms", sql: alarms },
  { version: 5, name: "rollups by bucket", sql: rollupsByBucket },
  { version: 6, name: "2-minute rollups", sql: rollups2min },
  { version: 7, name: "device report delta", sql: deviceReportDelta },
];

export const LATEST_VERSION = MIGRATIONS.length;
