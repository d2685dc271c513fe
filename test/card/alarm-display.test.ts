import { describe, expect, it } from "vitest";
import { computeAlarmDisplay, computeStatusBadge, mostUrgent } from "../../custom_card/src/alarms/alarm-display";

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
