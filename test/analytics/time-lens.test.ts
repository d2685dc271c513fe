import { describe, expect, it } from "vitest";
import { createAnalyticsEngine } from "../../src/analytics";
import { withTimeLens } from "../../src/analytics/time-lens";
import type { Reading } from "../../src/shared";
import { HOUR, T0, device, newton, probe, series, settingsMap, toReadings } from "./helpers";

/**
 * The demo's simulator cooks 60× faster than the wall clock its readings carry. Seen through the
 * lens, the engine must reach the same conclusions as on the same cook in real time, with every
 * time it reports compressed back onto the wall clock.
 */
describe("the analytics time lens", () => {
  const SCALE = 60;
  const pit = probe("1", "pit", "Pit");
  const meat = probe("2", "meat", "Brisket");
  const settings = settingsMap({ [meat.id]: 90 });
  // 3 h of a Newton cook (pit 120 °C, k 0.25/h) sampled every 30 s of cook time.
  const pitReadings = toReadings(pit.id, series(() => 120, 0, 3));
  const meatReadings = toReadings(meat.id, series(newton(120, 5, 0.25), 0, 3));
  const compress = (r: Reading): Reading => ({ ...r, tsMs: T0 + (r.tsMs - T0) / SCALE });

  it("gives the real-time ETA, compressed onto the wall clock", () => {
    const real = createAnalyticsEngine({ pollIntervalMs: 5_000 * SCALE });
    const outReal = real.ingest({ devices: [device()], probes: [pit, meat], readings: [...pitReadings, ...meatReadings], settings, nowMs: T0 + 3 * HOUR });
    const lensed = withTimeLens(createAnalyticsEngine({ pollIntervalMs: 5_000 * SCALE }), SCALE, T0);
    const outLens = lensed.ingest({
      devices: [device()],
      probes: [pit, meat],
      readings: [...pitReadings, ...meatReadings].map(compress),
      settings,
      nowMs: T0 + (3 * HOUR) / SCALE,
    });
    const etaReal = outReal.states.find((s) => s.id === meat.id)!.eta!;
    const etaLens = outLens.states.find((s) => s.id === meat.id)!.eta!;
    expect(etaReal.doneMs).not.toBeNull();
    expect(etaLens.method).toBe(etaReal.method);
    expect(etaLens.doneMs!).toBeCloseTo(T0 + (etaReal.doneMs! - T0) / SCALE, -1);
    expect(etaLens.p90Ms!).toBeCloseTo(T0 + (etaReal.p90Ms! - T0) / SCALE, -1);
    const stateLens = outLens.states.find((s) => s.id === meat.id)!;
    expect(stateLens.tsMs).toBe(T0 + (3 * HOUR) / SCALE);
    expect(stateLens.status).toBe("ok");
    // The forecast runs from now to the done time on the wall clock.
    expect(stateLens.forecast.at(-1)!.tsMs).toBeLessThanOrEqual(etaLens.p90Ms! + 1);
    expect(stateLens.forecast[0]!.tsMs).toBeGreaterThanOrEqual(T0 + (3 * HOUR) / SCALE - 1);
  });

  it("reports a stall's own times on the wall clock, in whole milliseconds", () => {
    // A 2 h plateau at 70 °C between two climbs, in cook time.
    const plateau = (h: number): number => (h < 2 ? 30 + 20 * h : h < 4 ? 70 + 0.2 * (h - 2) : 70.4 + 12 * (h - 4));
    const readings = [...toReadings(pit.id, series(() => 120, 0, 5)), ...toReadings(meat.id, series(plateau, 0, 5))].map(compress);
    const lensed = withTimeLens(createAnalyticsEngine({ pollIntervalMs: 5_000 * SCALE }), SCALE, T0);
    const out = lensed.ingest({ devices: [device()], probes: [pit, meat], readings, settings, nowMs: T0 + (5 * HOUR) / SCALE });
    const ended = out.events.find((e) => e.kind === "stall_ended");
    const stall = out.states.find((s) => s.id === meat.id)!.stall!;
    expect(ended?.detail).toMatchObject({ sinceMs: stall.sinceMs, endedMs: stall.endedMs, durationMs: stall.durationMs });
    // Near 2 h and 4 h of cook time, i.e. 2 and 4 wall minutes in.
    expect(Math.abs((stall.sinceMs as number) - (T0 + (2 * HOUR) / SCALE))).toBeLessThan((20 * 60_000) / SCALE);
    expect(stall.durationMs).toBeGreaterThan((90 * 60_000) / SCALE);
    expect(stall.durationMs).toBeLessThan((150 * 60_000) / SCALE);
    for (const t of [stall.sinceMs, stall.endedMs, stall.durationMs, ended?.tsMs]) expect(Number.isInteger(t)).toBe(true);
  });

  it("takes a wrap at its wall-clock time and reports it back on the wall clock", () => {
    const lensed = withTimeLens(createAnalyticsEngine({ pollIntervalMs: 5_000 * SCALE }), SCALE, T0);
    const wall = (h: number) => T0 + (h * HOUR) / SCALE;
    lensed.ingest({ devices: [device()], probes: [pit, meat], readings: [...pitReadings, ...meatReadings].map(compress), settings, nowMs: wall(3) });
    lensed.setWraps(new Map([[meat.id, wall(2.5)]]));
    const state = lensed.refresh(settings, wall(3)).states.find((s) => s.id === meat.id)!;
    expect(state.wrappedMs).toBe(wall(2.5));
    // A wrap keeps no stall in store: the ETA is the physics alone.
    expect(state.eta!.p90Ms! - state.eta!.doneMs!).toBeLessThan(HOUR / SCALE);
    expect(lensed.refresh(settings, wall(3)).states.find((s) => s.id === pit.id)!.wrappedMs).toBeNull();
  });

  it("is the identity at scale 1", () => {
    const inner = createAnalyticsEngine();
    expect(withTimeLens(inner, 1, T0)).toBe(inner);
  });
});
