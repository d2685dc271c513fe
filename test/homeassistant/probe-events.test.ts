import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAnalyticsEngine, type AnalyticsEngine } from "../../src/analytics";
import type { Probe, Reading } from "../../src/shared";
import { startHaStandIn, type HaStandIn } from "../support/ha-standin";
import { delay, waitUntil } from "../support/ha-wait";
import { makeDevice, makeWorld, startBridge, type Harness } from "./fixtures";

const MEAT: Probe = {
  id: "10061c6f4770_1", deviceSerial: "10:06:1C:6F:47:70", deviceKey: "10061c6f4770", channel: "1",
  label: "Brisket", type: "", role: "meat", cloudAlarmHighC: null, cloudAlarmLowC: null,
};

/**
 * `grill_stats_probe` for a probe that reads "no probe": the real analytics engine turns the
 * readings into states and events (as the analytics service does every poll), the bridge fires
 * them into the Home Assistant stand-in.
 */
describe("Home Assistant events for a probe that reads \"no probe\"", () => {
  let ha: HaStandIn;
  let world: ReturnType<typeof makeWorld>;
  let h: Harness | null = null;
  let engine: AnalyticsEngine;
  let offsetMs = 0;
  const now = (): number => Date.now() + offsetMs;
  const t0 = Date.now() - 10 * 60_000;

  /** One poll that brought `readings`, the newest of them just read (the clock is set to it). */
  const poll = (readings: Reading[]): void => {
    offsetMs = (readings.at(-1)?.tsMs ?? now()) - Date.now();
    const out = engine.ingest({ devices: [makeDevice()], probes: [MEAT], readings, settings: new Map(), nowMs: now() });
    for (const e of out.events) h?.bus.emit("probe:event", e);
    h?.bus.emit("probes:state", out.states);
  };
  const probeEvents = (): { kind: unknown; time: unknown }[] =>
    ha.firedEvents.filter((e) => e.eventType === "grill_stats_probe").map((e) => ({ kind: e.data.kind, time: e.data.time }));

  beforeEach(async () => {
    ha = await startHaStandIn();
    world = makeWorld();
    offsetMs = 0;
    h = await startBridge(ha, world, { probes: [], clock: { now }, waitReady: false });
    await waitUntil(() => h?.bridge.status().connected === true, "bridge connected");
    engine = createAnalyticsEngine();
    // Nine minutes of a meat probe at 60 °C, one reading every 5 s.
    poll(Array.from({ length: 108 }, (_, i) => ({ probeId: MEAT.id, tsMs: t0 + i * 5_000, tempC: 60 + i * 0.001 })));
  });
  afterEach(async () => {
    await h?.stop();
    h = null;
    await ha.stop();
    world.cleanup();
  });

  it("fires nothing for a single dropout (back where it was heading), and removed / inserted for a probe taken out", async () => {
    const last = t0 + 107 * 5_000;
    poll([{ probeId: MEAT.id, tsMs: last + 5_000, tempC: null }]);
    poll([{ probeId: MEAT.id, tsMs: last + 10_000, tempC: 60.2 }]);
    // Taken out: two "no probe" readings, then it reads the kitchen.
    poll([{ probeId: MEAT.id, tsMs: last + 15_000, tempC: null }]);
    poll([{ probeId: MEAT.id, tsMs: last + 20_000, tempC: null }]);
    await waitUntil(() => probeEvents().length === 1, "removed fired on the second no-probe reading");
    poll([{ probeId: MEAT.id, tsMs: last + 60_000, tempC: 22 }]);
    await waitUntil(() => probeEvents().length === 2, "inserted fired");
    await delay(100);
    expect(probeEvents()).toEqual([
      { kind: "removed", time: new Date(last + 15_000).toISOString() },
      { kind: "inserted", time: new Date(last + 60_000).toISOString() },
    ]);
  });

  it("fires removed after 30 s of \"no probe\" when no second reading comes (a slow device)", async () => {
    const last = t0 + 107 * 5_000;
    poll([{ probeId: MEAT.id, tsMs: last + 5_000, tempC: null }]);
    h?.bus.emit("probes:state", engine.states());
    await delay(200);
    expect(probeEvents()).toEqual([]);
    offsetMs += 30_000;
    h?.bus.emit("probes:state", engine.states());
    await waitUntil(() => probeEvents().length === 1, "removed fired after 30 s");
    expect(probeEvents()[0]).toEqual({ kind: "removed", time: new Date(last + 5_000).toISOString() });
  });
});
