/**
 * In-process HTTP servers for the history benchmarks: the real app (`createApp` from src/http,
 * on the real SQLite store) and the naive way (every raw row of the window through
 * `readingsBetween`, downsampled in JS with the store's `downsampleMinMax`), both on loopback
 * port 0 and answering the same `/api/history` query with the same JSON shape.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { createApp, type Health } from "../../src/http";
import { EventBus, type HistoryPoint } from "../../src/shared";
import { downsampleMinMax, type SqliteStore } from "../../src/store";
import { benchLogger } from "./context";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const listen = async (server: Server): Promise<RunningServer> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

const health = (): Health => ({ status: "ok", version: "bench", mode: "demo", thermoworks: {}, homeassistant: {}, store: {} });

/** The real app (createApp: fast path + express) over `store` (no analytics: probe states empty, history reads the store). */
export const startRealApp = (store: SqliteStore, dir: string): Promise<RunningServer> => {
  const { handler } = createApp({
    store,
    bus: new EventBus(),
    logger: benchLogger(),
    getProbeStates: () => [],
    getHealth: health,
    alarms: null,
    allowedAddresses: null,
    panelDir: dir,
    cardPath: `${dir}/grill-stats-card.js`,
  });
  return listen(createServer(handler));
};

/** The naive baseline: raw rows of the window, downsampled in JS per request. */
export const startNaiveServer = (store: SqliteStore): Promise<RunningServer> =>
  listen(
    createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://bench");
      const ids = (url.searchParams.get("probe") ?? "").split(",").filter(Boolean);
      const from = Number(url.searchParams.get("from"));
      const to = Number(url.searchParams.get("to"));
      const points = Number(url.searchParams.get("points"));
      const probes: Record<string, HistoryPoint[]> = {};
      for (const id of ids) {
        const rows: HistoryPoint[] = store.readingsBetween(id, from, to).map((r) => [r.tsMs, r.tempC]);
        probes[id] = downsampleMinMax(rows, points, { fromMs: from, toMs: to });
      }
      const body = JSON.stringify({ probes, from, to, points });
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
      res.end(body);
    }),
  );

export interface TimedResponse {
  ms: number;
  status: number;
  body: string;
}

/** One GET, timed from send until the whole body has arrived. */
export const timedGet = async (url: string): Promise<TimedResponse> => {
  const t0 = performance.now();
  const res = await request(url);
  const body = await res.body.text();
  return { ms: performance.now() - t0, status: res.statusCode, body };
};

export const historyUrl = (base: string, ids: readonly string[], fromMs: number, toMs: number, points: number): string =>
  `${base}/api/history?probe=${ids.map(encodeURIComponent).join(",")}&from=${Math.round(fromMs)}&to=${Math.round(toMs)}&points=${points}`;

/** Checks a history answer: every probe present, at most `points` points each, some data. */
export const checkHistory = (body: string, ids: readonly string[], points: number): number => {
  const parsed = JSON.parse(body) as { probes?: Record<string, unknown[]> };
  let total = 0;
  for (const id of ids) {
    const list = parsed.probes?.[id];
    if (!Array.isArray(list)) throw new Error(`history answer lacks probe ${id}`);
    if (list.length > points) throw new Error(`history answer has ${list.length} points for ${id}, more than ${points}`);
    total += list.length;
  }
  if (total === 0) throw new Error("history answer has no points at all");
  return total;
};
