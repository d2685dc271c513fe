import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { startGrillStats, type RunningService } from "../../src/main";
import { createMemoryLogger, type AlarmState, type ProbeState } from "../../src/shared";
import { encodeAlarmId } from "../../src/homeassistant";
import { startHaStandIn, type HaStandIn, type ServiceCallRecord } from "../support/ha-standin";
import { waitUntil } from "../support/ha-wait";
import { makeTempDir } from "../support/tmp";

/**
 * The whole service in demo mode against the Home Assistant stand-in: entities and helpers
 * appear, a helper changed in Home Assistant changes the add-on's setting, a Core restart gets
 * everything re-posted, and an alarm goes to the phone, in Home Assistant's language, and is
 * acknowledged from it. Entities and helpers are named in that language too.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const BRISKET = "a4cf123b5e01_2";
const TEMP = `sensor.grill_stats_${BRISKET}_temperature`;
const TARGET = `input_number.grill_stats_${BRISKET}_target`;

const startAll = async (unitSystem: "°C" | "°F", language?: string | null): Promise<{ ha: HaStandIn; service: RunningService; dataDir: string }> => {
  const ha = await startHaStandIn({ unitSystem, language });
  cleanups.push(() => ha.stop());
  const tmp = makeTempDir();
  cleanups.push(tmp.cleanup);
  const optionsPath = join(tmp.dir, "options.json");
  writeFileSync(optionsPath, JSON.stringify({ poll_interval_seconds: 5, notify_targets: ["notify.mobile_app_phone"], alarm_repeat_minutes: 1 }));
  const config = loadConfig({
    GRILL_STATS_OPTIONS: optionsPath,
    GRILL_STATS_DATA_DIR: tmp.dir,
    GRILL_STATS_HA_URL: ha.url,
    GRILL_STATS_HA_TOKEN: ha.token,
    GRILL_STATS_HA_CONFIG_DIR: join(tmp.dir, "ha-config"),
  }, () => false);
  const service = await startGrillStats(config, { logger: createMemoryLogger("info"), port: 0 });
  cleanups.push(() => service.stop());
  return { ha, service, dataDir: tmp.dir };
};

const probe = async (service: RunningService, id: string): Promise<ProbeState | undefined> =>
  ((await (await fetch(`${service.url}/api/probes`)).json()) as ProbeState[]).find((p) => p.id === id);

/** Sets a target the brisket has already passed, so "target reached" fires; the alarm and the push it sent. */
const reachTarget = async (ha: HaStandIn, service: RunningService): Promise<{ alarm: AlarmState; push: ServiceCallRecord }> => {
  await waitUntil(() => ha.states.has(TEMP), "brisket posted", 15_000);
  const put = await fetch(`${service.url}/api/probes/${BRISKET}/settings`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ targetC: 10 }),
  });
  expect(put.status).toBe(200);
  const firing = async (): Promise<AlarmState | undefined> =>
    ((await (await fetch(`${service.url}/api/alarms`)).json()) as AlarmState[]).find((a) => a.probeId === BRISKET && a.kind === "target" && a.phase === "firing");
  let alarm: AlarmState | undefined;
  for (let i = 0; i < 40 && !alarm; i++) {
    await service.pollNow();
    alarm = await firing();
    if (!alarm) await new Promise((r) => setTimeout(r, 250));
  }
  expect(alarm, "target alarm firing").toBeDefined();
  const pushes = (): ServiceCallRecord[] => ha.serviceCalls.filter((c) => c.domain === "notify" && c.service === "mobile_app_phone");
  await waitUntil(() => pushes().length > 0, "push sent", 10_000);
  return { alarm: alarm!, push: pushes()[0]! };
};

const DEVICE = "a4cf123b5e01";

const buttonTitles = (push: ServiceCallRecord): string[] => ((push.data.data as { actions?: Array<{ title: string }> }).actions ?? []).map((a) => a.title);

describe("the service with Home Assistant", () => {
  it("posts every probe in Home Assistant's unit, creates the helpers once, and follows a helper changed in Home Assistant", async () => {
    const { ha, service } = await startAll("°F");
    await waitUntil(() => ha.states.has(TEMP) && ha.states.get(TEMP)!.state !== "unavailable", "brisket temperature posted", 15_000);
    const brisket = ha.states.get(TEMP)!;
    expect(brisket.attributes).toMatchObject({ unit_of_measurement: "°F", device_class: "temperature", state_class: "measurement", friendly_name: "Brisket" });
    const tempC = (await probe(service, BRISKET))!.tempC!;
    expect(Number(brisket.state)).toBeCloseTo(tempC * 1.8 + 32, 0);
    for (const p of ["a4cf123b5e01_1", "a4cf123b5e01_3", "a4cf123b5e01_4"]) {
      await waitUntil(() => ha.states.has(`sensor.grill_stats_${p}_temperature`), `${p} posted`, 10_000);
    }

    // The target set in the ThermoWorks app (203 °F) became the helper's value.
    await waitUntil(() => Number(ha.states.get(TARGET)?.state) === 203, "target helper at 203 °F", 10_000);
    expect(ha.helpers.input_number.get(`grill_stats_${BRISKET}_target`)?.unit_of_measurement).toBe("°F");

    // A person changes the target in Home Assistant: the add-on stores it in °C.
    ha.setState(TARGET, "190.0");
    const deadline = Date.now() + 5_000;
    let targetC: number | null | undefined = null;
    while (Date.now() < deadline) {
      targetC = (await probe(service, BRISKET))?.targetC;
      if (targetC !== null && targetC !== undefined && Math.abs(targetC - 87.78) < 0.1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(targetC).toBeCloseTo(87.78, 1);

    // Home Assistant restarts: every entity is back within 5 s of the reconnect.
    const helperCount = ha.helpers.input_number.size;
    await ha.restart();
    expect(ha.states.has(TEMP)).toBe(false);
    await waitUntil(() => ha.states.has(TEMP), "brisket re-posted after the restart", 8_000);
    expect(ha.helpers.input_number.size).toBe(helperCount);
  });

  it("sends an alarm to the phone with the number and unit, and the phone's Acknowledge ends it", async () => {
    const { ha, service } = await startAll("°C");
    const { alarm, push } = await reachTarget(ha, service);
    expect(String(push.data.message)).toMatch(/Brisket reached \d+(\.\d)? °C \(target 10 °C\)/);

    ha.fireEvent("mobile_app_notification_action", { action: `GRILL_STATS_ACK_${encodeAlarmId(alarm.id)}` });
    let phase = "firing";
    for (let i = 0; i < 50 && phase === "firing"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const all = (await (await fetch(`${service.url}/api/alarms`)).json()) as AlarmState[];
      phase = all.find((a) => a.id === alarm.id)?.phase ?? "gone";
    }
    expect(phase).toBe("acknowledged");
  });

  it("writes the push in the language Home Assistant's get_config names: German title, message and buttons", async () => {
    const { ha, service } = await startAll("°C", "de");
    const { alarm, push } = await reachTarget(ha, service);
    expect(push.data.title).toBe("Grill Stats · Ziel erreicht");
    expect(String(push.data.message)).toMatch(/^Brisket hat \d+(\.\d)? °C erreicht \(Ziel 10 °C\), um \d\d:\d\d$/);
    expect(buttonTitles(push)).toEqual(["Bestätigen", "10 Min. schlummern"]);
    // The add-on's own views show the same words.
    expect(alarm.message).toBe(push.data.message);
  });

  it("writes the push in English when get_config names no language", async () => {
    const { ha, service } = await startAll("°C", null);
    const { push } = await reachTarget(ha, service);
    expect(push.data.title).toBe("Grill Stats · Target reached");
    expect(String(push.data.message)).toMatch(/^Brisket reached \d+(\.\d)? °C \(target 10 °C\) at \d\d:\d\d$/);
    expect(buttonTitles(push)).toEqual(["Acknowledge", "Snooze 10 min"]);
  });

  it.each([
    ["de", { eta: "Brisket Garzeit", stall: "Brisket Plateau", online: "Big Smoker online", status: "Grill Stats Status", target: "Brisket Ziel", high: "Pit Max-Alarm", low: "Pit Min-Alarm", snooze: "Brisket Schlummern" }],
    [null, { eta: "Brisket done time", stall: "Brisket stall", online: "Big Smoker online", status: "Grill Stats status", target: "Brisket target", high: "Pit high alarm", low: "Pit low alarm", snooze: "Brisket snooze" }],
  ])("names entities and helpers in the language get_config names (%s), under the same ids", async (language, names) => {
    const { ha } = await startAll("°C", language);
    const PIT = `${DEVICE}_1`;
    const helperName = (domain: "input_number" | "input_button", objectId: string): string | undefined => ha.helpers[domain].get(objectId)?.name;
    const helpersNamed = (): boolean =>
      helperName("input_number", `grill_stats_${BRISKET}_target`) === names.target &&
      helperName("input_number", `grill_stats_${PIT}_high`) === names.high &&
      helperName("input_number", `grill_stats_${PIT}_low`) === names.low &&
      helperName("input_button", `grill_stats_${BRISKET}_snooze`) === names.snooze;
    await waitUntil(helpersNamed, "helpers named in the language", 15_000);
    const posted = [`sensor.grill_stats_${BRISKET}_eta`, `binary_sensor.grill_stats_${BRISKET}_stall`, `binary_sensor.grill_stats_${DEVICE}_online`, "sensor.grill_stats_status", TEMP];
    await waitUntil(() => posted.every((id) => ha.states.has(id)), "states posted", 15_000);
    const friendly = (entityId: string): unknown => ha.states.get(entityId)?.attributes.friendly_name;
    expect(friendly(`sensor.grill_stats_${BRISKET}_eta`)).toBe(names.eta);
    expect(friendly(`binary_sensor.grill_stats_${BRISKET}_stall`)).toBe(names.stall);
    expect(friendly(`binary_sensor.grill_stats_${DEVICE}_online`)).toBe(names.online);
    expect(friendly("sensor.grill_stats_status")).toBe(names.status);
    expect(friendly(TEMP)).toBe("Brisket");
    // What Home Assistant shows for the helper is the name it was given.
    await waitUntil(() => friendly(TARGET) === names.target, "helper state renamed");
  });
});
