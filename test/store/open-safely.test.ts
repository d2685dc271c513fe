import { closeSync, openSync, readFileSync, readdirSync, statSync, writeSync } from "node:fs";
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

const opened = (dataDir: string) => {
  const logger = createMemoryLogger();
  const safe = openStoreSafely({ dataDir, logger, now: () => new Date(T0) });
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
});
