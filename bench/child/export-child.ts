/**
 * One cook export in a fresh process: builds a cook of `hours` × 10 probes at 5 s (the
 * benchmarks' synthetic history) in a temp database, serves it, downloads it once and prints one
 * JSON line: how much the resident memory grew at its peak, the longest the event loop waited,
 * and the time. `mode` "ours" is the add-on's export route; "whole" is the baseline that reads
 * every reading at once and answers with one string (what the route did before it wrote an hour
 * at a time).
 *
 * argv[2]: JSON `{ dir, hours, format: "csv" | "json", mode: "ours" | "whole" }`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createApp } from "../../src/http";
import { createLogger, EventBus } from "../../src/shared";
import { openStore } from "../../src/store";
import { benchDevice, benchProbes, readingBatches } from "../lib/synthetic";

export interface ExportSpec {
  dir: string;
  hours: number;
  format: "csv" | "json";
  mode: "ours" | "whole";
}
export interface ExportReply {
  rssGrowthMb: number;
  maxLoopDelayMs: number;
  ms: number;
  bytes: number;
}

const spec = JSON.parse(process.argv[2] ?? "") as ExportSpec;
const logger = createLogger({ level: "error" });
const store = openStore({ dataDir: spec.dir, logger });
const T0 = Date.UTC(2026, 10, 20, 8);
const T1 = T0 + spec.hours * 3600_000;
const probes = benchProbes(10);
store.upsertDevices([benchDevice()]);
store.upsertProbes(probes);
// An hour of polls per write.
for (const batch of readingBatches({ probes, fromMs: T0, toMs: T1, stepMs: 5000 }, 720)) store.insertReadings(batch);
const cook = store.createCook({ name: "Long cook", startMs: T0, probeIds: probes.map((p) => p.id) });
store.updateCook(cook.id, { endMs: T1 });

const { handler } = createApp({ store, bus: new EventBus(), logger, getProbeStates: () => [], getHealth: () => ({}) as never, alarms: null, allowedAddresses: null, panelDir: spec.dir, cardPath: `${spec.dir}/card.js` });
const whole = createServer((_req, res) => {
  const readings = probes.map((p) => store.readingsBetween(p.id, T0, T1));
  const body = spec.format === "json"
    ? JSON.stringify({ cook, readings: Object.fromEntries(readings.map((rs, i) => [probes[i]?.id, rs.map((r) => [r.tsMs, r.tempC])])) })
    : readings.flat().filter((r) => r.tempC !== null).sort((a, b) => a.tsMs - b.tsMs).map((r) => `${Math.round((r.tsMs - T0) / 1000)},${r.probeId},${(r.tempC as number).toFixed(2)},meat`).join("\n");
  res.end(body);
});
const server = spec.mode === "ours" ? createServer(handler) : whole;
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

global.gc?.();
const rss0 = process.memoryUsage().rss;
let peak = rss0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const t0 = performance.now();
// The download is counted, not kept: the client's copy is not the server's memory.
const res = await fetch(`http://127.0.0.1:${port}/api/cooks/${cook.id}/export?format=${spec.format}`);
let bytes = 0;
for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
const ms = performance.now() - t0;
clearInterval(sampler);
loop.disable();
const reply: ExportReply = { rssGrowthMb: (peak - rss0) / 1e6, maxLoopDelayMs: loop.max / 1e6, ms, bytes };
process.stdout.write(`${JSON.stringify(reply)}\n`);
server.close();
store.close();
