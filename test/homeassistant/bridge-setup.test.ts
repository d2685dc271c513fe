import { isDeepStrictEqual } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../src/shared";
import { openStore } from "../../src/store";
import { startHaStandIn, type HaStandIn } from "../support/ha-standin";
import { delay, waitUntil } from "../support/ha-wait";
import { SETTINGS, latestPosted, makeWorld, startBridge, type Harness } from "./fixtures";

const helperIds = (ha: HaStandIn): string[] => [...ha.helpers.input_number.keys(), ...ha.helpers.input_button.keys()].sort();
/** Helper item id → its name, as Home Assistant has it. */
const helperNames = (ha: HaStandIn): Record<string, string> =>
  Object.fromEntries([...ha.helpers.input_number.values(), ...ha.helpers.input_button.values()].map((i) => [i.id, i.name]));
/** Entity id → the friendly name last posted for it. */
const postedNames = (ha: HaStandIn): Record<string, unknown> => Object.fromEntries([...latestPosted(ha)].map(([id, p]) => [id, p.attributes.friendly_name]));
const helperCreates = (ha: HaStandIn): number => ha.received.filter((f) => /^input_(number|button)\/create$/.test(String(f.msg.type))).length;

const ENGLISH_ENTITIES = {
  "binary_sensor.grill_stats_10061c6f4770_1_stall": "Brisket stall",
  "binary_sensor.grill_stats_10061c6f4770_online": "Signals online",
  "sensor.grill_stats_10061c6f4770_1_eta": "Brisket done time",
  "sensor.grill_stats_10061c6f4770_1_temperature": "Brisket",
  "sensor.grill_stats_10061c6f4770_2_temperature": "Pit",
  "sensor.grill_stats_10061c6f4770_battery": "Signals battery",
  "sensor.grill_stats_10061c6f4770_signal": "Signals signal strength",
  "sensor.grill_stats_status": "Grill Stats status",
};
const GERMAN_ENTITIES = {
  "binary_sensor.grill_stats_10061c6f4770_1_stall": "Brisket Plateau",
  "binary_sensor.grill_stats_10061c6f4770_online": "Signals online",
  "sensor.grill_stats_10061c6f4770_1_eta": "Brisket Garzeit",
  "sensor.grill_stats_10061c6f4770_1_temperature": "Brisket",
  "sensor.grill_stats_10061c6f4770_2_temperature": "Pit",
  "sensor.grill_stats_10061c6f4770_battery": "Signals Akku",
  "sensor.grill_stats_10061c6f4770_signal": "Signals Signalstärke",
  "sensor.grill_stats_status": "Grill Stats Status",
};
const ENGLISH_HELPERS = {
  grill_stats_10061c6f4770_1_acknowledge: "Brisket acknowledge",
  grill_stats_10061c6f4770_1_high: "Brisket high alarm",
  grill_stats_10061c6f4770_1_snooze: "Brisket snooze",
  grill_stats_10061c6f4770_1_target: "Brisket target",
  grill_stats_10061c6f4770_1_wrapped: "Brisket wrapped",
  grill_stats_10061c6f4770_2_acknowledge: "Pit acknowledge",
  grill_stats_10061c6f4770_2_high: "Pit high alarm",
  grill_stats_10061c6f4770_2_low: "Pit low alarm",
  grill_stats_10061c6f4770_2_snooze: "Pit snooze",
};
const GERMAN_HELPERS = {
  grill_stats_10061c6f4770_1_acknowledge: "Brisket Bestätigen",
  grill_stats_10061c6f4770_1_high: "Brisket Max-Alarm",
  grill_stats_10061c6f4770_1_snooze: "Brisket Schlummern",
  grill_stats_10061c6f4770_1_target: "Brisket Ziel",
  grill_stats_10061c6f4770_1_wrapped: "Brisket eingewickelt",
  grill_stats_10061c6f4770_2_acknowledge: "Pit Bestätigen",
  grill_stats_10061c6f4770_2_high: "Pit Max-Alarm",
  grill_stats_10061c6f4770_2_low: "Pit Min-Alarm",
  grill_stats_10061c6f4770_2_snooze: "Pit Schlummern",
};

describe("Home Assistant bridge: first start, restarts, units", () => {
  let ha: HaStandIn;
  let world: ReturnType<typeof makeWorld>;
  let running: Harness[] = [];
  beforeEach(async () => {
    ha = await startHaStandIn();
    world = makeWorld();
  });
  afterEach(async () => {
    for (const h of running) await h.stop();
    running = [];
    await ha.stop();
    world.cleanup();
  });
  const start = async (...args: Parameters<typeof startBridge> extends [unknown, unknown, ...infer R] ? R : never): Promise<Harness> => {
    const [opts] = args;
    const h = await startBridge(ha, world, { initialSettings: SETTINGS, ...opts });
    running.push(h);
    return h;
  };

  it("on first start creates the helpers with friendly names and posts every entity", async () => {
    const h = await start();
    expect(helperIds(ha)).toEqual([
      "grill_stats_10061c6f4770_1_acknowledge",
      "grill_stats_10061c6f4770_1_high",
      "grill_stats_10061c6f4770_1_snooze",
      "grill_stats_10061c6f4770_1_target",
      "grill_stats_10061c6f4770_1_wrapped",
      "grill_stats_10061c6f4770_2_acknowledge",
      "grill_stats_10061c6f4770_2_high",
      "grill_stats_10061c6f4770_2_low",
      "grill_stats_10061c6f4770_2_snooze",
    ]);
    expect(ha.helpers.input_number.get("grill_stats_10061c6f4770_1_target")).toMatchObject({ name: "Brisket target", unit_of_measurement: "°C", min: 0, mode: "box", step: 0.5 });
    expect(ha.helpers.input_number.get("grill_stats_10061c6f4770_2_low")).toMatchObject({ name: "Pit low alarm" });
    expect([...latestPosted(ha).keys()].sort()).toEqual([
      "binary_sensor.grill_stats_10061c6f4770_1_stall",
      "binary_sensor.grill_stats_10061c6f4770_online",
      "sensor.grill_stats_10061c6f4770_1_eta",
      "sensor.grill_stats_10061c6f4770_1_temperature",
      "sensor.grill_stats_10061c6f4770_2_temperature",
      "sensor.grill_stats_10061c6f4770_battery",
      "sensor.grill_stats_10061c6f4770_signal",
      "sensor.grill_stats_status",
    ]);
    expect(ha.states.get("sensor.grill_stats_10061c6f4770_1_temperature")).toMatchObject({ state: "71.4", attributes: { unit_of_measurement: "°C" } });
    expect(ha.states.get("sensor.grill_stats_status")?.attributes).toMatchObject({ mode: "demo", version: "1.0.0" });
    // The settings the add-on had are pushed into the new helpers (0 = not set).
    await waitUntil(() => ha.states.get("input_number.grill_stats_10061c6f4770_2_low")?.state === "105.0", "settings pushed to the helpers");
    expect(ha.states.get("input_number.grill_stats_10061c6f4770_1_target")?.state).toBe("95.0");
    expect(ha.states.get("input_number.grill_stats_10061c6f4770_2_high")?.state).toBe("135.0");
    expect(ha.states.get("input_number.grill_stats_10061c6f4770_1_high")?.state).toBe("0.0");
    expect(h.bridge.status()).toMatchObject({ configured: true, connected: true, state: "connected", haVersion: "2023.5.4", unitSystem: "C", helpers: 9 });
    expect(h.bridge.status().lastPostMs).not.toBeNull();
  });

  it("on stop marks every entity it posted unavailable, names and units kept; the helpers stay", async () => {
    const h = await start();
    await waitUntil(() => ha.states.get("input_number.grill_stats_10061c6f4770_1_target")?.state === "95.0", "settings pushed to the helpers");
    const posted = [...latestPosted(ha).keys()];
    expect(posted.length).toBe(8);
    await h.bridge.stop();
    expect(posted.filter((id) => ha.states.get(id)?.state !== "unavailable")).toEqual([]);
    expect(ha.states.get("sensor.grill_stats_10061c6f4770_1_temperature")?.attributes).toMatchObject({ friendly_name: "Brisket", unit_of_measurement: "°C" });
    expect(ha.states.get("input_number.grill_stats_10061c6f4770_1_target")?.state).toBe("95.0");
  });

  it("with a token of a user who is not an administrator says so and sends nothing Core would refuse", async () => {
    await ha.stop();
    ha = await startHaStandIn({ nonAdminTokens: ["kitchen-tablet"] });
    const h = await start({ connection: { url: ha.url, token: "kitchen-tablet", viaSupervisor: false }, waitReady: false });
    await waitUntil(() => h.bridge.status().state === "not_admin", "not_admin");
    expect(h.bridge.status()).toMatchObject({ connected: false, helpers: 0 });
    expect(h.bridge.status().message).toMatch(/"Kitchen", who is not an administrator/);
    expect(h.logger.lines.some((l) => l.includes("ERROR") && l.includes("not an administrator"))).toBe(true);
    // An alarm event and the online timer's reposts meanwhile: held, not refused.
    h.bus.emit("probes:state", h.probes);
    await h.bridge.notifier.deliver("event", { title: "t", message: "m", alarmId: "10061c6f4770_1:target" }).catch(() => undefined);
    await delay(300);
    // No refused REST post (each is a failed login to Core) and no refused command.
    expect(ha.posted).toEqual([]);
    const refused = ha.received.filter((f) => ["fire_event", "input_number/create", "lovelace/resources/create", "subscribe_events"].includes(String(f.msg.type)));
    expect(refused).toEqual([]);
    expect(h.emitted["status:homeassistant"]?.at(-1)).toMatchObject({ connected: false });
  });

  it("a second start with the same database creates nothing new, nor after losing its KV", async () => {
    const first = await start();
    await first.stop();
    running = [];
    const creates = (): number => ha.received.filter((f) => /\/create$/.test(String(f.msg.type)) && String(f.msg.type).startsWith("input_")).length;
    const before = creates();
    expect(before).toBe(9);
    await start();
    expect(creates()).toBe(before);
    await running[0]?.stop();
    running = [];

    // The database is gone: helpers are found again by id and name, and their values are kept.
    const store = openStore({ path: ":memory:", logger: createMemoryLogger() });
    await start({ store, initialSettings: [] });
    await waitUntil(() => store.getSettings("10061c6f4770_1").targetC === 95, "target taken over from the helper");
    expect(store.getSettings("10061c6f4770_2")).toMatchObject({ highC: 135, lowC: 105 });
    expect(ha.states.get("input_number.grill_stats_10061c6f4770_1_target")?.state).toBe("95.0");
    await running[0]?.stop();
    running = [];
    store.close();
    expect(creates()).toBe(before);
    expect(helperIds(ha)).toHaveLength(9);
  });

  it("follows a °F unit system: states, attributes and helper units", async () => {
    ha.setUnitSystem("°F");
    const h = await start();
    expect(h.bridge.displayUnit()).toBe("F");
    await waitUntil(() => ha.states.get("input_number.grill_stats_10061c6f4770_1_target")?.state !== "0.0", "target pushed");
    expect(ha.states.get("sensor.grill_stats_10061c6f4770_1_temperature")).toMatchObject({ state: "160.5", attributes: { unit_of_measurement: "°F", target: 203 } });
    expect(ha.helpers.input_number.get("grill_stats_10061c6f4770_1_target")).toMatchObject({ unit_of_measurement: "°F", max: 660, step: 1 });
    expect(ha.states.get("input_number.grill_stats_10061c6f4770_1_target")?.state).toBe("203.0");
  });

  it("the temperature_unit option overrides Home Assistant's unit system", async () => {
    ha.setUnitSystem("°F");
    const h = await start({ temperatureUnit: "C" });
    expect(h.bridge.displayUnit()).toBe("C");
    expect(h.bridge.status().unitSystem).toBe("F");
    expect(ha.states.get("sensor.grill_stats_10061c6f4770_1_temperature")?.attributes.unit_of_measurement).toBe("°C");
    expect(ha.helpers.input_number.get("grill_stats_10061c6f4770_1_target")?.unit_of_measurement).toBe("°C");
  });

  it("reads Home Assistant's language after every connect; a core that sends none means English", async () => {
    ha.setLanguage("de-CH");
    const h = await start();
    expect(h.bridge.language()).toBe("de-CH");
    ha.setLanguage(null);
    await ha.restart({ downMs: 100 });
    await waitUntil(() => h.bridge.language() === "en", "the language read again after the restart");
    expect(h.bridge.status().connected).toBe(true);
  });

  it.each([
    ["de", GERMAN_ENTITIES, GERMAN_HELPERS],
    ["de-CH", GERMAN_ENTITIES, GERMAN_HELPERS],
    [null, ENGLISH_ENTITIES, ENGLISH_HELPERS],
  ])("names entities and helpers in Home Assistant's language (%s), under the same ids", async (language, entities, helpers) => {
    ha.setLanguage(language);
    await start();
    expect(postedNames(ha)).toEqual(entities);
    expect(helperNames(ha)).toEqual(helpers);
    // Created under the language-free name that gives the id, then renamed in the language.
    const sent = (type: string): unknown[] => ha.received.filter((f) => f.msg.type === type).map((f) => f.msg.name);
    expect(sent("input_number/create")).toContain("grill stats 10061c6f4770 1 target");
    expect(sent("input_number/update")).toContain(helpers.grill_stats_10061c6f4770_1_target);
    expect(helperCreates(ha)).toBe(9);
  });

  it("names follow a language change on the next write; a helper the user renamed keeps its name", async () => {
    ha.setLanguage("de-CH");
    const h = await start();
    expect(helperNames(ha)).toEqual(GERMAN_HELPERS);
    const low = ha.helpers.input_number.get("grill_stats_10061c6f4770_2_low");
    if (low) low.name = "Garraum unten"; // the user, in German
    ha.setLanguage(null);
    await ha.restart({ downMs: 100 });
    await waitUntil(() => h.bridge.language() === "en" && h.bridge.status().connected, "reconnected in English");
    const english = { ...ENGLISH_HELPERS, grill_stats_10061c6f4770_2_low: "Garraum unten" };
    await waitUntil(() => isDeepStrictEqual(helperNames(ha), english), "helpers renamed in English but the user's");
    await waitUntil(() => isDeepStrictEqual(postedNames(ha), ENGLISH_ENTITIES), "entities named in English");
    expect(helperCreates(ha)).toBe(9);

    // Back to German: ours follow again, the user's stays.
    ha.setLanguage("de");
    await ha.restart({ downMs: 100 });
    const german = { ...GERMAN_HELPERS, grill_stats_10061c6f4770_2_low: "Garraum unten" };
    await waitUntil(() => isDeepStrictEqual(helperNames(ha), german), "helpers renamed in German but the user's");
    await waitUntil(() => isDeepStrictEqual(postedNames(ha), GERMAN_ENTITIES), "entities named in German");
  });

  it("follows a language and a unit system changed in Home Assistant's settings at once, without a reconnect", async () => {
    const h = await start();
    expect(postedNames(ha)).toEqual(ENGLISH_ENTITIES);
    const connects = ha.received.filter((f) => f.msg.type === "get_config").length;
    ha.updateCoreConfig({ language: "de" });
    await waitUntil(() => isDeepStrictEqual(postedNames(ha), GERMAN_ENTITIES), "entities renamed in German");
    await waitUntil(() => isDeepStrictEqual(helperNames(ha), GERMAN_HELPERS), "helpers renamed in German");
    expect(h.bridge.language()).toBe("de");
    ha.updateCoreConfig({ unitSystem: "°F" });
    await waitUntil(() => ha.states.get("sensor.grill_stats_10061c6f4770_1_temperature")?.attributes.unit_of_measurement === "°F", "states in °F");
    await waitUntil(() => ha.helpers.input_number.get("grill_stats_10061c6f4770_1_target")?.unit_of_measurement === "°F", "helpers in °F");
    expect(ha.states.get("sensor.grill_stats_10061c6f4770_1_temperature")?.state).toBe("160.5");
    // Read again on the event, on the same connection; nothing created twice.
    expect(ha.received.filter((f) => f.msg.type === "get_config").length).toBe(connects + 2);
    expect(ha.connectionCount()).toBe(1);
    expect(helperCreates(ha)).toBe(9);
  });

  it("without its KV, finds a helper by the name it gave in another language and renames it in the current one", async () => {
    const first = await start();
    await first.stop();
    running = [];
    // HA gave the target helper another id than the one asked for (it was taken at the time).
    const item = ha.helpers.input_number.get("grill_stats_10061c6f4770_1_target");
    if (!item) throw new Error("no target helper");
    ha.helpers.input_number.delete(item.id);
    item.id = "grill_stats_10061c6f4770_1_target_2";
    ha.helpers.input_number.set(item.id, item);
    ha.setLanguage("de");
    const store = openStore({ path: ":memory:", logger: createMemoryLogger() });
    await start({ store });
    await running[0]?.stop();
    running = [];
    store.close();
    expect(helperCreates(ha)).toBe(9); // found by its English name, not created again
    const { grill_stats_10061c6f4770_1_target: target, ...others } = GERMAN_HELPERS;
    expect(helperNames(ha)).toEqual({ ...others, grill_stats_10061c6f4770_1_target_2: target });
  });

  it("when the unit system changes between runs, the same helpers are converted, not duplicated", async () => {
    const first = await start();
    await first.stop();
    running = [];
    ha.setUnitSystem("°F");
    const second = await start();
    expect(helperIds(ha)).toHaveLength(9);
    // Under load the first run may stop before it pushed 95.0 (the helper then still reads 0.0):
    // wait for the converted value itself, not for any change.
    await waitUntil(() => ha.states.get("input_number.grill_stats_10061c6f4770_1_target")?.state === "203.0", "target converted");
    expect(ha.helpers.input_number.get("grill_stats_10061c6f4770_1_target")).toMatchObject({ unit_of_measurement: "°F", name: "Brisket target" });
    expect(ha.states.get("input_number.grill_stats_10061c6f4770_1_target")?.state).toBe("203.0");
    // The conversion is not mistaken for a change made in Home Assistant.
    expect(second.store.getSettings("10061c6f4770_1").targetC).toBe(95);
    expect(second.emitted["settings:changed"] ?? []).toEqual([]);
  });

  it("a helper the user renamed keeps its name, run after run", async () => {
    const first = await start();
    await first.stop();
    running = [];
    const item = ha.helpers.input_number.get("grill_stats_10061c6f4770_1_target");
    if (item) item.name = "Brisket done temp";
    await (await start()).stop();
    running = [];
    expect(ha.helpers.input_number.get("grill_stats_10061c6f4770_1_target")?.name).toBe("Brisket done temp");
    await start();
    expect(ha.helpers.input_number.get("grill_stats_10061c6f4770_1_target")?.name).toBe("Brisket done temp");
  });

  it("works through the Supervisor proxy paths (/core/websocket, /core/api/states)", async () => {
    await start({ connection: { url: ha.coreUrl, token: ha.token, viaSupervisor: true } });
    expect(ha.posted.length).toBeGreaterThan(0);
    expect(ha.posted.every((p) => p.path.startsWith("/core/api/states/"))).toBe(true);
    expect(ha.connectedClients()).toBe(1);
  });

  it("on a core without input_button or lovelace commands it degrades with a clear log line", async () => {
    await ha.stop();
    ha = await startHaStandIn({ unsupportedCommands: ["input_button/list", "input_button/create", "lovelace/resources", "lovelace/resources/list"] });
    const h = await startBridge(ha, world, { initialSettings: SETTINGS, waitReady: false });
    running.push(h);
    await waitUntil(() => h.logger.lines.some((l) => l.includes("YAML mode")), "card instructions logged");
    expect(h.logger.lines.some((l) => l.includes("WARN") && l.includes("no input_button helpers"))).toBe(true);
    expect([...ha.helpers.input_number.keys()]).toHaveLength(4);
    expect(h.bridge.status()).toMatchObject({ connected: true, helpers: 4 });
    expect(ha.states.get("sensor.grill_stats_10061c6f4770_1_temperature")?.state).toBe("71.4");
  });

  it("connected while Home Assistant still starts, it sets up helpers, the card and pushes once it has started", async () => {
    const loading = ["input_number/list", "input_number/create", "input_button/list", "input_button/create", "lovelace/resources", "lovelace/resources/list"];
    ha.setStarting({ commands: loading, services: ["notify.mobile_app_phone"] });
    const h = await startBridge(ha, world, { initialSettings: SETTINGS, waitReady: false });
    running.push(h);
    await waitUntil(() => h.logger.lines.some((l) => l.includes("input_button is not loaded yet")), "helpers waiting for the start");
    expect(h.bridge.status()).toMatchObject({ connected: true, helpers: 0 });
    // Not taken for a Home Assistant without helpers or with YAML dashboards.
    expect(h.logger.lines.some((l) => l.includes("no input_number helpers") || l.includes("YAML mode"))).toBe(false);
    // A push to a phone whose integration is not loaded yet is kept for later, not given up.
    const early = await h.bridge.notifier.deliver("notify.mobile_app_phone", { title: "t", message: "m", alarmId: "x:y" }).catch((e: unknown) => e);
    expect(early).toMatchObject({ retryable: true });

    ha.finishStarting();
    await waitUntil(() => h.bridge.status().helpers === 9, "every helper bound after the start");
    expect(helperNames(ha)).toEqual(ENGLISH_HELPERS);
    await waitUntil(() => ha.lovelaceResources.length === 1, "card resource registered after the start");
    await h.bridge.notifier.deliver("notify.mobile_app_phone", { title: "t", message: "m", alarmId: "x:y" });
    expect(ha.serviceCalls.filter((c) => c.domain === "notify").at(-1)?.ok).toBe(true);
  });

  it("takes a Core that said it was starting for started after 10 min, even without its event", async () => {
    ha.setStarting({ services: ["notify.mobile_app_phone"] });
    let skippedMs = 0;
    const h = await startBridge(ha, world, { initialSettings: SETTINGS, clock: { now: () => Date.now() + skippedMs } });
    running.push(h);
    const send = () => h.bridge.notifier.deliver("notify.mobile_app_phone", { title: "t", message: "m", alarmId: "x:y" }).catch((e: unknown) => e);
    expect(await send()).toMatchObject({ retryable: true });
    // homeassistant_started never came (missed): a notify service still missing is a wrong target.
    skippedMs = 11 * 60_000;
    expect(await send()).toMatchObject({ retryable: false, status: 404 });
  });

  it("a helper deleted in Home Assistant is set up again at once, not left bound to nothing", async () => {
    const h = await start();
    const target = "grill_stats_10061c6f4770_1_target";
    await waitUntil(() => ha.states.get(`input_number.${target}`)?.state === "95.0", "target helper set");
    ha.deleteHelper("input_number", target);
    expect(ha.helpers.input_number.has(target)).toBe(false);
    await waitUntil(() => ha.helpers.input_number.has(target), "helper created again");
    await waitUntil(() => h.bridge.status().helpers === 9, "bound again");
    // The new helper (at its minimum) gets the add-on's target; the target is not wiped.
    await waitUntil(() => ha.states.get(`input_number.${target}`)?.state === "95.0", "the add-on's target pushed to the new helper");
    expect(h.store.getSettings("10061c6f4770_1")?.targetC).toBe(95);
    // And it works: a value set in Home Assistant reaches the add-on.
    ha.setState(`input_number.${target}`, "92.0");
    await waitUntil(() => h.store.getSettings("10061c6f4770_1")?.targetC === 92, "target from the new helper");
  });

  it("device entities follow the poll results", async () => {
    const h = await start();
    const device = { ...h.devices[0]!, batteryPct: 42, lastSeenMs: Date.now() - 3600_000 };
    h.bus.emit("poll:result", { atMs: Date.now(), devices: [device], probes: [], readings: [] });
    await waitUntil(() => ha.states.get("sensor.grill_stats_10061c6f4770_battery")?.state === "42", "battery updated");
    await waitUntil(() => ha.states.get("binary_sensor.grill_stats_10061c6f4770_online")?.state === "off", "device offline");
  });

  it("without Home Assistant configured it runs and says so", async () => {
    const h = await startBridge(null, world);
    running.push(h);
    expect(h.bridge.status()).toMatchObject({ configured: false, connected: false, state: "disabled" });
    expect(h.bridge.status().message).toMatch(/not configured/);
    expect(h.bridge.displayUnit()).toBe("C");
    expect(h.bridge.language()).toBe("en");
    await expect(h.bridge.notifier.deliver("notify.mobile_app_phone", { title: "t", message: "m", alarmId: "a:b" })).rejects.toThrow(/not connected/);
  });
});
