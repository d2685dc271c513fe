import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHistoryCache } from "../../src/http/history-cache";
import { toJsonEntry } from "../../src/http/json-cache";
import { EventBus, type ProbeState, type Reading } from "../../src/shared";
import { MEAT, PIT, T0, request, seedCook, statesFromStore, startHarness, SEED_START, withSeededHarness, type Harness } from "./harness";

type History = { probes: Record<string, Array<[number, number | null]>>; from: number; to: number; points: number };

describe("answer caches of /api/probes and /api/history", () => {
  let h: Harness;
  const start = SEED_START;
  withSeededHarness((harness) => {
    h = harness;
  });

  /** What main does after a poll: store, then tell the bus. */
  const store = (readings: Reading[]): void => {
    h.bus.emit("readings:stored", h.store.insertReadings(readings));
  };

  it("/api/probes carries an ETag, answers 304 to it, and changes with the next probes:state", async () => {
    const first = await request<ProbeState[]>(`${h.url}/api/probes`);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"[^"]+"$/);
    expect(first.headers.get("cache-control")).toBe("no-cache");
    const again = await fetch(`${h.url}/api/probes`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");

    const states = statesFromStore(h.store).map((s) => (s.id === MEAT ? { ...s, tempC: 93.5 } : s));
    h.bus.emit("probes:state", states);
    const next = await request<ProbeState[]>(`${h.url}/api/probes`, { headers: { "if-none-match": etag } });
    expect(next.status).toBe(200);
    expect(next.headers.get("etag")).not.toBe(etag);
    expect(next.body.find((p) => p.id === MEAT)?.tempC).toBe(93.5);
  });

  it("/api/history serves the same answer until a reading lands in its window", async () => {
    const url = `${h.url}/api/history?probe=${MEAT}&from=${start}&to=${T0}&points=50`;
    const first = await request<History>(url);
    const etag = first.headers.get("etag") ?? "";
    expect((await fetch(url, { headers: { "if-none-match": etag } })).status).toBe(304);

    // Outside the window, or another probe: the cached answer stays.
    store([{ probeId: MEAT, tsMs: T0 + 60_000, tempC: 200 }, { probeId: PIT, tsMs: start + 1_000, tempC: 300 }]);
    const same = await request<History>(url);
    expect(same.headers.get("etag")).toBe(etag);
    expect(same.body).toEqual(first.body);

    store([{ probeId: MEAT, tsMs: start + 61 * 60_000 + 1_000, tempC: 250 }]);
    const fresh = await request<History>(url, { headers: { "if-none-match": etag } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("etag")).not.toBe(etag);
    expect(Math.max(...(fresh.body.probes[MEAT] ?? []).map(([, t]) => t ?? -Infinity))).toBe(250);
  });

  it("/api/history uses from and to exactly as given, and the same query in another spelling shares the entry", async () => {
    const a = await request<History>(`${h.url}/api/history?probe=${PIT},${MEAT}&from=${start + 7}&to=${T0 - 3}&points=40`);
    expect(a.body).toMatchObject({ from: start + 7, to: T0 - 3, points: 40 });
    const b = await request<History>(`${h.url}/api/history?points=40&to=${T0 - 3}&probe=${MEAT}&probe=${PIT}&from=${start + 7}`);
    expect(b.headers.get("etag")).toBe(a.headers.get("etag"));
    expect(b.body).toEqual(a.body);
  });
});

describe("createHistoryCache", () => {
  const key = (fromMs: number, format = "pairs") => ({ ids: ["a_1"], fromMs, toMs: fromMs + 1000, points: 10, format });

  it("keeps at most maxEntries, dropping the least recently used", () => {
    const bus = new EventBus();
    let now = 0;
    const cache = createHistoryCache(bus, { now: () => now }, 2);
    let computed = 0;
    const compute = () => toJsonEntry({ n: ++computed });
    cache.get(key(1), compute);
    cache.get(key(2), compute);
    cache.get(key(1), compute); // 1 is now the most recent
    cache.get(key(3), compute); // drops 2
    expect(cache.size()).toBe(2);
    expect(computed).toBe(3);
    cache.get(key(1), compute);
    expect(computed).toBe(3);
    cache.get(key(2), compute);
    expect(computed).toBe(4);
    now += 61_000; // past the maximum age: computed again
    cache.get(key(2), compute);
    expect(computed).toBe(5);
    cache.close();
    expect(bus.listenerCount("readings:stored")).toBe(0);
    expect(cache.bytes()).toBe(0);
    cache.get(key(2), compute);
    expect(computed).toBe(6);
  });
});

describe("createHistoryCache byte budget", () => {
  it("drops the oldest answers when their bytes exceed maxBytes", () => {
    const cache = createHistoryCache(new EventBus(), { now: () => 0 }, 64, 250);
    const big = () => toJsonEntry({ pad: "x".repeat(100) });
    for (let i = 0; i < 5; i++) cache.get({ ids: ["a_1"], fromMs: i, toMs: i + 1, points: 1, format: "pairs" }, big);
    expect(cache.size()).toBe(2);
    expect(cache.bytes()).toBeLessThanOrEqual(250);
  });
});

describe("gzip of large cached answers", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    seedCook(h.store, { startMs: T0 - 3 * 3600_000, minutes: 180 });
  });
  afterEach(async () => h.close());

  it("sends the history gzipped to a client that accepts it, and plain to one that does not", async () => {
    const url = `${h.url}/api/history?from=${T0 - 4 * 3600_000}&to=${T0}&points=1000`;
    const { request: get } = await import("node:http");
    const { gunzipSync } = await import("node:zlib");
    const raw = (encoding: string | null) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        get(url, { headers: encoding ? { "accept-encoding": encoding } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on("error", reject).end();
      });
    const plain = await raw(null);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    const zipped = await raw("gzip, deflate, br");
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.headers.etag).toBe(plain.headers.etag);
    const refused = await raw("gzip;q=0, identity");
    expect(refused.headers["content-encoding"]).toBeUndefined();
  });
});
