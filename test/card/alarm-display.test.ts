import { describe, expect, it } from "vitest";
import { alarmLine, computeAlarmDisplay, computeStatusBadge, mostUrgent } from "../../custom_card/src/alarms/alarm-display";
import { createFormatContext } from "../../custom_card/src/format";
import { readProbe } from "../../custom_card/src/probe-view";
import { BRISKET, BUTT, PIT, buildStates, type FixtureState } from "./fixtures/states";

const both = { acknowledge: true, snooze: true };

describe("computeAlarmDisplay", () => {
  it("shows a firing alarm as critical and urgent with both buttons", () => {
    expect(computeAlarmDisplay("firing", both)).toEqual({ level: "critical", labelKey: "alarm.firing", showAcknowledge: true, showSnooze: true, urgent: true });
  });

  it("offers acknowledge but not snooze while snoozed, and nothing once acknowledged", () => {
    expect(computeAlarmDisplay("snoozed", both)).toMatchObject({ level: "info", showAcknowledge: true, showSnooze: false });
    expect(computeAlarmDisplay("acknowledged", both)).toMatchObject({ level: "info", showAcknowledge: false, showSnooze: false });
  });

  it("warns on a pre-alarm and stays quiet when armed or without an alarm", () => {
    expect(computeAlarmDisplay("pre_alarm", both).level).toBe("warning");
    expect(computeAlarmDisplay("armed", both).level).toBe("none");
    expect(computeAlarmDisplay(null, both)).toMatchObject({ level: "none", labelKey: null });
  });

  it("hides buttons whose input_button does not exist", () => {
    expect(computeAlarmDisplay("firing", { acknowledge: false, snooze: true })).toMatchObject({ showAcknowledge: false, showSnooze: true });
  });
});

describe("status badges", () => {
  it("flags everything but ok, offline as critical", () => {
    expect(computeStatusBadge("ok")).toBeNull();
    expect(computeStatusBadge("offline")).toEqual({ level: "critical", labelKey: "status.offline" });
    expect(computeStatusBadge("unplugged")?.level).toBe("info");
    expect(computeStatusBadge("glitch")?.level).toBe("warning");
  });

  it("picks the most urgent level", () => {
    expect(mostUrgent(["none", "warning", "info"])).toBe("warning");
    expect(mostUrgent([])).toBe("none");
  });
});

describe("alarmLine", () => {
  const NOW = Date.parse("2026-07-04T16:00:00Z");
  const ZONE = "America/Chicago";
  /** A probe as the card reads it, its temperature entity's attributes patched. */
  const probe = (key: string, attributes: Record<string, unknown>, unit: "°F" | "°C" = "°F") => {
    const states = buildStates({ nowMs: NOW, unit });
    Object.assign((states[`sensor.grill_stats_${key}_temperature`] as FixtureState).attributes, attributes);
    return readProbe(states, key);
  };
  /** The card's context for a profile language, on Home Assistant's (server) zone. */
  const fmt = (language: string, locale: Record<string, string> = {}) =>
    createFormatContext({ language, locale: { language, time_zone: "server", ...locale }, config: { time_zone: ZONE } });
  const clock = (ms: number, locale: string) => new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone: ZONE }).format(ms);
  const iso = (ms: number) => new Date(ms).toISOString();
  const english = "Pork Butt reached 198\u00a0°F (target 195\u00a0°F) at 15:40";
  const target = { alarm: "firing", alarm_message: english, alarm_kind: "target", alarm_since: iso(NOW - 20 * 60_000), alarm_value: 198.2, alarm_threshold: 195 };

  it("writes the alarm in the card's language, number format and clock from the facts the add-on posts", () => {
    expect(alarmLine(probe(BUTT, target), fmt("en"), NOW)).toBe(`Pork Butt reached 198\u00a0°F (target 195\u00a0°F) at ${clock(NOW - 20 * 60_000, "en")}`);
    expect(alarmLine(probe(BUTT, target), fmt("en", { time_format: "24" }), NOW)).toBe("Pork Butt reached 198\u00a0°F (target 195\u00a0°F) at 10:40");
    expect(alarmLine(probe(BUTT, target), fmt("de-AT"), NOW)).toBe("Pork Butt hat 198\u00a0°F erreicht (Ziel 195\u00a0°F), um 10:40");
    // One decimal where whole degrees would read the same, with the card's decimal comma.
    const high = { alarm: "firing", alarm_message: "Pit is 135.3 °C, above 135.0 °C", alarm_kind: "high", alarm_since: iso(NOW), alarm_value: 135.3, alarm_threshold: 135 };
    expect(alarmLine(probe(PIT, high, "°C"), fmt("de"), NOW)).toBe("Pit liegt mit 135,3\u00a0°C über 135,0\u00a0°C");
    expect(alarmLine(probe(PIT, { ...high, alarm: "acknowledged", alarm_value: 140 }, "°C"), fmt("en"), NOW)).toBe("Pit is 140\u00a0°C, above 135\u00a0°C");
  });

  it("writes the alarm in French and Dutch too (fr-BE, nl), numbers joined to their units", () => {
    const high = { alarm: "firing", alarm_message: "Pit is 135.3 °C, above 135.0 °C", alarm_kind: "high", alarm_since: iso(NOW), alarm_value: 135.3, alarm_threshold: 135 };
    expect(alarmLine(probe(PIT, high, "°C"), fmt("fr-BE"), NOW)).toBe("Pit est à 135,3\u00a0°C, au-dessus de 135,0\u00a0°C");
    expect(alarmLine(probe(BUTT, target), fmt("nl", { time_format: "24" }), NOW)).toBe("Pork Butt bereikte 198\u00a0°F (doel 195\u00a0°F) om 10:40");
    const pre = { alarm: "pre_alarm", alarm_message: "Brisket will reach 95 °C in about 180 min (18:00)", alarm_kind: "target", alarm_since: iso(NOW), alarm_value: 73, alarm_threshold: 95 };
    expect(alarmLine(probe(BRISKET, pre, "°C"), fmt("fr"), NOW)).toBe(`Brisket atteindra 95\u00a0°C dans environ 180\u00a0min (${clock(NOW + 3 * 3600_000, "fr")})`);
    expect(alarmLine(probe(BRISKET, pre, "°C"), fmt("nl"), NOW)).toBe(`Brisket bereikt 95\u00a0°C over ongeveer 180\u00a0min (${clock(NOW + 3 * 3600_000, "nl")})`);
  });

  it("takes a heads-up's done time from the ETA and a stale probe's time from its last reading", () => {
    const pre = { alarm: "pre_alarm", alarm_message: "Brisket will reach 95 °C in about 180 min (18:00)", alarm_kind: "target", alarm_since: iso(NOW), alarm_value: 73, alarm_threshold: 95 };
    expect(alarmLine(probe(BRISKET, pre, "°C"), fmt("de"), NOW)).toBe(`Brisket erreicht 95\u00a0°C in etwa 180\u00a0Min. (${clock(NOW + 3 * 3600_000, "de")})`);
    const stale = { alarm: "firing", alarm_message: "Pit: no new reading since 15:45", alarm_kind: "stale", alarm_since: iso(NOW), alarm_value: null, alarm_threshold: null, last_seen: iso(NOW - 15 * 60_000) };
    expect(alarmLine(probe(PIT, stale), fmt("de"), NOW)).toBe("Pit: keine neuen Daten seit 10:45");
    expect(alarmLine(probe(PIT, { ...stale, alarm_kind: "unplugged" }), fmt("en"), NOW)).toBe("Pit probe unplugged");
  });

  it("shows the add-on's message where a fact is missing or the add-on posts none", () => {
    const older = { alarm: "firing", alarm_message: english };
    expect(alarmLine(probe(BUTT, older), fmt("de"), NOW)).toBe(english);
    expect(alarmLine(probe(BUTT, { ...target, alarm_kind: "something_new" }), fmt("de"), NOW)).toBe(english);
    expect(alarmLine(probe(BUTT, { ...target, alarm_value: null }), fmt("de"), NOW)).toBe(english);
    // No done time for a heads-up (the pit has no ETA), no last reading for a stale probe.
    expect(alarmLine(probe(PIT, { ...target, alarm: "pre_alarm" }), fmt("de"), NOW)).toBe(english);
    expect(alarmLine(probe(PIT, { ...target, alarm_kind: "stale", last_seen: null }), fmt("de"), NOW)).toBe(english);
    expect(alarmLine(probe(BUTT, { ...target, alarm_kind: "battery_low", alarm_value: null }), fmt("de"), NOW)).toBe(english);
    expect(alarmLine(probe(BUTT, { alarm: "armed", alarm_message: null, alarm_kind: null }), fmt("de"), NOW)).toBeNull();
  });
});
