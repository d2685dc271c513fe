import { describe, expect, it } from "vitest";
import { predictDone, SampleBuffer, type PredictInput, type Prediction, type Sample } from "../../src/analytics";
import { memoSizeOf } from "../../src/analytics/predict-context";
import { parseEtaReason } from "../../src/shared/eta-reasons";
import { HOUR, T0, newton, newtonHoursTo, series } from "./helpers";

/** predictDone on plain sample arrays (the engine hands it the tracker's buffers). */
const predict = ({ meat, pit, ...rest }: Omit<PredictInput, "meat" | "pit"> & { meat: Sample[]; pit?: Sample[] }): Prediction =>
  predictDone({ ...rest, meat: SampleBuffer.of(meat), ...(pit ? { pit: SampleBuffer.of(pit) } : {}) });
const upTo = (s: Sample[], h: number): Sample[] => s.filter((p) => p.tsMs <= T0 + h * HOUR);
const remainingH = (p: Prediction, nowMs: number): number => ((p.eta.doneMs as number) - nowMs) / HOUR;
const widthH = (p: Prediction): number => ((p.eta.p90Ms as number) - (p.eta.p10Ms as number)) / HOUR;

describe("predictDone", () => {
  it("recovers the done time of a Newton curve with a known k and pit within a couple of minutes", () => {
    const [pitC, k, targetC] = [120, 0.4, 90];
    const meat = series(newton(pitC, 20, k), 0, 2);
    const pit = series(() => pitC, 0, 2);
    const nowMs = T0 + 2 * HOUR;
    // Physics only: no stall prior, no blend with the recent rate.
    const p = predict({ nowMs, targetC, meat, pit, params: { stallProbability: 0, blendHours: 0 } });
    const expected = newtonHoursTo(pitC, newton(pitC, 20, k)(2), targetC, k);
    expect(p.eta.method).toBe("newton");
    expect(Math.abs(remainingH(p, nowMs) - expected) * 60).toBeLessThan(2);
    // The short-horizon blend with the recent rate moves it only a little.
    const blended = predict({ nowMs, targetC, meat, pit, params: { stallProbability: 0 } });
    expect(Math.abs(remainingH(blended, nowMs) - expected) * 60).toBeLessThan(6);
    expect(p.eta.p10Ms as number).toBeLessThan(p.eta.doneMs as number);
    expect(p.eta.p90Ms as number).toBeGreaterThan(p.eta.doneMs as number);
  });

  it("forecasts a probe that reports only every 10 minutes, and does not call it silent between reports", () => {
    const [pitC, k, targetC] = [120, 0.4, 90];
    const step = 10 * 60_000;
    const meat = series(newton(pitC, 20, k), 0, 2, step);
    const pit = series(() => pitC, 0, 2, step);
    // 16 minutes after the last report: one report late is not silence yet.
    const nowMs = T0 + 2 * HOUR + 16 * 60_000;
    const p = predict({ nowMs, targetC, meat, pit, params: { stallProbability: 0 } });
    expect(p.eta.method).toBe("newton");
    const expected = newtonHoursTo(pitC, newton(pitC, 20, k)(2), targetC, k) - 16 / 60;
    expect(Math.abs(remainingH(p, nowMs) - expected) * 60).toBeLessThan(10);
    // Half an hour without a report is silence, also for such a probe.
    expect(predict({ nowMs: T0 + 2.5 * HOUR + 60_000, targetC, meat, pit }).eta.reason).toBe("no recent readings");
  });

  it("starts over when frozen meat thaws: the hour at 0 °C does not drag the heating constant down", () => {
    const [pitC, k, targetC] = [110, 0.35, 93];
    // An hour at 0.0 °C (ice turning to water), then Newton heating from 0 °C.
    const curve = (h: number): number => (h <= 1 ? 0 : newton(pitC, 0, k)(h - 1));
    const meat = series(curve, 0, 1.75);
    const pit = series(() => pitC, 0, 1.75);
    const truthH = (nowH: number): number => 1 + newtonHoursTo(pitC, 0, targetC, k) - nowH;
    const params = { stallProbability: 0 };
    // Still at 0 °C: says so, rather than "not rising".
    expect(predict({ nowMs: T0 + 0.9 * HOUR, targetC, meat: upTo(meat, 0.9), pit, params }).eta.reason).toBe("frozen: waiting for the meat to thaw");
    // 10 min after the thaw: the data since then are too few, as right after an insertion.
    expect(predict({ nowMs: T0 + (70 / 60) * HOUR, targetC, meat: upTo(meat, 70 / 60), pit, params }).eta.reason).toMatch(/^collecting readings/);
    // 45 min after: the fit sees only the heating. Over the whole history it saw a third of the heat.
    const nowH = 1.75;
    const p = predict({ nowMs: T0 + nowH * HOUR, targetC, meat, pit, params });
    expect(Math.abs(remainingH(p, T0 + nowH * HOUR) / truthH(nowH) - 1)).toBeLessThan(0.1);
    expect(p.eta.p10Ms as number).toBeLessThan(T0 + (nowH + truthH(nowH)) * HOUR);
    expect(p.eta.p90Ms as number).toBeGreaterThan(T0 + (nowH + truthH(nowH)) * HOUR);
    // Cold from the fridge (2 °C) is not frozen: the whole history is used, and a flat start is
    // fitted as it was before this rule.
    const fridge = series((h) => (h <= 1 ? 2 : newton(pitC, 2, k)(h - 1)), 0, 1.75);
    expect(predict({ nowMs: T0 + (70 / 60) * HOUR, targetC, meat: upTo(fridge, 70 / 60), pit, params }).eta.reason ?? "").not.toMatch(/^collecting readings/);
  });

  it("widens the range early in a probe's history (the core still lags), and not after earlyHours", () => {
    const [pitC, k, targetC] = [120, 0.4, 90];
    const meat = series(newton(pitC, 5, k), 0, 3);
    const pit = series(() => pitC, 0, 3);
    const at = (h: number, earlyVar?: number): Prediction =>
      predict({ nowMs: T0 + h * HOUR, targetC, meat: upTo(meat, h), pit: upTo(pit, h), params: { stallProbability: 0, ...(earlyVar === undefined ? {} : { earlyVar }) } });
    // One hour in: wider than without the early term, about the same P50.
    expect(widthH(at(1)) / widthH(at(1, 0))).toBeGreaterThan(1.2);
    expect(Math.abs(remainingH(at(1), T0 + HOUR) / remainingH(at(1, 0), T0 + HOUR) - 1)).toBeLessThan(0.05);
    // Halfway through the fade, less so; from earlyHours (2.5 h) on, no difference.
    const ratio = (h: number): number => widthH(at(h)) / widthH(at(h, 0));
    expect(ratio(2)).toBeGreaterThan(1);
    expect(ratio(2)).toBeLessThan(ratio(1));
    expect(at(2.75).eta).toEqual(at(2.75, 0).eta);
  });

  it("follows a pit that was turned up within minutes, not after its half-hour median moves", () => {
    const k = 0.3;
    const targetC = 90;
    // Pit at 110 °C for 3 h, then turned up to 150 °C at 3 h.
    const pitAt = (h: number): number => (h < 3 ? 110 : 150);
    const meatAt3 = newton(110, 5, k)(3);
    const meatAt = (h: number): number => (h < 3 ? newton(110, 5, k)(h) : newton(150, meatAt3, k)(h - 3));
    const nowH = 3 + 10 / 60;
    const meat = series(meatAt, 0, nowH);
    const pit = series(pitAt, 0, nowH);
    const p = predict({ nowMs: T0 + nowH * HOUR, targetC, meat, pit, params: { stallProbability: 0, blendHours: 0, earlyVar: 0 } });
    const truthH = newtonHoursTo(150, meatAt(nowH), targetC, k);
    const asBeforeH = newtonHoursTo(110, meatAt(nowH), targetC, k);
    expect(asBeforeH / truthH).toBeGreaterThan(1.5); // what the 30-min median (110 °C) would say
    expect(Math.abs(remainingH(p, T0 + nowH * HOUR) / truthH - 1)).toBeLessThan(0.15);
    // A pit that falls by as much is not followed (a lid, wind, a refuel: the fire comes back):
    // 10 min after the fall, the ETA still assumes the half-hour level.
    const fell = series((h) => (h < 3 ? 150 : 110), 0, nowH);
    const slow = series(newton(150, 5, 0.15), 0, nowH);
    const q = predict({ nowMs: T0 + nowH * HOUR, targetC, meat: slow, pit: fell, params: { stallProbability: 0, blendHours: 0, earlyVar: 0 } });
    const at150 = newtonHoursTo(150, newton(150, 5, 0.15)(nowH), targetC, 0.15);
    expect(Math.abs(remainingH(q, T0 + nowH * HOUR) / at150 - 1)).toBeLessThan(0.15);
  });

  it("without a pit channel forecasts Newton toward a virtual 120 °C pit from the current rate", () => {
    const k = 0.3;
    const meat = series(newton(120, 20, k), 0, 1.5);
    const nowMs = T0 + 1.5 * HOUR;
    const p = predict({ nowMs, targetC: 90, meat, params: { stallProbability: 0, earlyVar: 0 } });
    expect(p.eta.method).toBe("linear"); // rate-only: no pit channel
    const truthH = newtonHoursTo(120, newton(120, 20, k)(1.5), 90, k);
    // The rate is the half-hour line's slope, the rate 15 min ago: k is taken there, not now.
    expect(Math.abs(remainingH(p, nowMs) / truthH - 1)).toBeLessThan(0.02);
    // A straight ramp is not extrapolated as a straight line: the meat slows as it nears the pit.
    const ramp = predict({ nowMs: T0 + HOUR, targetC: 60, meat: series((h) => 30 + 10 * h, 0, 1), params: { stallProbability: 0, earlyVar: 0 } });
    expect(remainingH(ramp, T0 + HOUR)).toBeCloseTo(Math.log(80 / 60) / (10 / 82.5), 2); // 2.37 h, not 2
    // Past what a virtual pit can explain (a target within 5 °C of it), the straight line again.
    const hot = predict({ nowMs: T0 + HOUR, targetC: 118, meat: series((h) => 60 + 20 * h, 0, 1), params: { stallProbability: 0, earlyVar: 0 } });
    expect(Math.abs(remainingH(hot, T0 + HOUR) - 1.9) * 60).toBeLessThan(3);
  });

  it("without a pit channel, meat past the stall zone of a low-and-slow cook keeps its pace, as after a stall, seen or not", () => {
    // A log that starts at 72 °C (the probe went in late): 6 °C/h, no stall seen.
    const ramp = (h: number): number => 72 + 6 * h;
    const params = { stallProbability: 0, earlyVar: 0 };
    const at = (h: number, targetC: number) => remainingH(predict({ nowMs: T0 + h * HOUR, targetC, meat: series(ramp, 0, h), params }), T0 + h * HOUR);
    // At 84 °C, to 95: the straight line at the current rate (1.83 h), not Newton toward the virtual pit (2.2 h).
    expect(Math.abs(at(2, 95) - 11 / 6) * 60).toBeLessThan(3);
    // Below 80 °C it still slows toward the virtual pit (2.83 h on a straight line).
    expect(at(1, 95)).toBeGreaterThan((95 - 78) / 6 + 0.2);
  });

  it("reports done (with the time it got there) once the target is reached", () => {
    const meat = series((h) => 50 + 20 * h, 0, 2);
    const p = predict({ nowMs: T0 + 2 * HOUR, targetC: 80, meat });
    expect(p.eta.method).toBe("done");
    expect(Math.abs((p.eta.doneMs as number) - (T0 + 1.5 * HOUR))).toBeLessThanOrEqual(30_000);
    expect(p.forecast).toEqual([]);
  });

  it("says unknown, with a reason, without a target, without data, or when nothing rises", () => {
    const meat = series(() => 40, 0, 1);
    expect(predict({ nowMs: T0 + HOUR, targetC: null, meat }).eta).toMatchObject({ doneMs: null, method: "none", reason: "no target set" });
    expect(predict({ nowMs: T0, targetC: 90, meat: [] }).eta.reason).toBe("no readings yet");
    const flat = predict({ nowMs: T0 + HOUR, targetC: 90, meat });
    expect(flat.eta.doneMs).toBeNull();
    expect(flat.eta.reason).toMatch(/not rising/);
    const old = predict({ nowMs: T0 + 3 * HOUR, targetC: 90, meat: series((h) => 30 + 10 * h, 0, 1) });
    expect(old.eta.reason).toBe("no recent readings");
    for (const p of [flat, old]) expect(parseEtaReason(p.eta.reason ?? "")).not.toBeNull();
  });

  it("never gives a negative or absurd ETA, whatever the curve", () => {
    const curves: ((h: number) => number)[] = [
      (h) => 80 - 10 * h, // cooling
      (h) => 60 + 0.01 * h, // flat
      (h) => 30 + 3 * Math.sin(h * 7), // wobbling
      newton(95, 20, 0.5), // pit barely above target
      (h) => 89.9 + 0.05 * h, // just under the target
    ];
    curves.forEach((f, i) => {
      const meat = series(f, 0, 2, 30_000, 0.3, i + 1);
      const pit = series(() => 95, 0, 2);
      for (const h of [0.3, 1, 2]) {
        const nowMs = T0 + h * HOUR;
        const { eta } = predict({ nowMs, targetC: 90, meat: upTo(meat, h), pit: upTo(pit, h) });
        if (eta.doneMs === null) {
          // One of the reasons the card and the panel know how to translate.
          expect(parseEtaReason(eta.reason ?? ""), eta.reason ?? "").not.toBeNull();
          continue;
        }
        if (eta.method === "done") continue;
        expect(eta.doneMs).toBeGreaterThanOrEqual(nowMs);
        expect(eta.doneMs - nowMs).toBeLessThanOrEqual(36 * HOUR);
        expect(eta.p10Ms as number).toBeLessThanOrEqual(eta.doneMs);
        expect(eta.p90Ms as number).toBeGreaterThanOrEqual(eta.doneMs);
      }
    });
  });

  it("early in a cook, while the core still lags the surface, forecasts from the k of the current rate", () => {
    // Two-node meat: the surface heats toward the pit, the core toward the surface, so the core
    // speeds up over its first hour and a k fitted over the last 45 min trails it.
    const [pitC, kSurface, kCore] = [120, 1.2, 0.8];
    const core: Sample[] = [];
    let [surfaceC, coreC] = [5, 5];
    for (let s = 0; s <= 3 * 3600; s++) {
      if (s % 30 === 0) core.push({ tsMs: T0 + s * 1000, tempC: coreC });
      surfaceC += (kSurface * (pitC - surfaceC) - 0.3 * (surfaceC - coreC)) / 3600;
      coreC += (kCore * (surfaceC - coreC)) / 3600;
    }
    const targetC = 55;
    const truthMs = (core.find((x) => x.tempC >= targetC) as Sample).tsMs;
    const errorMin = (nowH: number, params: PredictInput["params"] = {}): number => {
      const nowMs = T0 + nowH * HOUR;
      const meat = upTo(core, nowH);
      const p = predict({ nowMs, targetC, meat, pit: meat.map((x) => ({ tsMs: x.tsMs, tempC: pitC })), params });
      return ((p.eta.doneMs as number) - truthMs) / 60_000;
    };
    for (const nowH of [0.5, 0.75, 1]) {
      // Still late (the core keeps speeding up), but much less than with the fitted k alone.
      expect(errorMin(nowH)).toBeGreaterThanOrEqual(0);
      expect(errorMin(nowH)).toBeLessThan(0.8 * errorMin(nowH, { earlyHours: 0 }));
    }
    expect(errorMin(1)).toBeLessThan(6);
  });

  it("past half the way to the pit, a 15-min surge is not taken for the core catching up", () => {
    // Exact Newton heating from 5 °C toward 120 °C, then the last 15 min 1.5 °C above it (a gust
    // on the fire, a probe nudged): at 1.6 h the meat is 60 % of the way to the pit.
    const f = newton(120, 5, 0.5);
    const nowH = 1.6;
    const meat = series((h) => f(h) + (h > nowH - 0.25 ? (1.5 * (h - (nowH - 0.25))) / 0.25 : 0), 0, nowH);
    const pit = series(() => 120, 0, nowH);
    const at = (params: PredictInput["params"]): number =>
      predict({ nowMs: T0 + nowH * HOUR, targetC: 100, meat, pit, params: { stallProbability: 0, ...params } }).eta.doneMs as number;
    // The fitted k, as with the rule off …
    expect(at({})).toBe(at({ earlyHours: 0 }));
    // … where the rule, everywhere on the way, would have taken the surge's k: minutes early.
    expect((at({}) - at({ earlyProgress: 1 })) / 60_000).toBeGreaterThan(3);
  });

  it("widens the range when the readings are noisy", () => {
    const f = newton(130, 20, 0.35);
    const pit = series(() => 130, 0, 2);
    const nowMs = T0 + 2 * HOUR;
    // Without the stall prior, whose spread would hide the noise's.
    const params = { stallProbability: 0 };
    const clean = predict({ nowMs, targetC: 90, meat: series(f, 0, 2), pit, params });
    const noisy = predict({ nowMs, targetC: 90, meat: series(f, 0, 2, 30_000, 1.5, 7), pit: series(() => 130, 0, 2, 30_000, 8, 9), params });
    expect(widthH(noisy)).toBeGreaterThan(widthH(clean) * 1.2);
  });

  it("without a pit, widens the range when the rate rests on rounded readings", () => {
    // A slow creep (2 °C/h, as through the end of a stall) read exactly, and in whole °F.
    const creep = series((h) => 75 + 2 * h, 0, 3);
    const rounded = creep.map((s) => ({ ...s, tempC: (Math.round(s.tempC * 1.8 + 32) - 32) / 1.8 }));
    const nowMs = T0 + 3 * HOUR;
    const params = { stallProbability: 0, earlyVar: 0 };
    const exact = predict({ nowMs, targetC: 85, meat: creep, params });
    const coarse = predict({ nowMs, targetC: 85, meat: rounded, params });
    expect(coarse.eta.method).toBe("linear");
    // A half-hour holds two or three 1 °F steps: the rate from it is that much less sure.
    const relWidth = (p: Prediction): number => widthH(p) / remainingH(p, nowMs);
    expect(relWidth(coarse)).toBeGreaterThan(relWidth(exact) * 1.1);
    expect(coarse.eta.p90Ms as number).toBeGreaterThan(exact.eta.doneMs as number);
  });

  it("narrows the range as the cook nears its end", () => {
    // Reaches 74 °C after 1.89 h.
    const f = newton(180, 10, 0.25);
    const meat = series(f, 0, 3);
    const pit = series(() => 180, 0, 3);
    const early = predict({ nowMs: T0 + 0.6 * HOUR, targetC: 74, meat: upTo(meat, 0.6), pit: upTo(pit, 0.6) });
    const late = predict({ nowMs: T0 + 1.6 * HOUR, targetC: 74, meat: upTo(meat, 1.6), pit: upTo(pit, 1.6) });
    expect(early.eta.method).toBe("newton");
    expect(late.eta.method).toBe("newton");
    expect(widthH(late)).toBeLessThan(widthH(early));
  });

  it("in a low-and-slow cook, keeps a stall possible before it happens (the P90 allows for it)", () => {
    const f = newton(115, 5, 0.25);
    const meat = series(f, 0, 3);
    const pit = series(() => 115, 0, 3);
    const nowMs = T0 + 3 * HOUR;
    const withPrior = predict({ nowMs, targetC: 95, meat, pit });
    const physicsOnly = predict({ nowMs, targetC: 95, meat, pit, params: { stallProbability: 0 } });
    expect((withPrior.eta.p90Ms as number) - (physicsOnly.eta.p90Ms as number)).toBeGreaterThan(HOUR);
    expect(withPrior.eta.doneMs as number).toBeGreaterThan(physicsOnly.eta.doneMs as number);
  });

  it("allows for a stall starting anywhere from 60 to 80 °C, less likely as the meat climbs past 70 °C without one", () => {
    const f = newton(115, 5, 0.25);
    const at = (h: number, targetC: number, stallProbability?: number) =>
      predict({ nowMs: T0 + h * HOUR, targetC, meat: series(f, 0, h), pit: series(() => 115, 0, h), params: stallProbability === undefined ? {} : { stallProbability } });
    const extraP90H = (h: number, targetC: number): number => ((at(h, targetC).eta.p90Ms as number) - (at(h, targetC, 0).eta.p90Ms as number)) / HOUR;
    // The chance of a stall still to come fades as the meat climbs without one, and only at 80 °C
    // is it gone (the old rule ended it at 77 °C).
    expect(f(3)).toBeLessThan(65);
    expect(f(4)).toBeGreaterThan(74);
    expect(f(4.3)).toBeGreaterThan(77);
    expect(extraP90H(4, 95)).toBeLessThan(extraP90H(3, 95));
    expect(extraP90H(4, 95)).toBeGreaterThan(0);
    expect(extraP90H(4.3, 95)).toBeGreaterThan(0);
    // Poultry and roasts (a target below 80 °C) are not held up by a stall, nor is a hot pit.
    expect(at(2, 75).eta).toEqual(at(2, 75, 0).eta);
    const hot = (stallProbability?: number) =>
      predict({ nowMs: T0 + HOUR, targetC: 95, meat: series(newton(180, 5, 0.3), 0, 1), pit: series(() => 180, 0, 1), params: stallProbability === undefined ? {} : { stallProbability } });
    expect(hot().eta).toEqual(hot(0).eta);
  });

  /** A meat on a 115 °C pit that has crept at 0.5 °C/h since it stalled 4 h in; now 5 h in. */
  const stalledAt5h = () => {
    const f = (h: number): number => (h < 4 ? newton(115, 5, 0.3)(h) : newton(115, 5, 0.3)(4) + 0.5 * (h - 4));
    return {
      f,
      meat: series(f, 0, 5),
      pit: series(() => 115, 0, 5),
      nowMs: T0 + 5 * HOUR,
      stall: { stalled: true, sinceMs: T0 + 4 * HOUR, endedMs: null, durationMs: HOUR },
    };
  };

  it("while stalled, forecasts the rest of the stall plus heating, with a wide range", () => {
    const { f, meat, pit, nowMs, stall } = stalledAt5h();
    const p = predict({ nowMs, targetC: 95, meat, pit, stall });
    expect(p.eta.method).toBe("stall");
    // More than the heating alone from here, and an honest range (several hours wide).
    const heatingOnly = newtonHoursTo(115, f(5), 95, 0.3);
    expect(remainingH(p, nowMs)).toBeGreaterThan(heatingOnly);
    expect(widthH(p)).toBeGreaterThan(1.5);
  });

  it("once the meat is wrapped, a stall it is in ends within about half an hour, and one still to come is not expected", () => {
    const { meat, pit, nowMs, stall } = stalledAt5h();
    const open = predict({ nowMs, targetC: 95, meat, pit, stall });
    const wrapped = predict({ nowMs, targetC: 95, meat, pit, stall, wrappedMs: nowMs - 10 * 60_000 });
    expect(wrapped.eta.method).toBe("stall");
    // The rest of a wrapped stall: Weibull, median 30 min from the wrap, 10 min of it gone.
    const heatingH = remainingH(predict({ nowMs, targetC: 95, meat, pit, stall, wrappedMs: nowMs - 10 * HOUR }), nowMs);
    const restH = (0.5 / Math.sqrt(Math.LN2)) * Math.sqrt((10 / 60 / (0.5 / Math.sqrt(Math.LN2))) ** 2 + Math.LN2) - 10 / 60;
    expect(Math.abs(remainingH(wrapped, nowMs) - heatingH - restH) * 60).toBeLessThan(8);
    expect(remainingH(wrapped, nowMs)).toBeLessThan(remainingH(open, nowMs) - 1);
    expect(widthH(wrapped)).toBeLessThan(widthH(open));
    // A note dated after now (a clock ahead) changes nothing.
    expect(predict({ nowMs, targetC: 95, meat, pit, stall, wrappedMs: nowMs + 60_000 }).eta).toEqual(open.eta);

    // Wrapped before any stall (at 60 °C on a 115 °C pit): no stall is held in store.
    const early = series(newton(115, 5, 0.25), 0, 3);
    const earlyPit = series(() => 115, 0, 3);
    const at = T0 + 3 * HOUR;
    const physicsOnly = predict({ nowMs: at, targetC: 95, meat: early, pit: earlyPit, params: { stallProbability: 0 } });
    const wrappedEarly = predict({ nowMs: at, targetC: 95, meat: early, pit: earlyPit, wrappedMs: at - HOUR });
    expect(wrappedEarly.eta).toEqual(physicsOnly.eta);
  });

  it("draws a forecast from the last reading to the P50 done time", () => {
    const meat = series(newton(150, 20, 0.2), 0, 1.5);
    const pit = series(() => 150, 0, 1.5);
    const p = predict({ nowMs: T0 + 1.5 * HOUR, targetC: 74, meat, pit });
    expect(p.forecast.length).toBeGreaterThanOrEqual(10);
    expect(p.forecast.length).toBeLessThanOrEqual(20);
    const first = p.forecast[0];
    const last = p.forecast[p.forecast.length - 1];
    expect(first?.tsMs).toBe(T0 + 1.5 * HOUR);
    expect(last?.tsMs).toBeCloseTo(p.eta.doneMs as number, -4);
    expect(last?.tempC).toBeCloseTo(74, 5);
    for (const pt of p.forecast) {
      expect(pt.lowC).toBeLessThanOrEqual(pt.tempC + 1e-9);
      expect(pt.highC).toBeGreaterThanOrEqual(pt.tempC - 1e-9);
    }
  });

  it("keeps its memo of past window fits bounded when a probe stays in for days", () => {
    // A probe left in a slowly warming water bath for 5 days, its series kept for 16 h as the
    // tracker keeps it; one forecast every 10 min.
    const meat = new SampleBuffer();
    const pit = new SampleBuffer();
    const stepMs = 60_000;
    let maxSize = 0;
    for (let t = 0; t <= 5 * 24 * HOUR; t += stepMs) {
      const nowMs = T0 + t;
      meat.push(nowMs, 40 + (15 * t) / (5 * 24 * HOUR));
      pit.push(nowMs, 60);
      meat.dropBefore(nowMs - 16 * HOUR);
      pit.dropBefore(nowMs - 16 * HOUR);
      if (t % (10 * 60_000) !== 0) continue;
      predictDone({ nowMs, targetC: 58, meat, pit, params: { stallProbability: 0 } });
      maxSize = Math.max(maxSize, memoSizeOf(meat));
    }
    // Fits every 15 min (k) and 10 min (rate) over the 16 h kept: ~160 live entries; without
    // pruning 5 days would have left ~1,100.
    expect(memoSizeOf(meat)).toBeGreaterThan(100);
    expect(maxSize).toBeLessThan(700);
  });
});

