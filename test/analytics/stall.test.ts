import { describe, expect, it } from "vitest";
import { createStallDetector, DEFAULT_STALL_OPTIONS, type StallDetector } from "../../src/analytics";
import { seededRandom, type StallState } from "../../src/shared";
import { HOUR, MIN, T0, newton, series } from "./helpers";

const run = (d: StallDetector, f: (h: number) => number, fromH: number, toH: number, noiseC = 0): { tsMs: number; s: StallState }[] =>
  series(f, fromH, toH, 30_000, noiseC, 3).map((p) => ({ tsMs: p.tsMs, s: d.update(p.tsMs, p.tempC) }));

/** Heats at 10 °C/h to 68 °C (at 2.8 h), sits almost flat for 3 h, then climbs at 8 °C/h. */
const stallCurve = (h: number): number => (h < 2.8 ? 40 + 10 * h : h < 5.8 ? 68 + 0.5 * (h - 2.8) : 69.5 + 8 * (h - 5.8));
const FLAT_START = T0 + 2.8 * HOUR;

/** The first stalled state, and how many minutes after `fromMs` it was called. */
const firstStall = (states: { tsMs: number; s: StallState }[], fromMs: number) => {
  const first = states.find((x) => x.s.stalled);
  expect(first).toBeDefined();
  return { first, afterMin: ((first?.tsMs ?? 0) - fromMs) / MIN };
};

describe("stall detector", () => {
  it("finds a flat stall after the dwell, not before, and reports its start, duration and end", () => {
    const d = createStallDetector();
    const states = run(d, stallCurve, 0, 8);
    const { first, afterMin: detectedAfter } = firstStall(states, FLAT_START);
    // Not before the dwell has passed, and well within 20 minutes.
    expect(detectedAfter).toBeGreaterThanOrEqual(DEFAULT_STALL_OPTIONS.dwellMs / MIN);
    expect(detectedAfter).toBeLessThanOrEqual(20);
    expect(Math.abs(((first?.s.sinceMs ?? 0) - FLAT_START) / MIN)).toBeLessThanOrEqual(10);
    const mid = states.find((x) => x.tsMs >= T0 + 4.5 * HOUR)?.s;
    expect(mid?.stalled).toBe(true);
    expect((mid?.durationMs ?? 0) / HOUR).toBeCloseTo(1.7, 0);
    const end = d.state();
    expect(end.stalled).toBe(false);
    expect(((end.endedMs ?? 0) - (T0 + 5.8 * HOUR)) / MIN).toBeLessThanOrEqual(20);
    expect((end.durationMs / HOUR)).toBeGreaterThan(2.7);
  });

  it("lets a big cut crawl at 1.6–3 °C/h without calling it a stall, and finds the plateau that follows", () => {
    // An 18 lb brisket slows gradually for hours before it truly stalls: its rate falls from
    // 3 to 1.6 °C/h over 3 h (never a sudden drop), then it sits at 0.3 °C/h.
    const crawlThenStall = (h: number): number => (h < 3 ? 60 + 3 * h - (1.4 / 6) * h * h : 66.9 + 0.3 * (h - 3));
    const d = createStallDetector();
    const states = run(d, crawlThenStall, 0, 5, 0.03);
    const { afterMin } = firstStall(states, T0 + 3 * HOUR);
    expect(afterMin).toBeGreaterThanOrEqual(0);
    expect(afterMin).toBeLessThanOrEqual(20);
  });

  it("does not take a probe handled mid-crawl (a 5 °C dip that comes back in minutes) for a stall, and finds the plateau that follows", () => {
    // The big cut's crawl (above), and at 1.5 h the probe nudged: 5 °C down, back within minutes
    // (time constant 2 min). The dip's remnant pulled the 15-min rate under the crawl's median.
    const crawlThenStall = (h: number): number => (h < 3 ? 60 + 3 * h - (1.4 / 6) * h * h : 66.9 + 0.3 * (h - 3));
    const dipped = (h: number): number => crawlThenStall(h) - (h >= 1.5 ? 5 * Math.exp(-((h - 1.5) * 60) / 2) : 0);
    const stalledAt = (opts: Partial<typeof DEFAULT_STALL_OPTIONS>) => firstStall(run(createStallDetector(opts), dipped, 0, 5, 0.03), T0 + 3 * HOUR).afterMin;
    expect(stalledAt({})).toBeGreaterThanOrEqual(0);
    expect(stalledAt({})).toBeLessThanOrEqual(20);
    // Read as heat, the dip was a stall long before the plateau.
    expect(stalledAt({ disturbC: Number.POSITIVE_INFINITY })).toBeLessThan(-60);
  });

  it("does not take the steps of a probe that reads in whole °F for a stall, and finds the plateau that follows", () => {
    // A 4.5 → 3 °C/h climb over 3 h, then a plateau at 0.3 °C/h, read every 15 s in whole °F
    // (0.56 °C steps). A 15-min fit then reads anywhere from 2 to 6 °C/h by turns: its dips were
    // called a drop from the highest rate before it (150 min early, before).
    const f = (h: number): number => (h < 3 ? 55 + 4.5 * h - 0.25 * h * h : 66.25 + 0.3 * (h - 3));
    const wholeF = (c: number): number => (Math.round(c * 1.8 + 32) - 32) / 1.8;
    const d = createStallDetector();
    const states: { tsMs: number; s: StallState }[] = [];
    for (let t = 0; t <= 5 * HOUR; t += 15_000) states.push({ tsMs: T0 + t, s: d.update(T0 + t, wholeF(f(t / HOUR))) });
    const { afterMin } = firstStall(states, T0 + 3 * HOUR);
    expect(afterMin).toBeGreaterThanOrEqual(0);
    expect(afterMin).toBeLessThanOrEqual(20);
  });

  it("ends a mild slowdown once the meat climbs at 5 °C/h again, whatever its slowest rate was", () => {
    // 9 °C/h, then 45 min at 3 °C/h (a drop, never flat), then 5.5 °C/h. Twice the slowest rate
    // (6) is never reached, so the stall lasted until the meat had risen 5 °C (40 min); it is heating.
    const mild = (h: number): number => (h < 3 ? 40 + 9 * h : h < 3.75 ? 67 + 3 * (h - 3) : 69.25 + 5.5 * (h - 3.75));
    const states = run(createStallDetector(), mild, 0, 6);
    const first = states.find((x) => x.s.stalled);
    expect(first).toBeDefined();
    const ended = states.find((x) => x.tsMs > (first?.tsMs ?? 0) && !x.s.stalled);
    expect(ended).toBeDefined();
    // The exit dwell (10 min) after the rate window (15 min) has seen the new pace.
    expect(((ended?.tsMs ?? 0) - (T0 + 3.75 * HOUR)) / MIN).toBeLessThanOrEqual(30);
  });

  it("does not stall again right after the meat rose out of a stall (a slow spell after the wrap)", () => {
    // Stalled at ~68 °C, wrapped: 15 °C/h for 24 min (out of the stall), 30 min at 2.5 °C/h while
    // the foil heats up, then 8 °C/h. The slow spell resumed the stall and left it at once (risen).
    const wrapped = (h: number): number => {
      if (h < 2.8) return 40 + 10 * h;
      if (h < 4.8) return 68 + 0.3 * (h - 2.8);
      if (h < 5.2) return 68.6 + 15 * (h - 4.8);
      if (h < 5.7) return 74.6 + 2.5 * (h - 5.2);
      return 75.85 + 8 * (h - 5.7);
    };
    const states = run(createStallDetector(), wrapped, 0, 7);
    const starts = states.filter((x, i) => x.s.stalled && !(states[i - 1]?.s.stalled ?? false));
    expect(starts.map((x) => ((x.tsMs - T0) / HOUR).toFixed(1))).toHaveLength(1);
    expect(states.at(-1)?.s.stalled).toBe(false);
  });

  it("does not flap when the rate wobbles around the thresholds", () => {
    const d = createStallDetector();
    // A plateau near 70 °C with a ±0.4 °C, 20-minute wobble and reading noise on top.
    const wobble = (h: number): number => (h < 2 ? 50 + 10 * h : 70 + 0.8 * (h - 2) + 0.4 * Math.sin((2 * Math.PI * h * 60) / 20));
    const states = run(d, wobble, 0, 6, 0.15);
    let transitions = 0;
    for (let i = 1; i < states.length; i++) if ((states[i]?.s.stalled ?? false) !== (states[i - 1]?.s.stalled ?? false)) transitions++;
    expect(transitions).toBe(1);
    expect(d.state().stalled).toBe(true);
  });

  it("does not call a steady Newton heating or a probe on the counter a stall", () => {
    const hot = createStallDetector();
    expect(run(hot, newton(125, 20, 0.8), 0, 4, 0.1).some((x) => x.s.stalled)).toBe(false);
    const counter = createStallDetector();
    expect(run(counter, () => 21, 0, 3, 0.05).some((x) => x.s.stalled)).toBe(false);
  });

  it("merges a stall that resumes soon after a short bump (the wrap) into the same stall", () => {
    const d = createStallDetector();
    const bumped = (h: number): number => {
      if (h < 2.8) return 40 + 10 * h;
      if (h < 4.5) return 68 + 0.4 * (h - 2.8);
      if (h < 4.6) return 68.7 + 30 * (h - 4.5); // probe handled, reads 3 °C higher
      if (h < 6) return 71.7 + 0.3 * (h - 4.6);
      return 72.1 + 7 * (h - 6);
    };
    const states = run(d, bumped, 0, 5.8);
    const firstIdx = states.findIndex((x) => x.s.stalled);
    const firstSince = states[firstIdx]?.s.sinceMs;
    // The bump did end it for a while …
    expect(states.slice(firstIdx).some((x) => !x.s.stalled)).toBe(true);
    // … and it resumed as the same stall.
    const last = states[states.length - 1]?.s;
    expect(last?.stalled).toBe(true);
    expect(last?.sinceMs).toBe(firstSince);
  });

  it("starts over after reset", () => {
    const d = createStallDetector();
    run(d, stallCurve, 0, 4);
    expect(d.state().stalled).toBe(true);
    d.reset();
    expect(d.state()).toEqual({ stalled: false, sinceMs: null, endedMs: null, durationMs: 0 });
    expect(d.rateCPerHour()).toBeNull();
  });

  /**
   * What the add-on records for a probe that reports only when it moved `stepC` (an RFX Meat
   * probe's delta trigger): a report when the meat has moved a step from the last one, and that
   * reading held, once a minute, while the gateway hears the probe.
   */
  const onChange = (f: (h: number) => number, toH: number, stepC: number): { tsMs: number; tempC: number }[] => {
    const out: { tsMs: number; tempC: number }[] = [];
    let reported: number | null = null;
    for (let t = 0; t <= toH * HOUR; t += MIN) {
      const c = f(t / HOUR);
      if (reported === null || Math.abs(c - reported) >= stepC) reported = c;
      out.push({ tsMs: T0 + t, tempC: reported });
    }
    return out;
  };

  it("takes the rate of a probe that reports on change from its reports, not from the readings held between them", () => {
    // A big cut slowing from 3 to 2.1 °C/h at 60–70 °C, then a plateau at 0.3 °C/h from 4 h, from
    // an RFX Meat probe at 3 °F (1.67 °C): each reading is held for 35–50 min before the plateau.
    const f = (h: number): number => (h < 4 ? 59 + 3 * h - 0.1125 * h * h : 69.2 + 0.3 * (h - 4));
    const stepC = (3 * 5) / 9;
    const readings = onChange(f, 7, stepC);
    const fed = (resolutionC: number | null) => {
      const d = createStallDetector();
      return readings.map((r) => ({ tsMs: r.tsMs, s: d.update(r.tsMs, r.tempC, resolutionC) }));
    };
    // A line through the held readings says 0 °C/h: a stall hours before the plateau.
    const blind = firstStall(fed(null), T0 + 4 * HOUR);
    expect(blind.afterMin).toBeLessThan(-60);
    // From the reports: no stall while the meat climbs, and the plateau found once its reading
    // has held longer than a step takes at a stall's rate (1.67 °C at 1.5 °C/h: 67 min), plus the dwell.
    const states = fed(stepC);
    const { first, afterMin } = firstStall(states, T0 + 4 * HOUR);
    expect(afterMin).toBeGreaterThanOrEqual(0);
    expect(afterMin).toBeLessThanOrEqual(67 + 10 + 5);
    expect(first?.s.sinceMs as number).toBeLessThanOrEqual(first?.tsMs as number);
    expect(states.at(-1)?.s.stalled).toBe(true);
  });

  it("on an RFX core (the coldest of four sensors) takes no rate from reports that moved it less than a step", () => {
    // The probe uploads when any sensor moved 2 °F; the outer ones heat faster, so most uploads
    // move the core (the coldest, climbing 2 °C/h) by a tenth of a degree. Readings in 0.1 °F
    // with 0.04 °C of noise. Slopes over those sub-step moves called 27 of 30 such cooks stalled.
    const stepF = 2;
    const inF = (c: number): number => Math.round((c * 1.8 + 32) * 10) / 10;
    const sensors = [(h: number) => 60 + 2 * h, (h: number) => 63 + 3 * h, (h: number) => 68 + 4 * h, (h: number) => 75 + 6 * h];
    for (const seed of [1, 2, 3, 11, 13]) {
      const random = seededRandom(seed);
      const noiseC = (): number => (random() + random() + random() + random() - 2) * 0.07;
      const d = createStallDetector();
      let uploaded: number[] | null = null;
      const stalls: number[] = [];
      for (let t = 0; t <= 6 * HOUR; t += MIN) {
        const now = sensors.map((f) => inF(f(t / HOUR) + noiseC()));
        if (uploaded === null || now.some((v, i) => Math.abs(v - (uploaded as number[])[i]!) >= stepF)) uploaded = now;
        const coreC = (Math.min(...uploaded) - 32) / 1.8;
        if (d.update(T0 + t, coreC, (stepF * 5) / 9).stalled) stalls.push(t);
      }
      expect(stalls, `seed ${seed}`).toEqual([]);
    }
  });

  it("does not take the first reading it sees for a report (a probe first seen mid-hold)", () => {
    // Climbing 2.5 °C/h at 3 °F (a report every 40 min); the held reading was uploaded 30 min
    // before the detector first saw it (a restart, a probe seen mid-cook).
    const stepC = (3 * 5) / 9;
    const d = createStallDetector();
    let reported = 68;
    let stalled = false;
    for (let m = 0; m <= 240; m++) {
      const c = 68 + (2.5 * (m + 30)) / 60;
      if (c - reported >= stepC) reported = c;
      stalled ||= d.update(T0 + m * MIN, reported, stepC).stalled;
    }
    expect(stalled).toBe(false);
    expect(d.rateCPerHour() as number).toBeCloseTo(2.5, 0);
  });

  it("finds the stall in a probe that reports only every 5 or 10 minutes (cloud devices, loggers)", () => {
    for (const stepMin of [5, 10]) {
      const d = createStallDetector();
      const states = series(stallCurve, 0, 8, stepMin * MIN).map((p) => ({ tsMs: p.tsMs, s: d.update(p.tsMs, p.tempC) }));
      const first = states.find((x) => x.s.stalled);
      expect(first, `every ${stepMin} min`).toBeDefined();
      // Later than at 30 s: the rate window holds ~4.5 readings (half of it is lag), then the dwell,
      // then the next report — 27 min at 5-min reports, 42 min at 10.
      const lagMin = (4.5 * stepMin) / 2 + DEFAULT_STALL_OPTIONS.dwellMs / MIN + stepMin;
      expect(((first?.tsMs ?? 0) - FLAT_START) / MIN, `every ${stepMin} min`).toBeLessThanOrEqual(lagMin);
      expect(Math.abs(((first?.s.sinceMs ?? 0) - FLAT_START) / MIN), `every ${stepMin} min`).toBeLessThanOrEqual(20);
      expect(d.state().stalled, `every ${stepMin} min`).toBe(false);
    }
  });
});
