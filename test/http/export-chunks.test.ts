import { describe, expect, it } from "vitest";
import { cookCsvChunks, cookJsonChunks, EXPORT_SLICE_MS, type ReadSlice } from "../../src/http/cooks/export";
import type { ProbeInfo } from "../../src/http/cooks/probe-info";
import type { Cook, Reading } from "../../src/shared";

const START = Date.UTC(2026, 10, 27, 6, 0, 0, 250);
const probe = (id: string, role: ProbeInfo["role"]): ProbeInfo => ({ id, role }) as ProbeInfo;
const PROBES = [probe("dev_2", "pit"), probe("dev_1", "meat"), probe("dev_3", "humidity" as ProbeInfo["role"])];

/** Three and a half hours of readings every 5 s per probe, offset so some fall in the same second across a slice edge. */
const readings = (): Reading[] => {
  const out: Reading[] = [];
  for (let t = 0; t <= 3.5 * 3600_000; t += 5000) {
    out.push({ probeId: "dev_1", tsMs: START + t + 400, tempC: t === 20_000 ? null : 5 + t / 3600_000 });
    out.push({ probeId: "dev_2", tsMs: START + t - 300, tempC: 110 + ((t / 5000) % 7) / 3 });
    out.push({ probeId: "dev_3", tsMs: START + t, tempC: 55 });
  }
  // Two probes in the same second (3599 s after the first reading) either side of the first slice
  // edge (the export starts at START − 1000), the later probe id first.
  out.push({ probeId: "dev_2", tsMs: START - 1000 + EXPORT_SLICE_MS - 100, tempC: 111 });
  out.push({ probeId: "dev_1", tsMs: START - 1000 + EXPORT_SLICE_MS + 100, tempC: 6 });
  return out;
};
const store = readings();
/** Counts the rows handed out, so a test can tell the reads were sliced. */
let largestRead = 0;
const read: ReadSlice = (id, fromMs, toMs) => {
  const got = store.filter((r) => r.probeId === id && r.tsMs >= fromMs && r.tsMs <= toMs).sort((a, b) => a.tsMs - b.tsMs);
  largestRead = Math.max(largestRead, got.length);
  return got;
};

describe("cook export in chunks", () => {
  const endMs = START + 3.5 * 3600_000 + 1000;

  it("writes the CSV of every reading, sorted by second then probe across slice edges, an hour at a time", () => {
    largestRead = 0;
    const chunks = [...cookCsvChunks(PROBES, START - 1000, endMs, read)];
    expect(chunks.length).toBeGreaterThan(3);
    expect(largestRead).toBeLessThanOrEqual(EXPORT_SLICE_MS / 5000 + 2);
    const lines = chunks.join("").split("\n");
    expect(lines[0]).toBe("t_s,probe,temp_c,role");
    expect(lines.at(-1)).toBe("");
    // What one sort of all readings gives (humidity and gaps left out).
    const firstMs = Math.min(...store.filter((r) => r.probeId !== "dev_3" && r.tempC !== null).map((r) => r.tsMs));
    const expected = store
      .filter((r) => r.probeId !== "dev_3" && r.tempC !== null)
      .map((r) => ({ tS: Math.round((r.tsMs - firstMs) / 1000), probe: r.probeId, line: `${r.probeId},${(r.tempC as number).toFixed(2)},${r.probeId === "dev_1" ? "meat" : "pit"}` }))
      .sort((a, b) => a.tS - b.tS || (a.probe < b.probe ? -1 : 1))
      .map((r) => `${r.tS},${r.line}`);
    expect(lines.slice(1, -1)).toEqual(expected);
  });

  it("writes the JSON exactly as JSON.stringify of the whole export would", () => {
    const cook: Cook = { id: 7, name: "Brisket", startMs: START - 1000, endMs, notes: "", probeIds: PROBES.map((p) => p.id), targets: {} };
    const events = [{ id: 1, cookId: 7, tsMs: START + 60_000, kind: "wrap" as const, text: "", probeId: "dev_1" }];
    const text = [...cookJsonChunks(cook, events, PROBES, 1234, read)].join("");
    const whole = {
      format: "grill-stats-cook",
      version: 1,
      exportedAtMs: 1234,
      cook,
      events,
      probes: PROBES,
      readings: Object.fromEntries(PROBES.map((p) => [p.id, read(p.id, cook.startMs, endMs).map((r) => [r.tsMs, r.tempC])])),
    };
    expect(text).toBe(JSON.stringify(whole));
  });

  it("writes an empty cook as a header, and a cook of one instant", () => {
    expect([...cookCsvChunks(PROBES, START - 10_000, START - 5000, read)].join("")).toBe("t_s,probe,temp_c,role\n");
    expect([...cookCsvChunks(PROBES, START + 400, START + 400, read)].join("")).toBe("t_s,probe,temp_c,role\n0,dev_1,5.00,meat\n");
  });
});

describe("cook export over HTTP", () => {
  it("leaves no listener behind on the response however many hours it writes", async () => {
    const { startHarness } = await import("./harness");
    const h = await startHarness();
    try {
      const t0 = h.clock.now();
      const readings = [];
      for (let t = 0; t < 30 * 3600_000; t += 5000) readings.push({ probeId: "d_1", tsMs: t0 + t, tempC: 50 + (t % 7) }, { probeId: "d_2", tsMs: t0 + t, tempC: 110 });
      h.store.upsertDevices([{ serial: "d", key: "d", label: "Signals", kind: "signals", model: "signals", firmware: null, batteryPct: 90, batteryState: null, signalDbm: null, lastSeenMs: null, transmitIntervalSec: 5, reportDeltaC: null }]);
      h.store.upsertProbes([1, 2].map((c) => ({ id: `d_${c}`, deviceSerial: "d", deviceKey: "d", channel: String(c), label: "", type: "Pro-Series", role: c === 1 ? ("meat" as const) : ("pit" as const) })));
      h.store.insertReadings(readings);
      const cook = h.store.createCook({ name: "Long", startMs: t0, probeIds: ["d_1", "d_2"] });
      h.store.updateCook(cook.id, { endMs: t0 + 30 * 3600_000 });
      const warnings: string[] = [];
      const onWarning = (w: Error): void => void warnings.push(w.message);
      process.on("warning", onWarning);
      try {
        const res = await fetch(`${h.url}/api/cooks/${cook.id}/export?format=csv`);
        const text = await res.text();
        expect(text.split("\n").length).toBe(readings.length + 2);
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        process.off("warning", onWarning);
      }
      expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
    } finally {
      await h.close();
    }
  }, 30_000);
});
