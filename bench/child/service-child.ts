/**
 * The service as `dist/main.js` runs it (loadConfig from the environment, startGrillStats with a
 * stdout logger), plus an IPC channel so the benchmark can drive it faster than real time:
 * `drive` steps the in-process simulator AND the service clock by `stepS` and polls, N times;
 * `drive-bus` does the same but, instead of fetching over HTTP, emits the `poll:result` a poll
 * would (the simulator's devices and probes, each probe's true temperature at the new time), so
 * a simulated day takes about a minute; `set-and-poll` changes a channel and polls at once;
 * `memory` reports process.memoryUsage().
 * Bundled by the benchmark with the same esbuild settings as the service. Not shipped.
 */
// As src/cli.ts: V8 settings first.
import "../../src/v8-flags";
import { loadConfig } from "../../src/config";
import { startGrillStats } from "../../src/main";
import { createLogger, errorMessage, type Clock, type PollResult } from "../../src/shared";

export type ChildRequest =
  | { cmd: "drive"; polls: number; stepS: number }
  | { cmd: "drive-bus"; polls: number; stepS: number }
  | { cmd: "set-and-poll"; serial: string; channel: string; tempC: number }
  | { cmd: "memory"; gc?: boolean }
  | { cmd: "heap-snapshot"; path: string }
  | { cmd: "stop" };

export type ChildCommand = ChildRequest & { id: number };

export interface ChildReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Wall-clock times (Date.now(), comparable across processes) of one set-and-poll. */
export interface SetAndPollResult {
  triggerMs: number;
  storedMs: number | null;
}

const main = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  let offsetMs = 0;
  const clock: Clock = { now: () => Date.now() + offsetMs };
  const service = await startGrillStats(config, {
    logger,
    clock,
    ...(process.env.BENCH_DIST_DIR ? { distDir: process.env.BENCH_DIST_DIR } : {}),
    haConfigDir: process.env.BENCH_HA_CONFIG_DIR ?? config.dataDir,
  });
  const sim = service.simulator;
  let lastStoredMs: number | null = null;
  let lastPoll: PollResult | null = null;
  service.bus.on("poll:result", (poll) => {
    if (poll.probes.length > 0) lastPoll = poll;
  });
  // Registered before any stream client connects, so it runs before the stream hub's listener.
  service.bus.on("readings:stored", () => {
    lastStoredMs = Date.now();
  });

  /** Moves the service clock by stepS; the simulator too (by its advance() if it does not follow that clock). */
  const step = (stepS: number): void => {
    if (!sim) throw new Error("stepping needs demo mode (the in-process simulator)");
    const before = sim.simSeconds();
    offsetMs += stepS * 1000;
    const moved = sim.simSeconds() - before;
    if (moved < stepS) sim.advance(stepS - moved);
  };

  const handle = async (msg: ChildCommand): Promise<unknown> => {
    switch (msg.cmd) {
      case "drive": {
        if (!sim) throw new Error("drive needs demo mode (the in-process simulator)");
        const t0 = performance.now();
        for (let i = 0; i < msg.polls; i++) {
          step(msg.stepS);
          await service.pollNow();
        }
        return { ms: performance.now() - t0, simSeconds: sim.simSeconds() };
      }
      case "drive-bus": {
        if (!sim || !lastPoll) throw new Error("drive-bus needs demo mode and one real poll first");
        const { devices, probes } = lastPoll;
        const t0 = performance.now();
        let withTemp = 0;
        for (let i = 0; i < msg.polls; i++) {
          step(msg.stepS);
          const atMs = clock.now();
          const readings = probes.map((p) => {
            const tempC = sim.trueTempC(p.deviceSerial, p.channel);
            if (tempC !== null) withTemp++;
            return { probeId: p.id, tsMs: atMs, tempC: tempC === null ? null : Math.round(tempC * 10) / 10 };
          });
          service.bus.emit("poll:result", { atMs, devices: devices.map((d) => ({ ...d, lastSeenMs: atMs })), probes, readings });
          // Let what a real poll's I/O would let run (stream writes, HA posts, timers) run.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (withTemp === 0) throw new Error("the simulator has no temperature for any demo probe (channel mismatch?)");
        return { ms: performance.now() - t0, simSeconds: sim.simSeconds(), readings: withTemp };
      }
      case "set-and-poll": {
        if (!sim) throw new Error("set-and-poll needs demo mode (the in-process simulator)");
        lastStoredMs = null;
        const triggerMs = Date.now();
        sim.setChannel(msg.serial, msg.channel, msg.tempC);
        await service.pollNow();
        return { triggerMs, storedMs: lastStoredMs } satisfies SetAndPollResult;
      }
      case "memory": {
        if (msg.gc) (globalThis as { gc?: () => void }).gc?.();
        return process.memoryUsage();
      }
      case "heap-snapshot": {
        // Diagnostics (where the V8 heap grows): a full snapshot, taken after a full GC.
        const { writeHeapSnapshot } = await import("node:v8");
        return writeHeapSnapshot(msg.path);
      }
      case "stop": {
        await service.stop();
        setImmediate(() => process.exit(0));
        return null;
      }
    }
  };

  process.on("message", (raw) => {
    const msg = raw as ChildCommand;
    handle(msg).then(
      (result) => process.send?.({ id: msg.id, ok: true, result } satisfies ChildReply),
      (err: unknown) => process.send?.({ id: msg.id, ok: false, error: errorMessage(err) } satisfies ChildReply),
    );
  });
  process.on("SIGTERM", () => {
    service.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
};

main().catch((err: unknown) => {
  process.stderr.write(`bench service child failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
