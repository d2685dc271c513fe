/**
 * Alarms through the real Home Assistant bridge to the HA stand-in (real WebSocket on
 * 127.0.0.1): pushes with actions, persistent notifications, events, an unknown notify service,
 * a Core restart while an alarm fires, and an acknowledge from the phone's action button.
 * Probe states are published on the bus as analytics does after each poll.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAlarmService, type AlarmService } from "../../src/alarms";
import { createHomeAssistantBridge } from "../../src/homeassistant";
import { EventBus, createMemoryLogger, type Device, type ProbeState } from "../../src/shared";
import { openStore, type SqliteStore } from "../../src/store";
import { startHaStandIn, type HaStandIn, type ServiceCallRecord } from "../support/ha-standin";
import { waitUntil } from "../support/ha-wait";
import { makeTempDir } from "../support/tmp";
import { device, probe } from "./harness";

const DEV = "10061c6f4770";
const BRISKET = `${DEV}_1`;
const PIT = `${DEV}_2`;

interface World {
  ha: HaStandIn;
  store: SqliteStore;
  bus: EventBus;
  bridge: ReturnType<typeof createHomeAssistantBridge>;
  alarms: AlarmService;
  logger: ReturnType<typeof createMemoryLogger>;
  publish(states: ProbeState[]): void;
  cleanup(): Promise<void>;
}

const startWorld = async (opts: { criticalAlerts?: boolean; notifyTargets?: string[] } = {}): Promise<World> => {
  const tmp = makeTempDir("grill-stats-alarms-e2e-");
  const configDir = join(tmp.dir, "config");
  mkdirSync(configDir);
  const cardBundlePath = join(tmp.dir, "grill-stats-card.js");
  writeFileSync(cardBundlePath, "customElements.define('grill-stats-card', class extends HTMLElement {});\n");
  const ha = await startHaStandIn({ notifyServices: ["mobile_app_phone", "telegram_family", "persistent_notification"] });
  const logger = createMemoryLogger("debug");
  const store = openStore({ dataDir: tmp.dir, logger });
  const bus = new EventBus();
  let probes: ProbeState[] = [];
  const devices: Device[] = [device({ key: DEV, serial: "10:06:1C:6F:47:70", lastSeenMs: Date.now() })];
  const bridge = createHomeAssistantBridge({
    connection: { url: ha.url, token: ha.token, viaSupervisor: false },
    bus, settings: store, kv: store, logger: logger.child("homeassistant"),
    temperatureUnit: "C", version: "1.0.0", mode: "demo", installCard: false,
    cardBundlePath, configDir, blueprintsDir: join(process.cwd(), "addon", "blueprints"),
    getProbeStates: () => probes, getDevices: () => devices, heartbeatMs: 30_000,
  });
  const alarms = createAlarmService({
    bus, repo: store, settings: store, notifier: bridge.notifier, logger: logger.child("alarms"),
    options: { notifyTargets: ["notify.mobile_app_phone", "notify.wrong_phone"], repeatMinutes: 5, preAlarmMinutes: 15, batteryLowPct: 15, quietHours: null, ...opts },
    displayUnit: () => bridge.displayUnit(), timeZone: () => "UTC", retryBaseMs: 60_000,
  });
  await bridge.start();
  await alarms.start();
  await waitUntil(() => bridge.status().connected, "bridge connected");
  return {
    ha, store, bus, bridge, alarms, logger,
    publish(states) {
      probes = states.map((p) => ({ ...p, tsMs: p.tsMs ?? Date.now() }));
      bus.emit("probes:state", probes);
    },
    async cleanup() {
      await alarms.stop();
      await bridge.stop();
      await ha.stop();
      store.close();
      tmp.cleanup();
    },
  };
};

const notifyCalls = (ha: HaStandIn, alarmText: RegExp): ServiceCallRecord[] =>
  ha.serviceCalls.filter((c) => c.domain === "notify" && c.ok && alarmText.test(String(c.data.message)));

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.cleanup();
});

describe("alarms end to end through Home Assistant", () => {
  it("pushes a reached target with actions, survives a Core restart, and is acknowledged from the phone", async () => {
    w.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
    w.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: null });
    const at = (brisketC: number, pitC: number, tsMs: number) => [
      probe({ id: BRISKET, name: "Brisket", tempC: brisketC, tsMs }),
      probe({ id: PIT, name: "Pit", role: "pit", tempC: pitC, tsMs }),
    ];
    const t = Date.now();
    w.publish(at(96, 120, t));
    w.publish(at(96.4, 121, t + 1));
    await waitUntil(() => notifyCalls(w.ha, /^Brisket reached 96 °C/).length === 1, "the push for the brisket");
    await waitUntil(() => w.ha.firedEvents.some((e) => e.eventType === "grill_stats_alarm" && e.data.alarm_id === `${BRISKET}:target` && e.data.transition === "raised"), "the alarm event");
    // One event per transition, from the durable outbox, with the bridge's entity fields added.
    expect(w.ha.firedEvents.filter((e) => e.eventType === "grill_stats_alarm")).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ alarm_id: `${BRISKET}:target`, value_c: 96.4, entity_id: "sensor.grill_stats_10061c6f4770_1_temperature" }) }),
    ]);
    const push = notifyCalls(w.ha, /^Brisket reached/)[0];
    expect(push).toMatchObject({ service: "mobile_app_phone", data: { title: "Grill Stats · Target reached" } });
    const actions = (push?.data.data as { actions?: Array<{ action: string; title: string }> }).actions ?? [];
    expect(actions.map((a) => a.title)).toEqual(["Acknowledge", "Snooze 10 min"]);
    expect(w.ha.serviceCalls.some((c) => c.domain === "persistent_notification" && c.service === "create" && c.data.notification_id === "grill_stats_10061c6f4770_1_target")).toBe(true);

    // The wrong notify target is recorded as rejected, with a warning naming it.
    await waitUntil(() => w.alarms.deliveries(50).some((d) => d.channel === "notify.wrong_phone"), "the wrong target attempt");
    expect(w.alarms.deliveries(50).find((d) => d.channel === "notify.wrong_phone")).toMatchObject({ ok: false, error: expect.stringMatching(/^rejected: .*notify\.wrong_phone/) });
    expect(w.logger.lines.some((l) => l.includes("WARN") && l.includes("notify.wrong_phone") && l.includes("notify_targets"))).toBe(true);

    // Core restarts while the pit overshoots: the push arrives after the reconnect, once.
    const restarting = w.ha.restart({ downMs: 400 });
    await waitUntil(() => !w.bridge.status().connected, "the bridge sees Core go away");
    w.publish(at(97, 140, t + 2));
    w.publish(at(97, 141, t + 3));
    expect(w.alarms.list().find((a) => a.id === `${PIT}:high`)?.phase).toBe("firing");
    await w.alarms.flushDeliveries();
    expect(notifyCalls(w.ha, /^Pit is/)).toHaveLength(0);
    await restarting;
    await waitUntil(() => notifyCalls(w.ha, /^Pit is 141 °C, above 135 °C$/).length === 1, "the pit push after the restart", 10_000);
    await w.alarms.flushDeliveries();
    expect(notifyCalls(w.ha, /^Pit is/)).toHaveLength(1);
    expect(notifyCalls(w.ha, /^Brisket reached/)).toHaveLength(1);

    // The phone's Acknowledge button answers through a mobile_app event.
    w.ha.fireEvent("mobile_app_notification_action", { action: actions[0]?.action ?? "" });
    await waitUntil(() => w.alarms.list().find((a) => a.id === `${BRISKET}:target`)?.phase === "acknowledged", "acknowledged from the phone");
    await waitUntil(() => w.ha.serviceCalls.some((c) => c.domain === "persistent_notification" && c.service === "dismiss" && c.data.notification_id === "grill_stats_10061c6f4770_1_target"), "the HA notification dismissed");
    expect(w.alarms.transitions(10).find((r) => r.transition === "acknowledged")?.message).toMatch(/acknowledged via notification$/);
  });
  it("rings a pit alarm as a critical alert on the phone with critical_alerts", async () => {
    await w.cleanup();
    w = await startWorld({ criticalAlerts: true });
    w.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: null });
    const t = Date.now();
    w.publish([probe({ id: PIT, name: "Pit", role: "pit", tempC: 140, tsMs: t })]);
    w.publish([probe({ id: PIT, name: "Pit", role: "pit", tempC: 141, tsMs: t + 1 })]);
    await waitUntil(() => notifyCalls(w.ha, /^Pit is 141 °C/).length === 1, "the pit push");
    expect(notifyCalls(w.ha, /^Pit is 141 °C/)[0]?.data.data).toMatchObject({
      channel: "alarm_stream",
      push: { "interruption-level": "critical", sound: { name: "default", critical: 1, volume: 1 } },
    });
  });

  it("keeps a hostile cloud label inert in every notification: plain in the app, escaped Markdown in Home Assistant, no link elsewhere", async () => {
    await w.cleanup();
    w = await startWorld({ notifyTargets: ["notify.mobile_app_phone", "notify.telegram_family", "notify.persistent_notification"] });
    const label = "![x](http://evil.example/p.png) [click](http://evil.example) <img src=http://evil.example/i.png>";
    const text = `${label} is 141 °C, above 135 °C`;
    w.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: null });
    const t = Date.now();
    w.publish([probe({ id: PIT, name: label, role: "pit", tempC: 140, tsMs: t })]);
    w.publish([probe({ id: PIT, name: label, role: "pit", tempC: 141, tsMs: t + 1 })]);
    const sent = (domain: string, service: string) => w.ha.serviceCalls.find((c) => c.domain === domain && c.service === service && c.ok)?.data.message;
    await waitUntil(() => ["mobile_app_phone", "telegram_family", "persistent_notification"].every((s) => sent("notify", s) !== undefined) && sent("persistent_notification", "create") !== undefined, "every notification");
    // Markdown that would follow nothing: every bracket, parenthesis, "!", "<" and ":" escaped; unescaped, the text as typed.
    const unescapedMarkup = /(^|[^\\])[[\]()!<:]/;
    for (const md of [sent("persistent_notification", "create"), sent("notify", "persistent_notification")].map(String)) {
      expect(md).not.toMatch(unescapedMarkup);
      expect(md.replace(/\\(.)/g, "$1")).toBe(text);
    }
    // The companion app shows plain text: the label as typed, no backslashes.
    expect(sent("notify", "mobile_app_phone")).toBe(text);
    // Another service may read Markdown or HTML: no "](" nor tag left, and it reads as typed.
    const other = String(sent("notify", "telegram_family"));
    expect(other).not.toMatch(/\]\(|<[a-z]/i);
    expect(other.replaceAll("\u200b", "")).toBe(text);
  });
  it("sends an alarm raised while Core restarts as soon as Core has started, not after the retry back-off", async () => {
    w.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: null });
    const pitAt = (pitC: number, tsMs: number) => [probe({ id: PIT, name: "Pit", role: "pit", tempC: pitC, tsMs })];
    const t = Date.now();
    w.publish(pitAt(120, t));
    // Core restarts; the phone's notify service is loaded only late in its start.
    const restarting = w.ha.restart({ downMs: 300 });
    w.ha.setStarting({ services: ["notify.mobile_app_phone"] });
    await waitUntil(() => !w.bridge.status().connected, "the bridge sees Core go away");
    w.publish(pitAt(140, t + 1));
    w.publish(pitAt(141, t + 2));
    expect(w.alarms.list().find((a) => a.id === `${PIT}:high`)?.phase).toBe("firing");
    await restarting;
    await waitUntil(() => w.bridge.status().connected, "the bridge back");
    // Tried while Core still starts: not there yet, so it waits (it is not given up).
    await waitUntil(() => w.ha.serviceCalls.some((c) => c.domain === "notify" && c.service === "mobile_app_phone" && !c.ok), "a push tried while Core starts");
    await w.alarms.flushDeliveries();
    expect(notifyCalls(w.ha, /^Pit is/)).toHaveLength(0);
    // Core has started: the push goes out now (the retry back-off here is a minute and more).
    w.ha.finishStarting();
    await waitUntil(() => notifyCalls(w.ha, /^Pit is 141 °C, above 135 °C$/).length === 1, "the pit push once Core has started", 5_000);
    await waitUntil(() => w.ha.serviceCalls.some((c) => c.domain === "persistent_notification" && c.service === "create" && c.data.notification_id === "grill_stats_10061c6f4770_2_high" && c.ok), "its persistent notification");
  });
  it("takes one Snooze press on an iPhone, which fires both the mobile_app and the legacy iOS event, as one snooze", async () => {
    w.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: null });
    const t = Date.now();
    w.publish([probe({ id: PIT, name: "Pit", role: "pit", tempC: 140, tsMs: t })]);
    w.publish([probe({ id: PIT, name: "Pit", role: "pit", tempC: 141, tsMs: t + 1 })]);
    await waitUntil(() => notifyCalls(w.ha, /^Pit is/).length === 1, "the pit push");
    const push = notifyCalls(w.ha, /^Pit is/)[0];
    const snooze = ((push?.data.data as { actions?: Array<{ action: string }> }).actions ?? [])[1]?.action ?? "";
    expect(snooze).toMatch(/^GRILL_STATS_SNOOZE_/);
    // The helpers are set up after the answers are subscribed to: both event types are listened to now.
    await waitUntil(() => w.bridge.status().helpers > 0, "the bridge's setup done");
    // The iOS app sends the press twice: as mobile_app_notification_action and as ios.notification_action_fired.
    w.ha.fireEvent("mobile_app_notification_action", { action: snooze, sourceDeviceName: "iPhone" });
    w.ha.fireEvent("ios.notification_action_fired", { actionName: snooze, categoryName: "DYNAMIC", sourceDeviceName: "iPhone" });
    await waitUntil(() => w.alarms.list().find((a) => a.id === `${PIT}:high`)?.phase === "snoozed", "snoozed from the phone");
    await waitUntil(() => w.ha.firedEvents.some((e) => e.eventType === "grill_stats_alarm" && e.data.transition === "snoozed"), "the snoozed event");
    await new Promise((r) => setTimeout(r, 300));
    await w.alarms.flushDeliveries();
    expect(w.alarms.transitions(20).filter((r) => r.transition === "snoozed")).toHaveLength(1);
    expect(w.ha.firedEvents.filter((e) => e.eventType === "grill_stats_alarm" && e.data.transition === "snoozed")).toHaveLength(1);
  });
});
