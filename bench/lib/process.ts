/**
 * Spawning the service for the process-level benchmarks: `node dist/main.js` itself, or the
 * bench child (bench/child/service-child.ts bundled like the service, with an IPC channel).
 * Output is drained into a small ring buffer (shown when something goes wrong).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { ChildReply, ChildRequest } from "../child/service-child";
import { sleep } from "./stats";

export const REPO_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const DIST_MAIN = join(REPO_DIR, "dist", "main.js");

/** A port that was free a moment ago (the service needs a fixed one to be polled from spawn on). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** The add-on options JSON for a demo-mode run. */
export const writeOptions = (dir: string, options: Record<string, unknown>): string => {
  const path = join(dir, "options.json");
  writeFileSync(path, JSON.stringify({ demo_mode: true, install_card: false, temperature_unit: "C", ...options }));
  return path;
};

/** process.env without anything that would point the service somewhere else. */
export const cleanEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(GRILL_STATS_|SUPERVISOR_TOKEN|HASSIO_TOKEN)/.test(k)) env[k] = v;
  return { ...env, ...extra };
};

/** Resident set size of a process in MB (VmRSS from /proc). */
export const rssMb = (pid: number): number => {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
};

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
export const cpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces, hence from the last ")"): utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** Bytes a process has caused to be written to storage so far (write_bytes, counted when pages are dirtied). */
export const writtenBytes = (pid: number): number => {
  const m = /^write_bytes:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
  if (!m) throw new Error(`no write_bytes for pid ${pid}`);
  return Number(m[1]);
};

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** Last lines of stdout/stderr. */
  output(): string;
  /** IPC request to the bench child (not available for dist/main.js). */
  request<T>(msg: ChildRequest): Promise<T>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  entry: string;
  port: number;
  env: NodeJS.ProcessEnv;
  ipc?: boolean;
  execArgv?: string[];
}

export const spawnService = (opts: SpawnOptions): ServiceProcess => {
  const child = spawn(process.execPath, [...(opts.execArgv ?? []), opts.entry], {
    env: opts.env,
    stdio: opts.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${opts.entry}`);
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  child.on("message", (raw) => {
    const reply = raw as ChildReply;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new Error(reply.error ?? "child request failed"));
  });
  child.once("exit", (code, signal) => {
    for (const p of pending.values()) p.reject(new Error(`service exited (${code ?? signal}) during a request:\n${lines.slice(-15).join("\n")}`));
    pending.clear();
  });
  return {
    child,
    pid: child.pid,
    url: `http://127.0.0.1:${opts.port}`,
    output: () => lines.join("\n"),
    request: <T>(msg: ChildRequest): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        if (!child.send) return reject(new Error("no IPC channel to this process"));
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...msg, id });
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timeout = sleep(15_000).then(() => "timeout" as const);
      if ((await Promise.race([exited.then(() => "exited" as const), timeout])) === "timeout") {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
};

/** Polls GET /api/health until it answers 200; resolves to performance.now() at that moment. */
export const waitForHealth = async (svc: ServiceProcess, timeoutMs = 20_000, everyMs = 5): Promise<number> => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (svc.child.exitCode !== null) throw new Error(`the service exited with code ${svc.child.exitCode}:\n${svc.output()}`);
    try {
      const res = await fetch(`${svc.url}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now();
    } catch {
      // Not listening yet: keep polling until the deadline.
    }
    if (performance.now() > deadline) throw new Error(`no 200 from /api/health within ${timeoutMs} ms:\n${svc.output()}`);
    await sleep(everyMs);
  }
};

/**
 * Bundles the bench child like scripts/build.mjs bundles the service (node20, ESM, packages
 * external) into `dir`, with a node_modules link so its imports resolve. Returns the entry path.
 */
export const buildChild = async (dir: string): Promise<string> => {
  const pkg = JSON.parse(readFileSync(join(REPO_DIR, "package.json"), "utf8")) as { version: string };
  const outfile = join(dir, "service-child.js");
  await build({
    entryPoints: [join(REPO_DIR, "bench", "child", "service-child.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    define: { __GRILL_STATS_VERSION__: JSON.stringify(pkg.version) },
    logLevel: "warning",
  });
  symlinkSync(join(REPO_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  return outfile;
};

/** Resident memory of a process by kind of mapping, MB (see rssByMapping). */
export interface RssParts {
  /** The brk heap: glibc's main malloc arena (SQLite's page cache, small native allocations). */
  brk: number;
  /** Other threads' malloc arenas (V8's compiler and GC helper threads, the libuv pool). */
  arenas: number;
  /** Other anonymous memory: V8's heap pages, large allocations, stacks. */
  anon: number;
  /** File-backed: code and the SQLite -shm wal-index. */
  files: number;
}

/** glibc maps each thread arena as a heap aligned to HEAP_MAX_SIZE (64 MB on 64-bit). */
const ARENA_ALIGN = 64 * 2 ** 20;

/** Where a process's resident memory is, from /proc/<pid>/smaps. */
export const rssByMapping = (pid: number): RssParts => {
  const out: RssParts = { brk: 0, arenas: 0, anon: 0, files: 0 };
  let part: keyof RssParts = "anon";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^([0-9a-f]+)-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[2] ?? "";
      if (name === "[heap]") part = "brk";
      else if (name !== "" && !name.startsWith("[")) part = "files";
      else if (name === "" && Number.parseInt(head[1] as string, 16) % ARENA_ALIGN === 0) part = "arenas";
      else part = "anon";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[part] += Number(rss[1]) / 1024;
  }
  return out;
};
