import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import {
  decodeAlarmId,
  encodeAlarmId,
  entityId,
  isDeviceOnline,
  parseNotificationAction,
  steadyDoneMs,
  toAlarmEventData,
  toDeviceEntities,
  toProbeEntities,
  toProbeEventData,
  toStatusEntity,
} from "../../src/homeassistant";
import { helperSpecsFor } from "../../src/homeassistant/helpers";
import type { AlarmState, ProbeState } from "../../src/shared";
import { NOW, makeDevice, makeProbe, pitProbe } from "./fixtures";

const ctx = (unit: "C" | "F" = "C", language = "en") => ({ unit, nowMs: NOW, device: makeDevice(), language });

describe("entity mapping", () => {
  it("builds ids from device key and channel only, whatever the labels say", () => {
    const a = toProbeEntities(makeProbe({ name: "Brisket" }), ctx()).map((e) => e.entityId);
    const b = toProbeEntities(makeProbe({ name: "Pork shoulder (left)" }), ctx()).map((e) => e.entityId);
    expect(a).toEqual(b);
    expect(a).toEqual([
      "sensor.grill_stats_10061c6f4770_1_temperature",
      "sensor.grill_stats_10061c6f4770_1_eta",
      "binary_sensor.grill_stats_10061c6f4770_1_stall",
    ]);
    expect(entityId("battery", { deviceKey: "M1000ABC" })).toBe("sensor.grill_stats_m1000abc_battery");
    expect(entityId("temperature", { deviceKey: "__x__", channel: "A-1" })).toMatch(/^sensor\.grill_stats_x_a_1_temperature$/);
  });

  it("names entities in Home Assistant's language, with the same ids in every language", () => {
    const status = { mode: "demo", version: "1.0.0", unit: "C", thermoworks: null, activeCook: null, probes: 1, devices: 1 } as const;
    const posts = (language: string) => [...toProbeEntities(makeProbe(), ctx("C", language)), ...toDeviceEntities(makeDevice(), NOW, language), toStatusEntity(status, language)];
    const names = (language: string) => posts(language).map((e) => e.attributes.friendly_name);
    expect(names("en")).toEqual(["Brisket", "Brisket done time", "Brisket stall", "Signals battery", "Signals signal strength", "Signals online", "Grill Stats status"]);
    expect(names("de-CH")).toEqual(["Brisket", "Brisket Garzeit", "Brisket Plateau", "Signals Akku", "Signals Signalstärke", "Signals online", "Grill Stats Status"]);
    expect(names("fr-BE")).toEqual(["Brisket", "Brisket fin de cuisson", "Brisket plateau", "Signals batterie", "Signals puissance du signal", "Signals en ligne", "État de Grill Stats"]);
    expect(names("nl")).toEqual(["Brisket", "Brisket klaartijd", "Brisket stall", "Signals batterij", "Signals signaalsterkte", "Signals online", "Grill Stats status"]);
    expect(names("it")).toEqual(names("en"));
    for (const language of ["de", "fr", "nl"]) expect(posts(language).map((e) => e.entityId)).toEqual(posts("en").map((e) => e.entityId));
  });

  it("says an unlabelled probe's name in Home Assistant's language, a label as it is", () => {
    const unlabelled = makeProbe({ name: "Signals probe 1", autoName: { device: "Signals", channel: "1" } });
    const names = (p: ProbeState, language: string) => toProbeEntities(p, ctx("C", language)).map((e) => e.attributes.friendly_name);
    expect(names(unlabelled, "en")).toEqual(["Signals probe 1", "Signals probe 1 done time", "Signals probe 1 stall"]);
    expect(names(unlabelled, "de-AT")).toEqual(["Signals Fühler 1", "Signals Fühler 1 Garzeit", "Signals Fühler 1 Plateau"]);
    expect(names(unlabelled, "fr")).toEqual(["Signals sonde 1", "Signals sonde 1 fin de cuisson", "Signals sonde 1 plateau"]);
    expect(names(unlabelled, "nl-BE")).toEqual(["Signals sonde 1", "Signals sonde 1 klaartijd", "Signals sonde 1 stall"]);
    expect(toProbeEntities(unlabelled, ctx("C", "de"))[0]?.attributes.label).toBe("Signals Fühler 1");
    // A probe the user named "Sonde 1" stays "Sonde 1".
    expect(names(makeProbe({ name: "Sonde 1" }), "de")[0]).toBe("Sonde 1");
  });

  it("reports a temperature in the display unit with every attribute the card needs", () => {
    const [temp] = toProbeEntities(makeProbe({ tempC: 100, minC: 0, rateCPerHour: 10, targetC: 95 }), ctx("F"));
    expect(temp?.state).toBe("212");
    expect(temp?.attributes).toMatchObject({
      unit_of_measurement: "°F",
      device_class: "temperature",
      state_class: "measurement",
      friendly_name: "Brisket",
      device: "Signals",
      device_serial: "10:06:1C:6F:47:70",
      device_kind: "signals",
      channel: "1",
      role: "meat",
      min: 32,
      rate_of_rise: 18,
      target: 203,
      status: "ok",
      stall: false,
      lid_open: false,
    });
  });

  it("posts the most urgent alarm's phase, text and facts (kind, since, value and threshold in the display unit); none while it is only armed", () => {
    const alarm: AlarmState = {
      id: "10061c6f4770_1:target", kind: "target", probeId: "10061c6f4770_1", deviceKey: null, phase: "firing", message: "Brisket reached 96 °C (target 95 °C) at 17:00",
      valueC: 96.04, thresholdC: 95, sinceMs: NOW - 60_000, snoozedUntilMs: null, repeatCount: 0, critical: true,
    };
    const attributes = (a: AlarmState | null, unit: "C" | "F" = "C", o: Partial<ProbeState> = {}) => toProbeEntities(makeProbe(o), { ...ctx(unit), alarm: a })[0]?.attributes;
    expect(attributes(alarm)).toMatchObject({
      alarm: "firing", alarm_message: alarm.message, alarm_kind: "target", alarm_since: new Date(NOW - 60_000).toISOString(), alarm_value: 96, alarm_threshold: 95,
    });
    expect(attributes({ ...alarm, phase: "pre_alarm", valueC: 90 }, "F")).toMatchObject({ alarm: "pre_alarm", alarm_kind: "target", alarm_value: 194, alarm_threshold: 203 });
    // A humidity channel's alarm is in percent, as its state.
    expect(attributes({ ...alarm, kind: "high", valueC: 81, thresholdC: 80 }, "F", { role: "humidity" })).toMatchObject({ alarm_value: 81, alarm_threshold: 80 });
    // An unplugged probe's alarm has no temperature of its own (the machine keeps the last one it saw).
    expect(attributes({ ...alarm, kind: "unplugged" })).toMatchObject({ alarm_kind: "unplugged", alarm_value: null, alarm_threshold: null });
    const none = { alarm_message: null, alarm_kind: null, alarm_since: null, alarm_value: null, alarm_threshold: null };
    expect(attributes({ ...alarm, phase: "armed" })).toMatchObject({ alarm: "armed", ...none });
    expect(attributes(null)).toMatchObject({ alarm: null, ...none });
  });

  it("makes the temperature unavailable when the probe is unplugged, stale or offline", () => {
    for (const status of ["unplugged", "stale", "offline"] as const) {
      expect(toProbeEntities(makeProbe({ status }), ctx())[0]?.state).toBe("unavailable");
    }
    expect(toProbeEntities(makeProbe({ tempC: null }), ctx())[0]?.state).toBe("unavailable");
    expect(toProbeEntities(makeProbe({ status: "glitch" }), ctx())[0]?.state).toBe("71.4");
  });

  it("publishes the ETA as a timestamp with its range and a compact forecast", () => {
    const [, eta, stall] = toProbeEntities(makeProbe(), ctx("C"));
    expect(eta?.state).toBe(new Date(NOW + 3 * 3600_000).toISOString());
    expect(eta?.attributes).toMatchObject({ device_class: "timestamp", method: "newton", remaining_minutes: 180, p10: new Date(NOW + 2.5 * 3600_000).toISOString() });
    expect(eta?.attributes.forecast).toEqual([
      [Math.round((NOW + 3600_000) / 1000), 80, 78, 82],
      [Math.round((NOW + 3 * 3600_000) / 1000), 95, 92, 97],
    ]);
    expect(eta?.attributes).not.toHaveProperty("unit_of_measurement");
    expect(stall?.state).toBe("off");
    // Seconds are noise in a done time (and a new recorder row each): minutes are published.
    const jittered = toProbeEntities(makeProbe({ eta: { doneMs: NOW + 3 * 3600_000 + 25_000, p10Ms: NOW + 2.5 * 3600_000 - 40_000, p90Ms: null, reason: null, method: "newton" } }), ctx("C"))[1];
    expect(jittered?.state).toBe(new Date(NOW + 3 * 3600_000).toISOString());
    expect(jittered?.attributes.p10).toBe(new Date(NOW + 2.5 * 3600_000 - 60_000).toISOString());
    // A done time has been: never rounded up to a minute still to come (12:44:49 is 12:44, as the alarm says).
    const reachedMs = NOW - 3600_000 + 49_000;
    const done = toProbeEntities(makeProbe({ eta: { doneMs: reachedMs, p10Ms: reachedMs, p90Ms: reachedMs, reason: "target reached", method: "done" } }), ctx("C"))[1];
    expect(done?.state).toBe(new Date(NOW - 3600_000).toISOString());
    const unknown = toProbeEntities(makeProbe({ eta: { doneMs: null, p10Ms: null, p90Ms: null, reason: "no target", method: "none" } }), ctx())[1];
    expect(unknown?.state).toBe("unknown");
    expect(unknown?.attributes.reason).toBe("no target");
  });

  it("moves the done time it tells Home Assistant only by more than 5 % of the time left (at least a minute), or out of the range", () => {
    const eta = (doneMs: number | null, p10Ms: number | null = null, p90Ms: number | null = null, method = "newton") => ({ doneMs, p10Ms, p90Ms, reason: null, method });
    const shown = NOW + 3 * 3600_000;
    // First told, and nothing to tell.
    expect(steadyDoneMs(null, eta(shown), NOW)).toBe(shown);
    expect(steadyDoneMs(shown, eta(null), NOW)).toBeNull();
    expect(steadyDoneMs(shown, null, NOW)).toBeNull();
    // Three hours out 5 % is 9 min: 8 min stands, 10 min moves, either way.
    expect(steadyDoneMs(shown, eta(shown + 8 * 60_000), NOW)).toBe(shown);
    expect(steadyDoneMs(shown, eta(shown - 8 * 60_000), NOW)).toBe(shown);
    expect(steadyDoneMs(shown, eta(shown + 10 * 60_000), NOW)).toBe(shown + 10 * 60_000);
    expect(steadyDoneMs(shown, eta(shown - 10 * 60_000), NOW)).toBe(shown - 10 * 60_000);
    // Ten minutes out the floor is a minute: 50 s stands, 70 s moves.
    const near = NOW + 10 * 60_000;
    expect(steadyDoneMs(near, eta(near + 50_000), NOW)).toBe(near);
    expect(steadyDoneMs(near, eta(near + 70_000), NOW)).toBe(near + 70_000);
    // A told time the forecast's own range no longer holds moves, however little.
    expect(steadyDoneMs(shown, eta(shown + 5 * 60_000, shown + 2 * 60_000, shown + 20 * 60_000), NOW)).toBe(shown + 5 * 60_000);
    expect(steadyDoneMs(shown, eta(shown - 5 * 60_000, shown - 20 * 60_000, shown - 60_000), NOW)).toBe(shown - 5 * 60_000);
    // A time told that has passed moves on, however little the forecast moved.
    expect(steadyDoneMs(NOW - 10_000, eta(NOW + 30_000), NOW)).toBe(NOW + 30_000);
    // When the target was reached, when it was.
    expect(steadyDoneMs(shown, eta(NOW - 30_000, null, null, "done"), NOW)).toBe(NOW - 30_000);
    // The entity says the told time, and its minutes left from it.
    const [, told] = toProbeEntities(makeProbe(), { ...ctx(), shownDoneMs: shown + 6 * 60_000 });
    expect(told?.state).toBe(new Date(shown + 6 * 60_000).toISOString());
    expect(told?.attributes.remaining_minutes).toBe(186);
  });

  it("gives the pit only a temperature sensor", () => {
    expect(toProbeEntities(pitProbe(), ctx()).map((e) => e.entityId)).toEqual(["sensor.grill_stats_10061c6f4770_2_temperature"]);
  });

  it("judges a device online against its own transmit interval, with a 5 minute floor", () => {
    expect(isDeviceOnline({ lastSeenMs: NOW - 4 * 60_000, transmitIntervalSec: 60, reportDeltaC: null }, NOW)).toBe(true);
    expect(isDeviceOnline({ lastSeenMs: NOW - 6 * 60_000, transmitIntervalSec: 60, reportDeltaC: null }, NOW)).toBe(false);
    // A Node uploads every 2 hours: 3 hours of silence is normal.
    expect(isDeviceOnline({ lastSeenMs: NOW - 3 * 3600_000, transmitIntervalSec: 7200, reportDeltaC: null }, NOW)).toBe(true);
    expect(isDeviceOnline({ lastSeenMs: null, transmitIntervalSec: 60, reportDeltaC: null }, NOW)).toBe(false);
    // An RFX Meat probe uploads on change: with a heartbeat it is judged by that, without one a
    // stall's quiet half hour is not "offline" (2 × 15 min + 1 min).
    expect(isDeviceOnline({ lastSeenMs: NOW - 4 * 60_000, transmitIntervalSec: null, reportDeltaC: 0.556 }, NOW)).toBe(true);
    expect(isDeviceOnline({ lastSeenMs: NOW - 30 * 60_000, transmitIntervalSec: null, reportDeltaC: 0.556 }, NOW)).toBe(true);
    expect(isDeviceOnline({ lastSeenMs: NOW - 32 * 60_000, transmitIntervalSec: null, reportDeltaC: 0.556 }, NOW)).toBe(false);
    expect(isDeviceOnline({ lastSeenMs: NOW - 6 * 60_000, transmitIntervalSec: 60, reportDeltaC: 0.556 }, NOW)).toBe(false);
    const states = toDeviceEntities(makeDevice({ signalDbm: null }), NOW, "en");
    expect(states.map((s) => [s.entityId, s.state])).toEqual([
      ["sensor.grill_stats_10061c6f4770_battery", "87"],
      ["binary_sensor.grill_stats_10061c6f4770_online", "on"],
    ]);
    expect(states[1]?.attributes).not.toHaveProperty("delta_trigger");
    // The trigger an RFX Meat probe uploads on, in the display unit (it decides its battery life).
    const rfx = (unit: "C" | "F") => toDeviceEntities(makeDevice({ kind: "rfx_meat", reportDeltaC: 1.667 }), NOW, "en", unit).find((s) => s.entityId.endsWith("_online"))?.attributes;
    expect(rfx("F")?.delta_trigger).toBe(3);
    expect(rfx("C")?.delta_trigger).toBe(1.7);
  });

  it("creates target + high helpers for meat and high + low for the pit, in the display unit", () => {
    expect(helperSpecsFor(makeProbe(), "F", "en").map((s) => [s.objectId, s.number?.unit ?? null])).toEqual([
      ["grill_stats_10061c6f4770_1_target", "°F"],
      ["grill_stats_10061c6f4770_1_high", "°F"],
      ["grill_stats_10061c6f4770_1_acknowledge", null],
      ["grill_stats_10061c6f4770_1_snooze", null],
      ["grill_stats_10061c6f4770_1_wrapped", null],
    ]);
    expect(helperSpecsFor(pitProbe(), "C", "en").map((s) => s.kind)).toEqual(["high", "low", "acknowledge", "snooze"]);
    expect(helperSpecsFor(makeProbe({ role: "ambient" }), "C", "en")).toEqual([]);
  });

  it("names helpers in Home Assistant's language; the ids and the names they are created with stay", () => {
    const specs = (language: string) => [...helperSpecsFor(makeProbe(), "C", language), ...helperSpecsFor(pitProbe(), "C", language)];
    expect(specs("en").map((s) => s.name)).toEqual(["Brisket target", "Brisket high alarm", "Brisket acknowledge", "Brisket snooze", "Brisket wrapped", "Pit high alarm", "Pit low alarm", "Pit acknowledge", "Pit snooze"]);
    expect(specs("de-CH").map((s) => s.name)).toEqual(["Brisket Ziel", "Brisket Max-Alarm", "Brisket Bestätigen", "Brisket Schlummern", "Brisket eingewickelt", "Pit Max-Alarm", "Pit Min-Alarm", "Pit Bestätigen", "Pit Schlummern"]);
    expect(specs("fr-BE").map((s) => s.name)).toEqual(["Brisket cible", "Brisket alarme max", "Brisket acquitter", "Brisket reporter", "Brisket emballé", "Pit alarme max", "Pit alarme min", "Pit acquitter", "Pit reporter"]);
    expect(specs("nl").map((s) => s.name)).toEqual(["Brisket doel", "Brisket max-alarm", "Brisket bevestigen", "Brisket sluimeren", "Brisket ingepakt", "Pit max-alarm", "Pit min-alarm", "Pit bevestigen", "Pit sluimeren"]);
    const languageFree = (language: string) => specs(language).map(({ key, objectId, createName, names }) => ({ key, objectId, createName, names }));
    for (const language of ["de", "fr", "nl"]) expect(languageFree(language)).toEqual(languageFree("en"));
    expect(specs("de")[0]?.names).toEqual(["Brisket target", "Brisket Ziel", "Brisket cible", "Brisket doel"]);
  });
});

describe("notification actions", () => {
  it("encodes alarm ids with ':' and other characters reversibly", () => {
    for (const id of ["10061c6f4770_1:target", "m1000abc:battery_low", "odd id:ü/ß.%"]) {
      const encoded = encodeAlarmId(id);
      expect(encoded).toMatch(/^[A-Za-z0-9_.-]+$/);
      expect(decodeAlarmId(encoded)).toBe(id);
      expect(parseNotificationAction(`GRILL_STATS_SNOOZE_${encoded}`)).toEqual({ action: "snooze", alarmId: id });
    }
    expect(parseNotificationAction("SOMETHING_ELSE")).toBeNull();
    expect(parseNotificationAction("GRILL_STATS_ACK_bad:char")).toBeNull();
  });
});

describe("event payloads", () => {
  it("names the probe, its device, its entities and gives temperatures in °C and the display unit", () => {
    const probe = makeProbe();
    const data = toProbeEventData({ kind: "target_reached", probeId: probe.id, tsMs: NOW, tempC: 95.04 }, { unit: "F", probe, device: makeDevice() });
    expect(data).toMatchObject({
      kind: "target_reached",
      probe_id: "10061c6f4770_1",
      probe_name: "Brisket",
      device_serial: "10:06:1C:6F:47:70",
      device_label: "Signals",
      entity_id: "sensor.grill_stats_10061c6f4770_1_temperature",
      eta_entity_id: "sensor.grill_stats_10061c6f4770_1_eta",
      wrapped_entity_id: "input_button.grill_stats_10061c6f4770_1_wrapped",
      temperature_c: 95,
      temperature: 203.1,
      target: 203,
      unit: "°F",
    });
    // A target set in °F is a long decimal in °C: sent to 0.01 °C.
    const fahrenheit = makeProbe({ targetC: (200 - 32) / 1.8 });
    expect(toProbeEventData({ kind: "done", probeId: fahrenheit.id, tsMs: NOW, tempC: 94 }, { unit: "F", probe: fahrenheit, device: makeDevice() })).toMatchObject({ target_c: 93.33, target: 200 });
    // The extra facts as Home Assistant's events give them: snake_case, ISO times, minutes, °C and the display unit.
    const ended = toProbeEventData(
      { kind: "stall_ended", probeId: probe.id, tsMs: NOW, tempC: 74, detail: { sinceMs: NOW - 90 * 60_000, endedMs: NOW, durationMs: 90 * 60_000 + 20_000 } },
      { unit: "F", probe, device: makeDevice() },
    );
    expect(ended.detail).toEqual({ since: new Date(NOW - 90 * 60_000).toISOString(), ended: new Date(NOW).toISOString(), duration_minutes: 90 });
    const fell = toProbeEventData({ kind: "removed", probeId: probe.id, tsMs: NOW, tempC: 22, detail: { fromC: 71.04, toC: 22, resumed: false } }, { unit: "F", probe, device: makeDevice() });
    expect(fell.detail).toEqual({ from_c: 71.04, from: 159.9, to_c: 22, to: 71.6, resumed: false });
    const reached = toProbeEventData({ kind: "target_reached", probeId: probe.id, tsMs: NOW, tempC: 93.4, detail: { targetC: (200 - 32) / 1.8 } }, { unit: "F", probe, device: makeDevice() });
    expect(reached.detail).toEqual({ target_c: 93.33, target: 200 });
    expect(toProbeEventData({ kind: "done", probeId: probe.id, tsMs: NOW, tempC: 95 }, { unit: "C", probe, device: makeDevice() }).detail).toEqual({});
    // The pit has no ETA, stall or Wrapped button.
    const pit = pitProbe();
    expect(toProbeEventData({ kind: "lid_open", probeId: pit.id, tsMs: NOW, tempC: 90 }, { unit: "C", probe: pit, device: makeDevice() })).toMatchObject({ eta_entity_id: null, wrapped_entity_id: null });
    const alarm: AlarmState = {
      id: "10061c6f4770:offline", kind: "offline", probeId: null, deviceKey: "10061c6f4770", phase: "firing", message: "Signals is offline",
      valueC: null, thresholdC: null, sinceMs: NOW, snoozedUntilMs: null, repeatCount: 0, critical: true,
    };
    expect(toAlarmEventData(alarm, "raised", { unit: "C", probe: undefined, device: makeDevice() })).toMatchObject({
      transition: "raised",
      alarm_id: "10061c6f4770:offline",
      device_label: "Signals",
      entity_id: "binary_sensor.grill_stats_10061c6f4770_online",
    });
  });
});

describe("blueprints", () => {
  const dir = join(process.cwd(), "addon", "blueprints");
  const statusEntity = toStatusEntity({ mode: "cloud", version: "1.0.0", unit: "C", thermoworks: null, activeCook: null, probes: 0, devices: 0 }, "en");
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));

  it.each(files)("%s is an automation blueprint whose !input references are all declared", (file) => {
    const text = readFileSync(join(dir, file), "utf8");
    expect(text.startsWith("# Grill Stats blueprint")).toBe(true);
    const refs: string[] = [];
    const doc = parseDocument(text, {
      customTags: [{ tag: "!input", resolve: (s: string) => (refs.push(s), { input: s }) }],
    });
    expect(doc.errors).toEqual([]);
    const bp = doc.toJS() as { blueprint: { name: string; domain: string; input: Record<string, { selector?: unknown }> }; trigger: unknown[]; action: unknown[] };
    expect(bp.blueprint.domain).toBe("automation");
    expect(bp.blueprint.name).toMatch(/^Grill Stats/);
    expect(bp.trigger.length).toBeGreaterThan(0);
    expect(bp.action.length).toBeGreaterThan(0);
    for (const input of Object.values(bp.blueprint.input)) expect(input.selector).toBeDefined();
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(Object.keys(bp.blueprint.input)).toContain(r);
    // What they read of a grill_stats_probe event is in its payload.
    if (text.includes("event_type: grill_stats_probe")) {
      const payload = toProbeEventData({ kind: "stalled", probeId: makeProbe().id, tsMs: NOW, tempC: 70 }, { unit: "C", probe: makeProbe(), device: makeDevice() });
      const read = [...text.matchAll(/trigger\.event\.data\.([a-z_]+)/g)].map((m) => m[1] as string);
      expect(read.length).toBeGreaterThan(0);
      for (const field of read) expect(Object.keys(payload), field).toContain(field);
    }
    // Every entity a blueprint reads by name is one the add-on posts.
    for (const [, id] of text.matchAll(/states\('([a-z_]+\.[a-z0-9_]+)'\)/g)) expect(id).toBe(statusEntity.entityId);
  });

  const conditionsOf = (file: string): string => JSON.stringify((parseDocument(readFileSync(join(dir, file), "utf8"), { customTags: [{ tag: "!input", resolve: (s: string) => s }] }).toJS() as { condition?: unknown }).condition ?? null);

  it("the pit blueprint warns on a crossing from a number, not on a pit that starts cold, and has no °C-only limits", () => {
    const text = readFileSync(join(dir, "grill_stats_pit_out_of_range.yaml"), "utf8");
    expect(conditionsOf("grill_stats_pit_out_of_range.yaml")).toContain("trigger.from_state.state | is_number");
    const inputs = (parseDocument(text, { customTags: [{ tag: "!input", resolve: (s: string) => s }] }).toJS() as { blueprint: { input: Record<string, { default?: unknown }> } }).blueprint.input;
    expect(inputs["low_limit"]).not.toHaveProperty("default");
    expect(inputs["high_limit"]).not.toHaveProperty("default");
  });

  it("the offline blueprint stays quiet while the add-on itself is stopped", () => {
    expect(conditionsOf("grill_stats_probe_offline.yaml")).toContain(`states('${statusEntity.entityId}') not in ['unavailable', 'unknown']`);
  });
});
