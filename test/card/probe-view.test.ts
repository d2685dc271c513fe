import { describe, expect, it } from "vitest";
import { readProbe } from "../../custom_card/src/probe-view";
import { BRISKET, BUTT, DEVICE, PIT, buildStates } from "./fixtures/states";

const NOW = Date.parse("2026-07-04T16:00:00Z");

describe("readProbe", () => {
  it("reads temperature, unit, name (without the ' Temperature' suffix) and device markers", () => {
    const p = readProbe(buildStates({ nowMs: NOW }), BRISKET);
    expect(p).toMatchObject({ key: BRISKET, name: "Brisket", temp: 163.4, unit: "°F", unitLabel: "°F", status: "ok", role: "meat" });
    expect(p.device).toEqual({ key: DEVICE, name: "Signals", batteryPct: 78, signalDbm: -61, online: true });
    expect(p.updatedS).toBe(NOW / 1000);
  });

  it("takes target/high/low from the helpers and treats 0 or the helper minimum as not set", () => {
    const states = buildStates({ nowMs: NOW });
    const pit = readProbe(states, PIT);
    expect(pit.settings.target.value).toBeNull();
    expect(pit.settings.high.value).toBe(300);
    expect(pit.settings.low).toMatchObject({ value: 200, editable: true, entityId: `input_number.grill_stats_${PIT}_low`, min: 0, max: 600 });
  });

  it("converts a helper kept in another unit to the sensor's unit", () => {
    const states = buildStates({ nowMs: NOW });
    const target = states[`input_number.grill_stats_${BRISKET}_target`];
    if (!target) throw new Error("fixture");
    target.state = "95";
    target.attributes["unit_of_measurement"] = "°C";
    expect(readProbe(states, BRISKET).settings.target.value).toBeCloseTo(203);
  });

  it("shows the add-on's own setting while the helper holds it to its step, and a helper just changed as it is", () => {
    const states = buildStates({ nowMs: NOW });
    const helper = states[`input_number.grill_stats_${BRISKET}_target`];
    const sensor = states[`sensor.grill_stats_${BRISKET}_temperature`];
    if (!helper || !sensor) throw new Error("fixture");
    // A target of 71 °C: the add-on says 159.8 °F, the helper (step 1) holds 160.
    sensor.attributes["target"] = 159.8;
    helper.state = "160";
    expect(readProbe(states, BRISKET).settings.target.value).toBe(159.8);
    helper.state = "165";
    expect(readProbe(states, BRISKET).settings.target.value).toBe(165);
  });

  it("falls back to the sensor's attributes when the helpers do not exist (not editable)", () => {
    const states = buildStates({ nowMs: NOW });
    delete states[`input_number.grill_stats_${BRISKET}_target`];
    expect(readProbe(states, BRISKET).settings.target).toMatchObject({ value: 203, editable: false });
  });

  it("reads the ETA with its range and the forecast rows", () => {
    const eta = readProbe(buildStates({ nowMs: NOW }), BRISKET).eta;
    expect(eta.p50Ms).toBe(NOW + 3 * 3600_000);
    expect(eta.p10Ms).toBe(NOW + 2.5 * 3600_000);
    expect(eta.p90Ms).toBe(NOW + 4 * 3600_000);
    expect(eta.forecast).toHaveLength(13);
    expect(eta.forecast[0]).toEqual([NOW / 1000, 163.4, 163.4, 163.4]);
  });

  it("reads a done probe as the moment it got there, and the stall with its duration", () => {
    const states = buildStates({ nowMs: NOW });
    expect(readProbe(states, BUTT).eta).toMatchObject({ p50Ms: NOW - 20 * 60_000, method: "done", reason: "target reached" });
    expect(readProbe(states, BRISKET).eta.reason).toBeNull();
    expect(readProbe(states, BRISKET).stall).toEqual({ active: true, sinceMs: NOW - 95 * 60_000, durationMin: 95 });
    expect(readProbe(states, BUTT).stall.active).toBe(false);
  });

  it("reads the alarm phase, message and facts (none from an add-on that posts only the message)", () => {
    const states = buildStates({ nowMs: NOW });
    const none = { kind: null, sinceMs: null, value: null, threshold: null };
    expect(readProbe(states, BUTT).alarm).toEqual({ phase: "firing", message: "Pork Butt reached 195 °F", ...none });
    const t = states[`sensor.grill_stats_${BUTT}_temperature`];
    if (!t) throw new Error("fixture");
    Object.assign(t.attributes, { alarm_kind: "target", alarm_since: new Date(NOW - 60_000).toISOString(), alarm_value: 198.2, alarm_threshold: 195 });
    expect(readProbe(states, BUTT)).toMatchObject({ lastSeenMs: NOW, alarm: { phase: "firing", kind: "target", sinceMs: NOW - 60_000, value: 198.2, threshold: 195 } });
    t.attributes["alarm_kind"] = "not_a_kind";
    expect(readProbe(states, BUTT).alarm.kind).toBeNull();
  });

  it("reports unavailable probes as offline with no temperature, and unknown keys as missing", () => {
    const states = buildStates({ nowMs: NOW });
    const t = states[`sensor.grill_stats_${PIT}_temperature`];
    if (!t) throw new Error("fixture");
    t.state = "unavailable";
    t.attributes["status"] = "offline";
    expect(readProbe(states, PIT)).toMatchObject({ temp: null, status: "offline" });
    expect(readProbe(states, "ffff_9")).toMatchObject({ status: "missing", name: "ffff_9", temp: null });
  });

  it("uses the configured name over the friendly name", () => {
    expect(readProbe(buildStates({ nowMs: NOW }), PIT, "Offset smoker").name).toBe("Offset smoker");
  });
});
