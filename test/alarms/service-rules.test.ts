import { afterEach, describe, expect, it } from "vitest";
import { BadRequestError, NotFoundError, type AlarmRule, type Cook } from "../../src/shared";
import { MIN, SEC, T0, device, probe, startHarness, type Harness } from "./harness";
import { PIT_LOW_AFTER_COOK_MS } from "../../src/alarms/service";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

const DEV = "10061c6f4770";
const HOUR_MS = 3_600_000;
const BRISKET = `${DEV}_1`;
const PIT = `${DEV}_2`;
const brisket = (tempC: number | null, over = {}) => probe({ id: BRISKET, name: "Brisket", tempC, ...over });
const pit = (tempC: number | null, over = {}) => probe({ id: PIT, name: "Pit", role: "pit", tempC, ...over });

/** Brisket at its 95 °C target and the pit above its 135 °C limit: two firing alarms. */
const bothFiring = (harness: Harness): void => {
  harness.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
  harness.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: null });
  harness.states([brisket(96), pit(140)]);
  harness.states([brisket(96.5), pit(141)]);
};

describe("acknowledge and snooze", () => {
  it("acknowledges from a notification action, dismisses the HA notification and stops the repeats", async () => {
    h = await startHarness();
    bothFiring(h);
    await h.service.flushDeliveries();
    const before = h.notifier.sent.length;
    h.bus.emit("alarm:command", { alarmId: `${BRISKET}:target`, probeId: null, action: "acknowledge", source: "notification" });
    await h.service.flushDeliveries();
    expect(h.alarm(`${BRISKET}:target`)?.phase).toBe("acknowledged");
    expect(h.alarm(`${PIT}:high`)?.phase).toBe("firing");
    // The phone's push goes (clear_notification by its tag), as does Home Assistant's notification.
    expect(h.notifier.channels().slice(before)).toEqual(["notify.mobile_app_phone", "persistent_notification.dismiss", "event"]);
    expect(h.notifier.sent[before]?.payload).toMatchObject({ message: "clear_notification", data: { tag: expect.stringContaining("grill_stats_") } });
    expect(h.service.transitions(1)[0]).toMatchObject({ transition: "acknowledged", message: "Brisket reached 97 °C (target 95 °C) at 16:00 — acknowledged via notification" });

    h.advance(10 * MIN);
    h.states([brisket(97), pit(141)]);
    await h.service.flushDeliveries();
    const repeats = h.changes.filter((c) => c.transition === "repeated").map((c) => c.alarm.id);
    expect(repeats).toEqual([`${PIT}:high`]);
  });

  it("acknowledges every active alarm of a probe from its Home Assistant button, and only that probe's", async () => {
    h = await startHarness();
    bothFiring(h);
    h.bus.emit("alarm:command", { alarmId: null, probeId: PIT, action: "acknowledge", source: "homeassistant" });
    expect(h.alarm(`${PIT}:high`)?.phase).toBe("acknowledged");
    expect(h.alarm(`${BRISKET}:target`)?.phase).toBe("firing");
    // A second press finds nothing to do and says so.
    h.bus.emit("alarm:command", { alarmId: null, probeId: PIT, action: "acknowledge", source: "homeassistant" });
    expect(h.logger.lines.some((l) => l.includes(`no active alarm on probe ${PIT}`))).toBe(true);
  });

  it("tells Home Assistant of a snooze made longer before it ran out (a second snooze is an event too)", async () => {
    h = await startHarness();
    bothFiring(h);
    await h.service.flushDeliveries();
    h.bus.emit("alarm:command", { alarmId: `${PIT}:high`, probeId: null, action: "snooze", snoozeMinutes: 10, source: "notification" });
    h.advance(2 * MIN);
    // Later, in the panel: not 8 more minutes but half an hour.
    expect(h.service.snooze(`${PIT}:high`, 30, "api")).toMatchObject({ phase: "snoozed", snoozedUntilMs: h.now() + 30 * MIN });
    await h.service.flushDeliveries();
    const snoozes = h.notifier.sent.filter((s) => s.channel === "event" && s.payload.data?.transition === "snoozed");
    expect(snoozes.map((s) => s.payload.data?.snoozed_until)).toEqual([new Date(h.now() - 2 * MIN + 10 * MIN).toISOString(), new Date(h.now() + 30 * MIN).toISOString()]);
  });

  it("tells the phone once that the brisket reached its target when a snooze ends while it rests just under it, then reminds", async () => {
    h = await startHarness();
    h.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
    h.states([brisket(95.2)]);
    h.states([brisket(95.4)]);
    h.bus.emit("alarm:command", { alarmId: `${BRISKET}:target`, probeId: null, action: "snooze", snoozeMinutes: 10, source: "notification" });
    // Resting meat hovers at its target; the snooze runs out on a reading just under it.
    for (const t of [95.1, 94.9, 95.2, 94.8]) h.states([brisket(t)], 2 * MIN);
    h.advance(3 * MIN);
    h.service.tick();
    h.states([brisket(95.1)]);
    h.states([brisket(95.3)]);
    await h.service.flushDeliveries();
    const target = h.changes.filter((c) => c.alarm.id === `${BRISKET}:target`);
    expect(target.map((c) => c.transition)).toEqual(["raised", "snoozed", "repeated"]);
    const pushes = h.notifier.sent.filter((s) => s.channel === "notify.mobile_app_phone" && s.payload.message !== "clear_notification");
    // The reminder is of the same crossing: reached at the time it first did.
    expect(pushes.map((s) => s.payload.message)).toEqual(["Brisket reached 95.4 °C (target 95.0 °C) at 16:00", "Brisket reached 95.4 °C (target 95.0 °C) at 16:00"]);
  });

  it("announces the target once also when its snooze runs out while the add-on restarts and the meat rests just under it", async () => {
    h = await startHarness();
    h.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
    h.states([brisket(95.2)]);
    h.states([brisket(95.4)]);
    h.bus.emit("alarm:command", { alarmId: `${BRISKET}:target`, probeId: null, action: "snooze", snoozeMinutes: 10, source: "notification" });
    await h.restart();
    h.advance(12 * MIN);
    h.states([brisket(94.8)]);
    h.states([brisket(94.9)]);
    h.states([brisket(95.1)]);
    h.states([brisket(95.3)]);
    expect(h.changes.filter((c) => c.alarm.id === `${BRISKET}:target`).map((c) => c.transition)).toEqual(["raised", "snoozed", "repeated"]);
  });

  it("acknowledges and snoozes through the API, with readable errors", async () => {
    h = await startHarness();
    bothFiring(h);
    expect(h.service.snooze(`${PIT}:high`, 10, "api")).toMatchObject({ phase: "snoozed", snoozedUntilMs: h.now() + 10 * MIN });
    expect(h.service.acknowledge(`${BRISKET}:target`, "api").phase).toBe("acknowledged");
    expect(() => h.service.snooze(`${PIT}:high`, 0, "api")).toThrow(BadRequestError);
    expect(() => h.service.acknowledge("nope:target", "api")).toThrow(NotFoundError);
    // A stale button press for an alarm that is gone is logged, not thrown at Home Assistant.
    h.bus.emit("alarm:command", { alarmId: "nope:target", probeId: null, action: "snooze", source: "notification" });
    expect(h.logger.lines.some((l) => l.includes("WARN") && l.includes('Unknown alarm "nope:target"'))).toBe(true);

    // The snooze runs out while the pit is still too hot: firing again, and delivered again.
    await h.service.flushDeliveries();
    const before = h.notifier.sent.length;
    h.advance(10 * MIN);
    h.states([brisket(96), pit(142)]);
    await h.service.flushDeliveries();
    expect(h.alarm(`${PIT}:high`)).toMatchObject({ phase: "firing", repeatCount: 1 });
    expect(h.notifier.channels().slice(before)).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
  });
});

describe("rules in the service", () => {
  it("arms the pit low alarm only once the pit has been inside its range, and ignores lid openings", async () => {
    h = await startHarness();
    h.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: 107 });
    for (const t of [20, 45, 80, 104]) h.states([pit(t)], MIN);
    expect(h.alarm(`${PIT}:low`)).toBeUndefined();
    h.states([pit(110)], MIN);
    expect(h.alarm(`${PIT}:low`)).toMatchObject({ phase: "armed", message: "Pit: alarm below 107 °C" });
    // Lid open: the pit air drops, nothing fires.
    for (let i = 0; i < 5; i++) h.states([pit(90, { lidOpen: true })], 20 * SEC);
    expect(h.alarm(`${PIT}:low`)?.phase).toBe("armed");
    // Lid closed and still cold: that is a dying fire.
    h.states([pit(100)]);
    h.states([pit(99)]);
    expect(h.alarm(`${PIT}:low`)).toMatchObject({ phase: "firing", message: "Pit is 99 °C, below 107 °C" });

    // "Open" for longer than a lid is (left open, or a fall from an overshoot taken for a lid):
    // after 10 minutes the pit's fall counts.
    const open = await startHarness();
    try {
      open.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: 107 });
      open.states([pit(120)], MIN);
      for (let i = 0; i < 10; i++) open.states([pit(95, { lidOpen: true })], MIN);
      expect(open.alarm(`${PIT}:low`)?.phase, "within 10 min").toBe("armed");
      for (let i = 0; i < 2; i++) open.states([pit(94, { lidOpen: true })], MIN);
      expect(open.alarm(`${PIT}:low`)?.phase, "after 10 min").toBe("firing");
    } finally {
      await open.cleanup();
    }
  });

  it("moves no temperature alarm on readings held as a glitch, and rings no unplugged for meat that is done", async () => {
    h = await startHarness();
    h.store.saveSettings({ probeId: BRISKET, targetC: 93, highC: null, lowC: null });
    h.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: null });
    // A spike on a cold probe and on the pit, held by the tracker: no "target reached", no "pit too hot".
    h.states([brisket(24), pit(110)]);
    for (let i = 0; i < 3; i++) h.states([brisket(100, { status: "glitch" }), pit(300, { status: "glitch" })]);
    h.states([brisket(24), pit(110)]);
    expect(h.alarm(`${BRISKET}:target`)?.phase).toBe("armed");
    expect(h.alarm(`${PIT}:high`)?.phase).toBe("armed");
    // Real: it goes off.
    for (let i = 0; i < 2; i++) h.states([brisket(93.5), pit(110)]);
    expect(h.alarm(`${BRISKET}:target`)?.phase).toBe("firing");
    h.service.acknowledge(`${BRISKET}:target`, "api");
    // Done, and the probe pulled while the cook goes on: no unplugged alarm.
    const done = { eta: { doneMs: h.now(), p10Ms: h.now(), p90Ms: h.now(), reason: "target reached", method: "done" as const } };
    h.states([brisket(94, done), pit(110)]);
    for (let i = 0; i < 3; i++) h.states([brisket(null, { ...done, status: "unplugged" }), pit(110)]);
    expect(h.alarm(`${BRISKET}:unplugged`)?.phase ?? "none").not.toBe("firing");
    expect(h.changes.filter((c) => c.alarm.id === `${BRISKET}:unplugged`).map((c) => c.transition)).toEqual([]);
  });

  it("raises unplugged only for a probe that was plugged in, and not after the cook ended", async () => {
    h = await startHarness();
    const chicken = (tempC: number | null) => probe({ id: BRISKET, name: "Chicken", tempC, status: tempC === null ? "unplugged" : "ok" });
    h.states([chicken(null)]);
    h.states([chicken(null)]);
    expect(h.alarm(`${BRISKET}:unplugged`)).toBeUndefined();
    h.states([chicken(30)]);
    h.states([chicken(null)]);
    h.states([chicken(null)]);
    expect(h.alarm(`${BRISKET}:unplugged`)).toMatchObject({ phase: "firing", message: "Chicken probe unplugged", critical: true });

    h.bus.emit("cook:changed", { cook: { id: 1, name: "Chicken", startMs: T0, endMs: h.now(), notes: "", probeIds: [BRISKET], targets: {} }, change: "ended" });
    expect(h.alarm(`${BRISKET}:unplugged`)).toBeUndefined();
    expect(h.changes.at(-1)?.transition).toBe("cleared");
    h.states([chicken(30)]);
    h.states([chicken(null)]);
    h.states([chicken(null)]);
    expect(h.alarm(`${BRISKET}:unplugged`)).toBeUndefined();
  });

  it("rings once when an RFX Meat probe is pulled out: its core, not each of its four sensors", async () => {
    h = await startHarness();
    const KEY = "m100081209";
    h.bus.emit("poll:result", { atMs: h.now(), devices: [device({ key: KEY, serial: "M100081209", kind: "rfx_meat" })], probes: [], readings: [] });
    const rfx = (tempC: number | null) =>
      ["core", "1", "2", "3", "4"].map((channel) =>
        probe({ id: `${KEY}_${channel}`, deviceKey: KEY, deviceSerial: "M100081209", deviceKind: "rfx_meat", channel, name: channel === "core" ? "Turkey" : `Turkey probe ${channel}`, tempC, status: tempC === null ? "unplugged" : "ok" }));
    h.states(rfx(30));
    h.states(rfx(null));
    h.states(rfx(null));
    expect(h.alarm(`${KEY}_core:unplugged`)).toMatchObject({ phase: "firing", message: "Turkey probe unplugged" });
    expect(h.service.list().filter((a) => a.id.endsWith(":unplugged")).map((a) => a.id)).toEqual([`${KEY}_core:unplugged`]);
  });

  it("knows an RFX Meat probe's sensors from their states before the poll's devices reach it (a first poll's order)", async () => {
    h = await startHarness();
    const rfx = ["core", "1", "2"].map((channel) => probe({ id: `m2_${channel}`, deviceKey: "m2", deviceSerial: "M2", deviceKind: "rfx_meat", channel, name: `Roast ${channel}`, tempC: 30 }));
    h.states(rfx);
    expect(h.service.list().filter((a) => a.probeId?.startsWith("m2_") && (a.kind === "unplugged" || a.kind === "stale")).map((a) => a.id).sort()).toEqual(["m2_core:stale", "m2_core:unplugged"]);
  });

  it("drops a probe's health alarms once the probe no longer calls for them (relabelled as ambient)", async () => {
    h = await startHarness();
    const sensor = probe({ id: "m3_1", deviceKey: "m3", deviceSerial: "M3", channel: "1", name: "Roast probe 1", tempC: 30 });
    h.states([sensor]);
    expect(h.alarm("m3_1:unplugged")?.phase).toBe("armed");
    h.states([{ ...sensor, role: "ambient" }]);
    expect(h.alarm("m3_1:unplugged")).toBeUndefined();
    expect(h.alarm("m3_1:stale")).toBeUndefined();
    // Nor does a tick bring them back.
    h.advance(30 * MIN);
    h.states([{ ...sensor, role: "ambient", tempC: 31 }]);
    expect(h.service.list().filter((a) => a.probeId === "m3_1" && (a.kind === "unplugged" || a.kind === "stale"))).toEqual([]);
  });

  it("mutes a low battery in quiet hours but keeps it visible, and still sends a critical alarm", async () => {
    // T0 is 16:00 UTC; quiet from 15:00 to 07:00 (wraps midnight).
    h = await startHarness({ quietHours: { start: "15:00", end: "07:00" } });
    h.bus.emit("poll:result", { atMs: h.now(), devices: [device({ key: DEV, batteryPct: 12 })], probes: [], readings: [] });
    h.bus.emit("poll:result", { atMs: h.now(), devices: [device({ key: DEV, batteryPct: 12 })], probes: [], readings: [] });
    h.store.saveSettings({ probeId: PIT, targetC: null, highC: 135, lowC: null });
    h.states([pit(140)]);
    h.states([pit(140)]);
    await h.service.flushDeliveries();
    expect(h.alarm(`${DEV}:battery_low`)).toMatchObject({ phase: "firing", message: "Signals battery at 12 %", critical: false });
    const battery = h.notifier.sent.filter((s) => s.payload.alarmId === `${DEV}:battery_low`);
    expect(battery.map((s) => [s.channel, s.payload.data?.muted])).toEqual([["persistent_notification", undefined], ["event", true]]);
    const high = h.notifier.sent.filter((s) => s.payload.alarmId === `${PIT}:high`);
    expect(high.map((s) => s.channel)).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
  });

  it("raises device offline when a device in use goes silent, and clears when it is back", async () => {
    h = await startHarness();
    const poll = (lastSeenMs: number) => h.bus.emit("poll:result", { atMs: h.now(), devices: [device({ key: DEV, lastSeenMs })], probes: [], readings: [] });
    h.states([brisket(60)]);
    poll(h.now());
    expect(h.alarm(`${DEV}:offline`)?.phase).toBe("armed");
    const lastSeen = h.now();
    h.advance(11 * MIN);
    h.service.tick();
    h.advance(15 * SEC);
    h.service.tick();
    expect(h.alarm(`${DEV}:offline`)).toMatchObject({ phase: "firing", message: "Signals offline: no contact since 16:00" });
    poll(lastSeen + 12 * MIN);
    poll(lastSeen + 12 * MIN);
    expect(h.alarm(`${DEV}:offline`)?.phase).toBe("armed");
  });

  it("gives a device that uploads only on change, and names no heartbeat, 3 × 15 min of silence before it is offline", async () => {
    h = await startHarness();
    const key = "m100081209";
    const turkey = probe({ id: `${key}_core`, deviceKey: key, deviceSerial: "M100081209", deviceKind: "rfx_meat", channel: "core", name: "Turkey", tempC: 70 });
    const poll = (lastSeenMs: number) =>
      h.bus.emit("poll:result", { atMs: h.now(), devices: [device({ key, serial: "M100081209", kind: "rfx_meat", lastSeenMs, transmitIntervalSec: null, reportDeltaC: 0.556 })], probes: [], readings: [] });
    h.states([turkey]);
    poll(h.now());
    h.advance(40 * MIN);
    h.service.tick();
    expect(h.alarm(`${key}:offline`)?.phase).toBe("armed");
    h.advance(6 * MIN);
    h.service.tick();
    h.advance(15 * SEC);
    h.service.tick();
    expect(h.alarm(`${key}:offline`)?.phase).toBe("firing");
  });

  it("lists for each probe the rules it can raise: no target on a pit, none on an RFX Meat probe's sensors", async () => {
    h = await startHarness();
    const rfx = (channel: string) => probe({ id: `m1_${channel}`, deviceKey: "m1", deviceSerial: "M1", deviceKind: "rfx_meat", channel, name: `Turkey ${channel}`, tempC: 40 });
    h.states([brisket(60), pit(120), rfx("core"), rfx("1"), rfx("2")]);
    const kinds = (probeId: string) => h.service.rules().filter((r) => r.probeId === probeId).map((r) => r.kind);
    expect(kinds(BRISKET)).toEqual(["target", "pre_alarm", "high", "unplugged", "stale"]);
    expect(kinds(PIT)).toEqual(["high", "low", "unplugged", "stale"]);
    expect(kinds("m1_core")).toEqual(["target", "pre_alarm", "high", "unplugged", "stale"]);
    expect(kinds("m1_1")).toEqual([]);
    // A setting or a rule of its own shows anyway: a pit with a target still lists it.
    h.store.saveSettings({ probeId: PIT, targetC: 130, highC: null, lowC: null });
    expect(kinds(PIT)).toEqual(["target", "pre_alarm", "high", "low", "unplugged", "stale"]);
  });

  it("lets a pit's low alarm sleep once no meat is cooking (the fire dies after the cook), not while it is", async () => {
    h = await startHarness();
    h.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
    h.store.saveSettings({ probeId: PIT, targetC: null, highC: null, lowC: 107 });
    // As analytics publishes it: the probe's target with its state; the cook running since T0 − 1 h.
    const meat = (tempC: number, done = false) =>
      brisket(tempC, { targetC: 95, ...(done ? { eta: { doneMs: T0, p10Ms: T0, p90Ms: T0, reason: "target reached", method: "done" } } : {}) });
    const running: Cook = { id: 1, name: "Brisket", startMs: T0 - HOUR_MS, endMs: null, notes: "", probeIds: [BRISKET, PIT], targets: { [BRISKET]: 95 } };
    h.bus.emit("cook:changed", { cook: running, change: "started" });
    // Cooking: the pit comes up, then sags below its low limit: that rings.
    h.states([meat(80), pit(120)]);
    h.states([meat(81), pit(100)]);
    h.states([meat(81), pit(100)]);
    expect(h.alarm(`${PIT}:low`)?.phase).toBe("firing");
    // The brisket is done and off: the ringing pit alarm stops, and the dying fire does not ring again.
    h.states([meat(40, true), pit(95)]);
    expect(h.alarm(`${PIT}:low`)).toBeUndefined();
    expect(h.changes.filter((c) => c.alarm.id === `${PIT}:low`).map((c) => c.transition)).toEqual(["raised", "cleared"]);
    h.states([meat(25, true), pit(60)]);
    expect(h.alarm(`${PIT}:low`)).toBeUndefined();
    // The next meat goes in: the pit is watched again once it has come up.
    h.states([meat(5), pit(60)]);
    h.states([meat(8), pit(118)]);
    h.states([meat(9), pit(100)]);
    h.states([meat(9), pit(100)]);
    expect(h.alarm(`${PIT}:low`)?.phase).toBe("firing");
    // A pit watched alone keeps its low alarm: no meat probe, or the other channels empty (listed
    // as meat, unplugged).
    const empty = (n: number) => probe({ id: `${DEV}_${n}`, name: `Signals probe ${n}`, tempC: null, status: "unplugged" });
    for (const others of [[], [empty(3), empty(4)]]) {
      const alone = await startHarness();
      try {
        alone.store.saveSettings({ probeId: PIT, targetC: null, highC: null, lowC: 107 });
        alone.states([pit(120), ...others]);
        alone.states([pit(100), ...others]);
        alone.states([pit(100), ...others]);
        expect(alone.alarm(`${PIT}:low`)?.phase, `${others.length} empty channels`).toBe("firing");
      } finally {
        await alone.cleanup();
      }
    }
    // A probe done in an earlier cook, left in, or no cook running: the pit rings.
    for (const cook of [{ ...running, startMs: T0 + HOUR_MS }, null]) {
      const later = await startHarness();
      try {
        later.store.saveSettings({ probeId: PIT, targetC: null, highC: null, lowC: 107 });
        if (cook) later.bus.emit("cook:changed", { cook, change: "started" });
        for (const t of [120, 100, 100]) later.states([meat(25, true), pit(t)]);
        expect(later.alarm(`${PIT}:low`)?.phase, cook ? "earlier cook's probe" : "no cook").toBe("firing");
      } finally {
        await later.cleanup();
      }
    }
    // Restarted during the cook: the running cook is read from the store at start.
    const restarted = await startHarness();
    try {
      restarted.store.saveSettings({ probeId: PIT, targetC: null, highC: null, lowC: 107 });
      restarted.store.createCook({ name: "Brisket", startMs: T0 - HOUR_MS, probeIds: [BRISKET, PIT] });
      await restarted.restart();
      for (const t of [120, 100, 100]) restarted.states([meat(25, true), pit(t)]);
      expect(restarted.alarm(`${PIT}:low`)).toBeUndefined();
    } finally {
      await restarted.cleanup();
    }
    // The cook ended (probes pulled, no target reached, or a pit watched alone): the fire dies
    // without a pit alarm ringing all night, also after a restart; the next cook watches it again,
    // and so does a fire still kept hours later (lit again, or a cook the detector missed).
    const ended = await startHarness();
    try {
      ended.store.saveSettings({ probeId: PIT, targetC: null, highC: null, lowC: 107 });
      const cook = ended.store.createCook({ name: "Pit only", startMs: T0 - HOUR_MS, probeIds: [PIT] });
      ended.bus.emit("cook:changed", { cook, change: "started" });
      for (const t of [120, 100, 100]) ended.states([pit(t)]);
      expect(ended.alarm(`${PIT}:low`)?.phase).toBe("firing");
      const over = ended.store.updateCook(cook.id, { endMs: ended.now() });
      ended.bus.emit("cook:changed", { cook: over, change: "ended" });
      for (const t of [95, 80, 60]) ended.states([pit(t)]);
      expect(ended.alarm(`${PIT}:low`)).toBeUndefined();
      await ended.restart();
      for (const t of [120, 100, 100]) ended.states([pit(t)]);
      expect(ended.alarm(`${PIT}:low`), "after a restart").toBeUndefined();
      ended.advance(PIT_LOW_AFTER_COOK_MS);
      for (const t of [120, 100, 100]) ended.states([pit(t)]);
      expect(ended.alarm(`${PIT}:low`)?.phase, "3 h after the cook").toBe("firing");
      ended.service.acknowledge(`${PIT}:low`, "api");
      const next = ended.store.createCook({ name: "Next", startMs: ended.now(), probeIds: [PIT] });
      ended.bus.emit("cook:changed", { cook: next, change: "started" });
      for (const t of [120, 110, 100, 100]) ended.states([pit(t)]);
      expect(ended.alarm(`${PIT}:low`)?.phase, "next cook").toBe("firing");
    } finally {
      await ended.cleanup();
    }
    // Meat out of range (stale) is not done: a sagging pit still rings.
    const away = await startHarness();
    try {
      away.bus.emit("cook:changed", { cook: running, change: "started" });
      away.store.saveSettings({ probeId: PIT, targetC: null, highC: null, lowC: 107 });
      const done2 = probe({ id: `${DEV}_3`, name: "Chicken", targetC: 74, tempC: 75, eta: { doneMs: T0, p10Ms: T0, p90Ms: T0, reason: "target reached", method: "done" } });
      const stale = (t: number) => ({ ...meat(t), status: "stale" as const });
      away.states([stale(80), done2, pit(120)]);
      away.states([stale(80), done2, pit(100)]);
      away.states([stale(80), done2, pit(100)]);
      expect(away.alarm(`${PIT}:low`)?.phase).toBe("firing");
    } finally {
      await away.cleanup();
    }
  });

  it("lists effective rules with defaults, validates changes, and applies them at once", async () => {
    h = await startHarness();
    bothFiring(h);
    const rules = h.service.rules();
    expect(rules.find((r) => r.probeId === null && r.deviceKey === null && r.kind === "battery_low")).toMatchObject({ enabled: true, params: { percent: 15, hysteresisPct: 5 } });
    expect(rules.find((r) => r.probeId === BRISKET && r.kind === "target")).toMatchObject({ enabled: true, params: { thresholdC: 95, repeatMinutes: 5, hysteresisC: 2 } });
    expect(() => h.service.setRule({ probeId: BRISKET, deviceKey: null, kind: "target", enabled: true, params: { repeatMinutes: 500 } })).toThrow("params.repeatMinutes: must be at most 240 minutes");

    const saved = h.service.setRule({ probeId: BRISKET, deviceKey: null, kind: "target", enabled: false, params: {} });
    expect(saved).toMatchObject({ kind: "target", enabled: false });
    expect(h.alarm(`${BRISKET}:target`)).toBeUndefined();
    expect(h.changes.at(-1)).toMatchObject({ transition: "cleared", alarm: { id: `${BRISKET}:target`, phase: "armed" } });
    expect(h.store.listRules()).toEqual([{ probeId: BRISKET, deviceKey: null, kind: "target", enabled: false, params: {} }]);
  });
});

describe("pre-alarm", () => {
  const withEta = (tempC: number, etaInMs: number) =>
    brisket(tempC, { eta: { doneMs: h.now() + 5 * SEC + etaInMs, p10Ms: null, p90Ms: null, reason: null, method: "newton" } });

  it("warns once, and its standing message follows the done time as it moves", async () => {
    h = await startHarness({ preAlarmMinutes: 15 });
    h.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
    h.states([withEta(88, 14 * MIN)]);
    h.states([withEta(88.2, 14 * MIN)]);
    expect(h.alarm(`${BRISKET}:target`)).toMatchObject({ phase: "pre_alarm", message: "Brisket will reach 95 °C in about 14 min (16:14)" });
    h.advance(5 * MIN);
    h.states([withEta(91, 6 * MIN)]);
    expect(h.alarm(`${BRISKET}:target`)).toMatchObject({ phase: "pre_alarm", message: "Brisket will reach 95 °C in about 6 min (16:11)" });
    await h.service.flushDeliveries();
    // The phone was told once, when the pre-alarm began; the new minutes are not a new notification.
    expect(h.changes.filter((c) => c.transition === "pre_alarm")).toHaveLength(1);
    expect(h.notifier.channels().filter((c) => c.startsWith("notify."))).toHaveLength(1);
  });

  it("a snoozed heads-up leaves neither the phone's push nor Home Assistant's notification behind when the meat then stalls", async () => {
    h = await startHarness({ preAlarmMinutes: 15 });
    h.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
    h.states([withEta(88, 14 * MIN)]);
    h.states([withEta(88.2, 14 * MIN)]);
    await h.service.flushDeliveries();
    expect(h.notifier.channels()).toEqual(["notify.mobile_app_phone", "persistent_notification", "event"]);
    h.service.snooze(`${BRISKET}:target`, 10, "test");
    // The stall: the done time moves hours out, during the snooze and after it.
    h.states([withEta(88.3, 3 * 60 * MIN)]);
    h.states([withEta(88.3, 3 * 60 * MIN)]);
    h.advance(11 * MIN);
    h.states([withEta(88.4, 3 * 60 * MIN)]);
    h.states([withEta(88.4, 3 * 60 * MIN)]);
    h.service.tick();
    await h.service.flushDeliveries();
    expect(h.alarm(`${BRISKET}:target`)?.phase).toBe("armed");
    // "Brisket will reach 95 °C in about 14 min" is no longer true: it is taken away.
    const after = h.notifier.sent.slice(3);
    expect(after).toContainEqual(expect.objectContaining({ channel: "notify.mobile_app_phone", payload: expect.objectContaining({ message: "clear_notification", data: { tag: "grill_stats_10061c6f4770_1_target" } }) }));
    expect(after).toContainEqual(expect.objectContaining({ channel: "persistent_notification.dismiss", payload: expect.objectContaining({ data: { notification_id: "grill_stats_10061c6f4770_1_target" } }) }));
    // No new heads-up came for the stalled meat.
    expect(after.filter((s) => s.channel === "notify.mobile_app_phone" && s.payload.message !== "clear_notification")).toEqual([]);
  });

  it("in a demo running 20× fast, the heads-up, the snooze and the repeats are cook minutes", async () => {
    h = await startHarness({ preAlarmMinutes: 15, repeatMinutes: 5, timeScale: 20 });
    h.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
    // 14 cook minutes away is 42 s of wall clock: no heads-up yet; 40 s away is 13 cook minutes.
    h.states([withEta(88, 14 * MIN)]);
    h.states([withEta(88.2, 14 * MIN)]);
    expect(h.alarm(`${BRISKET}:target`)?.phase).toBe("armed");
    h.states([withEta(90, 30 * SEC)]);
    h.states([withEta(90.2, 30 * SEC)]);
    expect(h.alarm(`${BRISKET}:target`)?.phase).toBe("pre_alarm");
    // Snoozed for 10 cook minutes: 30 s.
    const snoozed = h.service.snooze(`${BRISKET}:target`, 10, "test");
    expect((snoozed.snoozedUntilMs ?? 0) - h.now()).toBe(30 * SEC);
    h.states([withEta(95.5, 0)]);
    h.states([withEta(95.8, 0)]);
    expect(h.alarm(`${BRISKET}:target`)?.phase).toBe("firing");
    // Repeats every 5 cook minutes: 15 s.
    h.advance(16 * SEC);
    h.service.tick();
    expect(h.alarm(`${BRISKET}:target`)?.repeatCount).toBe(1);
    // The rules read back in the cook minutes they were set in, and save back as they are.
    const target = h.service.rules().find((r) => r.kind === "target" && r.probeId === null);
    expect(target?.params).toMatchObject({ repeatMinutes: 5 });
    expect(h.service.rules().find((r) => r.kind === "pre_alarm" && r.probeId === null)?.params).toMatchObject({ minutes: 15 });
    // As the panel sends it: without the target temperature, which is a probe setting.
    const { thresholdC: _setting, ...params } = (target as AlarmRule).params;
    const saved = h.service.setRule({ ...(target as AlarmRule), params: { ...params, hysteresisC: 3 } });
    expect(saved.params).toMatchObject({ repeatMinutes: 5, hysteresisC: 3 });
  });
});
