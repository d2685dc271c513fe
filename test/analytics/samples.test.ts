import { describe, expect, it } from "vitest";
import { between, localFit, lowerBound, rateFit, SampleBuffer, tempsBetween, typicalGapMs, valueAt, type Sample, type Series } from "../../src/analytics/samples";
import { seededRandom } from "../../src/shared";

const toArray = (s: Series): Sample[] => Array.from({ length: s.length }, (_, i) => ({ tsMs: s.tsAt(i), tempC: s.tempAt(i) }));

describe("SampleBuffer", () => {
  it("keeps a sliding window exactly like an array with push and shift, through growth and compaction", () => {
    const buf = new SampleBuffer(4);
    const ref: Sample[] = [];
    // A window of 50 samples sliding over 2000: the arrays grow a few times, then only compact.
    for (let i = 0; i < 2000; i++) {
      const p = { tsMs: 1_000 * i, tempC: 20 + Math.sin(i / 7) };
      buf.push(p.tsMs, p.tempC);
      ref.push(p);
      const from = p.tsMs - 49_500;
      buf.dropBefore(from);
      while (ref.length > 0 && (ref[0] as Sample).tsMs < from) ref.shift();
      if (i % 97 === 0) expect(toArray(buf)).toEqual(ref);
    }
    expect(buf.length).toBe(50);
    expect(toArray(buf)).toEqual(ref);
    expect(buf.toArray()).toEqual(ref);
  });

  it("replaces the newest sample, copies a prefix into a new buffer, and empties out", () => {
    const buf = SampleBuffer.of([
      { tsMs: 1, tempC: 10 },
      { tsMs: 2, tempC: 11 },
      { tsMs: 3, tempC: 12 },
    ]);
    buf.setLast(4, 13);
    expect(buf.toArray()).toEqual([
      { tsMs: 1, tempC: 10 },
      { tsMs: 2, tempC: 11 },
      { tsMs: 4, tempC: 13 },
    ]);
    const prefix = buf.copyUntil(2);
    expect(prefix).not.toBe(buf);
    expect(prefix.toArray()).toEqual([
      { tsMs: 1, tempC: 10 },
      { tsMs: 2, tempC: 11 },
    ]);
    expect(buf.length).toBe(3);
    buf.dropBefore(100);
    expect(buf.length).toBe(0);
    buf.push(200, 30);
    expect(buf.toArray()).toEqual([{ tsMs: 200, tempC: 30 }]);
  });
});

describe("series helpers", () => {
  // Every 10 s from t = 100 s, after a window was dropped from the front (head > 0).
  const buf = new SampleBuffer(2);
  for (let i = 0; i < 40; i++) buf.push(10_000 * i, 20 + i);
  buf.dropBefore(100_000);

  it("search, slice and interpolate by time", () => {
    expect(lowerBound(buf, 0)).toBe(0);
    expect(lowerBound(buf, 100_000)).toBe(0);
    expect(lowerBound(buf, 100_001)).toBe(1);
    expect(lowerBound(buf, 1e9)).toBe(buf.length);
    expect(between(buf, 115_000, 140_000)).toEqual([
      { tsMs: 120_000, tempC: 32 },
      { tsMs: 130_000, tempC: 33 },
      { tsMs: 140_000, tempC: 34 },
    ]);
    expect(tempsBetween(buf, 120_000, 130_000)).toEqual([32, 33]);
    expect(valueAt(buf, 125_000)).toBeCloseTo(32.5, 9);
    expect(valueAt(buf, 0)).toBe(30);
    expect(valueAt(buf, 1e9)).toBe(59);
    expect(valueAt(new SampleBuffer(), 0)).toBeNull();
    expect(typicalGapMs(buf)).toBe(10_000);
  });

  it("fits the rate over the window ending at a time (1 °C per 10 s = 360 °C/h)", () => {
    const fit = localFit(buf, 200_000, 60_000, 3);
    expect(fit?.n).toBe(6);
    expect(fit?.rateCPerHour).toBeCloseTo(360, 6);
    expect(fit?.tempC).toBeCloseTo(40, 6);
    // Too few points in the window → no fit.
    expect(localFit(buf, 200_000, 15_000, 3)).toBeNull();
  });

  /**
   * How often the true rate lies within ±1.28 standard errors of the fitted one (an 80 % range),
   * over windows of a line read as a thermometer would: with scatter, or rounded to whole °F.
   */
  const rateRangeHolds = (o: { n: number; stepS: number; rate: number; roundC: number; noiseC: number }): number => {
    const rnd = seededRandom(7);
    const gauss = (): number => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    let inside = 0;
    const trials = 1000;
    // The window is the last n readings of a longer series (the history before it shows the
    // probe's resolution, as a real probe's does).
    const total = o.n + 24;
    for (let trial = 0; trial < trials; trial++) {
      const b = new SampleBuffer();
      const [offset, startH] = [rnd() * o.roundC, rnd()];
      for (let i = 0; i < total; i++) {
        const v = 60 + o.rate * (startH + (i * o.stepS) / 3600) + o.noiseC * gauss();
        b.push(i * o.stepS * 1000, o.roundC > 0 ? Math.round((v + offset) / o.roundC) * o.roundC - offset : v);
      }
      const fit = rateFit(b, (total - 1) * o.stepS * 1000, o.n * o.stepS * 1000, 3);
      if (fit && Math.abs(fit.rateCPerHour - o.rate) <= 1.2816 * fit.rateSe) inside++;
    }
    return inside / trials;
  };

  it("gives the rate a standard error that holds the true rate about 80 % of the time, also from few or rounded readings", () => {
    const F = 5 / 9;
    // Scattered readings: many, or five a minute apart (Student's t, not the normal).
    expect(rateRangeHolds({ n: 30, stepS: 60, rate: 5, roundC: 0, noiseC: 0.3 })).toBeGreaterThan(0.7);
    expect(rateRangeHolds({ n: 5, stepS: 60, rate: 5, roundC: 0, noiseC: 0.3 })).toBeGreaterThan(0.7);
    // Whole °F through a slow stretch: neighbours sit on the same step (correlated residuals).
    expect(rateRangeHolds({ n: 30, stepS: 60, rate: 2, roundC: F, noiseC: 0.05 })).toBeGreaterThan(0.7);
    // Four whole-°F readings 15 min apart often lie exactly on a line: the rounding still counts.
    expect(rateRangeHolds({ n: 4, stepS: 900, rate: 2, roundC: F, noiseC: 0.05 })).toBeGreaterThan(0.7);
    // And not by being vague: fine readings keep a tight range, dense or 10 min apart (where the
    // rise between two readings is not a rounding step).
    for (const fine of [{ n: 120, stepS: 15, rate: 5 }, { n: 5, stepS: 600, rate: 20 }]) {
      const holds = rateRangeHolds({ ...fine, roundC: fine.n === 5 ? 0.01 : 0.1, noiseC: fine.n === 5 ? 0.05 : 0.03 });
      expect(holds).toBeGreaterThan(0.7);
      expect(holds).toBeLessThan(0.9);
    }
  });
});
