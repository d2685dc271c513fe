import Database from "better-sqlite3";
import { rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { startGrillStats, type RunningService } from "../../src/main";
import { createMemoryLogger, type ProbeState } from "../../src/shared";
import { makeTempDir } from "../support/tmp";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const start = async (dataDir: string, options: Record<string, unknown> = {}): Promise<{ service: RunningService; lines: string[] }> => {
  const optionsPath = join(dataDir, "options.json");
  writeFileSync(optionsPath, JSON.stringify({ poll_interval_seconds: 5, ...options }));
  const config = loadConfig({ GRILL_STATS_OPTIONS: optionsPath, GRILL_STATS_DATA_DIR: dataDir, GRILL_STATS_DEMO_SPEED: "120" }, () => false);
  const logger = createMemoryLogger("info");
  const service = await startGrillStats(config, { logger, port: 0, haConfigDir: join(dataDir, "ha-config") });
  cleanups.push(() => service.stop());
  return { service, lines: logger.lines };
};

const getJson = async <T>(url: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
};

const waitFor = async <T>(fn: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
};

const countReadings = (dataDir: string): number => {
  const db = new Database(join(dataDir, "grill-stats.db"), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM readings").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe("the whole service outside the Supervisor", () => {
  it("answers on loopback but not on this machine's other addresses (it has no login)", async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.cleanup);
    const { service } = await start(tmp.dir);
    const port = Number(new URL(service.url).port);
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    const others = Object.values(networkInterfaces()).flat().filter((i) => i && i.family === "IPv4" && !i.internal).map((i) => i?.address as string);
    for (const address of others) {
      await expect(fetch(`http://${address}:${port}/api/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    }
  });
});

describe("the whole service on another loopback address", () => {
  /** GET with a Host header of our choosing, as a browser sends it after a DNS rebinding. */
  const getWithHost = (url: string, host: string): Promise<number> =>
    new Promise((resolve, reject) => {
      request(url, { headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on("error", reject).end();
    });

  it("answers only to its own and the loopback names there too (GRILL_STATS_HOST=127.0.0.2: no DNS rebinding)", async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.cleanup);
    const optionsPath = join(tmp.dir, "options.json");
    writeFileSync(optionsPath, JSON.stringify({ poll_interval_seconds: 5 }));
    const config = loadConfig({ GRILL_STATS_OPTIONS: optionsPath, GRILL_STATS_DATA_DIR: tmp.dir, GRILL_STATS_HOST: "127.0.0.2" }, () => false);
    const logger = createMemoryLogger("info");
    const service = await startGrillStats(config, { logger, port: 0, haConfigDir: join(tmp.dir, "ha-config") });
    cleanups.push(() => service.stop());
    const url = `http://127.0.0.2:${service.port}/api/health`;
    // The log names the address that answers: localhost is 127.0.0.1 or ::1, not this one.
    expect(logger.lines.find((l) => l.includes("HTTP listening"))).toContain(`open http://127.0.0.2:${service.port} (this machine only`);
    // A page of evil.example that pointed its name at 127.0.0.2.
    expect(await getWithHost(url, `evil.example:${service.port}`)).toBe(403);
    expect(await getWithHost(url, `127.0.0.2:${service.port}`)).toBe(200);
    expect(await getWithHost(url, `localhost:${service.port}`)).toBe(200);
  });
});

describe("the whole service in demo mode", () => {
  it("says it is a demo, and readings reach SQLite, /api/probes, /api/history and /api/stream within one poll", async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.cleanup);
    const { service, lines } = await start(tmp.dir);
    expect(lines.slice(0, 2).join("")).toMatch(/DEMO MODE/);

    const health = await getJson<{ mode: string; status: string; thermoworks: { devices: number } }>(`${service.url}/api/health`);
    expect(health.status).toBe(200);
    expect(health.body.mode).toBe("demo");

    // An SSE client connected before the next poll gets the snapshot and then live readings.
    const controller = new AbortController();
    cleanups.push(() => controller.abort());
    const stream = await fetch(`${service.url}/api/stream`, { signal: controller.signal });
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = stream.body!.getReader();
    let text = "";
    const readUntil = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil(/event: snapshot/);

    const probes = await waitFor(async () => {
      const r = await getJson<ProbeState[]>(`${service.url}/api/probes`);
      return r.body.filter((p) => p.tempC !== null).length >= 8 ? r.body : null;
    });
    expect(probes.map((p) => p.id)).toContain("a4cf123b5e01_2");
    const brisket = probes.find((p) => p.name === "Brisket");
    expect(brisket?.role).toBe("meat");
    expect(brisket?.tempC).toBeGreaterThan(0);
    // The demo's Signals has the ThermoWorks app's alarms set: the brisket's 203 °F is its target.
    expect(brisket?.targetC).toBeCloseTo(95, 1);
    expect(countReadings(tmp.dir)).toBeGreaterThanOrEqual(8);

    await service.pollNow();
    await readUntil(/event: reading/);

    const now = Date.now();
    const history = await getJson<{ probes: Record<string, Array<[number, number | null]>> }>(
      `${service.url}/api/history?probe=${brisket!.id}&from=${now - 3_600_000}&to=${now + 3_600_000}&points=100`,
    );
    expect(history.status).toBe(200);
    expect(history.body.probes[brisket!.id]!.length).toBeGreaterThanOrEqual(1);
  });

  it("a wrap noted in the demo wraps the simulated meat too: its stall ends", async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.cleanup);
    const { service } = await start(tmp.dir);
    const sim = service.simulator!;
    const BRISKET = "a4cf123b5e01_2";
    const serial = (await waitFor(async () => (await getJson<ProbeState[]>(`${service.url}/api/probes`)).body.find((p) => p.id === BRISKET)))!.deviceSerial;
    // Into the simulated brisket's plateau (67–68.5 °C), with a cook running.
    while ((sim.trueTempC(serial, "2") ?? 0) < 67.5) sim.advance(600);
    await service.pollNow();
    type CookRow = { id: number; endMs: number | null; probeIds: string[] };
    const cook = await waitFor(async () => (await getJson<{ cooks: CookRow[] }>(`${service.url}/api/cooks`)).body.cooks.find((c) => c.endMs === null));
    expect(cook.probeIds).toContain(BRISKET);
    const res = await fetch(`${service.url}/api/cooks/${cook.id}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tsMs: Date.now(), kind: "wrap", text: "foil", probeId: BRISKET }),
    });
    expect(res.status).toBe(201);
    const startC = sim.trueTempC(serial, "2") as number;
    sim.advance(1800);
    // Stalled it would have crept about 0.7 °C; wrapped it climbs at the heating rate again.
    expect((sim.trueTempC(serial, "2") as number) - startC).toBeGreaterThan(2.5);
  });

  it("deleting the running cook while the meat cooks on starts a new one at once", async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.cleanup);
    const { service } = await start(tmp.dir);
    type CookRow = { id: number; startMs: number; endMs: number | null };
    const running = async () => (await getJson<{ cooks: CookRow[] }>(`${service.url}/api/cooks`)).body.cooks.find((c) => c.endMs === null);
    const first = await waitFor(running);
    expect((await fetch(`${service.url}/api/cooks/${first.id}`, { method: "DELETE" })).status).toBe(204);
    await service.pollNow();
    const next = await waitFor(async () => {
      const c = await running();
      return c && c.id !== first.id ? c : null;
    });
    expect(next.startMs).toBeGreaterThanOrEqual(first.startMs);
    expect((await getJson<{ cooks: CookRow[] }>(`${service.url}/api/cooks`)).body.cooks.map((c) => c.id)).toEqual([next.id]);
  });

  it("says it is degraded, and why, while the database does not take the readings", async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.cleanup);
    const { service } = await start(tmp.dir);
    await service.pollNow();
    expect(service.health()).toMatchObject({ status: "ok", store: { pendingReadings: 0, unsavedSettings: 0, writeError: null } });
    // Another program takes the write lock (a backup tool, a second copy): the next poll waits
    // the store's busy timeout, then its readings are kept in memory.
    const other = new Database(join(tmp.dir, "grill-stats.db"));
    other.exec("BEGIN IMMEDIATE");
    try {
      // A second of the demo (2 cook minutes at 120×): the devices have uploaded new readings.
      await new Promise((r) => setTimeout(r, 1000));
      await service.pollNow();
      const health = await getJson<{ status: string; store: { pendingReadings: number; writeError: string | null } }>(`${service.url}/api/health`);
      expect(health.body.status).toBe("degraded");
      expect(health.body.store.pendingReadings).toBeGreaterThan(0);
      expect(health.body.store.writeError).toMatch(/database is locked/);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
  }, 20_000);

  it("says so when its database file is deleted while it runs (what it records would be lost at the next restart)", async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.cleanup);
    const { service } = await start(tmp.dir);
    await service.pollNow();
    expect(service.health()).toMatchObject({ status: "ok", store: { fileMissing: false, problem: null } });
    for (const suffix of ["", "-wal", "-shm"]) rmSync(join(tmp.dir, `grill-stats.db${suffix}`), { force: true });
    await service.pollNow();
    const health = await getJson<{ status: string; store: { fileMissing: boolean; problem: string | null } }>(`${service.url}/api/health`);
    expect(health.body.status).toBe("degraded");
    expect(health.body.store.fileMissing).toBe(true);
    expect(health.body.store.problem).toMatch(/grill-stats\.db was deleted or moved while the add-on runs/);
  }, 20_000);

  it("keeps every reading across a restart with the same data dir (history answers identically)", async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.cleanup);
    const first = await start(tmp.dir);
    await waitFor(async () => (countReadings(tmp.dir) >= 8 ? true : null));
    await first.service.pollNow();
    const window = `from=${Date.now() - 3_600_000}&to=${Date.now()}&points=5000`;
    const before = await getJson<{ probes: Record<string, unknown[]> }>(`${first.service.url}/api/history?${window}`);
    await first.service.stop();
    const rowsBefore = countReadings(tmp.dir);
    expect(rowsBefore).toBeGreaterThanOrEqual(8);

    const second = await start(tmp.dir);
    const after = await getJson<{ probes: Record<string, unknown[]> }>(`${second.service.url}/api/history?${window}`);
    expect(after.body.probes).toEqual(before.body.probes);
    await second.service.pollNow();
    expect(countReadings(tmp.dir)).toBeGreaterThan(rowsBefore);
  });
});
