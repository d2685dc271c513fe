import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAnalyticsEngine } from "../../src/analytics";
import type { Probe, ProbeState } from "../../src/shared";
import { startHaStandIn, type HaStandIn } from "../support/ha-standin";
import { waitUntil } from "../support/ha-wait";
import { makeDevice, makeWorld, startBridge, type Harness } from "./fixtures";

const DEVICE = { deviceSerial: "10:06:1C:6F:47:70", deviceKey: "10061c6f4770", type: "", cloudAlarmHighC: null, cloudAlarmLowC: null };
const MEAT: Probe = { ...DEVICE, id: "10061c6f4770_1", channel: "1", label: "Brisket", role: "meat" };
const PIT: Probe = { ...DEVICE, id: "10061c6f4770_2", channel: "2", label: "Pit", role: "pit" };
const TEMP = "sensor.grill_stats_10061c6f4770_1_temperature";
const ETA = "sensor.grill_stats_10061c6f4770_1_eta";
const ONLINE = "binary_sensor.grill_stats_10061c6f4770_online";
const POLL_MS = 5_000;

/**
 * What one hour of a cook costs Home Assistant's recorder: every state posted that differs from
 * the one before is a row in `states`, every new set of attributes a row in `state_attributes`.
 * The real analytics engine makes the probe states, the bridge posts them to the stand-in.
 */
describe("recorder rows from an hour of 5 s readings", () => {
  let ha: HaStandIn;
  let world: ReturnType<typeof makeWorld>;
  let h: Harness | null = null;
  let nowMs = 0;

  beforeEach(async () => {
    ha = await startHaStandIn();
    world = makeWorld();
    nowMs = Date.now() - 2 * 3600_000;
    h = await startBridge(ha, world, { probes: [], devices: [], clock: { now: () => nowMs }, waitReady: false });
    await waitUntil(() => h?.bridge.status().connected === true, "bridge connected");
  });
  afterEach(async () => {
    await h?.stop();
    h = null;
    await ha.stop();
    world.cleanup();
  });

  /** Rows the recorder would write for `entityId`: posts that changed something, and distinct attribute sets. */
  const rows = (entityId: string): { states: number; attributes: number; attributesOnly: number; logbook: number } => {
    const posts = ha.posted.filter((p) => p.entityId === entityId && p.status < 300);
    let states = 0;
    let attributesOnly = 0;
    let previous = { state: "", attributes: "" };
    for (const p of posts) {
      const now = { state: p.state, attributes: JSON.stringify(p.attributes) };
      if (now.state !== previous.state || now.attributes !== previous.attributes) states++;
      if (now.state === previous.state && now.attributes !== previous.attributes) attributesOnly++;
      previous = now;
    }
    // The logbook lists a sensor without a unit with every change of its state.
    return { states, attributes: new Set(posts.map((p) => JSON.stringify(p.attributes))).size, attributesOnly, logbook: states - attributesOnly };
  };

  it("a rising meat probe makes about one attributes row a minute, and a state row only when the temperature moves", async () => {
    const engine = createAnalyticsEngine();
    const settings = new Map([[MEAT.id, { probeId: MEAT.id, targetC: 95, highC: null, lowC: null, preAlarmC: null, name: null }]]);
    const start = nowMs;
    const polls = 3600_000 / POLL_MS;
    let changes = 0;
    let shown = "";
    for (let i = 0; i < polls; i++) {
      nowMs = start + i * POLL_MS;
      // 40 → 60 °C over the hour with ±0.15 °C of sensor noise, on a 120 °C pit.
      const meatC = 40 + (20 * i) / polls + 0.15 * Math.sin(i * 1.7);
      const readings = [
        { probeId: MEAT.id, tsMs: nowMs, tempC: meatC },
        { probeId: PIT.id, tsMs: nowMs, tempC: 120 + 2 * Math.sin(i / 9) },
      ];
      if (meatC.toFixed(1) !== shown) changes++;
      shown = meatC.toFixed(1);
      const device = makeDevice({ lastSeenMs: nowMs, transmitIntervalSec: 5 });
      h!.bus.emit("poll:result", { atMs: nowMs, devices: [device], probes: [MEAT, PIT], readings });
      const out = engine.ingest({ devices: [device], probes: [MEAT, PIT], readings, settings: settings as never, nowMs });
      h!.bus.emit("probes:state", out.states);
      await waitUntil(() => h!.bridge.status().postQueue === 0, "posted");
    }
    const temp = rows(TEMP);
    const eta = rows(ETA);
    const online = rows(ONLINE);
    // At most one fresh set of held attributes a minute, plus a few for the probe's status and stall settling.
    expect(temp.attributes).toBeLessThanOrEqual(60 + 5);
    // Only a new temperature (0.1 °C) or a new minute's attributes is a new state.
    expect(temp.states).toBeLessThanOrEqual(changes + 60 + 5);
    // A done time moves when the forecast moved by more than 5 % of the time left (the engine's
    // P50 moved its minute 320 times in this hour); its range and forecast alone, once a minute.
    expect(eta.logbook).toBeGreaterThan(0);
    expect(eta.logbook).toBeLessThanOrEqual(20);
    expect(eta.attributesOnly).toBeLessThanOrEqual(60 + 5);
    expect(online.states).toBeLessThanOrEqual(60 + 2);
    // What stands is still true: the newest temperature, and when it was read within a minute.
    const last = ha.states.get(TEMP)!;
    expect(last.state).toBe((40 + (20 * (polls - 1)) / polls + 0.15 * Math.sin((polls - 1) * 1.7)).toFixed(1));
    expect(nowMs - Date.parse(last.attributes.last_seen as string)).toBeLessThan(60_000);
  }, 60_000);

  it("a change of what a person reads sends the held attributes fresh at once (the last reading of a probe pulled out)", async () => {
    const engine = createAnalyticsEngine();
    const start = nowMs;
    let states: ProbeState[] = [];
    const poll = (tempC: number | null): void => {
      const readings = [{ probeId: MEAT.id, tsMs: nowMs, tempC }];
      const device = makeDevice({ lastSeenMs: nowMs, transmitIntervalSec: 5 });
      h!.bus.emit("poll:result", { atMs: nowMs, devices: [device], probes: [MEAT], readings });
      states = engine.ingest({ devices: [device], probes: [MEAT], readings, settings: new Map(), nowMs }).states;
      h!.bus.emit("probes:state", states);
    };
    for (let i = 0; i < 20; i++) {
      nowMs = start + i * POLL_MS;
      poll(50 + i * 0.05);
      await waitUntil(() => h!.bridge.status().postQueue === 0, "posted");
    }
    const lastReadingMs = nowMs;
    const seenBefore = ha.states.get(TEMP)!.attributes.last_seen;
    // Taken out: "no probe" until the status goes unplugged.
    for (let i = 1; states.find((p) => p.id === MEAT.id)?.status !== "unplugged"; i++) {
      expect(i).toBeLessThan(10);
      nowMs = lastReadingMs + i * POLL_MS;
      poll(null);
      await waitUntil(() => h!.bridge.status().postQueue === 0, "posted");
    }
    await waitUntil(() => ha.states.get(TEMP)?.attributes.status === "unplugged", "unplugged posted");
    const pulled = ha.states.get(TEMP)!;
    expect(pulled.state).toBe("unavailable");
    // Not the ones held from up to a minute before: the engine's own.
    const engineSays = states.find((p) => p.id === MEAT.id)!;
    expect(seenBefore).not.toBe(new Date(engineSays.tsMs!).toISOString());
    expect(pulled.attributes.last_seen).toBe(new Date(engineSays.tsMs!).toISOString());
    expect(pulled.attributes.max).toBeCloseTo(engineSays.maxC!, 1);
  });
});
