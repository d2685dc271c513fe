import { describe, expect, it } from "vitest";
import { cookName, createCookSessionDetector, type CookAction } from "../../src/analytics";
import type { Cook, ProbeState } from "../../src/shared";
import { HOUR, MIN, T0 } from "./helpers";

const state = (id: string, role: ProbeState["role"], tempC: number | null, tsMs: number, extra: Partial<ProbeState> = {}): ProbeState => ({
  id, deviceSerial: "dev1", deviceKey: "dev1", deviceKind: "signals", channel: id.slice(-1), name: extra.name ?? `Signals probe ${id.slice(-1)}`, autoName: null, role,
  tempC, tsMs, status: tempC === null ? "unplugged" : "ok", minC: null, maxC: null, rateCPerHour: null, targetC: null,
  highC: null, lowC: null, eta: null, stall: null, forecast: [], lidOpen: false, wrappedMs: null, ...extra,
});

const cook = (a: Extract<CookAction, { kind: "start" }>): Cook => ({ id: 1, name: a.name, startMs: a.startMs, endMs: null, notes: "", probeIds: a.probeIds, targets: a.targets });

describe("cook sessions", () => {
  it("starts when the pit heats through 60 °C, names it by date, and takes the targets", () => {
    const d = createCookSessionDetector({ timeZone: "UTC" });
    const cold = [state("dev1_1", "pit", 25, T0), state("dev1_2", "meat", 5, T0, { targetC: 95 })];
    expect(d.update({ nowMs: T0, states: cold, events: [], active: null })).toEqual([]);
    const hot = [state("dev1_1", "pit", 80, T0 + 20 * MIN, { rateCPerHour: 90 }), state("dev1_2", "meat", 6, T0 + 20 * MIN, { targetC: 95 })];
    const actions = d.update({ nowMs: T0 + 20 * MIN, states: hot, events: [], active: null });
    expect(actions).toEqual([{ kind: "start", startMs: T0 + 20 * MIN, name: `Cook on ${new Date(T0).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" })}`, probeIds: ["dev1_1", "dev1_2"], targets: { dev1_2: 95 } }]);
  });

  it("names a cook without labels by its date in Home Assistant's language and the given zone", () => {
    const d = createCookSessionDetector({ timeZone: "Pacific/Auckland", language: () => "de-CH" });
    const at = Date.UTC(2026, 10, 26, 20, 0); // 26 Nov 20:00 UTC is 27 Nov 09:00 in Auckland
    d.update({ nowMs: at, states: [state("dev1_1", "pit", 25, at)], events: [], active: null });
    const actions = d.update({ nowMs: at + 20 * MIN, states: [state("dev1_1", "pit", 80, at + 20 * MIN, { rateCPerHour: 90 })], events: [], active: null });
    expect(actions.map((a) => (a.kind === "start" ? a.name : a.kind))).toEqual(["Garvorgang am 27. Nov."]);
    expect(cookName([], Date.UTC(2026, 2, 3, 12), "UTC", "de")).toBe("Garvorgang am 3. März");
    expect(cookName([], Date.UTC(2026, 2, 3, 12), "UTC", "fr-BE")).toBe("Cuisson du 3 mars");
    expect(cookName([], Date.UTC(2026, 1, 1, 12), "UTC", "fr")).toBe("Cuisson du 1er févr.");
    expect(cookName([], Date.UTC(2026, 2, 3, 12), "UTC", "nl")).toBe("Sessie van 3 mrt");
    expect(cookName([], Date.UTC(2026, 2, 3, 12), "UTC", "it")).toBe("Cook on 3 Mar");
  });

  it("names a cook after the meat probe labels", () => {
    expect(cookName([state("a", "meat", 5, T0, { name: "Brisket" }), state("b", "meat", 5, T0, { name: "Pork Butt" }), state("c", "meat", 5, T0, { name: "Probe 3" })], T0)).toBe("Brisket, Pork Butt");
  });

  it("does not start a cook for a probe that only dropped out for a moment (inserted, resumed)", () => {
    const d = createCookSessionDetector();
    d.update({ nowMs: T0, states: [state("dev1_2", "meat", 21, T0)], events: [], active: null });
    d.update({ nowMs: T0 + MIN, states: [state("dev1_2", "meat", null, T0 + MIN)], events: [{ kind: "removed", probeId: "dev1_2", tsMs: T0 + MIN, tempC: null }], active: null });
    const back = [state("dev1_2", "meat", 21, T0 + 2 * MIN)];
    expect(d.update({ nowMs: T0 + 2 * MIN, states: back, events: [{ kind: "inserted", probeId: "dev1_2", tsMs: T0 + 2 * MIN, tempC: 21, detail: { resumed: true } }], active: null })).toEqual([]);
    // Really plugged in again (no "resumed"): a cook starts.
    d.update({ nowMs: T0 + 3 * MIN, states: [state("dev1_2", "meat", null, T0 + 3 * MIN)], events: [], active: null });
    const start = d.update({ nowMs: T0 + 20 * MIN, states: [state("dev1_2", "meat", 21, T0 + 20 * MIN)], events: [{ kind: "inserted", probeId: "dev1_2", tsMs: T0 + 20 * MIN, tempC: 21 }], active: null });
    expect(start).toMatchObject([{ kind: "start", probeIds: ["dev1_2"] }]);
  });

  it("starts when a meat probe is plugged in, and turns lid/stall/reinsertion events into cook events", () => {
    const d = createCookSessionDetector();
    d.update({ nowMs: T0, states: [state("dev1_2", "meat", null, T0)], events: [], active: null });
    const start = d.update({ nowMs: T0 + MIN, states: [state("dev1_2", "meat", 20, T0 + MIN, { name: "Brisket" })], events: [], active: null });
    expect(start).toMatchObject([{ kind: "start", name: "Brisket", probeIds: ["dev1_2"] }]);
    const active = cook(start[0] as Extract<CookAction, { kind: "start" }>);
    const actions = d.update({
      nowMs: T0 + 2 * MIN,
      states: [state("dev1_2", "meat", 21, T0 + 2 * MIN, { name: "Brisket" })],
      events: [{ kind: "stalled", probeId: "dev1_2", tsMs: T0 + 2 * MIN, tempC: 70 }, { kind: "target_reached", probeId: "dev1_2", tsMs: T0 + 2 * MIN, tempC: 70 }],
      active,
    });
    expect(actions).toEqual([{ kind: "event", cookId: 1, tsMs: T0 + 2 * MIN, eventKind: "stall_start", text: "", probeId: "dev1_2" }]);
    // A stall goes on the timeline from when it began until when it ended (as the probe's state
    // says), not at the moments the rate showed it.
    const stall = d.update({
      nowMs: T0 + 3 * HOUR,
      states: [state("dev1_2", "meat", 75, T0 + 3 * HOUR, { name: "Brisket" })],
      events: [
        { kind: "stalled", probeId: "dev1_2", tsMs: T0 + 2 * HOUR, tempC: 70, detail: { sinceMs: T0 + 100 * MIN } },
        { kind: "stall_ended", probeId: "dev1_2", tsMs: T0 + 3 * HOUR, tempC: 75, detail: { sinceMs: T0 + 100 * MIN, endedMs: T0 + 170 * MIN, durationMs: 70 * MIN } },
      ],
      active,
    });
    expect(stall.filter((a) => a.kind === "event").map((a) => [a.kind === "event" && a.eventKind, a.kind === "event" && a.tsMs])).toEqual([
      ["stall_start", T0 + 100 * MIN],
      ["stall_end", T0 + 170 * MIN],
    ]);
  });

  it("notes an RFX Meat probe moved or reinserted once (its core), not once per sensor", () => {
    const d = createCookSessionDetector();
    const rfx = (tempC: number, tsMs: number) =>
      ["core", "1", "2"].map((channel) => state(`m1_${channel}`, "meat", tempC, tsMs, { deviceKey: "m1", deviceSerial: "M1", deviceKind: "rfx_meat", channel, name: channel === "core" ? "Turkey" : `Turkey probe ${channel}` }));
    const active: Cook = { id: 1, name: "Turkey", startMs: T0, endMs: null, notes: "", probeIds: ["m1_core", "m1_1", "m1_2"], targets: {} };
    d.update({ nowMs: T0, states: rfx(50, T0), events: [], active });
    const events = ["core", "1", "2"].map((channel) => ({ kind: "reinserted" as const, probeId: `m1_${channel}`, tsMs: T0 + MIN, tempC: 40 }));
    const actions = d.update({ nowMs: T0 + MIN, states: rfx(40, T0 + MIN), events, active });
    expect(actions.filter((a) => a.kind === "event")).toEqual([
      { kind: "event", cookId: 1, tsMs: T0 + MIN, eventKind: "probe_reinserted", text: "", probeId: "m1_core" },
    ]);
  });

  it("ends when every probe has been cold for 30 minutes, at the moment it went cold", () => {
    const d = createCookSessionDetector();
    d.update({ nowMs: T0, states: [state("m", "meat", 30, T0)], events: [], active: null });
    const start = d.update({ nowMs: T0 + MIN, states: [state("m", "meat", 45, T0 + MIN)], events: [], active: null });
    const active = cook(start[0] as Extract<CookAction, { kind: "start" }>);
    let t = T0 + MIN;
    for (; t < T0 + 3 * HOUR; t += 5 * MIN) expect(d.update({ nowMs: t, states: [state("m", "meat", 90, t)], events: [], active })).toEqual([]);
    const coldFrom = t;
    const ends: CookAction[] = [];
    for (; t <= coldFrom + 40 * MIN; t += 5 * MIN) ends.push(...d.update({ nowMs: t, states: [state("m", "meat", 24, t)], events: [], active }));
    expect(ends).toEqual([{ kind: "end", cookId: 1, endMs: coldFrom - 5 * MIN, reason: "probes removed or cold for 30 min" }]);
  });

  it("in a demo running 20× fast, ends after 30 cook minutes cold (90 s on the wall clock)", () => {
    const d = createCookSessionDetector({ timeScale: 20 });
    d.update({ nowMs: T0, states: [state("m", "meat", 30, T0)], events: [], active: null });
    const start = d.update({ nowMs: T0 + MIN, states: [state("m", "meat", 45, T0 + MIN)], events: [], active: null });
    const active = cook(start[0] as Extract<CookAction, { kind: "start" }>);
    // Past the grace hour (3 wall minutes), hot, then cold.
    let t = T0 + MIN;
    for (; t < T0 + 10 * MIN; t += 15_000) expect(d.update({ nowMs: t, states: [state("m", "meat", 90, t)], events: [], active })).toEqual([]);
    const coldFrom = t;
    const ends: CookAction[] = [];
    for (; t <= coldFrom + 2 * MIN; t += 15_000) ends.push(...d.update({ nowMs: t, states: [state("m", "meat", 24, t)], events: [], active }));
    expect(ends).toEqual([{ kind: "end", cookId: 1, endMs: coldFrom - 15_000, reason: "probes removed or cold for 30 min" }]);
  });

  it("ends after two hours without any data", () => {
    const d = createCookSessionDetector();
    d.update({ nowMs: T0, states: [state("p", "pit", 30, T0)], events: [], active: null });
    const start = d.update({ nowMs: T0 + MIN, states: [state("p", "pit", 110, T0 + MIN, { rateCPerHour: 60 })], events: [], active: null });
    const active = cook(start[0] as Extract<CookAction, { kind: "start" }>);
    const silent = [state("p", "pit", 110, T0 + MIN, { status: "stale" })];
    expect(d.update({ nowMs: T0 + HOUR, states: silent, events: [], active })).toEqual([]);
    expect(d.update({ nowMs: T0 + 2 * HOUR + 2 * MIN, states: silent, events: [], active })).toEqual([
      { kind: "end", cookId: 1, endMs: T0 + MIN, reason: "no data for 2 h" },
    ]);
  });

  it("starts when a new meat probe appears after start-up, but not for the probes it saw at start-up", () => {
    const d = createCookSessionDetector();
    const idle = state("dev1_1", "meat", 21, T0);
    expect(d.update({ nowMs: T0, states: [idle], events: [], active: null })).toEqual([]);
    expect(d.update({ nowMs: T0 + MIN, states: [{ ...idle, tsMs: T0 + MIN }], events: [], active: null })).toEqual([]);
    const actions = d.update({ nowMs: T0 + 2 * MIN, states: [{ ...idle, tsMs: T0 + 2 * MIN }, state("dev2_1", "meat", 6, T0 + 2 * MIN, { name: "Pork Butt" })], events: [], active: null });
    expect(actions).toMatchObject([{ kind: "start", name: "Pork Butt" }]);
  });

  it("does not restart a cook the user ended while the same probes stay hot", () => {
    const d = createCookSessionDetector();
    const hot = (t: number) => [state("p", "pit", 120, t, { rateCPerHour: 20 })];
    d.update({ nowMs: T0, states: hot(T0), events: [], active: null });
    expect(d.update({ nowMs: T0 + MIN, states: hot(T0 + MIN), events: [], active: null })).toEqual([]);
  });

  it("after the running cook was deleted, starts a new one for the meat still cooking", () => {
    const d = createCookSessionDetector();
    const cooking = (t: number) => [state("p", "pit", 120, t, { rateCPerHour: 5 }), state("m", "meat", 60, t, { name: "Brisket" })];
    d.update({ nowMs: T0, states: cooking(T0), events: [], active: null });
    expect(d.update({ nowMs: T0 + MIN, states: cooking(T0 + MIN), events: [], active: null })).toEqual([]);
    d.forgetProbes();
    const actions = d.update({ nowMs: T0 + 2 * MIN, states: cooking(T0 + 2 * MIN), events: [], active: null });
    expect(actions).toMatchObject([{ kind: "start", startMs: T0 + 2 * MIN, name: "Brisket", probeIds: ["p", "m"] }]);
  });

  it("adds probes that join a running cook and follows target changes", () => {
    const d = createCookSessionDetector();
    const active: Cook = { id: 3, name: "Cook", startMs: T0, endMs: null, notes: "", probeIds: ["p"], targets: {} };
    d.update({ nowMs: T0, states: [state("p", "pit", 120, T0)], events: [], active });
    const actions = d.update({ nowMs: T0 + MIN, states: [state("p", "pit", 120, T0 + MIN), state("m", "meat", 10, T0 + MIN, { targetC: 93 })], events: [], active });
    expect(actions).toEqual([{ kind: "update", cookId: 3, probeIds: ["p", "m"], targets: { m: 93 } }]);
  });
});
