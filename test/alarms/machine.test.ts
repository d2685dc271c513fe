import { describe, expect, it } from "vitest";
import { evaluateAlarm, newRuntime, type AlarmInput, type AlarmRuntime, type EffectiveRule } from "../../src/alarms";
import type { AlarmKind, AlarmTransition } from "../../src/shared";

const T0 = Date.UTC(2026, 5, 20, 18, 0, 0);
const SEC = 1000;
const MIN = 60 * SEC;

const rule = (kind: AlarmKind, threshold: number, over: Partial<EffectiveRule> = {}): EffectiveRule => ({
  kind,
  enabled: true,
  threshold,
  hysteresis: kind === "battery_low" ? 5 : 2,
  repeatMinutes: 5,
  preAlarmMinutes: 0,
  critical: kind !== "battery_low" && kind !== "stale",
  ...over,
});

/** Drives one alarm through inputs and keeps every transition with its time. */
const driver = (r: EffectiveRule) => {
  let state: AlarmRuntime = newRuntime({ id: `p_1:${r.kind}`, kind: r.kind, probeId: "p_1", deviceKey: null }, T0);
  let now = T0;
  let ts = T0;
  const log: Array<{ transition: AlarmTransition; atMs: number; valueC: number | null }> = [];
  const send = (input: AlarmInput, currentRule = r): AlarmTransition[] => {
    const out = evaluateAlarm(state, input, now, currentRule);
    state = out.state;
    log.push(...out.transitions.map((t) => ({ transition: t.transition, atMs: t.tsMs, valueC: t.alarm.valueC })));
    return out.transitions.map((t) => t.transition);
  };
  return {
    get state() { return state; },
    get phase() { return state.alarm.phase; },
    log,
    /** A new reading `stepMs` after the previous one. */
    read: (value: number | null, stepMs = 5 * SEC, extra: Partial<Extract<AlarmInput, { type: "sample" }>> = {}, currentRule = r) => {
      now += stepMs;
      ts += stepMs;
      return send({ type: "sample", value, tsMs: ts, ...extra }, currentRule);
    },
    /** The same reading evaluated again (a poll with nothing new). */
    reread: (value: number, stepMs = 5 * SEC) => {
      now += stepMs;
      return send({ type: "sample", value, tsMs: ts });
    },
    tickAt: (atMs: number) => {
      now = atMs;
      return send({ type: "tick" });
    },
    ack: () => send({ type: "acknowledge", source: "test" }),
    snooze: (minutes: number) => send({ type: "snooze", minutes, source: "test" }),
    now: () => now,
  };
};

describe("alarm state machine", () => {
  it("raises a target alarm only after two consecutive readings at the target", () => {
    const d = driver(rule("target", 95));
    expect(d.read(94)).toEqual([]);
    expect(d.read(95.2)).toEqual([]);
    expect(d.phase).toBe("armed");
    expect(d.read(95.6)).toEqual(["raised"]);
    expect(d.state.alarm).toMatchObject({ phase: "firing", repeatCount: 0, valueC: 95.6, thresholdC: 95, sinceMs: d.now() });
  });

  it("keeps the reading a target alarm went off at until it is armed again; a high alarm follows the probe", () => {
    const d = driver(rule("target", 95, { repeatMinutes: 1 }));
    d.read(95.2);
    d.read(95.6);
    d.read(96.4, 2 * MIN);
    expect(d.state.alarm).toMatchObject({ phase: "firing", repeatCount: 1, valueC: 95.6 });
    // The meat pulled: one reading below waits for a second; the alarm still says what it reached.
    d.read(30);
    expect(d.state.alarm).toMatchObject({ phase: "firing", valueC: 95.6 });
    d.read(96.5);
    d.ack();
    d.read(97.1);
    expect(d.state.alarm).toMatchObject({ phase: "acknowledged", valueC: 95.6 });
    d.read(90);
    d.read(89.5);
    expect(d.state.alarm).toMatchObject({ phase: "armed", valueC: 89.5 });
    // The clear itself says what the probe reads now (the event and the history record carry it).
    expect(d.log.at(-1)).toMatchObject({ transition: "cleared", valueC: 89.5 });

    // A clear confirmed by time (a tick, 30 s on) too.
    const t = driver(rule("target", 95));
    t.read(95.2);
    t.read(95.6);
    t.read(40);
    expect(t.state.alarm).toMatchObject({ phase: "firing", valueC: 95.6 });
    t.tickAt(t.now() + 31 * SEC);
    expect(t.state.alarm).toMatchObject({ phase: "armed", valueC: 40 });
    expect(t.log.at(-1)).toMatchObject({ transition: "cleared", valueC: 40 });

    const h = driver(rule("high", 135, { repeatMinutes: 1 }));
    h.read(140);
    h.read(141);
    h.read(143, 2 * MIN);
    expect(h.state.alarm).toMatchObject({ phase: "firing", repeatCount: 1, valueC: 143 });
  });

  it("counts a reading evaluated twice once, but raises when the condition holds for 30 s", () => {
    const d = driver(rule("high", 135));
    d.read(140);
    expect(d.reread(140)).toEqual([]);
    expect(d.phase).toBe("armed");
    const firstSeen = d.now() - 5 * SEC;
    expect(d.tickAt(firstSeen + 29 * SEC)).toEqual([]);
    expect(d.tickAt(firstSeen + 30 * SEC)).toEqual(["raised"]);
  });

  it("keeps the repeat schedule when the checks come late: 96 reminders in 8 h at 5 min, checked every 7 s", () => {
    const d = driver(rule("high", 135, { repeatMinutes: 5 }));
    d.read(140);
    d.read(141);
    const raisedAt = d.now();
    // Readings every 7 s: each reminder is judged up to 7 s after it is due, and that lateness
    // must not push the next one back (a minute lost every 40 min).
    while (d.now() < raisedAt + 8 * 60 * MIN) d.read(141, 7 * SEC);
    const repeats = d.log.filter((t) => t.transition === "repeated");
    expect(repeats.length).toBe(96);
    // Each within one check of its slot.
    repeats.forEach((t, i) => expect(t.atMs - (raisedAt + (i + 1) * 5 * MIN)).toBeLessThan(7 * SEC));
  });

  it("starts a new schedule after a reminder that was long overdue (a check missed for longer than the repeat)", () => {
    const d = driver(rule("high", 135, { repeatMinutes: 5 }));
    d.read(140);
    d.read(141);
    const raisedAt = d.now();
    expect(d.tickAt(raisedAt + 17 * MIN)).toEqual(["repeated"]);
    // Not three reminders to catch up, and the next one 5 min after this one.
    expect(d.tickAt(raisedAt + 17 * MIN + 1)).toEqual([]);
    expect(d.tickAt(raisedAt + 22 * MIN - 1)).toEqual([]);
    expect(d.tickAt(raisedAt + 22 * MIN)).toEqual(["repeated"]);
  });

  it("does not send two reminders in a row when the reading comes back over the limit after a spell inside the band", () => {
    const d = driver(rule("high", 135, { repeatMinutes: 5 }));
    d.read(140);
    d.read(141);
    const raisedAt = d.now();
    // A pit hovering at its limit: just under it (inside the 2 °C band) while a reminder's slot goes by.
    while (d.now() < raisedAt + 9 * MIN + 20 * SEC) d.read(134, 10 * SEC);
    // Back over it: the reminder that waited goes out now …
    expect(d.read(136, 10 * SEC)).toEqual(["repeated"]);
    const remindedAt = d.now();
    // … and the next one a whole repeat later, not at the old slot a few seconds on.
    while (d.now() < remindedAt + 5 * MIN - 10 * SEC) expect(d.read(136, 10 * SEC)).toEqual([]);
    expect(d.read(136, 10 * SEC)).toEqual(["repeated"]);
  });

  it("repeats every N minutes while firing, until acknowledged", () => {
    const d = driver(rule("high", 135, { repeatMinutes: 5 }));
    d.read(140);
    d.read(141);
    const raisedAt = d.now();
    expect(d.tickAt(raisedAt + 5 * MIN - 1)).toEqual([]);
    expect(d.tickAt(raisedAt + 5 * MIN)).toEqual(["repeated"]);
    expect(d.tickAt(raisedAt + 10 * MIN)).toEqual(["repeated"]);
    expect(d.state.alarm.repeatCount).toBe(2);
    expect(d.ack()).toEqual(["acknowledged"]);
    expect(d.tickAt(raisedAt + 15 * MIN)).toEqual([]);
    expect(d.tickAt(raisedAt + 60 * MIN)).toEqual([]);
    expect(d.phase).toBe("acknowledged");
    expect(d.state.alarm.sinceMs).toBe(raisedAt);
  });

  it("fires again at the end of a snooze when the condition still holds", () => {
    const d = driver(rule("target", 95));
    d.read(96);
    d.read(96.5);
    expect(d.snooze(10)).toEqual(["snoozed"]);
    const until = d.state.alarm.snoozedUntilMs ?? 0;
    expect(until).toBe(d.now() + 10 * MIN);
    expect(d.tickAt(until - 1)).toEqual([]);
    expect(d.tickAt(until)).toEqual(["repeated"]);
    expect(d.state.alarm).toMatchObject({ phase: "firing", snoozedUntilMs: null, repeatCount: 1 });
    // …and then repeats on its own schedule from that moment.
    expect(d.tickAt(until + 5 * MIN)).toEqual(["repeated"]);
  });

  it("goes back to armed at the end of a snooze when the condition is gone", () => {
    const d = driver(rule("high", 135));
    d.read(140);
    d.read(140);
    d.snooze(10);
    d.read(132.5); // back past the 2 °C band, once: not confirmed yet, but the condition is gone
    const until = d.state.alarm.snoozedUntilMs ?? 0;
    expect(d.tickAt(until)).toEqual(["cleared"]);
    expect(d.state.alarm).toMatchObject({ phase: "armed", snoozedUntilMs: null, repeatCount: 0 });

    // Still inside the band when the snooze ends: neither over nor back, it waits for one of the two.
    const b = driver(rule("high", 135));
    b.read(140);
    b.read(140);
    b.snooze(10);
    b.read(134);
    expect(b.tickAt(b.state.alarm.snoozedUntilMs ?? 0)).toEqual([]);
    expect(b.read(133.5)).toEqual([]);
    expect(b.read(132.5)).toEqual(["cleared"]);
  });

  it("announces a target reached once when a snooze ends while the meat hovers at it: the end waits in the band, then re-rings", () => {
    const d = driver(rule("target", 95));
    d.read(95.2);
    expect(d.read(95.4)).toEqual(["raised"]);
    const raisedAt = d.now();
    d.snooze(10);
    // Resting meat wobbles around the target; the snooze ends on a reading just under it.
    for (const v of [95.1, 94.9, 95.2, 94.8]) d.read(v, 2 * MIN);
    expect(d.tickAt(d.state.alarm.snoozedUntilMs ?? 0)).toEqual([]);
    expect(d.phase).toBe("snoozed");
    // Back at the target: the same crossing, so the snooze's reminder, not a second "reached".
    expect(d.read(95.1)).toEqual(["repeated"]);
    expect(d.read(95.3)).toEqual([]);
    expect(d.state.alarm).toMatchObject({ phase: "firing", sinceMs: raisedAt, valueC: 95.4, snoozedUntilMs: null });
    expect(d.log.map((t) => t.transition)).toEqual(["raised", "snoozed", "repeated"]);

    // Past the band while it waits: the crossing is over, and the next one is announced anew.
    const c = driver(rule("target", 95));
    c.read(95.2);
    c.read(95.4);
    c.snooze(10);
    c.read(94.5, 9 * MIN);
    c.tickAt(c.state.alarm.snoozedUntilMs ?? 0);
    expect(c.phase).toBe("snoozed");
    expect(c.read(92.5)).toEqual(["cleared"]);
    c.read(95.2);
    expect(c.read(95.5)).toEqual(["raised"]);
  });

  it("re-arms an acknowledged alarm only once the value is back past the hysteresis band", () => {
    const d = driver(rule("high", 135));
    d.read(140);
    d.read(140);
    d.ack();
    for (const v of [134, 133.5, 134.5, 133.1]) expect(d.read(v)).toEqual([]);
    expect(d.phase).toBe("acknowledged");
    expect(d.read(132.9)).toEqual([]);
    expect(d.read(132.5)).toEqual(["cleared"]);
    expect(d.phase).toBe("armed");
    d.read(136);
    expect(d.read(136)).toEqual(["raised"]);
  });

  it("clears a firing alarm that was never acknowledged once the value is back past the band", () => {
    const d = driver(rule("low", 107));
    d.read(100);
    d.read(100);
    expect(d.phase).toBe("firing");
    d.read(108); // above the limit but inside the 2 °C band
    d.read(108.5);
    expect(d.phase).toBe("firing");
    d.read(109.5);
    expect(d.read(110)).toEqual(["cleared"]);
    expect(d.phase).toBe("armed");
  });

  it("does not flap when a reading wobbles around the threshold", () => {
    const d = driver(rule("high", 135));
    for (let i = 0; i < 40; i++) d.read(i % 2 === 0 ? 134.8 : 135.2);
    expect(d.log).toEqual([]);
    d.read(136);
    d.read(136);
    expect(d.log.map((l) => l.transition)).toEqual(["raised"]);
    // Wobbling around the re-arm edge (133 °C) neither clears nor re-raises.
    for (let i = 0; i < 40; i++) d.read(i % 2 === 0 ? 132.9 : 133.4);
    expect(d.log.map((l) => l.transition)).toEqual(["raised"]);
    expect(d.phase).toBe("firing");
  });

  it("does not repeat while the value sits in the band, and resumes when it is above again", () => {
    const d = driver(rule("high", 135, { repeatMinutes: 5 }));
    d.read(140);
    d.read(140);
    const raisedAt = d.now();
    d.read(134);
    expect(d.tickAt(raisedAt + 6 * MIN)).toEqual([]);
    d.read(137);
    expect(d.log.map((l) => l.transition)).toEqual(["raised", "repeated"]);
  });

  it("holds the phase on samples marked hold (lid open) or without a value", () => {
    const d = driver(rule("low", 107));
    d.read(120);
    for (let i = 0; i < 10; i++) d.read(90, 5 * SEC, { hold: true });
    d.read(null);
    expect(d.phase).toBe("armed");
    d.read(100);
    expect(d.read(100)).toEqual(["raised"]);
  });

  it("skips the hysteresis band when the person moves the threshold", () => {
    const d = driver(rule("high", 135));
    d.read(136);
    d.read(136);
    expect(d.phase).toBe("firing");
    // 136 °C is inside the 2 °C band of the new 137 °C limit, yet the alarm clears at once.
    expect(d.read(136, 5 * SEC, {}, rule("high", 137))).toEqual(["cleared"]);
    expect(d.state.alarm.thresholdC).toBe(137);
    // Lowering a target below the current temperature raises at once too.
    const t = driver(rule("target", 95));
    t.read(80);
    expect(t.read(80, 5 * SEC, {}, rule("target", 75))).toEqual(["raised"]);
  });

  it("pre-alarms from the predicted done time, then raises at the target", () => {
    const r = rule("target", 95, { preAlarmMinutes: 15 });
    const d = driver(r);
    d.read(80, 5 * SEC, { etaDoneMs: d.now() + 40 * MIN });
    d.read(81, 5 * SEC, { etaDoneMs: d.now() + 38 * MIN });
    expect(d.phase).toBe("armed");
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 14 * MIN });
    expect(d.read(90.5, 5 * SEC, { etaDoneMs: d.now() + 14 * MIN })).toEqual(["pre_alarm"]);
    // ETA wobbling inside twice the window does not flap the pre-alarm.
    for (let i = 0; i < 10; i++) d.read(91, 5 * SEC, { etaDoneMs: d.now() + (i % 2 === 0 ? 16 : 25) * MIN });
    expect(d.phase).toBe("pre_alarm");
    d.read(95, 5 * SEC, { etaDoneMs: d.now() });
    expect(d.read(95.3, 5 * SEC, { etaDoneMs: d.now() })).toEqual(["raised"]);
    expect(d.log.map((l) => l.transition)).toEqual(["pre_alarm", "raised"]);
  });

  it("an acknowledged heads-up goes away and stays away for this approach; the target still raises the alarm", () => {
    const d = driver(rule("target", 95, { preAlarmMinutes: 15 }));
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 10 * MIN });
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 10 * MIN });
    expect(d.phase).toBe("pre_alarm");
    expect(d.ack()).toEqual(["acknowledged"]);
    expect(d.phase).toBe("armed");
    for (let i = 0; i < 20; i++) d.read(91 + i * 0.1, 30 * SEC, { etaDoneMs: d.now() + 8 * MIN });
    expect(d.phase).toBe("armed");
    d.read(95.1, 5 * SEC, { etaDoneMs: d.now() });
    expect(d.read(95.3, 5 * SEC, { etaDoneMs: d.now() })).toEqual(["raised"]);
    expect(d.state.alarm.snoozedUntilMs).toBeNull();
  });

  it("a snoozed heads-up comes back after the snooze while the target is still ahead", () => {
    const d = driver(rule("target", 95, { preAlarmMinutes: 15 }));
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 12 * MIN });
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 12 * MIN });
    expect(d.snooze(5)).toEqual(["snoozed"]);
    expect(d.phase).toBe("armed");
    for (let i = 0; i < 9; i++) d.read(90.5, 30 * SEC, { etaDoneMs: d.now() + 10 * MIN });
    expect(d.phase).toBe("armed");
    d.read(90.6, 60 * SEC, { etaDoneMs: d.now() + 9 * MIN });
    d.read(90.7, 5 * SEC, { etaDoneMs: d.now() + 9 * MIN });
    expect(d.phase).toBe("pre_alarm");
    expect(d.log.map((l) => l.transition)).toEqual(["pre_alarm", "snoozed", "pre_alarm"]);
  });

  it("a heads-up dismissed on one approach comes again on the next, once the meat was back below", () => {
    const d = driver(rule("target", 95, { preAlarmMinutes: 15 }));
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 10 * MIN });
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 10 * MIN });
    d.ack();
    // The meat came off, a new one went in: far from done.
    d.read(40, 5 * SEC, { etaDoneMs: d.now() + 300 * MIN });
    d.read(40, 5 * SEC, { etaDoneMs: d.now() + 300 * MIN });
    expect(d.state.alarm.snoozedUntilMs).toBeNull();
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 10 * MIN });
    expect(d.read(90, 5 * SEC, { etaDoneMs: d.now() + 10 * MIN })).toEqual(["pre_alarm"]);
  });

  it("clears a pre-alarm when the done time moves well out (a stall)", () => {
    const d = driver(rule("target", 95, { preAlarmMinutes: 15 }));
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 10 * MIN });
    d.read(90, 5 * SEC, { etaDoneMs: d.now() + 10 * MIN });
    expect(d.phase).toBe("pre_alarm");
    d.read(88, 5 * SEC, { etaDoneMs: d.now() + 90 * MIN });
    expect(d.read(88, 5 * SEC, { etaDoneMs: d.now() + 95 * MIN })).toEqual(["cleared"]);
    expect(d.phase).toBe("armed");
  });

  it("gives no pre-alarm when it is off for the probe", () => {
    const d = driver(rule("target", 95, { preAlarmMinutes: 0 }));
    for (let i = 0; i < 5; i++) d.read(90, 5 * SEC, { etaDoneMs: d.now() + 5 * MIN });
    expect(d.phase).toBe("armed");
  });

  it("treats acknowledge and snooze of an armed alarm as no-ops", () => {
    const d = driver(rule("target", 95));
    expect(d.ack()).toEqual([]);
    expect(d.snooze(10)).toEqual([]);
    expect(d.phase).toBe("armed");
  });

  it("raises battery low at the percent and re-arms 5 % above it; a charger clears it", () => {
    const d = driver(rule("battery_low", 15));
    d.read(15);
    expect(d.read(14)).toEqual(["raised"]);
    d.read(18);
    d.read(19);
    expect(d.phase).toBe("firing");
    d.read(12, 5 * SEC, { clear: true });
    expect(d.read(12, 5 * SEC, { clear: true })).toEqual(["cleared"]);
  });
});
