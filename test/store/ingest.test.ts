/**
 * Polls into a real SQLite file while the database cannot be written: another connection holds
 * the write lock (as a backup tool or a second copy of the add-on would), so the store's inserts
 * fail with SQLITE_BUSY after its busy timeout (50 ms here) — a real failure, nothing stubbed.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryLogger, EventBus, type Device, type PollResult, type Probe, type Reading } from "../../src/shared";
import { createIngest, DB_FILE_NAME } from "../../src/store";
import { tempStore } from "./helpers";

const device: Device = {
  serial: "10:06:1C:6F:47:70",
  key: "10061c6f4770",
  label: "Signals",
  kind: "signals",
  model: "signals",
  firmware: null,
  batteryPct: 80,
  batteryState: null,
  signalDbm: null,
  lastSeenMs: null,
  transmitIntervalSec: 30,
  reportDeltaC: null,
};
const probe: Probe = { id: "10061c6f4770_1", deviceSerial: device.serial, deviceKey: device.key, channel: "1", label: "Brisket", type: "Pro-Series", role: "meat" };
const T0 = 1_700_000_000_000;
const poll = (i: number): PollResult => ({
  atMs: T0 + i * 60_000,
  devices: [device],
  probes: [probe],
  readings: [0, 30_000].map((d) => ({ probeId: probe.id, tsMs: T0 + i * 60_000 + d, tempC: 60 + i })),
});

let t: ReturnType<typeof tempStore> | null = null;
afterEach(() => {
  t?.done();
  t = null;
});

describe("ingest while the database cannot be written", () => {
  it("keeps the readings in order, sends them downstream all the same, and writes them once it can", () => {
    t = tempStore(() => T0, { busyTimeoutMs: 50 });
    const bus = new EventBus();
    const logger = createMemoryLogger("debug");
    const downstream: Reading[][] = [];
    bus.on("readings:stored", (r) => downstream.push(r));
    // Room for one kept poll: the second one kept pushes the first out.
    const ingest = createIngest({ store: t.store, bus, logger, clock: { now: () => T0 }, maxPendingReadings: 3 });

    ingest.onPoll(poll(1));
    const other = new Database(join(t.dir, DB_FILE_NAME));
    other.exec("BEGIN IMMEDIATE");
    try {
      ingest.onPoll(poll(2));
      ingest.onPoll(poll(3));
      expect(ingest.pendingReadings()).toBe(2);
      // The live view, forecasts and alarms got every reading, once.
      expect(downstream).toEqual([poll(1).readings, poll(2).readings, poll(3).readings]);
      const errors = logger.lines.filter((l) => l.includes("ERROR"));
      expect(errors).toHaveLength(1); // not once per poll
      expect(errors[0]).toContain("kept in memory");
      expect(errors[0]).toMatch(/database is locked|SQLITE_BUSY/i);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    ingest.onPoll(poll(4));
    expect(ingest.pendingReadings()).toBe(0);
    // Only the new poll goes downstream now; the kept one went when it was read.
    expect(downstream.at(-1)).toEqual(poll(4).readings);
    expect(downstream).toHaveLength(4);
    const stored = t.store.readingsBetween(probe.id, T0, T0 + 10 * 60_000).map((r) => r.tempC);
    // Poll 2 was the oldest past the cap; 3 was kept and written before 4.
    expect(stored).toEqual([61, 61, 63, 63, 64, 64]);
    expect(logger.lines.some((l) => l.includes("takes readings again") && l.includes("droppedOldestReadings"))).toBe(true);
  });
});
