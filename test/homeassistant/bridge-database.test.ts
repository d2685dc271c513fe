/**
 * A helper changed in Home Assistant while the database cannot be written (another connection
 * holds the write lock; the store gives up after 50 ms with SQLITE_BUSY — a real failure). Thrown
 * in Home Assistant's subscription callback, such an error ended the process.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../src/shared";
import { openStore } from "../../src/store";
import { startHaStandIn, type HaStandIn } from "../support/ha-standin";
import { waitUntil } from "../support/ha-wait";
import { SETTINGS, makeWorld, startBridge, type Harness } from "./fixtures";

const TARGET = "input_number.grill_stats_10061c6f4770_1_target";

describe("Home Assistant bridge while the database cannot be written", () => {
  let ha: HaStandIn | null = null;
  let world: ReturnType<typeof makeWorld> | null = null;
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.stop();
    await ha?.stop();
    world?.cleanup();
  });

  it("takes helper changes all the same: they apply from memory, and the bridge keeps listening", async () => {
    ha = await startHaStandIn({ unitSystem: "°F" });
    world = makeWorld();
    const store = openStore({ dataDir: world.dir, logger: createMemoryLogger(), busyTimeoutMs: 50 });
    h = await startBridge(ha, world, { initialSettings: SETTINGS, store });
    await waitUntil(() => ha?.states.get(TARGET)?.state === "203.0", "settings pushed");
    const other = new Database(store.stats().path);
    other.exec("BEGIN IMMEDIATE");
    try {
      ha.setState(TARGET, "200.0");
      await waitUntil(() => (h?.emitted["settings:changed"] ?? []).length === 1, "settings:changed", 2000);
      expect(store.getSettings("10061c6f4770_1").targetC).toBe(93.33);
      expect(store.unsavedWrites()).toBeGreaterThan(0);
      // Still listening: the next change is taken too.
      ha.setState(TARGET, "205.0");
      await waitUntil(() => (h?.emitted["settings:changed"] ?? []).length === 2, "second settings:changed", 2000);
      expect(store.getSettings("10061c6f4770_1").targetC).toBe(96.11);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(h.logger.lines.some((l) => l.includes("could not apply a helper change"))).toBe(false);
  });
});
