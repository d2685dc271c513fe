import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeAlarmId } from "../../src/homeassistant";
import type { ProbeSettings } from "../../src/shared";
import { startHaStandIn, type HaStandIn } from "../support/ha-standin";
import { delay, waitUntil } from "../support/ha-wait";
import { SETTINGS, makeWorld, startBridge, type Harness } from "./fixtures";

const TARGET = "input_number.grill_stats_10061c6f4770_1_target";
const PIT_LOW = "input_number.grill_stats_10061c6f4770_2_low";

describe("Home Assistant bridge: settings helpers and commands", () => {
  let ha: HaStandIn;
  let world: ReturnType<typeof makeWorld>;
  let h: Harness;
  beforeEach(async () => {
    ha = await startHaStandIn({ unitSystem: "°F" });
    world = makeWorld();
    h = await startBridge(ha, world, { initialSettings: SETTINGS });
    await waitUntil(() => ha.states.get(TARGET)?.state === "203.0" && ha.states.get(PIT_LOW)?.state === "221.0", "settings pushed");
  });
  afterEach(async () => {
    await h.stop();
    await ha.stop();
    world.cleanup();
  });
  /** Settings changed through the API, as the probes route does it: stored and announced. */
  const saveViaApi = (settings: ProbeSettings): void => {
    h.store.saveSettings(settings);
    h.bus.emit("settings:changed", { settings, source: "api" });
  };
  /** The brisket's target set to 100 °C through the API, and waited for in Home Assistant (212 °F). */
  const target100 = async (): Promise<void> => {
    saveViaApi({ probeId: "10061c6f4770_1", targetC: 100, highC: null, lowC: null });
    await waitUntil(() => ha.states.get(TARGET)?.state === "212.0", "target pushed");
    await delay(100);
  };

  it("a helper changed in Home Assistant changes the setting (°C in SettingsRepo) and announces it", async () => {
    ha.setState(TARGET, "200.0");
    await waitUntil(() => (h.emitted["settings:changed"] ?? []).length === 1, "settings:changed", 1000);
    expect(h.emitted["settings:changed"]?.[0]).toEqual({ settings: { probeId: "10061c6f4770_1", targetC: 93.33, highC: null, lowC: null }, source: "homeassistant" });
    expect(h.store.getSettings("10061c6f4770_1").targetC).toBe(93.33);
    // 0 (the helper minimum) means "not set".
    ha.setState(PIT_LOW, "0.0");
    await waitUntil(() => h.store.getSettings("10061c6f4770_2").lowC === null, "low cleared", 1000);
    expect(h.store.getSettings("10061c6f4770_2").highC).toBe(135);
  });

  it("follows a helper whose entity id a user renamed: its changes, its set_value, and the ids it tells the card", async () => {
    const RENAMED = "input_number.brisket_target";
    ha.renameEntity(TARGET, RENAMED);
    // The old entity id goes away (`r`): the helpers are set up again at once, the registry read.
    await waitUntil(() => ha.posted.some((p) => p.entityId === "sensor.grill_stats_10061c6f4770_1_temperature" && (p.attributes.helper_entity_ids as Record<string, string> | undefined)?.target === RENAMED), "the renamed id told to the card");
    ha.setState(RENAMED, "200.0");
    await waitUntil(() => h.store.getSettings("10061c6f4770_1").targetC === 93.33, "a change on the renamed helper taken", 2000);
    const next = { probeId: "10061c6f4770_1", targetC: 100, highC: null, lowC: null };
    saveViaApi(next);
    await waitUntil(() => ha.states.get(RENAMED)?.state === "212.0", "set_value on the renamed helper");
    expect(ha.states.has(TARGET)).toBe(false);
  });

  it("keeps a setting above the °C helpers' range when Home Assistant switches from °F to °C (Core clamps the helper's old value)", async () => {
    const PIT_HIGH = "input_number.grill_stats_10061c6f4770_2_high";
    const hot = { probeId: "10061c6f4770_2", targetC: null, highC: 200, lowC: 105 };
    saveViaApi(hot);
    await waitUntil(() => ha.states.get(PIT_HIGH)?.state === "392.0", "high pushed in °F");
    ha.updateCoreConfig({ unitSystem: "°C" });
    await waitUntil(() => ha.helpers.input_number.get("grill_stats_10061c6f4770_2_high")?.unit_of_measurement === "°C", "helper in °C");
    await waitUntil(() => ha.states.get(PIT_HIGH)?.state === "200.0", "high pushed in °C");
    await delay(200);
    expect(h.store.getSettings("10061c6f4770_2")).toEqual(hot);
    expect((h.emitted["settings:changed"] ?? []).filter((e) => e.source === "homeassistant")).toEqual([]);
  });

  it("after a Core crash brings a helper back with the value agreed before the last one, the add-on's newer value stands", async () => {
    await target100();
    // Core restarts without having saved the helper since: it comes back at 203 °F (95 °C).
    await ha.restart({ downMs: 200, staleValues: { [TARGET]: "203.0" } });
    await waitUntil(() => h.bridge.status().connected && h.bridge.status().helpers > 0, "reconnected", 10_000);
    await waitUntil(() => ha.states.get(TARGET)?.state === "212.0", "the add-on's value pushed again", 5000);
    expect(h.store.getSettings("10061c6f4770_1").targetC).toBe(100);
    expect((h.emitted["settings:changed"] ?? []).filter((e) => e.source === "homeassistant")).toEqual([]);
  });

  it("a value set back in Home Assistant while the add-on was stopped, then restored by a clean Core restart, wins", async () => {
    await target100();
    await h.stop();
    // The user sets the earlier target again; Core then restarts cleanly (the value restored as saved).
    ha.setState(TARGET, "203.0");
    await ha.restart();
    h = await startBridge(ha, world, {});
    await waitUntil(() => h.store.getSettings("10061c6f4770_1").targetC === 95, "the user's value taken", 5000);
    expect(ha.states.get(TARGET)?.state).toBe("203.0");
  });

  it("settings changed through the API are pushed to the helpers, without echoes coming back as changes", async () => {
    // Two quick changes: the echo of the first arrives after the second was made.
    const first = { probeId: "10061c6f4770_1", targetC: 100, highC: null, lowC: null };
    saveViaApi(first);
    const next = { probeId: "10061c6f4770_1", targetC: 107.2, highC: 120, lowC: null };
    saveViaApi(next);
    await waitUntil(() => ha.states.get(TARGET)?.state === "225.0", "target pushed");
    await waitUntil(() => ha.states.get("input_number.grill_stats_10061c6f4770_1_high")?.state === "248.0", "high pushed");
    await delay(150);
    const setValues = ha.serviceCalls.filter((c) => c.service === "set_value" && c.data.entity_id === TARGET);
    expect(setValues.map((c) => c.data.value)).toEqual([203, 212, 225]);
    expect(h.emitted["settings:changed"]?.filter((e) => e.source === "homeassistant") ?? []).toEqual([]);
    expect(h.store.getSettings("10061c6f4770_1").targetC).toBe(107.2);
  });

  it("changes made in Home Assistant while the add-on was away win; the add-on's own changes are pushed", async () => {
    // The bridge has recorded the value both sides agree on.
    await waitUntil(() => h.store.getKv<Record<string, number>>("homeassistant.helperSynced")?.[TARGET] === 95, "agreed value recorded");
    await h.bridge.stop();
    ha.setState(TARGET, "210.0"); // user, while the add-on is down
    h.store.saveSettings({ probeId: "10061c6f4770_2", targetC: null, highC: 140, lowC: 105 }); // API, while HA had no news
    const again = await startBridge(ha, world, { store: h.store });
    try {
      await waitUntil(() => again.store.getSettings("10061c6f4770_1").targetC === 98.89, "HA change applied");
      await waitUntil(() => ha.states.get("input_number.grill_stats_10061c6f4770_2_high")?.state === "284.0", "add-on change pushed");
      expect(ha.states.get(TARGET)?.state).toBe("210.0");
    } finally {
      await again.stop();
    }
  });

  it("acknowledge and snooze buttons become alarm commands for their probe", async () => {
    ha.setState("input_button.grill_stats_10061c6f4770_1_acknowledge", new Date().toISOString());
    ha.setState("input_button.grill_stats_10061c6f4770_2_snooze", new Date(Date.now() + 1).toISOString());
    await waitUntil(() => (h.emitted["alarm:command"] ?? []).length === 2, "two alarm commands", 1000);
    expect(h.emitted["alarm:command"]).toEqual([
      { alarmId: null, probeId: "10061c6f4770_1", action: "acknowledge", source: "homeassistant" },
      { alarmId: null, probeId: "10061c6f4770_2", action: "snooze", snoozeMinutes: 10, source: "homeassistant" },
    ]);
  });

  it("a meat probe's wrapped button marks the wrap on its cook; the pit has none", async () => {
    expect(ha.helpers.input_button.has("grill_stats_10061c6f4770_2_wrapped")).toBe(false);
    ha.setState("input_button.grill_stats_10061c6f4770_1_wrapped", new Date().toISOString());
    await waitUntil(() => (h.emitted["cook:mark"] ?? []).length === 1, "a cook mark", 1000);
    expect(h.emitted["cook:mark"]).toEqual([{ probeId: "10061c6f4770_1", kind: "wrap", source: "homeassistant" }]);
    expect(h.emitted["alarm:command"] ?? []).toEqual([]);
  });

  it("a notification action from the companion app becomes an alarm command", async () => {
    ha.fireEvent("mobile_app_notification_action", { action: `GRILL_STATS_SNOOZE_${encodeAlarmId("10061c6f4770_1:target")}`, reply_text: null });
    ha.fireEvent("mobile_app_notification_action", { action: "SOMEONE_ELSES_ACTION" });
    ha.fireEvent("ios.notification_action_fired", { actionName: `GRILL_STATS_ACK_${encodeAlarmId("10061c6f4770:offline")}` });
    await waitUntil(() => (h.emitted["alarm:command"] ?? []).length === 2, "two alarm commands", 1000);
    expect(h.emitted["alarm:command"]).toEqual([
      { alarmId: "10061c6f4770_1:target", probeId: null, action: "snooze", snoozeMinutes: 10, source: "notification" },
      { alarmId: "10061c6f4770:offline", probeId: null, action: "acknowledge", source: "notification" },
    ]);
  });

  it("an RFX Meat probe that shows up gets helpers, an ETA and a stall entity on its core only; its sensors post their temperature", async () => {
    // As on a first poll: the probe states arrive before the device does.
    const rfx = (channel: string, name: string) => ({ ...h.probes[0]!, id: `m100081209_${channel}`, deviceKey: "m100081209", deviceSerial: "M100081209", deviceKind: "rfx_meat" as const, channel, name });
    h.bus.emit("probes:state", [rfx("core", "Turkey"), rfx("1", "Turkey probe 1"), rfx("2", "Turkey probe 2")]);
    await waitUntil(() => ha.helpers.input_button.has("grill_stats_m100081209_core_snooze"), "helpers for the core");
    await waitUntil(() => ha.states.has("sensor.grill_stats_m100081209_2_temperature"), "sensors posted");
    await delay(100);
    const ids = [...ha.helpers.input_number.keys(), ...ha.helpers.input_button.keys(), ...ha.states.keys()].filter((id) => id.includes("m100081209"));
    expect(ids.filter((id) => /m100081209_[12]_/.test(id)).sort()).toEqual(["sensor.grill_stats_m100081209_1_temperature", "sensor.grill_stats_m100081209_2_temperature"]);
    expect(ids).toEqual(expect.arrayContaining(["sensor.grill_stats_m100081209_core_eta", "binary_sensor.grill_stats_m100081209_core_stall", "input_number.grill_stats_m100081209_core_target"]));

    // Its events (a stall, a pull: the sensors see them too): one grill_stats_probe event, the core's.
    const t = Date.now();
    for (const channel of ["core", "1", "2"]) h.bus.emit("probe:event", { probeId: `m100081209_${channel}`, kind: "stalled", tsMs: t, tempC: 70, detail: { sinceMs: t } });
    await waitUntil(() => ha.firedEvents.some((e) => e.eventType === "grill_stats_probe"), "the core's event");
    await delay(200);
    expect(ha.firedEvents.filter((e) => e.eventType === "grill_stats_probe").map((e) => e.data.probe_id)).toEqual(["m100081209_core"]);
  });

  it("helpers for a probe that shows up later are created then", async () => {
    const third = { ...h.probes[0]!, id: "10061c6f4770_3", channel: "3", name: "Ribs" };
    h.bus.emit("probes:state", [third]);
    await waitUntil(() => ha.helpers.input_number.has("grill_stats_10061c6f4770_3_target"), "helper for the new probe");
    await waitUntil(() => ha.states.has("sensor.grill_stats_10061c6f4770_3_temperature"), "new probe posted");
    const watched = (): boolean =>
      ha.received.some((f) => f.msg.type === "subscribe_entities" && JSON.stringify(f.msg.entity_ids).includes("grill_stats_10061c6f4770_3_target"));
    await waitUntil(watched, "the new helper is watched");
    ha.setState("input_number.grill_stats_10061c6f4770_3_target", "190.0");
    await waitUntil(() => h.store.getSettings("10061c6f4770_3").targetC === 87.78, "change on the new helper applied", 1000);
  });
});
