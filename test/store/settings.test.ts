import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BadRequestError, createMemoryLogger } from "../../src/shared";
import { openStore } from "../../src/store";
import { tempStore } from "./helpers";

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.done());

describe("settings and kv", () => {
  it("settings round trip; unknown probes get nulls", () => {
    expect(t.store.getSettings("d_9")).toEqual({ probeId: "d_9", targetC: null, highC: null, lowC: null });
    t.store.saveSettings({ probeId: "d_1", targetC: 95, highC: null, lowC: 60.5 });
    t.store.saveSettings({ probeId: "d_0", targetC: null, highC: 150, lowC: null });
    t.store.saveSettings({ probeId: "d_1", targetC: 93, highC: null, lowC: 60.5 });
    expect(t.reopen().getSettings("d_1")).toEqual({ probeId: "d_1", targetC: 93, highC: null, lowC: 60.5 });
    expect(t.store.listSettings().map((s) => s.probeId)).toEqual(["d_0", "d_1"]);
    expect(() => t.store.saveSettings({ probeId: "d_1", targetC: Number.POSITIVE_INFINITY, highC: null, lowC: null })).toThrow(BadRequestError);
  });

  it("kv stores JSON values; null deletes", () => {
    expect(t.store.getKv("missing")).toBeNull();
    const value = { helpers: { d_1: "input_number.grill_stats_d_1_target" }, list: [1, "two", true], text: "ünïcode ✓" };
    t.store.setKv("ha", value);
    t.store.setKv("n", 42);
    expect(t.reopen().getKv<typeof value>("ha")).toEqual(value);
    expect(t.store.getKv<number>("n")).toBe(42);
    t.store.setKv("n", null);
    expect(t.store.getKv("n")).toBeNull();
  });
});

describe("backupTo", () => {
  it("writes a consistent, readable copy, replacing an older backup", () => {
    t.store.insertReadings(Array.from({ length: 500 }, (_, i) => ({ probeId: "d_1", tsMs: i * 5_000, tempC: i / 10 })));
    t.store.createCook({ name: "Backup me", startMs: 0, probeIds: ["d_1"] });
    const target = join(t.dir, "backups", "grill-stats-backup.db");
    t.store.backupTo(target);
    t.store.insertReadings([{ probeId: "d_1", tsMs: 9_999_999, tempC: 1 }]);
    t.store.backupTo(target);
    const copy = openStore({ path: target, logger: createMemoryLogger() });
    try {
      expect(copy.stats().readings).toBe(501);
      expect(copy.readingsBetween("d_1", 0, 10_000)).toHaveLength(3);
      expect(copy.listCooks().map((c) => c.name)).toEqual(["Backup me"]);
      expect(copy.summarize("d_1", 0, 10_000_000).count).toBe(501);
    } finally {
      copy.close();
    }
  });
});
