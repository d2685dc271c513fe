import { describe, expect, it } from "vitest";
import { initialProbeSettings } from "../../src/alarms";
import { parseDocument, toChannel, toDevice } from "../../src/thermoworks/mapping";
import { channelFieldsSchema } from "../../src/thermoworks/schemas";

const NOW = Date.parse("2026-06-05T07:00:00Z");
const device = toDevice("A", { serial: "A", type: "signals", device: "signals", lastSeen: NOW - 5_000 }, NOW);
const channel = (label: string, fields: Record<string, unknown>) => {
  const parsed = parseDocument(
    { name: "projects/p/databases/(default)/documents/devices/A/channels/1", fields: { label: { stringValue: label }, units: { stringValue: "F" }, value: { doubleValue: 150 }, ...fields } },
    channelFieldsSchema,
    "x",
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return toChannel(device, {}, parsed.id, parsed.fields, NOW).probe;
};
const alarm = (enabled: boolean, value: number, units?: string) => ({
  mapValue: { fields: { enabled: { booleanValue: enabled }, alarming: { booleanValue: false }, value: { integerValue: String(value) }, ...(units ? { units: { stringValue: units } } : {}) } },
});

describe("alarms set in the ThermoWorks app", () => {
  it("are read in °C when enabled, ignored when disabled or malformed", () => {
    expect(channel("Brisket", { alarmHigh: alarm(true, 203, "F") }).cloudAlarmHighC).toBeCloseTo(95, 3);
    expect(channel("Brisket", { alarmHigh: alarm(false, 203, "F") }).cloudAlarmHighC).toBeNull();
    expect(channel("Brisket", { alarmHigh: alarm(true, 95, "C") }).cloudAlarmHighC).toBe(95);
    expect(channel("Brisket", { alarmHigh: { stringValue: "garbage" } }).cloudAlarmHighC).toBeNull();
    expect(channel("Brisket", {}).cloudAlarmHighC).toBeNull();
  });

  it("become the first settings of a new probe: the meat's high alarm is its target, the pit keeps high and low", () => {
    const meat = channel("Brisket", { alarmHigh: alarm(true, 203, "F") });
    expect(initialProbeSettings(meat)).toMatchObject({ targetC: expect.closeTo(95, 3), highC: null, lowC: null });
    const pit = channel("Pit", { alarmHigh: alarm(true, 275, "F"), alarmLow: alarm(true, 200, "F") });
    expect(pit.role).toBe("pit");
    expect(initialProbeSettings(pit)).toMatchObject({ targetC: null, highC: expect.closeTo(135, 3), lowC: expect.closeTo(93.333, 2) });
    const inverted = channel("Pit", { alarmHigh: alarm(true, 200, "F"), alarmLow: alarm(true, 275, "F") });
    expect(initialProbeSettings(inverted)?.lowC).toBeNull();
    expect(initialProbeSettings(channel("Chicken", {}))).toBeNull();
  });
});
