import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAnalyticsService, type AnalyticsService } from "../../src/analytics";
import { createMemoryLogger, EventBus, type BusEvents, type PollResult, type ProbeState } from "../../src/shared";
import { openStore, type SqliteStore } from "../../src/store";
import { makeTempDir } from "../support/tmp";
import { HOUR, MIN, T0, device, newton, probe } from "./helpers";

const MEAT = probe("1", "meat", "Pork Butt");
const PIT = probe("2", "pit", "Grate");

/** A low-and-slow cook: pit up to 115 °C; meat heats, stalls at ~68 °C from 4.3 h, climbs again from 6.5 h. */
const pitAt = (h: number): number => {
  const m = h * 60 - 150; // a lid opening at 2.5 h
  if (m >= 0 && m < 6) return m < 1 ? 115 - 40 * m : 75 + 8 * (m - 1);
  return h < 0.4 ? 20 + 240 * h : 115;
};
const meatAt = (h: number): number => {
  const heat = newton(115, 5, 0.3);
  if (h < 4.3) return heat(h);
  if (h < 6.5) return heat(4.3) + 0.4 * (h - 4.3);
  return heat(4.3) + 0.9 + 9 * (h - 6.5);
};

describe("analytics service (real EventBus, real SQLite store)", () => {
  let dir: { dir: string; cleanup: () => void };
  let store: SqliteStore;
  let now = T0;
  const clock = { now: () => now };
  let bus = new EventBus();
  const seen: { states: ProbeState[][]; events: BusEvents["probe:event"][]; cooks: BusEvents["cook:changed"][]; cookEvents: BusEvents["cook:event"][] } = { states: [], events: [], cooks: [], cookEvents: [] };
  let service: AnalyticsService;
  let meatCurve = meatAt;

  const start = async (): Promise<AnalyticsService> => {
    const s = createAnalyticsService({ bus, readings: store, settings: store, cooks: store, logger: createMemoryLogger(), clock, pollIntervalMs: 60_000, timeZone: "UTC" });
    await s.start();
    return s;
  };
  const poll = (h: number, readings = true): void => {
    now = T0 + h * HOUR;
    const p: PollResult = {
      atMs: now,
      devices: [device("dev1", 60)],
      probes: [MEAT, PIT],
      readings: readings ? [{ probeId: MEAT.id, tsMs: now, tempC: meatCurve(h) }, { probeId: PIT.id, tsMs: now, tempC: pitAt(h) }] : [],
    };
    bus.emit("poll:result", p);
  };
  const runUntil = (fromH: number, toH: number): void => {
    for (let m = Math.round(fromH * 60); m <= Math.round(toH * 60); m++) poll(m / 60);
  };
  /** The service stopped now and started again at `h` hours into the cook (the add-on down meanwhile). */
  const restartAt = async (h: number): Promise<void> => {
    await service.stop();
    now = T0 + h * HOUR;
    service = await start();
  };
  /** Polls a minute apart from `fromMs` on, the probes out and reading the kitchen. */
  const kitchenPolls = (fromMs: number, minutes: number, meatC: number, pitC: number): void => {
    for (let m = 0; m < minutes; m++) {
      now = fromMs + m * MIN;
      bus.emit("poll:result", { atMs: now, devices: [], probes: [], readings: [{ probeId: MEAT.id, tsMs: now, tempC: meatC }, { probeId: PIT.id, tsMs: now, tempC: pitC }] });
    }
  };

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    meatCurve = meatAt;
    bus = new EventBus();
    seen.states = [];
    seen.events = [];
    seen.cooks = [];
    seen.cookEvents = [];
    dir = makeTempDir("grill-stats-analytics-");
    store = openStore({ dataDir: dir.dir, logger: createMemoryLogger(), clock });
    now = T0;
    // As in main.ts: readings are stored before anyone else sees the poll.
    bus.on("poll:result", (p) => {
      store.upsertDevices(p.devices);
      store.upsertProbes(p.probes);
      store.insertReadings(p.readings);
    });
    bus.on("probes:state", (s) => seen.states.push(s));
    bus.on("probe:event", (e) => seen.events.push(e));
    bus.on("cook:changed", (c) => seen.cooks.push(c));
    bus.on("cook:event", (e) => seen.cookEvents.push(e));
    store.saveSettings({ probeId: MEAT.id, targetC: 93, highC: null, lowC: null });
    service = await start();
  });

  afterEach(async () => {
    await service.stop();
    store.close();
    dir.cleanup();
    vi.useRealTimers();
  });

  it("puts a stall that resumes soon after it ended on the timeline once, from its first start", async () => {
    // A stall at 68 °C from 4.3 h, a 24-min climb out of it (+3 °C), flat again, then the climb for good.
    const heat = newton(115, 5, 0.2);
    const base = heat(4.3) + 0.4 * (5.5 - 4.3);
    meatCurve = (h) =>
      h < 4.3 ? heat(h) : h < 5.5 ? heat(4.3) + 0.4 * (h - 4.3) : h < 5.9 ? base + 8 * (h - 5.5) : h < 7 ? base + 3.2 + 0.3 * (h - 5.9) : base + 3.53 + 9 * (h - 7);
    runUntil(0, 8.5);
    const stallEvents = seen.events.filter((e) => e.kind === "stalled" || e.kind === "stall_ended").map((e) => e.kind);
    expect(stallEvents).toEqual(["stalled", "stall_ended", "stalled", "stall_ended"]);
    const cook = store.activeCook() as NonNullable<ReturnType<typeof store.activeCook>>;
    const timeline = store.listCookEvents(cook.id).filter((e) => e.kind === "stall_start" || e.kind === "stall_end");
    const meat = (seen.states.at(-1) as ProbeState[]).find((s) => s.id === MEAT.id) as ProbeState;
    expect(timeline.map((e) => [e.kind, e.tsMs])).toEqual([
      ["stall_start", meat.stall?.sinceMs],
      ["stall_end", meat.stall?.endedMs],
    ]);
  });

  it("runs a cook end to end: states per poll, cook session with events, restart keeps ETA and stall, staleness, end", async () => {
    runUntil(0, 5);
    expect(seen.states.length).toBe(5 * 60 + 1);
    const last = seen.states[seen.states.length - 1] as ProbeState[];
    const meat = last.find((s) => s.id === MEAT.id) as ProbeState;
    expect(meat).toMatchObject({ name: "Pork Butt", status: "ok", targetC: 93 });
    expect(meat.stall?.stalled).toBe(true);
    expect(meat.eta?.method).toBe("stall");
    expect(meat.eta?.doneMs as number).toBeGreaterThan(now);

    // The cook started by itself when the pit heated up, named after the meat probe, with its target.
    const cook = store.activeCook();
    expect(cook).toMatchObject({ name: "Pork Butt", endMs: null, targets: { [MEAT.id]: 93 } });
    expect(cook?.probeIds.sort()).toEqual([MEAT.id, PIT.id].sort());
    expect(seen.cooks.map((c) => c.change)).toContain("started");
    const kinds = store.listCookEvents(cook?.id as number).map((e) => e.kind);
    expect(kinds).toEqual(["lid_open", "lid_closed", "stall_start"]);
    expect(seen.cookEvents.map((e) => e.kind)).toEqual(kinds);
    expect(seen.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["lid_open", "lid_closed", "stalled"]));

    // A restart replays the stored history: the ETA and the stall survive.
    await service.stop();
    service = await start();
    const replayed = service.states().find((s) => s.id === MEAT.id) as ProbeState;
    expect(replayed.stall).toEqual(meat.stall);
    expect(Math.abs((replayed.eta?.doneMs as number) - (meat.eta?.doneMs as number))).toBeLessThan(5 * MIN);
    expect(replayed.minC).toBe(meat.minC);

    // The cloud goes quiet: the 30 s refresh shows the probes stale without any poll.
    const before = seen.states.length;
    now += 4 * MIN;
    vi.advanceTimersByTime(30_000);
    expect(seen.states.length).toBe(before + 1);
    expect(seen.states[seen.states.length - 1]?.every((s) => s.status === "stale")).toBe(true);

    // The cook goes on, the meat is pulled (probe out, reads room air), the pit is shut down.
    runUntil(5 + 5 / 60, 9);
    expect(seen.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["stall_ended", "target_reached", "done"]));
    kitchenPolls(T0 + 9 * HOUR + MIN, 40, 24, 30);
    expect(store.activeCook()).toBeNull();
    const ended = store.getCook(cook?.id as number);
    expect(ended?.endMs).not.toBeNull();
    expect(seen.cooks.map((c) => c.change)).toContain("ended");
  });

  it("after the add-on was down an hour mid-cook, the same cook goes on; one that ended meanwhile ends at its last live reading", async () => {
    runUntil(0, 3);
    const cook = store.activeCook() as NonNullable<ReturnType<typeof store.activeCook>>;
    // Down from 3 h to 4 h: the meat cooked on. The 30 s refresh comes before the first poll
    // (the cloud signs in slowly after a reboot): nothing is judged before new readings.
    await restartAt(4);
    now += 30_000;
    vi.advanceTimersByTime(30_000);
    runUntil(4 + 1 / 60, 4.5);
    expect(store.listCooks().filter((c) => c.endMs === null).map((c) => c.id)).toEqual([cook.id]);
    expect(seen.cooks.map((c) => c.change)).not.toContain("ended");

    // Down again from 4.5 h to 7.5 h, and meanwhile the cook was over: the probes read the kitchen.
    await restartAt(7.5);
    kitchenPolls(now, 41, 22, 21);
    expect(store.listCooks().filter((c) => c.endMs === null)).toEqual([]);
    // Ended where it was last seen alive (the last reading before the outage), not at the restart.
    expect(store.getCook(cook.id)?.endMs).toBe(T0 + 4.5 * HOUR);
  });

  it("after a restart with no readings coming (the cloud down) the cook ends 2 h later, at its last reading", async () => {
    runUntil(0, 3);
    const cook = store.activeCook() as NonNullable<ReturnType<typeof store.activeCook>>;
    await restartAt(3.5);
    for (let m = 1; m <= 119; m++) {
      now += MIN;
      vi.advanceTimersByTime(30_000);
    }
    expect(store.activeCook()?.id).toBe(cook.id);
    now += 2 * MIN;
    vi.advanceTimersByTime(30_000);
    expect(store.activeCook()).toBeNull();
    expect(store.getCook(cook.id)?.endMs).toBe(T0 + 3 * HOUR);
  });

  it("a cook the user ended is not started again by the same hot probes after the add-on was down", async () => {
    runUntil(0, 3);
    const cook = store.activeCook() as NonNullable<ReturnType<typeof store.activeCook>>;
    store.updateCook(cook.id, { endMs: now });
    bus.emit("cook:changed", { cook: store.getCook(cook.id) as NonNullable<ReturnType<typeof store.getCook>>, change: "ended" });
    await restartAt(4);
    runUntil(4, 4.5);
    expect(store.activeCook()).toBeNull();
    expect(store.listCooks().map((c) => c.id)).toEqual([cook.id]);
  });

  it("a wrap note for the whole cook wraps the meat, not the pit, and an RFX Meat probe as its core", async () => {
    const core = probe("core", "meat", "Turkey", "m1");
    const sensor = probe("1", "meat", "", "m1");
    const rfxPoll = (h: number): void => {
      now = T0 + h * HOUR;
      bus.emit("poll:result", {
        atMs: now,
        devices: [device("dev1", 60), { ...device("m1"), kind: "rfx_meat", transmitIntervalSec: 60, reportDeltaC: 0.556 }],
        probes: [MEAT, PIT, core, sensor],
        readings: [MEAT, core, sensor].map((p) => ({ probeId: p.id, tsMs: now, tempC: meatAt(h) })).concat({ probeId: PIT.id, tsMs: now, tempC: pitAt(h) }),
      });
    };
    for (let m = 0; m <= 120; m++) rfxPoll(m / 60);
    const cook = store.activeCook();
    expect(cook?.probeIds).toEqual(expect.arrayContaining([MEAT.id, PIT.id, core.id, sensor.id]));
    const note = store.addCookEvent({ cookId: cook?.id as number, tsMs: now - MIN, kind: "wrap", text: "foil" });
    bus.emit("cook:event", note);
    await Promise.resolve();
    const wrappedMs = (id: string) => service.states().find((s) => s.id === id)?.wrappedMs;
    expect([wrappedMs(MEAT.id), wrappedMs(core.id), wrappedMs(PIT.id), wrappedMs(sensor.id)]).toEqual([note.tsMs, note.tsMs, null, null]);
  });

  it("takes a wrap note of the active cook into the forecast at once, forgets it when deleted, and keeps it over a restart", async () => {
    runUntil(0, 5);
    const latestEta = () => (seen.states[seen.states.length - 1]?.find((s) => s.id === MEAT.id) as ProbeState).eta;
    const open = latestEta();
    expect(open?.method).toBe("stall");
    const cook = store.activeCook();
    // As POST /api/cooks/:id/events does: store the note, then tell the bus.
    const note = store.addCookEvent({ cookId: cook?.id as number, tsMs: now - 10 * MIN, kind: "wrap", text: "foil" });
    bus.emit("cook:event", note);
    await Promise.resolve();
    const wrapped = latestEta();
    expect(wrapped?.method).toBe("stall");
    expect(wrapped?.doneMs as number).toBeLessThan((open?.doneMs as number) - HOUR);
    expect(service.states().find((s) => s.id === MEAT.id)?.eta).toEqual(wrapped);
    expect(service.states().find((s) => s.id === MEAT.id)?.wrappedMs).toBe(note.tsMs);
    expect(service.states().find((s) => s.id === PIT.id)?.wrappedMs).toBeNull();

    await service.stop();
    service = await start();
    expect(service.states().find((s) => s.id === MEAT.id)?.eta).toEqual(wrapped);

    // The "wrapped" button in Home Assistant: a note now, on the probe's running cook.
    const notesBefore = store.listCookEvents(cook?.id as number).length;
    bus.emit("cook:mark", { probeId: MEAT.id, kind: "wrap", source: "homeassistant" });
    await Promise.resolve();
    const marked = store.listCookEvents(cook?.id as number);
    expect(marked).toHaveLength(notesBefore + 1);
    expect(marked.at(-1)).toMatchObject({ kind: "wrap", tsMs: now, probeId: MEAT.id });
    expect(seen.cookEvents.at(-1)).toEqual(marked.at(-1));
    // A probe in no running cook: nothing is written.
    bus.emit("cook:mark", { probeId: "nobody_1", kind: "wrap", source: "homeassistant" });
    expect(store.listCookEvents(cook?.id as number)).toHaveLength(notesBefore + 1);
    store.deleteCookEvent((marked.at(-1) as { id: number }).id);

    // As DELETE /api/cooks/:id/events/:eventId does.
    store.deleteCookEvent(note.id);
    bus.emit("cook:changed", { cook: store.activeCook() as NonNullable<ReturnType<typeof store.activeCook>>, change: "updated" });
    await Promise.resolve();
    expect(latestEta()).toEqual(open);
  });

  it("keeps min and max of the running cook: counted again after a split, the pit's lid dip included", async () => {
    runUntil(0, 2.2);
    const cook = store.activeCook();
    expect(cook).not.toBeNull();
    // As POST /api/cooks/:id/split does: the part from 2 h on is the running cook now.
    const later = store.splitCook(cook?.id as number, T0 + 2 * HOUR);
    bus.emit("cook:changed", { cook: later, change: "updated" });
    await Promise.resolve();
    const state = (id: string) => service.states().find((s) => s.id === id) as ProbeState;
    expect(state(MEAT.id).minC).toBeCloseTo(meatAt(2), 1);
    runUntil(2.2, 3);
    expect(state(MEAT.id)).toMatchObject({ minC: expect.closeTo(meatAt(2), 1), maxC: expect.closeTo(meatAt(3), 1) });
    // The lid opening at 2.5 h took the pit to 75 °C: out of the forecast's series, not out of its minimum.
    expect(state(PIT.id)).toMatchObject({ minC: 75, maxC: 115 });
    // The current reading is never above the maximum shown.
    expect(state(MEAT.id).tempC).toBe(state(MEAT.id).maxC);

    // The meat comes off: its probe reads the kitchen (the analytics' history of it restarts there).
    for (let m = 1; m <= 30; m++) {
      now = T0 + 3 * HOUR + m * MIN;
      bus.emit("poll:result", { atMs: now, devices: [device("dev1", 60)], probes: [MEAT, PIT], readings: [{ probeId: MEAT.id, tsMs: now, tempC: 21 }, { probeId: PIT.id, tsMs: now, tempC: 115 }] });
    }
    expect(state(MEAT.id).minC).toBe(21);
    // Merged back with the earlier part (POST /api/cooks/:id/merge): the whole cook's range again,
    // from the stored readings, not from the analytics' history that restarted when the meat came off.
    const whole = store.mergeCooks(cook?.id as number, later.id);
    bus.emit("cook:changed", { cook: whole, change: "updated" });
    await Promise.resolve();
    const firstMeat = store.readingsBetween(MEAT.id, whole.startMs, now)[0]?.tempC as number;
    expect(state(MEAT.id)).toMatchObject({ minC: Math.min(firstMeat, 21), maxC: expect.closeTo(meatAt(3), 1) });
    expect(state(PIT.id)).toMatchObject({ minC: expect.closeTo(Math.min(...store.readingsBetween(PIT.id, whole.startMs, now).map((r) => r.tempC as number)), 2), maxC: 115 });
  });

  it("recomputes when a target changes and stops listening on stop", async () => {
    runUntil(0, 1);
    store.saveSettings({ probeId: MEAT.id, targetC: null, highC: null, lowC: null });
    bus.emit("settings:changed", { settings: { probeId: MEAT.id, targetC: null, highC: null, lowC: null }, source: "api" });
    const last = seen.states[seen.states.length - 1]?.find((s) => s.id === MEAT.id);
    expect(last?.eta).toBeNull();
    await service.stop();
    const count = seen.states.length;
    poll(1.1);
    vi.advanceTimersByTime(60_000);
    expect(seen.states.length).toBe(count);
    expect(bus.listenerCount("settings:changed")).toBe(0);
  });
});
