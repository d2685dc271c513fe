import Database from "better-sqlite3";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryLogger, type Reading } from "../../src/shared";
import { DB_FILE_NAME, openStore, StoreVersionError } from "../../src/store";
import { migrate, PAGE_SIZE } from "../../src/store/db";
import { MIGRATIONS } from "../../src/store/migrations";
import { makeTempDir } from "../support/tmp";
import { rng, series } from "./helpers";

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
    expect(db.pragma("page_size", { simple: true })).toBe(PAGE_SIZE);
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

  /**
   * The readings in a store created at the latest version, and the same data in a file at
   * `version` (its rollups without `dropLevels`, which that version did not have), which the
   * caller then opens with this version.
   */
  const latestAndOld = (dir: string, readings: Reading[], version: number, dropLevels: number[]) => {
    const ref = openStore({ path: join(dir, "ref.db"), logger });
    ref.insertReadings(readings);
    ref.close();
    const refDb = new Database(join(dir, "ref.db"), { readonly: true });
    const rollupRows = refDb.prepare("SELECT * FROM rollups ORDER BY level_ms, probe_pk, bucket_ms").all() as { level_ms: number }[];
    const seriesRows = refDb.prepare("SELECT * FROM series").all();
    const readingRows = refDb.prepare("SELECT * FROM readings").all();
    refDb.close();
    const oldPath = join(dir, DB_FILE_NAME);
    const old = new Database(oldPath);
    migrate(old, oldPath, logger, MIGRATIONS.slice(0, version));
    const copy = (table: string, rows: unknown[]): void => {
      const cols = Object.keys(rows[0] as object);
      const ins = old.prepare(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((c) => `@${c}`).join(", ")})`);
      old.transaction(() => rows.forEach((r) => ins.run(r)))();
    };
    copy("series", seriesRows);
    copy("readings", readingRows);
    copy("rollups", rollupRows.filter((r) => !dropLevels.includes(r.level_ms)));
    const rollupKey = old.prepare("SELECT sql FROM sqlite_schema WHERE name = 'rollups'").pluck().get() as string;
    old.close();
    return { oldPath, rollupRows, rollupKey };
  };
  const rollupsOf = (path: string): unknown[] => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare("SELECT * FROM rollups ORDER BY level_ms, probe_pk, bucket_ms").all();
    } finally {
      db.close();
    }
  };

  it("005 re-keys rollups by bucket without losing or changing a row, and history still matches", () => {
    const dir = tempDir();
    const readings = [...series("p_1", 1_700_000_000_000, 3_000, 5_000, rng(3), 500), ...series("p_2", 1_700_000_000_000, 3_000, 5_000, rng(4))];
    const from = 1_700_000_000_000;
    const to = from + 3_000 * 5_000;
    // A version-4 file (rollups keyed by level, probe, bucket; no 2-min level yet).
    const { oldPath, rollupRows, rollupKey } = latestAndOld(dir, readings, 4, [120_000]);
    expect(rollupKey).toMatch(/PRIMARY KEY \(level_ms, probe_pk, bucket_ms\)/);
    const ref = openStore({ path: join(dir, "ref.db"), logger });
    const want = ref.history(["p_1", "p_2"], from, to, 300);
    ref.close();
    const store = openStore({ dataDir: dir, logger });
    expect(store.schemaVersion()).toBe(MIGRATIONS.length);
    expect(store.history(["p_1", "p_2"], from, to, 300)).toEqual(want);
    store.close();
    const db = new Database(oldPath, { readonly: true });
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'rollups'").pluck().get()).toMatch(/PRIMARY KEY \(level_ms, bucket_ms, probe_pk\)/);
    db.close();
    expect(rollupsOf(oldPath)).toEqual(rollupRows);
  });

  it("006 fills the 2-minute level from the 1-minute one exactly as inserting would have", () => {
    const dir = tempDir();
    const t0 = 1_700_000_040_000; // an odd minute: the first 2-min bucket has only its second half
    const readings: Reading[] = [
      ...series("p_1", t0, 2_000, 5_000, rng(7), 200),
      ...series("p_2", t0 + 7 * 60_000, 1_000, 10_000, rng(8)),
      // Equal extremes in both minutes of one bucket (the earlier one wins), an all-unplugged
      // bucket, an even minute alone and an odd minute alone.
      ...[
        [0, 50],
        [30_000, 40],
        [60_000, 50],
        [90_000, 40],
        [120_000, null],
        [150_000, null],
        [240_000, 61],
        [420_000, 62],
      ].map(([dt, tempC]) => ({ probeId: "p_3", tsMs: 1_700_000_400_000 + (dt as number), tempC: tempC as number | null })),
    ];
    const { oldPath, rollupRows } = latestAndOld(dir, readings, 5, [120_000]);
    expect(rollupRows.filter((r) => r.level_ms === 120_000).length).toBeGreaterThan(100);
    const store = openStore({ dataDir: dir, logger });
    expect(store.schemaVersion()).toBe(MIGRATIONS.length);
    store.close();
    expect(rollupsOf(oldPath)).toEqual(rollupRows);
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
