import { closeSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryLogger, type Device, type Probe, type Reading } from "../../src/shared";
import { DB_FILE_NAME, openStore, openStoreSafely } from "../../src/store";
import { PAGE_SIZE } from "../../src/store/db";
import { makeTempDir } from "../support/tmp";

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

const T0 = 1_700_000_000_000;
const probe: Probe = { id: "dev1_1", deviceSerial: "AA:BB", deviceKey: "dev1", channel: "1", label: "Brisket", type: "Pro-Series", role: "meat" };
const device: Device = { serial: "AA:BB", key: "dev1", label: "Smoker", kind: "signals", model: "signals", firmware: "1.0", batteryPct: 90, batteryState: null, signalDbm: -60, lastSeenMs: null, transmitIntervalSec: 5, reportDeltaC: null };

/** A data folder holding a real database with `count` readings of one probe, closed (WAL checkpointed). */
const dataDirWithHistory = (count: number): string => {
  const tmp = makeTempDir("grill-stats-open-safely-");
  cleanups.push(tmp.cleanup);
  const store = openStore({ dataDir: tmp.dir, logger: createMemoryLogger("warn") });
  store.upsertDevices([device]);
  store.upsertProbes([probe]);
  const readings: Reading[] = Array.from({ length: count }, (_, i) => ({ probeId: probe.id, tsMs: T0 + i * 5_000, tempC: 20 + (i % 500) / 10 }));
  store.insertReadings(readings);
  store.close();
  return tmp.dir;
};

/** Overwrites `pages` whole pages from the middle of the file with a byte pattern, as a bad sector or a torn write would. */
const corruptMiddlePages = (path: string, pages: number): void => {
  const total = Math.floor(statSync(path).size / PAGE_SIZE);
  const first = Math.floor(total / 2);
  const fd = openSync(path, "r+");
  try {
    for (let p = first; p < first + pages; p++) writeSync(fd, Buffer.alloc(PAGE_SIZE, 0x5a), 0, PAGE_SIZE, p * PAGE_SIZE);
  } finally {
    closeSync(fd);
  }
};

const opened = (dataDir: string, now = new Date(T0)) => {
  const logger = createMemoryLogger();
  const safe = openStoreSafely({ dataDir, logger, now: () => now });
  cleanups.unshift(() => safe.store.close());
  return { ...safe, lines: logger.lines };
};

describe("opening the data folder's database at start", () => {
  it("opens a sound database as it is, after checking it", () => {
    const dataDir = dataDirWithHistory(20_000);
    const { store, problem, lines } = opened(dataDir);
    expect(problem).toBeNull();
    expect(store.stats().readings).toBe(20_000);
    expect(lines.some((l) => /INFO .*database checked/.test(l))).toBe(true);
  });

  it("sets aside a database that opens but is damaged inside, starts a new one, and says so", () => {
    const dataDir = dataDirWithHistory(20_000);
    const path = join(dataDir, DB_FILE_NAME);
    corruptMiddlePages(path, 8);
    const damaged = readFileSync(path);

    const { store, problem, lines } = opened(dataDir);

    expect(problem).toMatch(/the database was damaged \(.*integrity check failed.*\): it was set aside as .*grill-stats\.db\.damaged-.* and a new one started/);
    expect(problem).not.toContain("\n"); // quick_check's findings span lines; the log line does not
    expect(lines.some((l) => /ERROR .*the database was damaged .*integrity check failed: .*page/.test(l))).toBe(true);
    const aside = readdirSync(dataDir).filter((f) => f.startsWith("grill-stats.db.damaged-") && !/-(wal|shm)$/.test(f));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir, aside[0] as string)).equals(damaged)).toBe(true);
    // The new database is empty and takes readings.
    expect(store.stats().readings).toBe(0);
    store.upsertDevices([device]);
    store.upsertProbes([probe]);
    expect(store.insertReadings([{ probeId: probe.id, tsMs: T0, tempC: 21 }])).toHaveLength(1);
  });

  it("keeps the newest three damaged copies and deletes older ones with their -wal and -shm, saying which", () => {
    const tmp = makeTempDir("grill-stats-open-safely-");
    cleanups.push(tmp.cleanup);
    const dataDir = tmp.dir;
    // Four copies set aside by earlier starts (stamps as open-safely writes them), some with sidecars.
    const earlier = ["2023-01-01T10-00-00-000Z", "2023-03-01T10-00-00-000Z", "2023-06-01T10-00-00-000Z", "2023-09-01T10-00-00-000Z"];
    for (const stamp of earlier) {
      writeFileSync(join(dataDir, `grill-stats.db.damaged-${stamp}`), "old");
      writeFileSync(join(dataDir, `grill-stats.db.damaged-${stamp}-wal`), "old wal");
    }
    writeFileSync(join(dataDir, `grill-stats.db.damaged-${earlier[0]}-shm`), "old shm");
    writeFileSync(join(dataDir, "grill-stats.snapshot.db.corrupt-1700000000000"), "not ours to prune");
    writeFileSync(join(dataDir, DB_FILE_NAME), "this is not a database, ".repeat(400));

    const { problem, lines } = opened(dataDir);

    expect(problem).toMatch(/set aside as .*grill-stats\.db\.damaged-2023-11-14T22-13-20-000Z and a new one started/);
    expect(readdirSync(dataDir).sort()).toEqual([
      "grill-stats.db",
      "grill-stats.db-shm",
      "grill-stats.db-wal",
      "grill-stats.db.damaged-2023-06-01T10-00-00-000Z",
      "grill-stats.db.damaged-2023-06-01T10-00-00-000Z-wal",
      "grill-stats.db.damaged-2023-09-01T10-00-00-000Z",
      "grill-stats.db.damaged-2023-09-01T10-00-00-000Z-wal",
      "grill-stats.db.damaged-2023-11-14T22-13-20-000Z",
      "grill-stats.snapshot.db.corrupt-1700000000000",
    ]);
    const line = lines.find((l) => /older damaged database copies deleted/.test(l));
    expect(line).toMatch(/INFO /);
    expect(line).toContain("grill-stats.db.damaged-2023-01-01T10-00-00-000Z");
    expect(line).toContain("grill-stats.db.damaged-2023-03-01T10-00-00-000Z");
    expect(line).not.toContain("2023-06-01");
  });

  it("never deletes the copy it has just set aside, even when the clock starts wrong", () => {
    const tmp = makeTempDir("grill-stats-open-safely-");
    cleanups.push(tmp.cleanup);
    const dataDir = tmp.dir;
    for (const stamp of ["2023-01-01T10-00-00-000Z", "2023-03-01T10-00-00-000Z", "2023-06-01T10-00-00-000Z"]) writeFileSync(join(dataDir, `grill-stats.db.damaged-${stamp}`), "old");
    writeFileSync(join(dataDir, DB_FILE_NAME), "this is not a database, ".repeat(400));

    opened(dataDir, new Date(0)); // a Raspberry Pi without a clock battery, before NTP

    expect(readdirSync(dataDir).filter((f) => f.includes(".damaged-")).sort()).toEqual([
      "grill-stats.db.damaged-1970-01-01T00-00-00-000Z",
      "grill-stats.db.damaged-2023-03-01T10-00-00-000Z",
      "grill-stats.db.damaged-2023-06-01T10-00-00-000Z",
    ]);
  });
});
