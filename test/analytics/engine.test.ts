import { describe, expect, it } from "vitest";
import { createAnalyticsEngine, type AnalyticsEngine, type ProbeEventOut } from "../../src/analytics";
import type { ProbeState, Reading } from "../../src/shared";
import { HOUR, MIN, T0, device, newton, probe, series, settingsMap, toReadings } from "./helpers";

const MEAT = probe("1", "meat", "Brisket");
const PIT = probe("2", "pit", "");
const settings = settingsMap({ [MEAT.id]: 95, [PIT.id]: null });

/** Feeds readings one poll per minute; returns all events and the last states. */
const feed = (engine: AnalyticsEngine, readings: Reading[], opts: { transmitIntervalSec?: number | null; reportDeltaC?: number | null } = {}) => {
  const events: ProbeEventOut[] = [];
  let states: ProbeState[] = [];
  const byMinute = new Map<number, Reading[]>();
  for (const r of readings) {
    const key = Math.floor(r.tsMs / MIN);
    byMinute.set(key, [...(byMinute.get(key) ?? []), r]);
  }
  for (const [minute, batch] of [...byMinute].sort((a, b) => a[0] - b[0])) {
    const out = engine.ingest({ devices: [{ ...device("dev1", opts.transmitIntervalSec ?? null), reportDeltaC: opts.reportDeltaC ?? null }], probes: [MEAT, PIT], readings: batch, settings, nowMs: (minute + 1) * MIN });
    events.push(...out.events);
    states = out.states;
  }
  return { events, states, meat: () => states.find((s) => s.id === MEAT.id) as ProbeState, pit: () => states.find((s) => s.id === PIT.id) as ProbeState };
};

describe("analytics engine", () => {
  it("publishes every known probe with name, health, min/max, rate, ETA and forecast", () => {
    const engine = createAnalyticsEngine({ pollIntervalMs: 60_000 });
    const r = feed(engine, [...toReadings(MEAT.id, series(newton(120, 20, 0.4), 0, 2)), ...toReadings(PIT.id, series(() => 120, 0, 2))]);
    const meat = r.meat();
    expect(meat).toMatchObject({ name: "Brisket", role: "meat", status: "ok", targetC: 95, lidOpen: false });
    expect(r.pit()).toMatchObject({ name: "Signals probe 2", autoName: { device: "Signals", channel: "2" } });
    expect(meat.autoName).toBeNull();
    expect(r.pit().eta).toBeNull();
    expect(meat.minC).toBeCloseTo(20, 0);
    expect(meat.maxC).toBeCloseTo(newton(120, 20, 0.4)(2), 0);
    expect(meat.rateCPerHour as number).toBeCloseTo(0.4 * (120 - newton(120, 20, 0.4)(2)), -0.5);
    expect(meat.eta?.doneMs).not.toBeNull();
    expect(meat.forecast.length).toBeGreaterThan(5);
  });

  it("has no ETA without a target", () => {
    const engine = createAnalyticsEngine();
    const out = engine.ingest({ devices: [device()], probes: [MEAT], readings: toReadings(MEAT.id, series((h) => 30 + 10 * h, 0, 1)), settings: settingsMap({}), nowMs: T0 + HOUR });
    expect(out.states[0]?.eta).toBeNull();
    expect(out.states[0]?.forecast).toEqual([]);
  });

  it("keeps a done meat's done time when it comes off the heat, pulled or cooling, until new meat goes in", () => {
    // Up to 95 °C at about 1.6 h, held there half an hour, then off.
    const heat = newton(130, 60, 0.6);
    const cooked = series((h) => Math.min(96, heat(h)), 0, 2.2);
    const reachedAt = cooked.find((s) => s.tempC >= 95)?.tsMs as number;
    const doneEta = { doneMs: reachedAt, p10Ms: reachedAt, p90Ms: reachedAt, method: "done", reason: "target reached" };
    for (const off of ["pulled", "cooling", "unplugged"] as const) {
      const engine = createAnalyticsEngine({ pollIntervalMs: 60_000 });
      // Pulled: the probe reads the kitchen from one minute to the next; cooling: the probe stays in
      // the resting meat, 1 °C a minute; unplugged: the probe is out of the device.
      const after = off === "pulled" ? series(() => 22, 2.2 + 1 / 60, 2.7) : off === "cooling" ? series((h) => 96 - 60 * (h - 2.2), 2.2 + 1 / 60, 2.7) : [];
      const readings = [...toReadings(MEAT.id, [...cooked, ...after])];
      if (off === "unplugged") readings.push({ probeId: MEAT.id, tsMs: T0 + 2.25 * HOUR, tempC: null });
      const r = feed(engine, readings);
      expect(r.meat().eta, off).toEqual(doneEta);
      expect(r.meat().forecast, off).toEqual([]);
    }
    // A probe that reports every 5 min: the pull's fall is held for up to 20 min (too few readings
    // to call it settled), past the forecast's 15 min without a clean reading. Done all along.
    const sparse = createAnalyticsEngine({ pollIntervalMs: 60_000 });
    const every5 = 5 * MIN;
    const sparseCooked = series((h) => Math.min(96, heat(h)), 0, 2.2, every5);
    const sparseReached = sparseCooked.find((x) => x.tempC >= 95)?.tsMs as number;
    const held = feed(sparse, toReadings(MEAT.id, [...sparseCooked, ...series(() => 22, 2.2 + 5 / 60, 2.2 + 16 / 60, every5)]));
    // Pulled, not broken: the probe reads the kitchen and says so, no "glitch" while it is held.
    expect(held.meat()).toMatchObject({ status: "ok", tempC: 22 });
    expect(held.meat().eta).toMatchObject({ method: "done", doneMs: sparseReached });
    // New meat on the same probe (a cold one, inserted): its own forecast.
    const engine = createAnalyticsEngine({ pollIntervalMs: 60_000 });
    const r = feed(engine, toReadings(MEAT.id, [...cooked, ...series(() => 22, 2.2 + 1 / 60, 2.5), ...series((h) => 5 + 30 * (h - 2.6), 2.6, 3.2)]));
    expect(r.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["removed", "inserted"]));
    expect(r.meat().eta?.method).not.toBe("done");
    // Straight from the resting meat (cooled to 72 °C) into new cold meat: no plug, no "inserted";
    // once the new meat warms by more than a few degrees the old done time is over.
    const resting = createAnalyticsEngine({ pollIntervalMs: 60_000 });
    const cooling = series((h) => 96 - 60 * (h - 2.2), 2.2 + 1 / 60, 2.6);
    const fresh = feed(resting, toReadings(MEAT.id, [...cooked, ...cooling, ...series((h) => 5 + 20 * (h - 2.65), 2.65, 3.3)]));
    expect(fresh.meat().tempC as number).toBeGreaterThan(15);
    expect(fresh.meat().eta?.method).not.toBe("done");
  });

  it("marks a null reading unplugged (removed) and the next value inserted", () => {
    const engine = createAnalyticsEngine();
    const r = feed(engine, [
      ...toReadings(MEAT.id, series(() => 50, 0, 0.2)),
      { probeId: MEAT.id, tsMs: T0 + 0.25 * HOUR, tempC: null },
    ]);
    expect(r.meat()).toMatchObject({ status: "unplugged", tempC: null });
    expect(r.events.map((e) => e.kind)).toContain("removed");
    const back = engine.ingest({ devices: [], probes: [], readings: [{ probeId: MEAT.id, tsMs: T0 + 0.3 * HOUR, tempC: 22 }], settings, nowMs: T0 + 0.3 * HOUR });
    expect(back.events).toMatchObject([{ kind: "inserted", probeId: MEAT.id, tempC: 22 }]);
    expect(back.states.find((s) => s.id === MEAT.id)?.status).toBe("ok");
  });

  it("rides out dropouts: a probe back within 10 min where it was heading keeps its history, stall and ETA", () => {
    const curve = (h: number): number => (h < 2.8 ? 40 + 10 * h : 68 + 0.5 * (h - 2.8));
    const clean = [...toReadings(MEAT.id, series(curve, 0, 4)), ...toReadings(PIT.id, series(() => 115, 0, 4))];
    // The same cook with the meat reading nothing (no probe) once every 20 min, and the pit once an hour.
    const withDropouts = clean.map((r, i) => (r.tsMs > T0 + 10 * MIN && i % (r.probeId === MEAT.id ? 40 : 120) === 7 ? { ...r, tempC: null } : r));
    expect(withDropouts.filter((r) => r.tempC === null).length).toBeGreaterThan(10);
    const a = feed(createAnalyticsEngine(), clean);
    const engine = createAnalyticsEngine();
    const b = feed(engine, withDropouts);
    // The device said "no probe", so the events say so, marked as a resumed dropout.
    const inserted = b.events.filter((e) => e.kind === "inserted");
    expect(inserted.length).toBeGreaterThan(10);
    expect(inserted.every((e) => e.detail?.resumed === true)).toBe(true);
    // The history, the stall and the ETA go on as if nothing had happened.
    expect(engine.series(MEAT.id).tsAt(0)).toBe(T0);
    expect(b.meat().stall).toMatchObject({ stalled: true, sinceMs: a.meat().stall?.sinceMs });
    expect(b.meat().eta?.method).toBe(a.meat().eta?.method);
    expect(Math.abs((b.meat().eta?.doneMs as number) - (a.meat().eta?.doneMs as number))).toBeLessThan(10 * MIN);
    expect(b.events.filter((e) => e.kind === "stalled")).toHaveLength(1);
  });

  it("detects an RFX Meat probe's stall on its core only, not on each sensor along the shaft", () => {
    const rfx = { ...device("m1"), serial: "M1", kind: "rfx_meat" as const };
    const probes = ["core", "1", "2"].map((channel) => ({ ...probe(channel, "meat", "", "m1"), deviceSerial: "M1" }));
    const curve = (h: number): number => (h < 2.8 ? 40 + 10 * h : 68 + 0.5 * (h - 2.8));
    const engine = createAnalyticsEngine();
    const events: ProbeEventOut[] = [];
    let states: ProbeState[] = [];
    for (let m = 0; m <= 4 * 60; m++) {
      const tsMs = T0 + m * MIN;
      const readings = probes.map((p) => ({ probeId: p.id, tsMs, tempC: curve(m / 60) }));
      const out = engine.ingest({ devices: [rfx], probes, readings, settings: settingsMap({ m1_core: 95 }), nowMs: tsMs + 1 });
      events.push(...out.events);
      states = out.states;
    }
    expect(events.filter((e) => e.kind === "stalled").map((e) => e.probeId)).toEqual(["m1_core"]);
    // Listed core first, then its sensors.
    expect(states.map((s) => s.id)).toEqual(["m1_core", "m1_1", "m1_2"]);
    expect(states.find((s) => s.id === "m1_core")?.stall?.stalled).toBe(true);
    expect(states.filter((s) => s.id !== "m1_core").map((s) => s.stall)).toEqual([null, null]);
  });

  it("keeps forecasting from the same pit when two pit probes read apart and report in turns", () => {
    // Grate at 110 °C and dome at 130 °C, each every 2 min, one on the even minutes, one on the odd.
    const grate = probe("2", "pit", "Grate");
    const dome = probe("3", "pit", "Dome");
    const meatCurve = newton(120, 5, 0.3);
    const engine = createAnalyticsEngine();
    const etas: number[] = [];
    for (let m = 0; m <= 180; m++) {
      const tsMs = T0 + m * MIN;
      const readings: Reading[] = [{ probeId: MEAT.id, tsMs, tempC: meatCurve(m / 60) }, { probeId: m % 2 === 0 ? grate.id : dome.id, tsMs, tempC: m % 2 === 0 ? 110 : 130 }];
      const out = engine.ingest({ devices: [device("dev1")], probes: [MEAT, grate, dome], readings, settings, nowMs: tsMs + 1 });
      const eta = out.states.find((x) => x.id === MEAT.id)?.eta?.doneMs;
      if (m >= 120 && typeof eta === "number") etas.push(eta);
    }
    // Each poll's done time moves by a few minutes at most, not by the ~50 min between the two
    // pits' forecasts (taking turns, the pits made it jump by 52 min).
    const jumps = etas.slice(1).map((e, i) => Math.abs(e - (etas[i] as number)) / MIN);
    expect(jumps.length).toBeGreaterThan(50);
    expect(Math.max(...jumps)).toBeLessThan(10);
  });

  it("starts a new history when an unplugged probe comes back later, or somewhere else", () => {
    const early = toReadings(MEAT.id, series((h) => 40 + 10 * h, 0, 1));
    const lastMs = T0 + HOUR;
    for (const [label, back] of [
      ["11 min later, where it was heading", { tsMs: lastMs + 11 * MIN, tempC: 50 + (10 * 11) / 60 }],
      ["2 min later, 6 °C off", { tsMs: lastMs + 2 * MIN, tempC: 44 }],
    ] as const) {
      const engine = createAnalyticsEngine();
      feed(engine, [...early, { probeId: MEAT.id, tsMs: lastMs + 30_000, tempC: null }]);
      const out = engine.ingest({ devices: [], probes: [], readings: [{ probeId: MEAT.id, ...back }], settings, nowMs: back.tsMs });
      expect(out.events, label).toMatchObject([{ kind: "inserted", tempC: back.tempC }]);
      expect(out.events[0]?.detail, label).toBeUndefined();
      expect(engine.series(MEAT.id).length, label).toBe(1);
      expect(out.states.find((s) => s.id === MEAT.id)?.eta?.reason, label).toMatch(/collecting readings/);
    }
  });

  it("starts the meat's history when a probe that read the room is pushed into colder meat", () => {
    // 20 min in the kitchen at 21 °C, then into fridge-cold meat (6 °C) that heats toward a 120 °C pit.
    const heat = newton(120, 6, 0.5);
    const room = series(() => 21, 0, 1 / 3);
    const inMeat = series((h) => heat(h - 1 / 3 - 1 / 60), 1 / 3 + 1 / 60, 2);
    const insertedMs = inMeat[0]?.tsMs as number;
    const engine = createAnalyticsEngine({ pollIntervalMs: 60_000 });
    const r = feed(engine, [...toReadings(MEAT.id, [...room, ...inMeat]), ...toReadings(PIT.id, series(() => 120, 0, 2))]);
    expect(r.events.filter((e) => e.probeId === MEAT.id).map((e) => ({ kind: e.kind, tsMs: e.tsMs }))).toEqual([{ kind: "inserted", tsMs: insertedMs }]);
    // Warming back through room temperature does not make it a dip that came back: the history
    // is the meat's own, so the forecast is the meat's Newton curve, not one of meat that sat at
    // 21 °C for 20 min and only then began to rise.
    const meatSeries = engine.series(MEAT.id);
    expect(meatSeries.tsAt(0)).toBe(insertedMs);
    expect(meatSeries.tempAt(0)).toBeCloseTo(6, 5);
    const straight = feed(createAnalyticsEngine({ pollIntervalMs: 60_000 }), [...toReadings(MEAT.id, inMeat), ...toReadings(PIT.id, series(() => 120, 0, 2))]);
    expect(r.meat().eta?.doneMs).not.toBeNull();
    expect(r.meat().eta).toEqual(straight.meat().eta);
  });

  it("takes one low reading of a probe lying in the kitchen for a glitch, not for meat", () => {
    const room = series(() => 21, 0, 2 / 3);
    const glitchMs = (room.at(-1)?.tsMs as number) + 30_000;
    const after = series(() => 21, 2 / 3 + 1 / 60, 1);
    const engine = createAnalyticsEngine({ pollIntervalMs: 60_000 });
    const r = feed(engine, toReadings(MEAT.id, [...room, { tsMs: glitchMs, tempC: 9 }, ...after]));
    expect(r.events.filter((e) => e.probeId === MEAT.id)).toEqual([]);
    expect(engine.series(MEAT.id).tsAt(0)).toBe(T0);
  });

  it("keeps a pit's history through a dropout even when the pit moved meanwhile (same cooker, the predictor needs it)", () => {
    const engine = createAnalyticsEngine();
    feed(engine, [...toReadings(PIT.id, series(() => 110, 0, 1)), { probeId: PIT.id, tsMs: T0 + HOUR + 30_000, tempC: null }]);
    const out = engine.ingest({ devices: [], probes: [], readings: [{ probeId: PIT.id, tsMs: T0 + HOUR + 2 * MIN, tempC: 135 }], settings, nowMs: T0 + HOUR + 2 * MIN });
    expect(out.events).toMatchObject([{ kind: "inserted", detail: { resumed: true } }]);
    const pit = engine.series(PIT.id);
    expect(pit.tsAt(0)).toBe(T0);
    expect(pit.tempAt(pit.length - 1)).toBe(135);
  });

  it("shows the rate of rise of probes that report only every 5 or 10 minutes", () => {
    for (const stepMin of [5, 10]) {
      const engine = createAnalyticsEngine();
      const r = feed(engine, [...toReadings(MEAT.id, series((h) => 40 + 10 * h, 0, 2, stepMin * MIN)), ...toReadings(PIT.id, series((h) => 60 + 30 * h, 0, 2, stepMin * MIN))], { transmitIntervalSec: stepMin * 60 });
      expect(r.meat().rateCPerHour, `${stepMin} min`).toBeCloseTo(10, 0);
      expect(r.pit().rateCPerHour, `${stepMin} min`).toBeCloseTo(30, 0);
    }
  });

  it("takes fast heating of a probe that reports every 10 min for heat, not handling, and still sees a reinsertion", () => {
    // 20 → 87 °C (target 95) at up to 66 °C/h (a small cut on a hot pit), one reading per 10 min.
    const heat = newton(140, 20, 0.55);
    const engine = createAnalyticsEngine();
    const r = feed(engine, toReadings(MEAT.id, series(heat, 0, 1.5, 10 * MIN)), { transmitIntervalSec: 600 });
    expect(r.events).toEqual([]);
    expect(r.meat().status).toBe("ok");
    expect(r.meat().rateCPerHour as number).toBeGreaterThan(30);
    expect(engine.series(MEAT.id).length).toBe(10);
    // Pulled and pushed into a colder spot: 15 °C lower and rising from there.
    const after = series((h) => heat(h) - 15, 1.5 + 1 / 6, 3, 10 * MIN);
    const r2 = feed(engine, toReadings(MEAT.id, after), { transmitIntervalSec: 600 });
    expect(r2.events.map((e) => e.kind)).toContain("reinserted");
  });

  it("goes stale after max(3 × transmit interval, 3 × poll interval, 2 min) without new readings, then offline", () => {
    const engine = createAnalyticsEngine({ pollIntervalMs: 30_000 });
    feed(engine, toReadings(MEAT.id, series(() => 50, 0, 0.2)), { transmitIntervalSec: 120 });
    const lastMs = T0 + 0.2 * HOUR;
    const at = (ms: number) => engine.refresh(settings, lastMs + ms).states.find((s) => s.id === MEAT.id)?.status;
    expect(at(5 * MIN)).toBe("ok"); // 3 × 120 s = 6 min
    expect(at(7 * MIN)).toBe("stale");
    expect(at(25 * MIN)).toBe("offline");
  });

  it("keeps the done time through a radio blip, and stops showing it once the probe has been unplugged a while", () => {
    const engine = createAnalyticsEngine({ pollIntervalMs: 30_000 });
    const pit = toReadings(PIT.id, series(() => 120, 0, 2));
    feed(engine, [...toReadings(MEAT.id, series((h) => 40 + 15 * h, 0, 2)), ...pit]);
    const lastMs = T0 + 2 * HOUR;
    const meatAt = (ms: number) => engine.refresh(settings, ms).states.find((s) => s.id === MEAT.id);
    expect(meatAt(lastMs + 20_000)?.eta?.doneMs).not.toBeNull();
    const unplug = (atMs: number) => engine.ingest({ devices: [device("dev1")], probes: [MEAT, PIT], readings: [{ probeId: MEAT.id, tsMs: atMs, tempC: null }], settings, nowMs: atMs });
    unplug(lastMs + 30_000);
    const blip = meatAt(lastMs + 60_000);
    expect(blip).toMatchObject({ status: "unplugged" });
    expect(blip?.eta?.doneMs).not.toBeNull();
    expect(blip?.forecast.length).toBeGreaterThan(0);
    const out = meatAt(lastMs + 3 * MIN);
    expect(out?.eta).toMatchObject({ doneMs: null, reason: "no recent readings" });
    expect(out?.forecast).toEqual([]);
  });

  it("gives a probe that uploads only on change, and names no heartbeat, 3 × 15 min before it is stale", () => {
    // An RFX Meat probe in a stall can hold a reading inside its 1 °F trigger for an hour.
    const engine = createAnalyticsEngine({ pollIntervalMs: 30_000 });
    feed(engine, toReadings(MEAT.id, series(() => 70, 0, 0.2)), { transmitIntervalSec: null, reportDeltaC: 0.556 });
    const lastMs = T0 + 0.2 * HOUR;
    const at = (ms: number) => engine.refresh(settings, lastMs + ms).states.find((s) => s.id === MEAT.id)?.status;
    expect(at(40 * MIN)).toBe("ok");
    expect(at(50 * MIN)).toBe("stale");
    // With a heartbeat it is judged by that: the gateway hears a live probe every minute.
    const beating = createAnalyticsEngine({ pollIntervalMs: 30_000 });
    feed(beating, toReadings(MEAT.id, series(() => 70, 0, 0.2)), { transmitIntervalSec: 60, reportDeltaC: 0.556 });
    expect(beating.refresh(settings, lastMs + 4 * MIN).states.find((s) => s.id === MEAT.id)?.status).toBe("stale");
  });

  it("takes a stall on a probe that reports on change from its reports: held readings while the meat climbs are no stall", () => {
    // Climbing 2.5 °C/h from 60 °C, reported at 3 °F (1.67 °C), held once a minute between reports.
    const stepC = (3 * 5) / 9;
    let reported: number | null = null;
    const readings = toReadings(MEAT.id, series((h) => 60 + 2.5 * h, 0, 4, MIN).map((p) => {
      if (reported === null || p.tempC - reported >= stepC) reported = p.tempC;
      return { ...p, tempC: reported };
    }));
    const stallsOf = (reportDeltaC: number | null) => feed(createAnalyticsEngine({ pollIntervalMs: 60_000 }), readings, { transmitIntervalSec: 60, reportDeltaC }).events.filter((e) => e.kind === "stalled");
    // The device says it reports on change (the RFX Meat probe's delta trigger): no stall.
    expect(stallsOf(stepC)).toEqual([]);
    // Told nothing, the 40-min flats between reports read as 0 °C/h.
    expect(stallsOf(null).length).toBeGreaterThan(0);
    // A restart replays the stored history in one go, with the devices from the store: the same.
    const seeded = (reportDeltaC: number | null) =>
      createAnalyticsEngine({ pollIntervalMs: 60_000 }).ingest({ devices: [{ ...device("dev1", 60), reportDeltaC }], probes: [MEAT, PIT], readings, settings, nowMs: T0 + 4 * HOUR });
    expect(seeded(stepC).events.filter((e) => e.kind === "stalled")).toEqual([]);
    expect(seeded(stepC).states.find((x) => x.id === MEAT.id)?.stall?.stalled).toBe(false);
    expect(seeded(null).events.some((e) => e.kind === "stalled")).toBe(true);
  });

  it("drops a single-sample spike and sentinel values without events, and does not count them in min/max", () => {
    const engine = createAnalyticsEngine();
    const readings = toReadings(MEAT.id, series((h) => 60 + 5 * h, 0, 1));
    const spikeAt = readings.findIndex((x) => x.tsMs >= T0 + 0.5 * HOUR);
    (readings[spikeAt] as Reading).tempC = 100.1;
    readings.push({ probeId: MEAT.id, tsMs: T0 + 1.01 * HOUR, tempC: 676 });
    const r = feed(engine, readings);
    expect(r.events).toEqual([]);
    expect(r.meat().maxC as number).toBeLessThan(66);
    expect(r.meat().status).toBe("glitch");
    expect(r.meat().tempC as number).toBeLessThan(66);
    const later = engine.ingest({ devices: [], probes: [], readings: [{ probeId: MEAT.id, tsMs: T0 + 1.02 * HOUR, tempC: 65.2 }], settings, nowMs: T0 + 1.02 * HOUR });
    expect(later.states.find((s) => s.id === MEAT.id)?.status).toBe("ok");
  });

  it("keeps a wrap for the meat it was made on, not for the next meat on the same probe", () => {
    const heat = newton(120, 5, 0.35);
    // Wrapped at 4 h (the probe pulled for 6 min and put back), done and pulled at 8 h, new cold meat at 8.5 h.
    const cooked = series((h) => (h >= 4 && h < 4.1 ? 24 : heat(h)), 0, 8);
    const engine = createAnalyticsEngine({ pollIntervalMs: 60_000 });
    engine.setWraps(new Map([[MEAT.id, T0 + 4 * HOUR]]));
    const wrapped = feed(engine, toReadings(MEAT.id, cooked));
    expect(wrapped.meat().wrappedMs).toBe(T0 + 4 * HOUR);
    const next = feed(engine, toReadings(MEAT.id, [...series(() => 22, 8 + 1 / 60, 8.5), ...series((h) => heat(h - 8.5), 8.5 + 1 / 60, 10)]));
    expect(next.events.map((e) => e.kind)).toContain("removed");
    // The cook's wrap note is still there; it is not this meat's: no wrap, and no "stall ends soon".
    expect(next.meat().wrappedMs).toBeNull();
    // Nor after the probe was unplugged and plugged into new meat.
    const replug = createAnalyticsEngine({ pollIntervalMs: 60_000 });
    replug.setWraps(new Map([[MEAT.id, T0 + 4 * HOUR]]));
    feed(replug, toReadings(MEAT.id, cooked));
    const unplugged = feed(replug, [{ probeId: MEAT.id, tsMs: T0 + 8 * HOUR + MIN, tempC: null }, ...toReadings(MEAT.id, series((h) => heat(h - 8.5), 8.5, 10))]);
    expect(unplugged.events.map((e) => e.kind)).toContain("inserted");
    expect(unplugged.meat().wrappedMs).toBeNull();
    // The same meat, its probe moved hours after the wrap (a drop that stays, not the room): still wrapped.
    const moved = createAnalyticsEngine({ pollIntervalMs: 60_000 });
    moved.setWraps(new Map([[MEAT.id, T0 + 4 * HOUR]]));
    const shifted = feed(moved, toReadings(MEAT.id, [...cooked.filter((s) => s.tsMs < T0 + 6 * HOUR), ...series((h) => heat(h) - 12, 6, 7)]));
    expect(shifted.events.map((e) => e.kind)).toContain("reinserted");
    expect(shifted.meat().wrappedMs).toBe(T0 + 4 * HOUR);
  });

  it("shows a held fall of a meat probe as ok and a held rise as glitch", () => {
    const climb = series((h) => 60 + 5 * h, 0, 1);
    const lastMs = climb[climb.length - 1]?.tsMs as number;
    // Two minutes after a pull (still held: it has not settled), and two minutes against the grate.
    const pulled = feed(createAnalyticsEngine({ pollIntervalMs: 60_000 }), toReadings(MEAT.id, [...climb, { tsMs: lastMs + MIN, tempC: 40 }, { tsMs: lastMs + 2 * MIN, tempC: 31 }]));
    expect(pulled.meat()).toMatchObject({ status: "ok", tempC: 31, minC: 31, rateCPerHour: null });
    const grate = feed(createAnalyticsEngine({ pollIntervalMs: 60_000 }), toReadings(MEAT.id, [...climb, { tsMs: lastMs + MIN, tempC: 110 }, { tsMs: lastMs + 2 * MIN, tempC: 118 }]));
    expect(grate.meat()).toMatchObject({ status: "glitch", tempC: 118 });
    // A pit holds only rises (its falls are the lid detector's): a held rise is a glitch there too.
    const pitClimb = toReadings(PIT.id, series(() => 110, 0, 1));
    const pit = feed(createAnalyticsEngine({ pollIntervalMs: 60_000 }), [...pitClimb, { probeId: PIT.id, tsMs: lastMs + MIN, tempC: 190 }]);
    expect(pit.pit().status).toBe("glitch");
  });

  it("treats −300 °C as no probe", () => {
    const engine = createAnalyticsEngine();
    const out = engine.ingest({ devices: [device()], probes: [MEAT], readings: [{ probeId: MEAT.id, tsMs: T0, tempC: -300 }], settings, nowMs: T0 });
    expect(out.states[0]).toMatchObject({ status: "unplugged", tempC: null });
  });

  it("detects a reinsertion (sudden drop that stays) and resets the predictor for that probe", () => {
    const engine = createAnalyticsEngine();
    const before = series(newton(120, 20, 0.4), 0, 3);
    const dropAt = T0 + 3 * HOUR + MIN;
    const after = series((h) => 50 + 12 * (h - 3), 3 + 1 / 60, 3.5).map((p) => ({ ...p }));
    const r = feed(engine, [...toReadings(MEAT.id, [...before, ...after]), ...toReadings(PIT.id, series(() => 120, 0, 3.5))]);
    const reinserted = r.events.filter((e) => e.kind === "reinserted");
    expect(reinserted).toHaveLength(1);
    expect(reinserted[0]?.tsMs).toBe(dropAt);
    // The history restarted at the drop: nothing from before it feeds the predictor any more.
    expect(engine.series(MEAT.id).tsAt(0)).toBe(dropAt);
    const justAfter = createAnalyticsEngine();
    const r2 = feed(justAfter, [...toReadings(MEAT.id, [...before, ...after.filter((p) => p.tsMs <= dropAt + 8 * MIN)]), ...toReadings(PIT.id, series(() => 120, 0, 3 + 9 / 60))]);
    expect(r2.meat().eta?.doneMs).toBeNull();
    expect(r2.meat().eta?.reason).toMatch(/collecting/);
  });

  it("marks a lid opening on the pit (lidOpen, then closed) without calling it a fault", () => {
    const engine = createAnalyticsEngine();
    const pit = (h: number): number => {
      const m = h * 60 - 120; // minutes since the lid opened at 2 h
      if (m < 0) return 120;
      if (m < 2) return 120 - 25 * m;
      if (m < 8) return 70 + 8 * (m - 2);
      return 120;
    };
    const readings = [...toReadings(PIT.id, series(pit, 0, 2 + 3 / 60)), ...toReadings(MEAT.id, series(newton(120, 20, 0.4), 0, 2 + 3 / 60))];
    const open = feed(engine, readings);
    expect(open.pit()).toMatchObject({ lidOpen: true, status: "ok" });
    expect(open.events.map((e) => e.kind)).toEqual(["lid_open"]);
    const rest = [...toReadings(PIT.id, series(pit, 2 + 3.5 / 60, 2.5)), ...toReadings(MEAT.id, series(newton(120, 20, 0.4), 2 + 3.5 / 60, 2.5))];
    const closed = feed(engine, rest);
    expect(closed.pit()).toMatchObject({ lidOpen: false, status: "ok" });
    expect(closed.events.map((e) => e.kind)).toEqual(["lid_closed"]);
    // The dip (down to 70 °C) never reached the pit series the predictor uses; only the last few
    // degrees of the recovery did.
    const pitSeries = engine.series(PIT.id);
    expect(pitSeries.length).toBeGreaterThan(0);
    expect(Math.min(...Array.from({ length: pitSeries.length }, (_, i) => pitSeries.tempAt(i)))).toBeGreaterThanOrEqual(110);
  });

  it("emits stalled / stall_ended and target_reached, then done after 5 min at the target", () => {
    const engine = createAnalyticsEngine();
    const curve = (h: number): number => (h < 2.8 ? 40 + 10 * h : h < 5 ? 68 + 0.5 * (h - 2.8) : 69.1 + 12 * (h - 5));
    const r = feed(engine, [...toReadings(MEAT.id, series(curve, 0, 7.5)), ...toReadings(PIT.id, series(() => 115, 0, 7.5))]);
    const kinds = r.events.map((e) => e.kind);
    expect(kinds).toEqual(["stalled", "stall_ended", "target_reached", "done"]);
    const reached = r.events.find((e) => e.kind === "target_reached");
    const done = r.events.find((e) => e.kind === "done");
    expect((done?.tsMs ?? 0) - (reached?.tsMs ?? 0)).toBeGreaterThanOrEqual(5 * MIN);
    expect(r.meat().eta?.method).toBe("done");
    expect(r.meat().stall).toMatchObject({ stalled: false });
  });
});
