/**
 * The bench child (the service exactly as dist/main.js wires it, driven over IPC) in demo
 * mode, connected to the Home Assistant stand-in (test/support/ha-standin.ts), polling only
 * when told (poll interval 3600 s), so no scheduled poll races the measured ones:
 *  - freshness_ms: simulator.setChannel + pollNow at once → the stand-in receives the new state
 *    of that probe's temperature entity (REST POST arrival time). The poll wait is excluded by
 *    triggering the poll right after the change; the poll's own round trip is included.
 *  - sse_fanout_ms: 500 /api/stream clients on raw sockets; from the service emitting
 *    `readings:stored` until the last client has the reading event.
 */
import { toDeviceKey } from "../../src/shared";
import { defaultWorld } from "../../src/thermoworks";
import { startHaStandIn, type HaStandIn } from "../../test/support/ha-standin";
import type { SetAndPollResult } from "../child/service-child";
import { workDir, type BenchContext } from "../lib/context";
import { buildChild, cleanEnv, freePort, spawnService, waitForHealth, writeOptions, type ServiceProcess } from "../lib/process";
import { figure, type Figure } from "../lib/report";
import { openSseClients } from "../lib/sse-clients";
import { median, percentile, round, sleep } from "../lib/stats";
import { DIST_DIR } from "./sizes";

const SSE_CLIENTS = 500;
const CHANNEL = "2";

const signalsSerial = (): string => {
  const dev = defaultWorld().accounts[0]?.devices.find((d) => d.device === "signals");
  if (!dev) throw new Error("the demo world has no Signals");
  return dev.serial;
};

let childEntry: Promise<string> | null = null;
/** The bench child bundle, built once per run. */
export const benchChild = (ctx: BenchContext): Promise<string> => (childEntry ??= buildChild(workDir(ctx, "child")));

export const startChild = async (ctx: BenchContext, name: string, options: Record<string, unknown>, extraEnv: Record<string, string> = {}, execArgv: string[] = []): Promise<ServiceProcess> => {
  const entry = await benchChild(ctx);
  const dir = workDir(ctx, name);
  const port = await freePort();
  const env = cleanEnv({
    GRILL_STATS_OPTIONS: writeOptions(dir, options),
    GRILL_STATS_DATA_DIR: `${dir}/data`,
    GRILL_STATS_PORT: String(port),
    GRILL_STATS_DEMO_SPEED: "1",
    BENCH_DIST_DIR: DIST_DIR,
    BENCH_HA_CONFIG_DIR: workDir(ctx, `${name}/ha-config`),
    ...extraEnv,
  });
  const svc = spawnService({ entry, port, env, ipc: true, execArgv });
  try {
    await waitForHealth(svc);
  } catch (err) {
    await svc.stop();
    throw err;
  }
  return svc;
};

const waitFor = async <T>(probe: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
};

const measureFreshness = async (svc: ServiceProcess, ha: HaStandIn, trials: number): Promise<number[]> => {
  const serial = signalsSerial();
  const entity = `sensor.grill_stats_${toDeviceKey(serial)}_${CHANNEL}_temperature`;
  await waitFor(() => ha.posted.find((p) => p.entityId === entity), `a first state of ${entity} in the stand-in`, 15_000);
  const out: number[] = [];
  for (let i = 0; i < trials; i++) {
    const tempC = Math.round(((i % 2 === 0 ? 45 : 75) + i * 0.2) * 10) / 10;
    const before = ha.posted.length;
    const res = await svc.request<SetAndPollResult>({ cmd: "set-and-poll", serial, channel: CHANNEL, tempC });
    const got = await waitFor(
      () => ha.posted.slice(before).find((p) => p.entityId === entity && p.status < 300 && Math.abs(Number(p.state) - tempC) < 1.5),
      `${entity} = ${tempC} in the stand-in`,
    );
    out.push(got.tsMs - res.triggerMs);
    await sleep(150);
  }
  return out;
};

const measureFanout = async (svc: ServiceProcess, trials: number): Promise<{ fromEmit: number[]; fromTrigger: number[] }> => {
  const clients = await openSseClients(svc.url, SSE_CLIENTS);
  const fromEmit: number[] = [];
  const fromTrigger: number[] = [];
  try {
    const serial = signalsSerial();
    for (let i = 0; i < trials; i++) {
      await sleep(200);
      clients.arm();
      const res = await svc.request<SetAndPollResult>({ cmd: "set-and-poll", serial, channel: CHANNEL, tempC: 50 + i });
      if (res.storedMs === null) throw new Error("the poll stored no new reading");
      const last = await waitFor(() => {
        const a = clients.arrivals();
        return a.every((t) => t !== null) ? Math.max(...(a as number[])) : undefined;
      }, `all ${SSE_CLIENTS} stream clients to get the reading`);
      fromEmit.push(last - res.storedMs);
      fromTrigger.push(last - res.triggerMs);
    }
  } finally {
    clients.close();
  }
  return { fromEmit, fromTrigger };
};

export const runLive = async (ctx: BenchContext): Promise<Figure[]> => {
  const ha = await startHaStandIn();
  let svc: ServiceProcess | null = null;
  try {
    svc = await startChild(ctx, "live", { poll_interval_seconds: 3600 }, { GRILL_STATS_HA_URL: ha.url, GRILL_STATS_HA_TOKEN: ha.token });
    const fresh = await measureFreshness(svc, ha, ctx.quick ? 5 : 20);
    const fan = await measureFanout(svc, ctx.quick ? 3 : 10);
    return [
      figure(
        "freshness_ms",
        percentile(fresh, 95),
        "ms",
        `p95 of ${fresh.length}: setChannel + pollNow → HA stand-in has the new state (p50 ${round(median(fresh))}, max ${round(Math.max(...fresh))} ms)`,
      ),
      figure(
        "sse_fanout_ms",
        percentile(fan.fromEmit, 95),
        "ms",
        `p95 of ${fan.fromEmit.length}: readings:stored emitted → last of ${SSE_CLIENTS} clients has it (p50 ${round(median(fan.fromEmit))} ms); ` +
          `from setChannel+poll: p50 ${round(median(fan.fromTrigger))}, p95 ${round(percentile(fan.fromTrigger, 95))} ms`,
      ),
    ];
  } finally {
    await svc?.stop();
    await ha.stop();
  }
};
