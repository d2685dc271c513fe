import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Device, Probe, Reading } from "../../src/shared";
import { naive, rng, series, tempStore } from "./helpers";

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.done());

const device: Device = {
  serial: "10:06:1C:6F:47:70",
  key: "10061c6f4770",
  label: "Signals \"Backyard\" <b>",
  kind: "signals",
  model: "signals",
  firmware: "1.2.3",
  batteryPct: 87,
  batteryState: "charging",
  signalDbm: -61,
  lastSeenMs: 1_700_000_000_000,
  transmitIntervalSec: 30,
  reportDeltaC: null,
};
const probe = (channel: string, role: Probe["role"]): Probe => ({
  id: `10061c6f4770_${channel}`,
  deviceSerial: device.serial,
  deviceKey: device.key,
  channel,
  label: channel === "1" ? "Brisket" : "",
  type: "Pro-Series",
  role,
});

describe("devices and probes", () => {
  it("store every field and update in place", () => {
    t.store.upsertDevices([device, { ...device, serial: "M1000ABC", key: "m1000abc", kind: "rfx_meat", firmware: null, batteryPct: null, batteryState: null, signalDbm: null, lastSeenMs: null, transmitIntervalSec: null, reportDeltaC: 0.556 }]);
    t.store.upsertDevices([{ ...device, batteryPct: 80, label: "Renamed" }]);
    const devices = t.store.listDevices();
    expect(devices).toHaveLength(2);
    expect(devices.find((d) => d.key === device.key)).toEqual({ ...device, batteryPct: 80, label: "Renamed" });
    expect(devices.find((d) => d.key === "m1000abc")?.firmware).toBeNull();

    const probes = [probe("10", "ambient"), probe("2", "pit"), probe("1", "meat")];
    t.store.upsertProbes(probes);
    t.store.upsertProbes([{ ...probes[2]!, label: "Pork butt" }]);
    expect(t.store.listProbes()).toEqual([{ ...probes[2]!, label: "Pork butt" }, probes[1], probes[0]]);
  });
});

describe("insertReadings", () => {
  it("is idempotent and returns only new rows, including duplicates inside one batch", () => {
    const a: Reading[] = [
      { probeId: "p_1", tsMs: 1000, tempC: 20 },
      { probeId: "p_1", tsMs: 2000, tempC: 21 },
      { probeId: "p_2", tsMs: 1000, tempC: null },
    ];
    expect(t.store.insertReadings(a)).toEqual(a);
    const b: Reading[] = [a[1]!, { probeId: "p_1", tsMs: 3000, tempC: 22 }, { probeId: "p_1", tsMs: 3000, tempC: 99 }, a[2]!];
    expect(t.store.insertReadings(b)).toEqual([{ probeId: "p_1", tsMs: 3000, tempC: 22 }]);
    expect(t.store.readingsBetween("p_1", 0, 10_000).map((r) => r.tempC)).toEqual([20, 21, 22]);
    expect(t.store.stats().readings).toBe(4);
    expect(t.store.insertReadings([])).toEqual([]);
  });

  it("stores nulls (unplugged) and skips invalid readings without losing the valid ones", () => {
    const fresh = t.store.insertReadings([
      { probeId: "p_1", tsMs: 1000, tempC: null },
      { probeId: "p_1", tsMs: 2000, tempC: Number.NaN },
      { probeId: "p_1", tsMs: 2.5, tempC: 20 },
      { probeId: "", tsMs: 3000, tempC: 20 },
      { probeId: "p_1", tsMs: 4000, tempC: -5.25 },
    ]);
    expect(fresh).toEqual([
      { probeId: "p_1", tsMs: 1000, tempC: null },
      { probeId: "p_1", tsMs: 4000, tempC: -5.25 },
    ]);
    expect(t.store.readingsBetween("p_1", 0, 10_000)).toEqual(fresh);
  });

  it("accepts late, out-of-order readings and keeps rollups exact", () => {
    const rand = rng(7);
    const all = series("p_1", 0, 3000, 5_000, rand, 200);
    const shuffled = [...all].sort(() => rand() - 0.5);
    for (let i = 0; i < shuffled.length; i += 250) t.store.insertReadings(shuffled.slice(i, i + 250));
    const got = t.store.summarize("p_1", 0, 3000 * 5_000);
    const want = naive(all);
    expect(got.count).toBe(want.count);
    expect(got.nullCount).toBe(want.nullCount);
    expect(got.meanC).toBeCloseTo(want.meanC!, 9);
    expect([got.minC, got.maxC]).toEqual([want.minC, want.maxC]);
  });
});

describe("reads", () => {
  it("readingsBetween is inclusive, ascending and per probe; unknown probes give []", () => {
    t.store.insertReadings([3, 1, 2, 4].map((i) => ({ probeId: "p_1", tsMs: i * 1000, tempC: i })));
    t.store.insertReadings([{ probeId: "p_2", tsMs: 2000, tempC: 50 }]);
    expect(t.store.readingsBetween("p_1", 2000, 3000)).toEqual([
      { probeId: "p_1", tsMs: 2000, tempC: 2 },
      { probeId: "p_1", tsMs: 3000, tempC: 3 },
    ]);
    expect(t.store.readingsBetween("nope", 0, 10_000)).toEqual([]);
  });

  it("latestReadings gives the newest reading per probe, null included", () => {
    t.store.insertReadings([
      { probeId: "p_1", tsMs: 5000, tempC: 30 },
      { probeId: "p_1", tsMs: 9000, tempC: null },
      { probeId: "p_2", tsMs: 7000, tempC: 80 },
    ]);
    t.store.insertReadings([{ probeId: "p_1", tsMs: 1000, tempC: 10 }]);
    const latest = t.store.latestReadings();
    expect([...latest.entries()].sort()).toEqual([
      ["p_1", { probeId: "p_1", tsMs: 9000, tempC: null }],
      ["p_2", { probeId: "p_2", tsMs: 7000, tempC: 80 }],
    ]);
    const stats = t.store.stats();
    expect(stats).toMatchObject({ readings: 4, oldestMs: 1000, newestMs: 9000 });
    expect(stats.sizeBytes).toBeGreaterThan(0);
  });
});

describe("pruneOlderThan", () => {
  it("deletes old readings in chunks and keeps rollups equal to the remaining rows", () => {
    const rand = rng(3);
    const a = series("p_1", 0, 20_000, 5_000, rand, 500);
    const b = series("p_2", 30_000_000, 5_000, 5_000, rand);
    for (let i = 0; i < a.length; i += 1000) t.store.insertReadings(a.slice(i, i + 1000));
    t.store.insertReadings(b);
    const cutMs = 43_210_123;
    let chunks = 0;
    let deleted = 0;
    for (let n = t.store.pruneChunk(cutMs, 3_000); n > 0; n = t.store.pruneChunk(cutMs, 3_000)) {
      expect(n).toBeLessThanOrEqual(3_000);
      deleted += n;
      chunks++;
    }
    const kept = [...a, ...b].filter((r) => r.tsMs >= cutMs);
    expect(deleted).toBe(a.length + b.length - kept.length);
    expect(chunks).toBeGreaterThan(1);
    expect(t.store.stats()).toMatchObject({ readings: kept.length, oldestMs: kept.reduce((m, r) => Math.min(m, r.tsMs), Infinity) });
    for (const id of ["p_1", "p_2"]) {
      const want = naive(kept.filter((r) => r.probeId === id));
      const got = t.store.summarize(id, 0, 200_000_000);
      expect([got.count, got.nullCount, got.minC, got.maxC]).toEqual([want.count, want.nullCount, want.minC, want.maxC]);
      expect(got.meanC).toBeCloseTo(want.meanC!, 9);
    }
    expect(t.store.pruneOlderThan(cutMs)).toBe(0);
    expect(t.store.pruneOlderThan(Number.MAX_SAFE_INTEGER)).toBe(kept.length);
    expect(t.store.stats()).toMatchObject({ readings: 0, oldestMs: null, newestMs: null });
  });
});
