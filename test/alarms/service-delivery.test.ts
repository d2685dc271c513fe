import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DB_FILE_NAME } from "../../src/store";
import { MIN, probe, startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

const BRISKET = "10061c6f4770_1";
const TARGET = `${BRISKET}:target`;
const brisketAt = (tempC: number) => probe({ id: BRISKET, name: "Brisket", tempC });

/** Brisket with a 95 °C target reaches it over two readings. */
const reachTarget = (harness: Harness): void => {
  harness.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
  harness.states([brisketAt(90)]);
  harness.states([brisketAt(95.5)]);
  harness.states([brisketAt(96)]);
};

describe("alarm delivery", () => {
  it("sends, repeats and dismisses an alarm while the database cannot be written, never twice", async () => {
    // Another connection holds the write lock: the store's writes fail with SQLITE_BUSY (a real
    // failure, as with a full disk), after 20 ms here.
    h = await startHarness({ storeBusyTimeoutMs: 20 });
    // Raised and queued in the database, then the lock: delivered, but not marked so.
    reachTarget(h);
    // Every write the alarms make to the database, counted (the real store still does them).
    const writes = ["enqueue", "saveAlarm", "deleteAlarm", "recordTransition", "markDelivered", "recordAttempt"] as const;
    const spies = writes.map((name) => vi.spyOn(h.store, name));
    const writeCalls = (): number => spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
    const other = new Database(join(h.dir, DB_FILE_NAME));
    other.exec("BEGIN IMMEDIATE");
    try {
      await h.service.flushDeliveries();
      expect(h.alarm(TARGET)?.phase).toBe("firing");
      expect(h.notifier.channels()).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
      await h.service.flushDeliveries();
      expect(h.notifier.sent).toHaveLength(3);
      // Said in the log once, not at every write (and again 5 min later while it lasts).
      const errors = (): string[] => h.logger.lines.filter((l) => l.includes("ERROR"));
      expect(errors()).toHaveLength(1);
      expect(errors()[0]).toContain("notifications are still sent");
      // The repeat is queued in memory only.
      h.advance(5 * MIN);
      h.service.tick();
      await h.service.flushDeliveries();
      expect(h.notifier.channels().slice(3)).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
      expect(h.service.acknowledge(TARGET, "test")).toMatchObject({ phase: "acknowledged" });
      await h.service.flushDeliveries();
      expect(h.notifier.channels().slice(6)).toEqual(["notify.mobile_app_phone", "persistent_notification.dismiss", "event"]);
      expect(errors()).toHaveLength(2);
      // A locked file makes each write wait the busy timeout: after one fails, the database is
      // left alone for 30 s (one try now, one after the 5 minutes), not tried at every write.
      expect(writeCalls()).toBe(2);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    // The database is back: on the next tick after the back-off, what was kept is written …
    h.advance(31_000);
    h.service.tick();
    expect(h.store.listAlarms().find((a) => a.id === TARGET)?.phase).toBe("acknowledged");
    // … and what was sent is not sent again, also after a restart.
    await h.service.flushDeliveries();
    await h.service.flushDeliveries();
    expect(h.notifier.sent).toHaveLength(9);
    await h.restart();
    await h.service.flushDeliveries();
    expect(h.alarm(TARGET)?.phase).toBe("acknowledged");
    expect(h.notifier.sent).toHaveLength(9);
  });

  it("sends a reached target to the phone, the HA notifications and the event, and records every attempt", async () => {
    h = await startHarness();
    reachTarget(h);
    await h.service.flushDeliveries();

    const alarm = h.alarm(TARGET);
    expect(alarm).toMatchObject({ phase: "firing", kind: "target", critical: true, valueC: 96, thresholdC: 95 });
    expect(alarm?.message).toMatch(/^Brisket reached 96 °C \(target 95 °C\) at 16:00$/);
    expect(h.notifier.channels()).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
    expect(h.notifier.sent[0]?.payload).toMatchObject({ alarmId: TARGET, actions: true, message: alarm?.message, title: "Grill Stats · Target reached" });
    expect(h.changes.map((c) => c.transition)).toEqual(["raised"]);

    const deliveries = h.service.deliveries(10);
    expect(deliveries).toHaveLength(3);
    expect(deliveries.every((d) => d.ok && d.error === null && d.tsMs === h.now())).toBe(true);
    expect(new Set(deliveries.map((d) => d.channel))).toEqual(new Set(["notify.mobile_app_phone", "persistent_notification", "event"]));
    expect(h.service.transitions(10)).toEqual([
      expect.objectContaining({ alarmId: TARGET, fromPhase: "armed", toPhase: "firing", transition: "raised", message: alarm?.message }),
    ]);
  });

  it("writes each push in Home Assistant's language of that moment; an acknowledged alarm keeps its message", async () => {
    let language = "de-CH";
    h = await startHarness({ language: () => language });
    reachTarget(h);
    await h.service.flushDeliveries();
    expect(h.alarm(TARGET)?.message).toBe("Brisket hat 96 °C erreicht (Ziel 95 °C), um 16:00");
    expect(h.notifier.sent[0]?.payload).toMatchObject({ title: "Grill Stats · Ziel erreicht", message: "Brisket hat 96 °C erreicht (Ziel 95 °C), um 16:00", actions: true, language: "de" });

    language = "en";
    h.advance(5 * MIN);
    h.service.tick();
    await h.service.flushDeliveries();
    expect(h.notifier.sent[3]?.payload).toMatchObject({ title: "Grill Stats · Target reached", message: "Brisket reached 96 °C (target 95 °C) at 16:00", language: "en" });

    language = "de";
    expect(h.service.acknowledge(TARGET, "test")).toMatchObject({ phase: "acknowledged", message: "Brisket reached 96 °C (target 95 °C) at 16:00" });
  });

  it("names an unlabelled probe in Home Assistant's language", async () => {
    h = await startHarness({ language: () => "de" });
    const unlabelled = (tempC: number) => probe({ id: BRISKET, name: "Signals probe 1", autoName: { device: "Signals", channel: "1" }, tempC });
    h.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
    for (const t of [90, 95.5, 96]) h.states([unlabelled(t)]);
    await h.service.flushDeliveries();
    expect(h.alarm(TARGET)?.message).toBe("Signals Fühler 1 hat 96 °C erreicht (Ziel 95 °C), um 16:00");
  });

  it("delivers an alarm raised while Home Assistant is away once it is back, exactly once", async () => {
    h = await startHarness();
    h.notifier.up = false;
    reachTarget(h);
    await h.service.flushDeliveries();
    expect(h.notifier.sent).toEqual([]);
    expect(h.alarm(TARGET)?.phase).toBe("firing");

    h.notifier.up = true;
    h.bus.emit("status:homeassistant", { connected: true, message: "connected" });
    await h.service.flushDeliveries();
    expect(h.notifier.channels()).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);

    // Another reconnect, another poll of the same reading: nothing goes out twice.
    h.bus.emit("status:homeassistant", { connected: true, message: "connected" });
    h.states([brisketAt(96)]);
    await h.service.flushDeliveries();
    expect(h.notifier.sent).toHaveLength(3);
  });

  it("after a long outage sends the latest push once instead of a burst of repeats, and every event", async () => {
    h = await startHarness();
    h.notifier.up = false;
    reachTarget(h);
    for (let i = 0; i < 3; i++) {
      h.advance(5 * MIN);
      h.service.tick();
    }
    expect(h.alarm(TARGET)?.repeatCount).toBe(3);
    h.notifier.up = true;
    h.bus.emit("status:homeassistant", { connected: true, message: "connected" });
    await h.service.flushDeliveries();
    expect(h.notifier.channels()).toEqual(["event", "event", "event", "notify.mobile_app_phone", "persistent_notification", "event"]);
    expect(h.notifier.sent.filter((s) => s.channel === "event").map((s) => s.payload.data?.transition)).toEqual(["raised", "repeated", "repeated", "repeated"]);
    const superseded = h.service.deliveries(50).filter((d) => d.error?.startsWith("superseded"));
    expect(superseded).toHaveLength(6);
  });

  it("retries a call lost on the way and records the failed attempt", async () => {
    h = await startHarness();
    h.notifier.dropNext = 1;
    reachTarget(h);
    await h.service.flushDeliveries();
    await h.service.flushDeliveries(); // the back-off timer's pass, if the first one stopped there
    expect(h.notifier.channels()).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
    const attempts = h.service.deliveries(10).reverse();
    expect(attempts.map((d) => [d.channel, d.ok, d.error])).toEqual([
      ["notify.mobile_app_phone", false, "unreachable: connection lost"],
      ["notify.mobile_app_phone", true, null],
      ["persistent_notification", true, null],
      ["event", true, null],
    ]);
  });

  it("gives up on an unknown notify service after 5 attempts, says which one, and still delivers the rest", async () => {
    h = await startHarness({ notifyTargets: ["notify.mobile_app_phone", "notify.wrong_phone"] });
    h.notifier.missing.add("notify.wrong_phone");
    reachTarget(h);
    for (let i = 0; i < 8; i++) await h.service.flushDeliveries();

    expect(h.notifier.channels()).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
    const wrong = h.service.deliveries(50).filter((d) => d.channel === "notify.wrong_phone");
    expect(wrong).toHaveLength(5);
    expect(wrong.every((d) => !d.ok && d.error === "rejected: notify.wrong_phone does not exist in Home Assistant (check notify_targets)")).toBe(true);
    const warnings = h.logger.lines.filter((l) => l.includes("WARN") && l.includes("notify.wrong_phone"));
    expect(warnings.some((l) => l.includes("giving up") && l.includes("notify_targets"))).toBe(true);
    expect(h.store.pendingOutbox()).toEqual([]);
  });

  it("keeps a firing alarm firing across an add-on restart, sends nothing twice, and repeats on the stored schedule", async () => {
    h = await startHarness();
    reachTarget(h);
    await h.service.flushDeliveries();
    const raisedAt = h.now();
    expect(h.notifier.sent).toHaveLength(3);

    h.advance(3 * MIN);
    await h.restart();
    await h.service.flushDeliveries();
    expect(h.alarm(TARGET)).toMatchObject({ phase: "firing", repeatCount: 0, sinceMs: raisedAt });
    h.states([brisketAt(96.5)]);
    h.service.tick();
    await h.service.flushDeliveries();
    expect(h.notifier.sent).toHaveLength(3);

    h.advance(raisedAt + 5 * MIN - h.now());
    h.service.tick();
    await h.service.flushDeliveries();
    expect(h.alarm(TARGET)).toMatchObject({ phase: "firing", repeatCount: 1 });
    expect(h.notifier.channels().slice(3)).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
  });

  it("sends after a restart what the previous run could not", async () => {
    h = await startHarness();
    h.notifier.up = false;
    reachTarget(h);
    await h.service.flushDeliveries();
    await h.shutdown();
    h.notifier.up = true;
    await h.restart();
    await h.service.flushDeliveries();
    expect(h.notifier.channels()).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
    await h.restart();
    await h.service.flushDeliveries();
    expect(h.notifier.sent).toHaveLength(3);
  });
});
