import { describe, expect, it } from "vitest";
import { alarmLine } from "../../custom_card/src/alarms/alarm-display";
import { discoverProbeKeys } from "../../custom_card/src/entities";
import { createFormatContext } from "../../custom_card/src/format";
import { readProbe } from "../../custom_card/src/probe-view";
import type { HassEntities } from "../../custom_card/src/ha-types";
import { toDeviceEntities, toProbeEntities, type EntityPost } from "../../src/homeassistant";
import type { AlarmState, Device, ProbeState } from "../../src/shared";

/**
 * The card reads what the add-on's bridge posts. This test feeds the bridge's real entity
 * mapping into the card's real parser, so a renamed attribute on either side fails here.
 */
const NOW = Date.parse("2026-11-26T15:00:00Z");
const device: Device = {
  serial: "A4:CF:12:3B:5E:01", key: "a4cf123b5e01", label: "Signals", kind: "signals", model: "signals", firmware: "1.0",
  batteryPct: 77, batteryState: "discharging", signalDbm: -58, lastSeenMs: NOW - 5_000, transmitIntervalSec: 5, reportDeltaC: null,
};
const brisket: ProbeState = {
  id: "a4cf123b5e01_2", deviceSerial: device.serial, deviceKey: device.key, deviceKind: device.kind, channel: "2", name: "Brisket", autoName: null, role: "meat",
  tempC: 71.5, tsMs: NOW - 5_000, status: "ok", minC: 4, maxC: 71.6, rateCPerHour: 0.5,
  targetC: 95, highC: null, lowC: null,
  eta: { doneMs: NOW + 3 * 3_600_000, p10Ms: NOW + 2.5 * 3_600_000, p90Ms: NOW + 4 * 3_600_000, reason: null, method: "stall" },
  stall: { stalled: true, sinceMs: NOW - 90 * 60_000, endedMs: null, durationMs: 90 * 60_000 },
  forecast: [{ tsMs: NOW + 3_600_000, tempC: 75, lowC: 73, highC: 77 }, { tsMs: NOW + 3 * 3_600_000, tempC: 95, lowC: 92, highC: 96 }],
  lidOpen: false,
  wrappedMs: null,
};
const alarm: AlarmState = {
  id: "a4cf123b5e01_2:pre_alarm", kind: "pre_alarm", probeId: brisket.id, deviceKey: null, phase: "pre_alarm",
  message: "Brisket will reach 95 °C in about 15 min", valueC: 71.5, thresholdC: 95, sinceMs: NOW, snoozedUntilMs: null, repeatCount: 0, critical: false,
};

const toHassStates = (posts: EntityPost[]): HassEntities =>
  Object.fromEntries(posts.map((p) => [p.entityId, {
    entity_id: p.entityId, state: p.state, attributes: p.attributes,
    last_changed: new Date(NOW).toISOString(), last_updated: new Date(NOW).toISOString(), context: { id: "x", parent_id: null, user_id: null },
  }])) as HassEntities;

describe("what the bridge posts is what the card reads", () => {
  it.each([["C", 71.5, 95] as const, ["F", 160.7, 203] as const])("in °%s", (unit, temp, target) => {
    const posts = [...toProbeEntities(brisket, { unit, nowMs: NOW, device, alarm, language: "en" }), ...toDeviceEntities(device, NOW, "en")];
    const view = readProbe(toHassStates(posts), brisket.id);
    expect(view.name).toBe("Brisket");
    expect(view.role).toBe("meat");
    expect(view.temp).toBeCloseTo(temp, 1);
    expect(view.status).toBe("ok");
    expect(view.ratePerHour).toBeCloseTo(unit === "F" ? 0.9 : 0.5, 1);
    expect(view.settings.target.value).toBeCloseTo(target, 0);
    expect(view.stall).toMatchObject({ active: true, durationMin: 90 });
    expect(view.alarm).toEqual({ phase: "pre_alarm", message: alarm.message, kind: "pre_alarm", sinceMs: NOW, value: temp, threshold: target });
    expect(view.lastSeenMs).toBe(brisket.tsMs);
    expect(view.eta.p50Ms).toBe(brisket.eta!.doneMs);
    expect(view.eta.p10Ms).toBe(brisket.eta!.p10Ms);
    expect(view.eta.remainingMin).toBe(180);
    expect(view.eta.forecast).toHaveLength(2);
    expect(view.eta.forecast[1]![1]).toBeCloseTo(target, 0);
    expect(view.device).toMatchObject({ name: "Signals", batteryPct: 77, signalDbm: -58, online: true });
    expect(view.wrappedMs).toBeNull();
  });

  it("a helper whose entity id a user renamed is the one the card sets and presses", () => {
    const renamed = { target: "input_number.brisket_target", wrapped: "input_button.brisket_wrapped" };
    const view = readProbe(toHassStates(toProbeEntities(brisket, { unit: "C", nowMs: NOW, device, alarm, language: "en", helpers: renamed })), brisket.id);
    expect(view.ids).toMatchObject({ target: "input_number.brisket_target", wrapped: "input_button.brisket_wrapped", high: `input_number.grill_stats_${brisket.id}_high` });
    // Without renames the attribute is not there at all (nothing for the recorder to store).
    expect(toProbeEntities(brisket, { unit: "C", nowMs: NOW, device, alarm, language: "en" })[0]?.attributes).not.toHaveProperty("helper_entity_ids");
    // Nothing but a helper's entity id is taken from it.
    const odd = toHassStates(toProbeEntities(brisket, { unit: "C", nowMs: NOW, device, alarm, language: "en", helpers: { target: "script.turn_off_everything" } }));
    expect(readProbe(odd, brisket.id).ids.target).toBe(`input_number.grill_stats_${brisket.id}_target`);
  });

  it("the wrap the add-on knows (a note from any source) is the card's, and a deleted one is gone even after a button press", () => {
    const hassWith = (wrappedMs: number | null) => {
      const states = toHassStates(toProbeEntities({ ...brisket, wrappedMs }, { unit: "C", nowMs: NOW, device, alarm, language: "en" }));
      // The Wrapped button was pressed an hour ago (an input_button's state is the time of its last press).
      const pressed = new Date(NOW - 3_600_000).toISOString();
      states[`input_button.grill_stats_${brisket.id}_wrapped`] = { ...states[`sensor.grill_stats_${brisket.id}_temperature`]!, entity_id: `input_button.grill_stats_${brisket.id}_wrapped`, state: pressed, attributes: {} };
      return states;
    };
    expect(readProbe(hassWith(NOW - 600_000), brisket.id).wrappedMs).toBe(NOW - 600_000);
    expect(readProbe(hassWith(null), brisket.id).wrappedMs).toBeNull();
  });

  it("an alarm the add-on wrote in English shows in German in a card whose user speaks German, in the card's unit and clock", () => {
    const high: AlarmState = {
      ...alarm, id: `${brisket.id}:high`, kind: "high", phase: "firing", message: "Brisket is 96 °C, above 95.5 °C", valueC: 96, thresholdC: 95.5, critical: true,
    };
    const hass = (language: string) => ({ language, locale: { language, time_zone: "server" }, config: { time_zone: "Europe/Berlin" } });
    const line = (a: AlarmState, unit: "C" | "F", language: string): string | null => {
      const view = readProbe(toHassStates(toProbeEntities(brisket, { unit, nowMs: NOW, device, alarm: a, language: "en" })), brisket.id);
      return alarmLine(view, createFormatContext(hass(language)), NOW);
    };
    expect(line(high, "C", "de")).toBe("Brisket liegt mit 96,0\u00a0°C über 95,5\u00a0°C");
    // 95.5 °C is 203.9 °F: the limit as precisely as it was set, the reading alike.
    expect(line(high, "F", "de")).toBe("Brisket liegt mit 204,8\u00a0°F über 203,9\u00a0°F");
    expect(line(high, "C", "en")).toBe("Brisket is 96.0\u00a0°C, above 95.5\u00a0°C");
    // The heads-up's done time from the ETA entity (18:00 UTC), on Home Assistant's clock (Berlin).
    expect(line({ ...alarm, kind: "target" }, "C", "de")).toBe("Brisket erreicht 95\u00a0°C in etwa 180\u00a0Min. (19:00)");
  });

  it("the card takes for an RFX Meat probe's sensors the probes the add-on does, by the device kind, also while its core is not posted", () => {
    const turkey: Device = { ...device, serial: "M100081209", key: "m100081209", label: "Turkey", kind: "rfx_meat", model: "rfx meat" };
    const sensor = (channel: string): ProbeState => ({
      ...brisket, id: `${turkey.key}_${channel}`, deviceSerial: turkey.serial, deviceKey: turkey.key, deviceKind: turkey.kind, channel, name: `Turkey probe ${channel}`,
    });
    const sensorPosts = [sensor("1"), sensor("2")].map((p) => toProbeEntities(p, { unit: "C", nowMs: NOW, device: turkey, language: "en" }));
    expect(sensorPosts.map((posts) => posts.length)).toEqual([1, 1]); // temperature only: no ETA, no stall
    const states = toHassStates([...toProbeEntities(brisket, { unit: "C", nowMs: NOW, device, language: "en" }), ...sensorPosts.flat()]);
    expect(discoverProbeKeys(states)).toEqual([brisket.id]);
    expect(discoverProbeKeys(states, { all: true })).toEqual([brisket.id, "m100081209_1", "m100081209_2"]);
  });

  it("an unplugged probe is unavailable on both sides", () => {
    const posts = toProbeEntities({ ...brisket, tempC: null, status: "unplugged", eta: null, stall: null }, { unit: "C", nowMs: NOW, device, language: "en" });
    const view = readProbe(toHassStates(posts), brisket.id);
    expect(view.temp).toBeNull();
    expect(view.status).toBe("unplugged");
  });
});
