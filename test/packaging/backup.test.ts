/**
 * Hot backups: config.yaml's backup_pre/backup_exclude/backup_post and the restore in run.sh,
 * played through with a real SQLite database that another connection keeps writing to.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DB_FILE, SNAPSHOT_FILE } from "../../addon/sqlite-snapshot.mjs";
import { createMemoryLogger, type Device, type Probe } from "../../src/shared";
import { DB_FILE_NAME, openStore } from "../../src/store";
import { makeTempDir } from "../support/tmp";
import { ROOT, matchesExclude, readAddonConfig } from "./supervisor";

const config = readAddonConfig();
const SCRIPT = join(ROOT, "addon", "sqlite-snapshot.mjs");

/** Run the script the way config.yaml / run.sh do, with the container path swapped for ours. */
const runHook = (command: string, dataDir: string) => {
  const res = spawnSync(process.execPath, [SCRIPT, command, dataDir], { encoding: "utf8" });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
};
const hookCommand = (hook: string | undefined): string => {
  const m = /^node \/app\/addon\/sqlite-snapshot\.mjs (snapshot|cleanup)$/.exec(hook ?? "");
  if (!m?.[1]) throw new Error(`unexpected backup hook: ${hook}`);
  return m[1];
};

/** The Supervisor's tar of /data: every file except those matching backup_exclude. */
const supervisorBackupCopy = (from: string, to: string): string[] => {
  mkdirSync(to, { recursive: true });
  const kept = readdirSync(from).filter(
    (name) => !(config.backup_exclude ?? []).some((p) => matchesExclude(join(from, name), p)),
  );
  for (const name of kept) copyFileSync(join(from, name), join(to, name));
  return kept.sort();
};

const countRows = (file: string): number => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM readings").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

let tmp: { dir: string; cleanup: () => void };
let live: Database.Database | null = null;
let dataDir = "";
beforeEach(() => {
  tmp = makeTempDir("grill-stats-backup-");
  dataDir = join(tmp.dir, "data");
  mkdirSync(dataDir);
});
afterEach(() => {
  live?.close();
  live = null;
  tmp.cleanup();
});

/** The running service: WAL mode, committed rows still in the WAL (no checkpoint yet). */
const openLiveDatabase = (rows: number): Database.Database => {
  const db = new Database(join(dataDir, DB_FILE));
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec(
    "CREATE TABLE readings (probe TEXT NOT NULL, ts INTEGER NOT NULL, temp_c REAL, PRIMARY KEY (probe, ts))",
  );
  const insert = db.prepare("INSERT INTO readings VALUES (?, ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run("p1", i * 5000, 20 + i / 100);
  })();
  return db;
};

describe("hot backup of the SQLite database", () => {
  it("is configured as a hot backup around the snapshot script, excluding the live files", () => {
    expect(DB_FILE).toBe(DB_FILE_NAME);
    expect(config.backup).toBe("hot");
    expect(hookCommand(config.backup_pre)).toBe("snapshot");
    expect(hookCommand(config.backup_post)).toBe("cleanup");
    for (const name of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, `${SNAPSHOT_FILE}.tmp`]) {
      expect(
        (config.backup_exclude ?? []).some((p) =>
          matchesExclude(`/data/addons/data/x_grill_stats/${name}`, p),
        ),
        name,
      ).toBe(true);
    }
    for (const name of [SNAPSHOT_FILE, "options.json"]) {
      expect(
        (config.backup_exclude ?? []).some((p) =>
          matchesExclude(`/data/addons/data/x_grill_stats/${name}`, p),
        ),
        name,
      ).toBe(false);
    }
  });

  it("backs up every committed reading while the service keeps writing, and restores it", () => {
    live = openLiveDatabase(2000);
    writeFileSync(join(dataDir, "options.json"), "{}");
    // A plain copy of the main file would miss everything still in the WAL.
    copyFileSync(join(dataDir, DB_FILE), join(tmp.dir, "naive.db"));
    expect(() => countRows(join(tmp.dir, "naive.db"))).toThrow(/no such table/);

    // The service is mid-transaction when the backup starts: that write is not committed yet.
    live.exec("BEGIN IMMEDIATE; INSERT INTO readings VALUES ('p2', 1, 99.5);");
    const pre = runHook(hookCommand(config.backup_pre), dataDir);
    expect(pre).toMatchObject({ status: 0 });
    live.exec("COMMIT");

    const restored = join(tmp.dir, "restored");
    expect(supervisorBackupCopy(dataDir, restored)).toEqual([
      "grill-stats.snapshot.db",
      "options.json",
    ]);
    expect(runHook(hookCommand(config.backup_post), dataDir)).toMatchObject({ status: 0 });
    expect(existsSync(join(dataDir, SNAPSHOT_FILE))).toBe(false);
    expect(countRows(join(dataDir, DB_FILE))).toBe(2001);

    const start = runHook("restore", restored);
    expect(start.status).toBe(0);
    expect(start.stdout).toMatch(/restored/);
    expect(readdirSync(restored).sort()).toEqual([DB_FILE, "options.json"]);
    expect(countRows(join(restored, DB_FILE))).toBe(2000);
    const db = new Database(join(restored, DB_FILE), { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });

  it("round-trips the service's own store through backup and restore while it is open", () => {
    const device: Device = {
      serial: "AA:BB:CC:DD:EE:FF",
      key: "aabbccddeeff",
      label: "Signals",
      kind: "signals",
      model: "signals",
      firmware: null,
      batteryPct: 80,
      batteryState: null,
      signalDbm: -60,
      lastSeenMs: 0,
      transmitIntervalSec: 30,
      reportDeltaC: null,
    };
    const probe: Probe = {
      id: "aabbccddeeff_1",
      deviceSerial: device.serial,
      deviceKey: device.key,
      channel: "1",
      label: "Brisket",
      type: "Pro-Series",
      role: "meat",
    };
    const store = openStore({ dataDir, logger: createMemoryLogger("error") });
    try {
      store.upsertDevices([device]);
      store.upsertProbes([probe]);
      store.insertReadings(
        Array.from({ length: 500 }, (_, i) => ({
          probeId: probe.id,
          tsMs: i * 5000,
          tempC: 20 + i / 10,
        })),
      );
      expect(runHook("snapshot", dataDir).status).toBe(0);
      store.insertReadings([{ probeId: probe.id, tsMs: 10_000_000, tempC: 95 }]);
    } finally {
      store.close();
    }
    const restored = join(tmp.dir, "restored");
    supervisorBackupCopy(dataDir, restored);
    expect(runHook("restore", restored).status).toBe(0);
    const reopened = openStore({ dataDir: restored, logger: createMemoryLogger("error") });
    try {
      expect(reopened.readingsBetween(probe.id, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(500);
      expect(reopened.listProbes().map((p) => p.label)).toEqual(["Brisket"]);
    } finally {
      reopened.close();
    }
  });

  it("does nothing harmful before the first start or when the database is already there", () => {
    expect(runHook("snapshot", dataDir)).toMatchObject({ status: 0 });
    expect(readdirSync(dataDir)).toEqual([]);
    expect(runHook("restore", dataDir)).toMatchObject({ status: 0 });
    expect(runHook("cleanup", dataDir)).toMatchObject({ status: 0 });

    live = openLiveDatabase(10);
    writeFileSync(join(dataDir, SNAPSHOT_FILE), "stale");
    const start = runHook("restore", dataDir);
    expect(start.stdout).toMatch(/database present/);
    expect(countRows(join(dataDir, DB_FILE))).toBe(10);
  });

  it("never replays a leftover WAL into the restored database", () => {
    live = openLiveDatabase(5);
    expect(runHook("snapshot", dataDir).status).toBe(0);
    live.exec("INSERT INTO readings VALUES ('p9', 1, 1)");
    live.close();
    live = null;
    // Simulate a restore that left a foreign -wal behind without its database.
    const restored = join(tmp.dir, "restored");
    mkdirSync(restored);
    copyFileSync(join(dataDir, SNAPSHOT_FILE), join(restored, SNAPSHOT_FILE));
    writeFileSync(join(restored, `${DB_FILE}-wal`), "not a wal of this database");
    expect(runHook("restore", restored).status).toBe(0);
    expect(existsSync(join(restored, `${DB_FILE}-wal`))).toBe(false);
    expect(countRows(join(restored, DB_FILE))).toBe(5);
  });

  it("keeps a corrupt snapshot aside and lets the service start with an empty history", () => {
    writeFileSync(join(dataDir, SNAPSHOT_FILE), Buffer.alloc(8192, 7));
    const start = runHook("restore", dataDir);
    expect(start.status).toBe(0);
    expect(start.stderr).toMatch(/failed its integrity check/);
    const names = readdirSync(dataDir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^grill-stats\.snapshot\.db\.corrupt-\d+$/);
  });

  it("refuses an unknown command with usage help", () => {
    const res = runHook("bogus", dataDir);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/usage/);
    expect(() => execFileSync(process.execPath, [SCRIPT], { stdio: "pipe" })).toThrow();
  });
});
