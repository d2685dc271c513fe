/**
 * Polls into a real SQLite file while the database cannot be written: another connection holds
 * the write lock (as a backup tool or a second copy of the add-on would), so the store's inserts
 * fail with SQLITE_BUSY after its busy timeout (50 ms here) — a real failure, nothing stubbed.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryLogger, EventBus, type PollResult, type Reading } from "../../src/shared";
import { device as makeDevice, probe as makeProbe } from "../analytics/helpers";
import { createIngest, DB_FILE_NAME } from "../../src/store";
import { tempStore } from "./helpers";

const device = makeDevice("10061c6f4770", 30);
const probe = makeProbe("1", "meat", "Brisket", device.key);
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
    let nowMs = T0;
    t = tempStore(() => nowMs, { busyTimeoutMs: 50 });
    const bus = new EventBus();
    const logger = createMemoryLogger("debug");
    const downstream: Reading[][] = [];
    bus.on("readings:stored", (r) => downstream.push(r));
    // Room for six kept readings (three polls): the seventh pushes the oldest out.
    const ingest = createIngest({ store: t.store, bus, logger, clock: { now: () => nowMs }, maxPendingReadings: 6 });
    const writes = vi.spyOn(t.store, "upsertDevices");

    ingest.onPoll(poll(1));
    const other = new Database(join(t.dir, DB_FILE_NAME));
    other.exec("BEGIN IMMEDIATE");
    try {
      ingest.onPoll(poll(2));
      ingest.onPoll(poll(3));
      expect(ingest.pendingReadings()).toBe(4);
      // A locked file makes each write wait its busy timeout: after one failed, the next poll
      // (within 30 s) does not try again.
      expect(writes).toHaveBeenCalledTimes(2);
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
    // Still within the back-off: kept, and sent downstream.
    ingest.onPoll(poll(4));
    expect(ingest.pendingReadings()).toBe(6);
    nowMs += 31_000;
    ingest.onPoll(poll(5));
    expect(ingest.pendingReadings()).toBe(0);
    // Each poll went downstream once, when it was read.
    expect(downstream).toEqual([1, 2, 3, 4, 5].map((i) => poll(i).readings));
    const stored = t.store.readingsBetween(probe.id, T0, T0 + 10 * 60_000).map((r) => r.tempC);
    // Poll 5 pushed the oldest kept poll (2) past the cap; the rest were written, in order.
    expect(stored).toEqual([61, 61, 63, 63, 64, 64, 65, 65]);
    expect(logger.lines.some((l) => l.includes("takes readings again") && l.includes("droppedOldestReadings"))).toBe(true);
  });

  it("writes a long backlog back a bounded chunk per poll, in order", () => {
    let nowMs = T0;
    t = tempStore(() => nowMs, { busyTimeoutMs: 50 });
    const ingest = createIngest({ store: t.store, bus: new EventBus(), logger: createMemoryLogger("debug"), clock: { now: () => nowMs } });
    ingest.onPoll(poll(0));
    const other = new Database(join(t.dir, DB_FILE_NAME));
    other.exec("BEGIN IMMEDIATE");
    // 45,000 readings of one long poll while locked (an hour of 12 probes at 1 s, say).
    const big: PollResult = { ...poll(1), readings: Array.from({ length: 45_000 }, (_, i) => ({ probeId: probe.id, tsMs: T0 + 3_600_000 + i * 1000, tempC: 70 })) };
    try {
      ingest.onPoll(big);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    nowMs += 31_000;
    const left: number[] = [];
    for (let i = 2; i <= 5; i++) {
      ingest.onPoll(poll(i));
      left.push(ingest.pendingReadings());
    }
    // 20,000 a poll at most, then caught up (each poll's own two readings join the queue).
    expect(left).toEqual([25_002, 5_004, 0, 0]);
    expect(t.store.readingsBetween(probe.id, T0 + 3_600_000, T0 + 3_600_000 + 45_000_000)).toHaveLength(45_000);
  });
});
