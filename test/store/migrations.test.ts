import Database from "better-sqlite3";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../src/shared";
import { DB_FILE_NAME, openStore, StoreVersionError } from "../../src/store";
import { migrate } from "../../src/store/db";
import { MIGRATIONS } from "../../src/store/migrations";
import { makeTempDir } from "../support/tmp";

const logger = createMemoryLogger();
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
const tempDir = (): string => {
  const t = makeTempDir("grill-stats-mig-");
  cleanups.push(t.cleanup);
  return t.dir;
};

describe("opening and migrating", () => {
  it("creates the data dir and file, runs every migration, sets WAL and foreign keys", () => {
    const dir = join(tempDir(), "nested", "data");
    const store = openStore({ dataDir: dir, logger });
    expect(store.schemaVersion()).toBe(MIGRATIONS.length);
    store.close();
    const path = join(dir, DB_FILE_NAME);
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(["readings", "rollups", "series", "probes", "devices", "kv", "probe_settings", "cooks", "cook_events", "alarms", "alarm_transitions", "alarm_rules", "outbox", "deliveries"]));
    db.close();
  });

  it("keeps history across reopen and never duplicates re-inserted readings", () => {
    const dir = tempDir();
    const readings = Array.from({ length: 50 }, (_, i) => ({ probeId: "dev_1", tsMs: 1_000 + i * 5_000, tempC: 20 + i }));
    let store = openStore({ dataDir: dir, logger });
    expect(store.insertReadings(readings)).toHaveLength(50);
    store.close();
    store = openStore({ dataDir: dir, logger });
    expect(store.insertReadings(readings)).toEqual([]);
    expect(store.readingsBetween("dev_1", 0, Number.MAX_SAFE_INTEGER)).toEqual(readings);
    expect(store.stats().readings).toBe(50);
    store.close();
  });

  it("refuses a database written by a newer version, leaving it untouched", () => {
    const dir = tempDir();
    openStore({ dataDir: dir, logger }).close();
    const path = join(dir, DB_FILE_NAME);
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 3}`);
    db.close();
    expect(() => openStore({ dataDir: dir, logger })).toThrow(StoreVersionError);
    expect(() => openStore({ dataDir: dir, logger })).toThrow(/newer release/);
    const again = new Database(path, { readonly: true });
    expect(again.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length + 3);
    again.close();
  });

  it("rolls a failing migration back completely and keeps the earlier version", () => {
    const db = new Database(join(tempDir(), "x.db"));
    const broken = [
      { version: 1, name: "one", sql: "CREATE TABLE a (x INTEGER);" },
      { version: 2, name: "two", sql: "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);" },
    ];
    expect(() => migrate(db, "x.db", logger, broken)).toThrow(/nowhere/);
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()).toEqual(["a"]);
    db.close();
  });

  it("rejects gaps in migration numbering", () => {
    const db = new Database(":memory:");
    expect(() => migrate(db, ":memory:", logger, [{ version: 2, name: "two", sql: "" }])).toThrow(/numbered/);
    db.close();
  });

  it("explains a file that is not a database", () => {
    const dir = tempDir();
    writeFileSync(join(dir, DB_FILE_NAME), "this is not sqlite, just text that is long enough to look like a header".repeat(20));
    expect(() => openStore({ dataDir: dir, logger })).toThrow(/Cannot open the database .*grill-stats\.db: file is not a database/);
  });

  it("needs a dataDir or a path", () => {
    expect(() => openStore({ logger })).toThrow(/dataDir or a path/);
  });
});
