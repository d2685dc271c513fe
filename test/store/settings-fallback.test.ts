/**
 * Settings and stored values while the database cannot be written: another connection holds the
 * write lock, so the store's writes fail with SQLITE_BUSY after its busy timeout (50 ms here) —
 * a real failure, nothing stubbed.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BadRequestError } from "../../src/shared";
import { DB_FILE_NAME } from "../../src/store";
import { tempStore } from "./helpers";

const T0 = 1_700_000_000_000;
let t: ReturnType<typeof tempStore> | null = null;
afterEach(() => {
  t?.done();
  t = null;
});

const lock = (dir: string): (() => void) => {
  const other = new Database(join(dir, DB_FILE_NAME));
  other.exec("BEGIN IMMEDIATE");
  return () => {
    other.exec("ROLLBACK");
    other.close();
  };
};

describe("settings while the database cannot be written", () => {
  it("apply from memory, are read back, and are written once the database takes writes again", () => {
    let nowMs = T0;
    t = tempStore(() => nowMs, { busyTimeoutMs: 50 });
    const store = t.store;
    store.saveSettings({ probeId: "a_1", targetC: 90, highC: null, lowC: null });
    const unlock = lock(t.dir);
    try {
      store.saveSettings({ probeId: "a_1", targetC: 95, highC: null, lowC: null });
      store.saveSettings({ probeId: "b_2", targetC: null, highC: 135, lowC: 100 });
      store.setKv("homeassistant.helperSynced", { "input_number.x": 95 });
      expect(store.getSettings("a_1").targetC).toBe(95);
      expect(store.listSettings().map((s) => [s.probeId, s.targetC, s.highC])).toEqual([["a_1", 95, null], ["b_2", null, 135]]);
      expect(store.getKv("homeassistant.helperSynced")).toEqual({ "input_number.x": 95 });
      expect(store.unsavedWrites()).toBe(3);
      expect(store.writeFailure()?.error).toMatch(/database is locked/i);
      // A value that can never be stored is still the caller's mistake, not kept.
      expect(() => store.saveSettings({ probeId: "a_1", targetC: Number.NaN, highC: null, lowC: null })).toThrow(BadRequestError);
    } finally {
      unlock();
    }
    // Within the back-off nothing is tried; after it, the next read writes what was kept.
    expect(store.unsavedWrites()).toBe(3);
    nowMs += 31_000;
    expect(store.getSettings("b_2").highC).toBe(135);
    expect(store.unsavedWrites()).toBe(0);
    expect(store.writeFailure()).toBeNull();
    // In the file: a restart keeps them.
    const reopened = t.reopen();
    expect(reopened.getSettings("a_1").targetC).toBe(95);
    expect(reopened.getSettings("b_2")).toEqual({ probeId: "b_2", targetC: null, highC: 135, lowC: 100 });
    expect(reopened.getKv("homeassistant.helperSynced")).toEqual({ "input_number.x": 95 });
  });
  it("writes what it kept when the store closes, back-off or not; what the database still refuses is said lost", () => {
    t = tempStore(() => T0, { busyTimeoutMs: 50 });
    const unlock = lock(t.dir);
    t.store.saveSettings({ probeId: "a_1", targetC: 91, highC: null, lowC: null });
    t.store.setKv("homeassistant.pendingEvents", { items: [1, 2] });
    unlock();
    // Still in the 30 s back-off (the clock has not moved): a stop writes them all the same.
    expect(t.store.unsavedWrites()).toBe(2);
    const reopened = t.reopen();
    expect(reopened.getSettings("a_1").targetC).toBe(91);
    expect(reopened.getKv("homeassistant.pendingEvents")).toEqual({ items: [1, 2] });
  });

  it("keeps only what the database refused: any other error is the caller's, thrown at once", () => {
    t = tempStore(() => T0, { busyTimeoutMs: 50 });
    // A value JSON cannot hold is no database failure: it must not be kept, nor hold back later writes.
    expect(() => t?.store.setKv("x", { n: 1n })).toThrow(TypeError);
    expect(t.store.unsavedWrites()).toBe(0);
    expect(t.store.writeFailure()).toBeNull();
    t.store.saveSettings({ probeId: "a_1", targetC: 90, highC: null, lowC: null });
    expect(t.reopen().getSettings("a_1").targetC).toBe(90);
  });
});
