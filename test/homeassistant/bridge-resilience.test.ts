import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryLogger, type AlarmState } from "../../src/shared";
import { openStore } from "../../src/store";
import { startHaStandIn, type HaStandIn } from "../support/ha-standin";
import { delay, waitUntil } from "../support/ha-wait";
import { SETTINGS, makeProbe, makeWorld, startBridge, type Harness } from "./fixtures";

const TEMP = "sensor.grill_stats_10061c6f4770_1_temperature";
const ALL_ENTITIES = 8;

describe("Home Assistant bridge: restarts, outages and a slow Home Assistant", () => {
  let ha: HaStandIn;
  let world: ReturnType<typeof makeWorld>;
  let h: Harness | null = null;
  beforeEach(async () => {
    ha = await startHaStandIn();
    world = makeWorld();
  });
  afterEach(async () => {
    await h?.stop();
    h = null;
    await ha.stop();
    world.cleanup();
  });

  it("after a Home Assistant restart every entity is posted again within 5 s", async () => {
    h = await startBridge(ha, world, { initialSettings: SETTINGS });
    const restartedAt = Date.now();
    await ha.restart();
    expect(ha.states.has(TEMP)).toBe(false);
    const repostedIds = (): Set<string> => new Set(ha.posted.filter((p) => p.tsMs >= restartedAt && p.status < 300).map((p) => p.entityId));
    await waitUntil(() => repostedIds().size === ALL_ENTITIES, "all entities re-posted", 5000);
    expect(ha.states.get(TEMP)?.state).toBe("71.4");
    await waitUntil(() => h?.bridge.status().connected === true, "connected again");
    // Helpers survived the restart (Core restores them): nothing was created twice.
    expect(ha.received.filter((f) => f.msg.type === "input_number/create")).toHaveLength(4);
  });

  it("through the Supervisor's proxy, a Core that is down (auth_ok, then closed) is retried with back-off, not in a loop", async () => {
    h = await startBridge(ha, world, { initialSettings: SETTINGS, connection: { url: ha.coreUrl, token: ha.token, viaSupervisor: true } });
    const before = ha.connectionCount();
    await ha.restart({ downMs: 3000 });
    // Taking auth_ok for a connection made it reconnect at once, every few ms: about 360 times in 3 s.
    expect(ha.connectionCount() - before).toBeLessThanOrEqual(6);
    expect(h.bridge.status().connected).toBe(false);
    await waitUntil(() => h?.bridge.status().connected === true, "connected again once Core is back", 8000);
    await waitUntil(() => ha.states.get(TEMP)?.state === "71.4", "states posted again through the proxy");
  });

  it("while Home Assistant is down, readings keep flowing and events wait; after it is back they go out in order", async () => {
    h = await startBridge(ha, world, { initialSettings: SETTINGS, alarmEventsFromBus: true });
    const down = ha.restart({ downMs: 700 });
    await waitUntil(() => h?.bridge.status().connected === false, "bridge noticed the outage");
    const probeId = "10061c6f4770_1";
    h.bus.emit("probe:event", { kind: "stalled", probeId, tsMs: 1, tempC: 70 });
    h.bus.emit("probes:state", [makeProbe({ tempC: 72.5 })]);
    const alarm: AlarmState = {
      id: `${probeId}:target`, kind: "target", probeId, deviceKey: null, phase: "firing", message: "Brisket reached 95 °C",
      valueC: 95, thresholdC: 95, sinceMs: 2, snoozedUntilMs: null, repeatCount: 0, critical: true,
    };
    h.bus.emit("alarm:changed", { alarm, transition: "raised" });
    h.bus.emit("probe:event", { kind: "target_reached", probeId, tsMs: 3, tempC: 95 });
    await down;
    await waitUntil(() => ha.firedEvents.length === 3, "three events delivered");
    expect(ha.firedEvents.map((e) => [e.eventType, e.data.transition ?? e.data.kind])).toEqual([
      ["grill_stats_probe", "stalled"],
      ["grill_stats_alarm", "raised"],
      ["grill_stats_probe", "target_reached"],
    ]);
    expect(ha.firedEvents[1]?.data).toMatchObject({ alarm_id: `${probeId}:target`, probe_name: "Brisket", entity_id: TEMP, value_c: 95, unit: "°C" });
    await waitUntil(() => ha.states.get(TEMP)?.state === "72.5", "the newest reading posted");
  });

  it("events Home Assistant had not received when the add-on stopped are sent after the next start, once", async () => {
    const store = openStore({ dataDir: world.dir, logger: createMemoryLogger() });
    try {
      h = await startBridge(ha, world, { initialSettings: SETTINGS, store });
      const down = ha.restart({ downMs: 1500 });
      await waitUntil(() => h?.bridge.status().connected === false, "bridge noticed the outage");
      h.bus.emit("probe:event", { kind: "target_reached", probeId: "10061c6f4770_1", tsMs: 3, tempC: 95 });
      // The add-on stops (an update) while Home Assistant is still away, and starts again.
      await h.stop();
      h = await startBridge(ha, world, { store, waitReady: false });
      await down;
      await waitUntil(() => ha.firedEvents.length === 1, "the kept event delivered");
      expect(ha.firedEvents[0]).toMatchObject({ eventType: "grill_stats_probe", data: { kind: "target_reached", probe_name: "Brisket" } });
      expect(h.logger.lines.some((l) => l.includes("will be sent once it is connected"))).toBe(true);
      // Sent once: another restart of the add-on does not send it again.
      await h.stop();
      h = await startBridge(ha, world, { store });
      await delay(300);
      expect(ha.firedEvents.map((e) => [e.eventType, e.data.kind])).toEqual([["grill_stats_probe", "target_reached"]]);
    } finally {
      await h?.stop();
      h = null;
      store.close();
    }
  });

  it("events kept from a stop more than an hour ago are not sent (an automation must not act on yesterday's done)", async () => {
    const store = openStore({ dataDir: world.dir, logger: createMemoryLogger() });
    try {
      store.setKv("homeassistant.pendingEvents", { savedAtMs: Date.now() - 61 * 60_000, items: [{ type: "grill_stats_probe", data: { kind: "target_reached" } }] });
      h = await startBridge(ha, world, { initialSettings: SETTINGS, store });
      await delay(300);
      expect(ha.firedEvents).toEqual([]);
      expect(h.logger.lines.some((l) => l.includes("too old now; not sent"))).toBe(true);
      expect(store.getKv("homeassistant.pendingEvents")).toBeNull();
    } finally {
      await h?.stop();
      h = null;
      store.close();
    }
  });

  it("a stalled REST endpoint does not block the bus; the queue keeps only the newest state per entity", async () => {
    h = await startBridge(ha, world, { initialSettings: SETTINGS, restTimeoutMs: 30_000 });
    ha.setRestDelay(10_000);
    for (let i = 0; i < 200; i++) h.bus.emit("probes:state", [makeProbe({ tempC: 60 + i / 10 }), makeProbe({ id: "10061c6f4770_3", channel: "3", name: "Ribs", tempC: 50 + i / 10 })]);
    // Emitting returned; at most one state per entity is waiting, a few are in flight.
    expect(h.bridge.status().postQueue).toBeLessThanOrEqual(ALL_ENTITIES + 3);
    expect(ha.maxConcurrentRest()).toBeLessThanOrEqual(4);
    // Meanwhile the WebSocket side still works.
    h.bus.emit("probe:event", { kind: "inserted", probeId: "10061c6f4770_3", tsMs: 1, tempC: 50 });
    await waitUntil(() => ha.firedEvents.length === 1, "event fired while REST is stalled");
    const releasedAt = Date.now();
    ha.setRestDelay(0);
    await waitUntil(() => ha.states.get(TEMP)?.state === "79.9" && ha.states.get("sensor.grill_stats_10061c6f4770_3_temperature")?.state === "69.9", "newest states landed");
    const postsOfTemp = ha.posted.filter((p) => p.entityId === TEMP && p.tsMs >= releasedAt);
    expect(postsOfTemp.length).toBeLessThanOrEqual(2);
    expect(ha.maxConcurrentRest()).toBeLessThanOrEqual(4);
  });

  it("posts a done time that stands once a minute, not with every reading; a move of more than 5 % of the time left at once", async () => {
    h = await startBridge(ha, world, { initialSettings: SETTINGS });
    const ETA = "sensor.grill_stats_10061c6f4770_1_eta";
    const at = (doneMs: number, tempC: number) =>
      makeProbe({ tempC, eta: { doneMs, p10Ms: null, p90Ms: null, reason: null, method: "newton" }, forecast: [{ tsMs: doneMs, tempC: 95, lowC: 90 + tempC / 100, highC: 97 }] });
    const base = Math.floor(Date.now() / 60_000) * 60_000 + 3 * 3600_000;
    h.bus.emit("probes:state", [at(base + 1_000, 70)]);
    await waitUntil(() => ha.states.get(ETA)?.state === new Date(base).toISOString(), "first done time posted");
    const since = Date.now();
    // Ten readings: the done time moves by seconds, the forecast band with every reading.
    for (let i = 1; i <= 10; i++) h.bus.emit("probes:state", [at(base + 1_000 + i * 2_000, 70 + i / 10)]);
    await waitUntil(() => ha.states.get(TEMP)?.state === "71", "the last reading posted");
    await delay(100);
    // A minute later three hours out is within 5 % of the time left: it stands as well.
    h.bus.emit("probes:state", [at(base + 61_000, 71.1)]);
    await waitUntil(() => ha.states.get(TEMP)?.state === "71.1", "the next reading posted");
    await delay(100);
    expect(ha.posted.filter((p) => p.entityId === ETA && p.tsMs >= since)).toEqual([]);
    h.bus.emit("probes:state", [at(base + 12 * 60_000, 71.2)]);
    await waitUntil(() => ha.states.get(ETA)?.state === new Date(base + 12 * 60_000).toISOString(), "the move of 12 min posted");
  });

  it("a rejected token is reported, retried slowly, and recovers without a restart", async () => {
    ha.setAcceptedTokens(["another-token"]);
    h = await startBridge(ha, world, { authRetryMs: 400, waitReady: false });
    await waitUntil(() => h?.bridge.status().state === "auth_invalid", "auth_invalid reported");
    expect(h.bridge.status()).toMatchObject({ configured: true, connected: false });
    expect(h.bridge.status().message).toMatch(/rejected the access token.*GRILL_STATS_HA_TOKEN.*Retrying in/);
    expect(h.logger.lines.some((l) => l.includes("ERROR") && l.includes("rejected the access token"))).toBe(true);
    const attempts = ha.connectionCount();
    await delay(300);
    expect(ha.connectionCount()).toBe(attempts); // not a tight loop
    ha.setAcceptedTokens([ha.token]);
    await waitUntil(() => h?.bridge.status().connected === true, "connected after the token works again");
    expect(h.logger.lines.join("")).not.toContain(ha.token);

    // Token revoked while connected: HAWS gives up reconnecting; we keep retrying slowly.
    ha.setAcceptedTokens(["another-token"]);
    ha.dropConnections();
    await waitUntil(() => h?.bridge.status().state === "auth_invalid", "auth_invalid after a reconnect");
    ha.setAcceptedTokens([ha.token]);
    await waitUntil(() => h?.bridge.status().connected === true, "connected again");
    // The new connection listens to notification answers again.
    const latest = ha.connectionCount();
    await waitUntil(() => ha.received.some((f) => f.connId === latest && f.msg.event_type === "mobile_app_notification_action"), "subscribed on the new connection");
    ha.fireEvent("mobile_app_notification_action", { action: "GRILL_STATS_ACK_x.3Atarget" });
    await waitUntil(() => (h?.emitted["alarm:command"] ?? []).length === 1, "alarm command");
    expect(h.emitted["alarm:command"]?.[0]).toMatchObject({ alarmId: "x:target", action: "acknowledge" });
  });

  it("a half-open socket (no pong) is dropped by the heartbeat and the bridge reconnects", async () => {
    h = await startBridge(ha, world, { initialSettings: SETTINGS, heartbeatMs: 150 });
    const connections = ha.connectionCount();
    ha.setUnresponsive(true);
    await waitUntil(() => h?.logger.lines.some((l) => l.includes("no pong")) === true, "heartbeat noticed", 4000);
    await waitUntil(() => ha.connectionCount() > connections && h?.bridge.status().connected === true, "reconnected", 5000);
    expect(ha.connectedClients()).toBe(1);
  });
});
