import { describe, expect, it } from "vitest";
import { deviceEntityIds, deviceKeyOf, discoverProbeKeys, normalizeProbeRef, probeEntityIds, probeKeyFromEntityId, resolvedProbeEntityIds, watchedEntityIds } from "../../custom_card/src/entities";

const st = (attrs: Record<string, unknown> = {}) => ({ attributes: attrs });

describe("entity mapping", () => {
  it("derives every probe entity id from the probe key", () => {
    expect(probeEntityIds("1234567890ab_2")).toEqual({
      temperature: "sensor.grill_stats_1234567890ab_2_temperature",
      eta: "sensor.grill_stats_1234567890ab_2_eta",
      stall: "binary_sensor.grill_stats_1234567890ab_2_stall",
      target: "input_number.grill_stats_1234567890ab_2_target",
      high: "input_number.grill_stats_1234567890ab_2_high",
      low: "input_number.grill_stats_1234567890ab_2_low",
      acknowledge: "input_button.grill_stats_1234567890ab_2_acknowledge",
      snooze: "input_button.grill_stats_1234567890ab_2_snooze",
      wrapped: "input_button.grill_stats_1234567890ab_2_wrapped",
    });
    expect(deviceEntityIds("1234567890ab")).toEqual({
      battery: "sensor.grill_stats_1234567890ab_battery",
      signal: "sensor.grill_stats_1234567890ab_signal",
      online: "binary_sensor.grill_stats_1234567890ab_online",
    });
    expect(deviceKeyOf("1234567890ab_2")).toBe("1234567890ab");
  });

  it("recognizes only Grill Stats temperature sensors", () => {
    expect(probeKeyFromEntityId("sensor.grill_stats_abc123_1_temperature")).toBe("abc123_1");
    expect(probeKeyFromEntityId("sensor.grill_stats_abc123_battery")).toBeNull();
    expect(probeKeyFromEntityId("sensor.kitchen_temperature")).toBeNull();
  });

  it("accepts a probe key or any of its entity ids in config", () => {
    expect(normalizeProbeRef("ABC123_1")).toBe("abc123_1");
    expect(normalizeProbeRef("sensor.grill_stats_abc123_1_eta")).toBe("abc123_1");
    expect(normalizeProbeRef("input_number.grill_stats_abc123_1_target")).toBe("abc123_1");
    expect(normalizeProbeRef("sensor.kitchen")).toBeNull();
  });
});

describe("discoverProbeKeys", () => {
  it("finds probes by prefix and suffix, grouped by device and in channel order", () => {
    const states = {
      "sensor.grill_stats_bbb_10_temperature": st({ device: "Alpha" }),
      "sensor.grill_stats_bbb_2_temperature": st({ device: "Alpha" }),
      "sensor.grill_stats_aaa_1_temperature": st({ device: "Zulu" }),
      "sensor.grill_stats_bbb_battery": st(),
      "sensor.grill_stats_aaa_1_eta": st(),
      "light.kitchen": st(),
    };
    expect(discoverProbeKeys(states)).toEqual(["bbb_2", "bbb_10", "aaa_1"]);
  });

  it("shows an RFX Meat probe as its core (the lowest sensor, as the ThermoWorks app does), and its sensors only when asked", () => {
    const turkey = st({ device: "Turkey", device_kind: "rfx_meat" });
    const states = {
      "sensor.grill_stats_m1_2_temperature": turkey,
      "sensor.grill_stats_m1_core_temperature": turkey,
      "sensor.grill_stats_m1_1_temperature": turkey,
      "sensor.grill_stats_aaa_1_temperature": st({ device: "Signals", device_kind: "signals" }),
    };
    expect(discoverProbeKeys(states)).toEqual(["aaa_1", "m1_core"]);
    expect(discoverProbeKeys(states, { all: true })).toEqual(["aaa_1", "m1_core", "m1_1", "m1_2"]);
  });

  it("goes by the device kind, not by a core channel, when the add-on posts it", () => {
    const states = {
      "sensor.grill_stats_m1_1_temperature": st({ device: "Turkey", device_kind: "rfx_meat" }),
      "sensor.grill_stats_m1_2_temperature": st({ device: "Turkey", device_kind: "rfx_meat" }),
      "sensor.grill_stats_aaa_core_temperature": st({ device: "Signals", device_kind: "signals" }),
      "sensor.grill_stats_aaa_1_temperature": st({ device: "Signals", device_kind: "signals" }),
      "sensor.grill_stats_bbb_core_temperature": st({ device: "Smoke", device_kind: "unknown" }),
      "sensor.grill_stats_bbb_1_temperature": st({ device: "Smoke", device_kind: "unknown" }),
    };
    expect(discoverProbeKeys(states)).toEqual(["aaa_core", "aaa_1", "bbb_core", "bbb_1"]);
  });

  it("without the device kind (an older add-on) takes a device with a core channel for an RFX Meat probe", () => {
    const states = {
      "sensor.grill_stats_m1_1_temperature": st({ device: "Turkey" }),
      "sensor.grill_stats_m1_core_temperature": st({ device: "Turkey" }),
      "sensor.grill_stats_aaa_1_temperature": st({ device: "Signals" }),
    };
    expect(discoverProbeKeys(states)).toEqual(["aaa_1", "m1_core"]);
  });

  it("returns nothing when the add-on has published nothing", () => {
    expect(discoverProbeKeys({ "sensor.x": st() })).toEqual([]);
  });

  it("watches probe and device entities once each", () => {
    const ids = watchedEntityIds(["d1_1", "d1_2"]);
    expect(ids.filter((i) => i === "sensor.grill_stats_d1_battery")).toHaveLength(1);
    expect(ids).toContain("input_number.grill_stats_d1_2_target");
  });

  it("watches a renamed helper under the id Home Assistant has it now", () => {
    const states = {
      "sensor.grill_stats_d1_2_temperature": st({ helper_entity_ids: { target: "input_number.brisket_target", snooze: "sensor.not_a_helper" } }),
    };
    const ids = watchedEntityIds(["d1_1", "d1_2"], states);
    expect(ids).toContain("input_number.brisket_target");
    expect(ids).not.toContain("input_number.grill_stats_d1_2_target");
    // Only helpers are taken from the attribute; the others keep their ids.
    expect(resolvedProbeEntityIds(states, "d1_2").snooze).toBe("input_button.grill_stats_d1_2_snooze");
    expect(ids).toContain("input_number.grill_stats_d1_1_target");
  });
});
