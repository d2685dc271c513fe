import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError, type AlarmState } from "../../src/shared";
import { tempStore } from "./helpers";

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.done());

const alarm: AlarmState = {
  id: "d_1:target",
  kind: "target",
  probeId: "d_1",
  deviceKey: null,
  phase: "firing",
  message: "Brisket reached 96 °C (target 95 °C) at 18:42",
  valueC: 96,
  thresholdC: 95,
  sinceMs: 1_000,
  snoozedUntilMs: null,
  repeatCount: 0,
  critical: true,
};

describe("alarm states, transitions, rules", () => {
  it("upserts alarm states by id and deletes them", () => {
    t.store.saveAlarm(alarm);
    t.store.saveAlarm({ ...alarm, phase: "snoozed", snoozedUntilMs: 5_000, repeatCount: 2 });
    t.store.saveAlarm({ ...alarm, id: "abc:battery_low", kind: "battery_low", probeId: null, deviceKey: "abc", critical: false, valueC: null, thresholdC: null });
    expect(t.reopen().listAlarms()).toEqual([
      { ...alarm, id: "abc:battery_low", kind: "battery_low", probeId: null, deviceKey: "abc", critical: false, valueC: null, thresholdC: null },
      { ...alarm, phase: "snoozed", snoozedUntilMs: 5_000, repeatCount: 2 },
    ]);
    t.store.deleteAlarm(alarm.id);
    t.store.deleteAlarm("missing");
    expect(t.store.listAlarms().map((a) => a.id)).toEqual(["abc:battery_low"]);
  });

  it("logs transitions, newest first, filtered by alarm", () => {
    const base = { alarmId: alarm.id, fromPhase: "armed", toPhase: "firing", transition: "raised", message: "m" };
    t.store.recordTransition({ ...base, tsMs: 1 });
    t.store.recordTransition({ ...base, tsMs: 3, fromPhase: "firing", toPhase: "acknowledged", transition: "acknowledged" });
    t.store.recordTransition({ ...base, alarmId: "other", tsMs: 2 });
    expect(t.store.listTransitions().map((r) => r.tsMs)).toEqual([3, 2, 1]);
    expect(t.store.listTransitions({ alarmId: alarm.id, limit: 1 })).toEqual([
      { id: expect.any(Number), alarmId: alarm.id, tsMs: 3, fromPhase: "firing", toPhase: "acknowledged", transition: "acknowledged", message: "m" },
    ]);
  });

  it("saves rules keyed by probe, device and kind", () => {
    t.store.saveRule({ probeId: "d_1", deviceKey: null, kind: "high", enabled: true, params: { thresholdC: 120 } });
    t.store.saveRule({ probeId: "d_1", deviceKey: null, kind: "high", enabled: false, params: { thresholdC: 130, note: "x" } });
    t.store.saveRule({ probeId: null, deviceKey: "abc", kind: "battery_low", enabled: true, params: { percent: 15 } });
    expect(t.store.listRules()).toEqual([
      { probeId: null, deviceKey: "abc", kind: "battery_low", enabled: true, params: { percent: 15 } },
      { probeId: "d_1", deviceKey: null, kind: "high", enabled: false, params: { thresholdC: 130, note: "x" } },
    ]);
  });
});

describe("outbox", () => {
  it("dedups by key, lists pending oldest first, records attempts and deliveries", () => {
    const first = t.store.enqueue({ key: "d_1:target:1000", channel: "notify.mobile_app", payload: { title: "Done", n: 1 }, createdMs: 2_000 });
    expect(first).toEqual({ id: expect.any(Number), key: "d_1:target:1000", channel: "notify.mobile_app", payload: { title: "Done", n: 1 }, createdMs: 2_000, attempts: 0, deliveredMs: null, lastError: null });
    expect(t.store.enqueue({ key: "d_1:target:1000", channel: "other", payload: {}, createdMs: 3_000 })).toBeNull();
    const older = t.store.enqueue({ key: "k2", channel: "persistent_notification", payload: "text", createdMs: 1_000 })!;
    expect(t.store.pendingOutbox().map((i) => i.key)).toEqual(["k2", "d_1:target:1000"]);
    expect(t.store.pendingOutbox(1).map((i) => i.key)).toEqual(["k2"]);

    t.store.recordAttempt(older.id, 1_500, false, "HTTP 502");
    expect(t.store.pendingOutbox()[0]).toMatchObject({ key: "k2", attempts: 1, lastError: "HTTP 502", deliveredMs: null });
    t.store.recordAttempt(older.id, 1_600, true, null);
    t.store.markDelivered(older.id, 1_600);
    t.store.markDelivered(older.id, 9_999);
    expect(t.store.pendingOutbox().map((i) => i.key)).toEqual(["d_1:target:1000"]);
    expect(t.reopen().listDeliveries()).toEqual([
      { id: expect.any(Number), outboxId: older.id, tsMs: 1_600, channel: "persistent_notification", ok: true, error: null, alarmId: null, clears: false },
      { id: expect.any(Number), outboxId: older.id, tsMs: 1_500, channel: "persistent_notification", ok: false, error: "HTTP 502", alarmId: null, clears: false },
    ]);
    // What a delivery was about, from its payload: the alarm, and whether it took a notification away.
    const push = t.store.enqueue({ key: "p", channel: "notify.mobile_app_phone", payload: { title: "t", message: "Brisket reached 95 °C", alarmId: "d_1:target" }, createdMs: 10_000 })!;
    const clear = t.store.enqueue({ key: "c", channel: "notify.mobile_app_phone", payload: { title: "t", message: "clear_notification", alarmId: "d_1:target" }, createdMs: 11_000 })!;
    const dismiss = t.store.enqueue({ key: "x", channel: "persistent_notification.dismiss", payload: { title: "t", message: "m", alarmId: "d_1:target" }, createdMs: 11_000 })!;
    for (const [item, ts] of [[push, 10_000], [clear, 11_000], [dismiss, 11_001]] as const) t.store.recordAttempt(item.id, ts, true, null);
    expect(t.store.listDeliveries({ limit: 3 }).map((d) => [d.channel, d.alarmId, d.clears])).toEqual([
      ["persistent_notification.dismiss", "d_1:target", true],
      ["notify.mobile_app_phone", "d_1:target", true],
      ["notify.mobile_app_phone", "d_1:target", false],
    ]);
    expect(t.store.enqueue({ key: "k2", channel: "x", payload: null, createdMs: 5 })).toBeNull();
    expect(() => t.store.recordAttempt(999, 1, true, null)).toThrow(NotFoundError);
    expect(() => t.store.markDelivered(999, 1)).toThrow(NotFoundError);
  });

  it("prunes old logs and delivered items but never pending ones", () => {
    const a = t.store.enqueue({ key: "a", channel: "c", payload: 1, createdMs: 100 })!;
    t.store.enqueue({ key: "b", channel: "c", payload: 2, createdMs: 100 });
    t.store.recordAttempt(a.id, 200, true, null);
    t.store.markDelivered(a.id, 200);
    t.store.recordTransition({ alarmId: "x", tsMs: 100, fromPhase: "armed", toPhase: "firing", transition: "raised", message: "" });
    expect(t.store.pruneLogsOlderThan(1_000)).toBe(3);
    expect(t.store.pendingOutbox().map((i) => i.key)).toEqual(["b"]);
    expect(t.store.listDeliveries()).toEqual([]);
    expect(t.store.listTransitions()).toEqual([]);
  });
});
