import { describe, expect, it, onTestFinished } from "vitest";
import { initialCapacity } from "../../src/store/history";
import { DEVICE_KEY, probe, seedCook, MEAT, PIT, T0, request, SEED_START, startHarness, withSeededHarness, type Harness } from "./harness";

type History = {
  probes: Record<string, Array<[number, number | null]>>;
  from: number;
  to: number;
  points: number;
};
type ErrorBody = { error: { code: string; message: string } };

describe("GET /api/history", () => {
  let h: Harness;
  const start = SEED_START;
  withSeededHarness((harness) => {
    h = harness;
  });

  it("returns every probe over the last 4 hours by default, at most 500 points each", async () => {
    const res = await request<History>(`${h.url}/api/history`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: T0 - 4 * 3600_000, to: T0, points: 500 });
    expect(Object.keys(res.body.probes).sort()).toEqual([MEAT, PIT].sort());
    const meat = res.body.probes[MEAT] ?? [];
    expect(meat.length).toBeGreaterThan(0);
    expect(meat.length).toBeLessThanOrEqual(500);
    expect(meat[0]).toEqual([start, 5]);
  });

  it("accepts repeated and comma-separated probe ids and keeps the peak when downsampling", async () => {
    h.store.insertReadings([{ probeId: MEAT, tsMs: start + 60 * 60_000 + 1000, tempC: 150 }]);
    const q = `from=${start}&to=${T0}&points=20`;
    const repeated = await request<History>(`${h.url}/api/history?probe=${MEAT}&probe=${PIT}&${q}`);
    const comma = await request<History>(`${h.url}/api/history?probe=${MEAT},${PIT}&${q}`);
    expect(repeated.status).toBe(200);
    expect(comma.body).toEqual(repeated.body);
    const meat = repeated.body.probes[MEAT] ?? [];
    expect(meat.length).toBeLessThanOrEqual(20);
    expect(Math.max(...meat.map(([, t]) => t ?? -Infinity))).toBe(150);
    const only = await request<History>(`${h.url}/api/history?probe=${PIT}&${q}`);
    expect(Object.keys(only.body.probes)).toEqual([PIT]);
  });

  it("answers byte for byte what JSON.stringify of the store's history gives (cached and not)", async () => {
    h.store.insertReadings([
      { probeId: MEAT, tsMs: start + 61_000, tempC: null },
      { probeId: PIT, tsMs: start + 62_000, tempC: -3.7 },
      { probeId: PIT, tsMs: start + 63_000, tempC: 101.25 },
    ]);
    const ids = [MEAT, PIT].sort();
    for (const points of [1, 7, 500]) {
      const url = `${h.url}/api/history?probe=${PIT},${MEAT}&from=${start}&to=${T0}&points=${points}`;
      const want = JSON.stringify({
        probes: h.store.history(ids, start, T0, points),
        from: start,
        to: T0,
        points,
      });
      expect(await (await fetch(url)).text()).toBe(want);
      expect(await (await fetch(url)).text()).toBe(want);
    }
  });

  it("format=columns answers the same points, times as deltas from `from`, cached apart from the pairs answer", async () => {
    h.store.insertReadings([
      { probeId: MEAT, tsMs: start + 61_000, tempC: null },
      { probeId: PIT, tsMs: start + 62_000, tempC: 101.25 },
    ]);
    const base = `${h.url}/api/history?probe=${MEAT},${PIT}&from=${start}&to=${T0}&points=40`;
    for (let round = 0; round < 2; round++) {
      const pairs = await request<History>(base);
      const columns = await request<{ probes: Record<string, { dt: number[]; tempC: Array<number | null> }>; format: string; from: number }>(
        `${base}&format=columns`,
      );
      expect(columns.status).toBe(200);
      expect(columns.body.format).toBe("columns");
      const decoded = Object.fromEntries(
        Object.entries(columns.body.probes).map(([id, c]) => {
          let t = columns.body.from;
          return [id, c.dt.map((d, i) => [(t += d), c.tempC[i]])];
        }),
      );
      expect(decoded).toEqual(pairs.body.probes);
      expect(pairs.body.probes[MEAT]?.length).toBeGreaterThan(10);
      expect(await request<History>(`${base}&format=pairs`)).toMatchObject({ body: pairs.body });
    }
  });

  it("shows an unplugged stretch as null", async () => {
    h.store.insertReadings([{ probeId: MEAT, tsMs: T0 + 30_000, tempC: null }]);
    const res = await request<History>(
      `${h.url}/api/history?probe=${MEAT}&from=${T0 - 60_000}&to=${T0 + 60_000}`,
    );
    expect(res.body.probes[MEAT]?.some(([, t]) => t === null)).toBe(true);
  });

  it.each([
    ["from=abc", /query\.from: must be a whole number/],
    ["to=12.5", /query\.to/],
    ["points=0", /query\.points: must be at least 1/],
    ["points=5001", /query\.points: must be at most 5000/],
    ["points=ten", /query\.points/],
    [`from=${T0}&to=${T0}`, /from: must be before query\.to/],
    [`from=${T0 + 10}&to=${T0}`, /from: must be before/],
    ["from=1&from=2", /query\.from/],
    ["format=csv", /query\.format: .*"pairs".*"columns"/],
    ["probe=", /query\.probe: names no probe/],
    ["probe=,&probe=", /query\.probe: names no probe/],
  ])("rejects %s with 400", async (query, message) => {
    const res = await request<ErrorBody>(`${h.url}/api/history?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(res.body.error.message).toMatch(message);
  });

  it("answers an unknown probe with 404", async () => {
    const res = await request<ErrorBody>(`${h.url}/api/history?probe=${MEAT},nope_1`);
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: "not_found", message: 'Unknown probe "nope_1"' });
  });
});

describe("GET /api/history, a window asked again", () => {
  it("is not validated again within a minute (the panel's repeats), and is after that", async () => {
    let validations = 0;
    const h = await startHarness({ decorate: (states) => (validations++, states) });
    try {
      seedCook(h.store, { startMs: SEED_START, minutes: 120 });
      const url = `${h.url}/api/history?probe=${MEAT},${PIT}&from=${SEED_START}&to=${T0}&points=50&format=columns`;
      const first = await request(url);
      expect(first.status).toBe(200);
      expect(validations).toBe(1);
      // A new reading in the window: the answer is computed again, the query is not parsed again.
      h.store.insertReadings([{ probeId: MEAT, tsMs: SEED_START + 30 * 60_000 + 1, tempC: 150 }]);
      h.bus.emit("readings:stored", [{ probeId: MEAT, tsMs: SEED_START + 30 * 60_000 + 1, tempC: 150 }]);
      const second = await request<{ probes: Record<string, { tempC: number[] }> }>(url);
      expect(Math.max(...(second.body.probes[MEAT]?.tempC ?? []))).toBe(150);
      expect(validations).toBe(1);
      // The same window spelled otherwise is another query string: validated on its own.
      expect((await request(`${url}&x=1`)).status).toBe(200);
      expect(validations).toBe(2);
      h.clock.set(T0 + 61_000);
      expect((await request(url)).status).toBe(200);
      expect(validations).toBe(3);
      // "Every probe" is validated each time: a probe that appears is in the next answer.
      const every = `${h.url}/api/history?from=${SEED_START}&to=${T0}&points=50`;
      expect(Object.keys((await request<History>(every)).body.probes)).toHaveLength(2);
      h.store.upsertProbes([probe("3", "Pork", "meat")]);
      h.store.insertReadings([{ probeId: `${DEVICE_KEY}_3`, tsMs: SEED_START + 60_000, tempC: 40 }]);
      h.bus.emit("readings:stored", [{ probeId: `${DEVICE_KEY}_3`, tsMs: SEED_START + 60_000, tempC: 40 }]);
      expect(Object.keys((await request<History>(every)).body.probes)).toHaveLength(3);
      expect(validations).toBe(5);
    } finally {
      await h.close();
    }
  });

  it("answers a window of centuries like the cook's own, and refuses times a date cannot hold", async () => {
    const h = await startHarness();
    seedCook(h.store);
    onTestFinished(() => h.close());
    const all = await request<History>(`${h.url}/api/history?probe=${MEAT}&from=0&to=8640000000000000&points=100`);
    expect(all.status).toBe(200);
    expect(all.body.probes[MEAT]?.length).toBeGreaterThan(0);
    // What it reserves does not grow with the window (it was 8 bytes × 6 columns per 6-hour bucket).
    expect(initialCapacity(0, 8.64e15, 6 * 3600_000)).toBeLessThanOrEqual(4096);
    expect(initialCapacity(T0 - 3600_000, T0, 60_000)).toBe(61 + 64);
    for (const [query, message] of [
      ["from=-9999999999999999&to=1", "query.from: must be epoch milliseconds, not before 1970"],
      ["from=1&to=99999999999999991", "query.to: must be a whole number (epoch milliseconds)"],
      ["from=1&to=8640000000000001", "query.to: must be epoch milliseconds a date can hold"],
    ]) {
      const res = await request<ErrorBody>(`${h.url}/api/history?${query}`);
      expect({ query, status: res.status, message: res.body.error.message }).toEqual({ query, status: 400, message });
    }
  });

  it("never remembers a bad query: it is refused every time", async () => {
    const h = await startHarness();
    try {
      for (let i = 0; i < 2; i++) {
        expect((await request(`${h.url}/api/history?probe=nope_1&from=1&to=2`)).status).toBe(404);
        expect((await request(`${h.url}/api/history?from=2&to=1`)).status).toBe(400);
      }
    } finally {
      await h.close();
    }
  });
});
