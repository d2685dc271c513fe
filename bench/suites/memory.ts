/**
 * rss_growth_mb: VmRSS of the service process after 24 simulated hours of the demo cook at 5 s,
 * minus its VmRSS after start (+ a simulated quarter hour of real polls as warm-up), both taken
 * after forced full GCs: without that, either sample lands anywhere on V8's garbage sawtooth
 * (tens of MB) and the difference is noise. The raw samples and the peak are in the note.
 *
 * The shipped dist/main.js polls on a real-time timer (≥ 5 s): a high demo speed would fit only
 * ~17 polls into the ~1.5 min budget, not a day of readings. So the bench child (the same
 * startGrillStats, bundled the same way) steps the in-process simulator AND the service clock by
 * 5 s per poll, 17 280 times. A real poll costs ~15–25 ms here (14 HTTP requests to the
 * simulator), too slow for a day in 1–2 min, so after the warm-up of real polls the day is fed
 * as the `poll:result` events the poller would emit (simulator devices/probes, true
 * temperatures): the store, analytics, alarms and stream hub see every reading of the day; the
 * cloud client itself only sees the warm-up polls.
 */
import type { BenchContext } from "../lib/context";
import { rssByMapping, rssMb, writtenBytes, type RssParts, type ServiceProcess } from "../lib/process";
import { figure, type Figure } from "../lib/report";
import { round, sleep } from "../lib/stats";
import { startChild } from "./live";

const STEP_S = 5;
const CHUNK_POLLS = 720; // one simulated hour

interface DriveResult {
  ms: number;
  simSeconds: number;
  readings?: number;
}

const MB = 2 ** 20;

/** VmRSS and how much of it V8 accounts for (heap reserved/used, external buffers). */
interface MemorySample {
  rssMb: number;
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  /** The same RSS by kind of mapping (smaps). */
  parts: RssParts;
}

/** A sample as is, or after two full GCs half a second apart (so V8 has given back what it can). */
const sample = async (svc: ServiceProcess, gc = false): Promise<MemorySample> => {
  if (gc) {
    await svc.request({ cmd: "memory", gc: true });
    await sleep(500);
  }
  const usage = await svc.request<NodeJS.MemoryUsage>({ cmd: "memory", gc });
  return { rssMb: rssMb(svc.pid), heapTotalMb: usage.heapTotal / MB, heapUsedMb: usage.heapUsed / MB, externalMb: usage.external / MB, parts: rssByMapping(svc.pid) };
};

const describe = (a: MemorySample, b: MemorySample): string => {
  const d = (x: number, y: number): string => `${round(x)} → ${round(y)}`;
  const nonV8 = (m: MemorySample): number => m.rssMb - m.heapTotalMb - m.externalMb;
  const p = (k: keyof RssParts): string => d(a.parts[k], b.parts[k]);
  return (
    `RSS ${d(a.rssMb, b.rssMb)} MB = V8 heap reserved ${d(a.heapTotalMb, b.heapTotalMb)} (used ${d(a.heapUsedMb, b.heapUsedMb)}) + external ${d(a.externalMb, b.externalMb)} + native/other (SQLite cache, malloc, code) ${d(nonV8(a), nonV8(b))}; ` +
    `by mapping: brk heap ${p("brk")}, thread malloc arenas ${p("arenas")}, other anonymous (V8 pages, large allocations) ${p("anon")}, files ${p("files")}`
  );
};

export const runMemory = async (ctx: BenchContext): Promise<Figure[]> => {
  const hours = ctx.quick ? 2 : 24;
  // Poll timer at 3600 s: no real poll interleaves older device timestamps with the fed ones.
  const svc = await startChild(ctx, "memory", { poll_interval_seconds: 3600 }, {}, ["--expose-gc"]);
  try {
    // Warm-up: a simulated quarter hour of real polls, so "idle" is a started service that has polled.
    await svc.request<DriveResult>({ cmd: "drive", polls: 180, stepS: STEP_S });
    await sleep(1_000);
    const idle = await sample(svc);
    const idleGc = await sample(svc, true);
    let peak = idle.rssMb;
    const written0 = writtenBytes(svc.pid);
    let driveMs = 0;
    let simSeconds = 0;
    for (let done = 0; done < hours * 720; done += CHUNK_POLLS) {
      const r = await svc.request<DriveResult>({ cmd: "drive-bus", polls: CHUNK_POLLS, stepS: STEP_S });
      driveMs += r.ms;
      simSeconds = r.simSeconds;
      peak = Math.max(peak, rssMb(svc.pid));
    }
    const writtenMb = (writtenBytes(svc.pid) - written0) / MB;
    await sleep(2_000);
    const after = await sample(svc);
    const afterGc = await sample(svc, true);
    const health = (await (await fetch(`${svc.url}/api/health`)).json()) as { store?: { readings?: number; sizeBytes?: number } };
    const dbMb = (health.store?.sizeBytes ?? 0) / MB;
    return [
      figure(
        "rss_growth_mb",
        afterGc.rssMb - idleGc.rssMb,
        "MB",
        `RSS after forced full GCs, before vs after ${hours} h simulated: ${describe(idleGc, afterGc)}. ` +
          `Without GC (where V8's garbage happens to stand): ${describe(idle, after)}; peak RSS ${round(peak)} MB. ` +
          `${hours * 720} poll results at ${STEP_S} s fed in ${round(driveMs / 1000)} s (${round(driveMs / (hours * 720))} ms each) after 180 real polls; ` +
          `sim clock ${round(simSeconds / 3600)} h; ${health.store?.readings ?? "?"} readings, db+WAL ${round(dbMb)} MB`,
      ),
      figure(
        "disk_write_mb_per_day",
        (writtenMb * 24) / hours,
        "MB",
        `bytes the service wrote to storage (/proc/<pid>/io write_bytes) while fed the ${hours} h, per 24 h: ${round((writtenMb * 1024 * 1024) / (hours * 720) / 1024)} KB per poll of 9 readings (SD-card wear on a Raspberry Pi)`,
      ),
    ];
  } finally {
    await svc.stop();
  }
};
