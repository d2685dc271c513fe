/**
 * An outage that spans a restart: the add-on starts while the ThermoWorks Cloud does not answer,
 * so no poll ever reports the devices. Those the store knows from before the restart are still
 * watched, and the one that was cooking raises its offline alarm after the usual delay.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config";
import { startGrillStats, type RunningService } from "../../src/main";
import { createMemoryLogger, type AlarmState, type Device, type Probe } from "../../src/shared";
import { openStore } from "../../src/store";
import { makeTempDir } from "../support/tmp";

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 20, 16, 0, 0);
const DEV = "10061c6f4770";
const SERIAL = "10:06:1C:6F:47:70";
const BRISKET: Probe = { id: `${DEV}_1`, deviceSerial: SERIAL, deviceKey: DEV, channel: "1", label: "Brisket", type: "Pro-Series", role: "meat" };
const PIT: Probe = { id: `${DEV}_2`, deviceSerial: SERIAL, deviceKey: DEV, channel: "2", label: "Pit", type: "Pro-Series", role: "pit" };
const SMOKER: Device = {
  serial: SERIAL, key: DEV, label: "Smoker", kind: "signals", model: "signals", firmware: "1.0", batteryPct: 80, batteryState: "discharging",
  signalDbm: -60, lastSeenMs: T0 - 2 * MIN, transmitIntervalSec: null, reportDeltaC: null,
};

const cleanups: Array<() => Promise<void> | void> = [];
beforeEach(() => {
  // The alarm and analytics timers run when the test moves time on; everything else is real.
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
  vi.useRealTimers();
});

/** A cloud on loopback that answers every request with 503, counting them. */
const startDeadCloud = async (): Promise<{ url: string; requests: () => number }> => {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: 503, message: "unavailable" } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
};

/**
 * The data folder as the previous run left it: the brisket and pit read until two minutes ago, in
 * a cook still running, or (`cookEndedMs`) one that ended then.
 */
const dataDirMidCook = (cookEndedMs: number | null = null): string => {
  const tmp = makeTempDir("grill-stats-restart-offline-");
  cleanups.push(tmp.cleanup);
  const store = openStore({ dataDir: tmp.dir, logger: createMemoryLogger("warn"), clock: { now: () => T0 - 2 * MIN } });
  store.upsertDevices([SMOKER]);
  store.upsertProbes([BRISKET, PIT]);
  const readings = [];
  for (let t = T0 - 3 * 60 * MIN; t <= T0 - 2 * MIN; t += MIN) {
    readings.push({ probeId: BRISKET.id, tsMs: t, tempC: 40 + (t - (T0 - 3 * 60 * MIN)) / (10 * MIN) }, { probeId: PIT.id, tsMs: t, tempC: 110 });
  }
  store.insertReadings(readings);
  const cook = store.createCook({ name: "Brisket", startMs: T0 - 3 * 60 * MIN, probeIds: [BRISKET.id, PIT.id] });
  if (cookEndedMs !== null) store.updateCook(cook.id, { endMs: cookEndedMs });
  store.close();
  return tmp.dir;
};

const startCloudDown = async (dataDir: string, cloudUrl: string, clock: { now(): number }): Promise<{ service: RunningService; lines: string[] }> => {
  const optionsPath = join(dataDir, "options.json");
  writeFileSync(optionsPath, JSON.stringify({ thermoworks_email: "pit@example.com", thermoworks_password: "hunter22", poll_interval_seconds: 30 }));
  const config = loadConfig({
    GRILL_STATS_OPTIONS: optionsPath,
    GRILL_STATS_DATA_DIR: dataDir,
    GRILL_STATS_TW_IDENTITY_URL: cloudUrl,
    GRILL_STATS_TW_TOKEN_URL: cloudUrl,
    GRILL_STATS_TW_FIRESTORE_URL: cloudUrl,
  }, () => false);
  const logger = createMemoryLogger("info");
  const service = await startGrillStats(config, { logger, clock, port: 0, haConfigDir: join(dataDir, "ha-config") });
  cleanups.push(() => service.stop());
  return { service, lines: logger.lines };
};

const alarms = async (service: RunningService): Promise<AlarmState[]> => (await (await fetch(`${service.url}/api/alarms`)).json()) as AlarmState[];

describe("a restart while the ThermoWorks Cloud is down", () => {
  it("raises the offline alarm of a device that was cooking before the restart, after the usual delay, without any poll", async () => {
    const dataDir = dataDirMidCook();
    const cloud = await startDeadCloud();
    let now = T0;
    const { service, lines } = await startCloudDown(dataDir, cloud.url, { now: () => now });
    await service.pollNow();
    expect(cloud.requests()).toBeGreaterThan(0);
    expect(service.health().thermoworks.ok).toBe(false);

    // Eight minutes after the last contact: not offline yet (the default limit is 10 minutes).
    for (; now < T0 + 6 * MIN; now += 15_000) vi.advanceTimersByTime(15_000);
    expect((await alarms(service)).find((a) => a.id === `${DEV}:offline`)?.phase ?? "none").not.toBe("firing");

    // Past it: the smoker is offline, and says so.
    for (; now < T0 + 10 * MIN; now += 15_000) vi.advanceTimersByTime(15_000);
    const offline = (await alarms(service)).find((a) => a.id === `${DEV}:offline`);
    expect(offline?.phase).toBe("firing");
    expect(lines.some((l) => /alarm raised: .*Smoker/.test(l))).toBe(true);
  });

  it("raises none for a device whose cook had ended before the restart (its health alarms sleep until the next cook, as without a restart)", async () => {
    const dataDir = dataDirMidCook(T0 - 2 * MIN);
    const cloud = await startDeadCloud();
    let now = T0;
    const { service } = await startCloudDown(dataDir, cloud.url, { now: () => now });
    await service.pollNow();
    for (; now < T0 + 30 * MIN; now += 15_000) vi.advanceTimersByTime(15_000);
    expect((await alarms(service)).filter((a) => a.phase === "firing").map((a) => a.id)).toEqual([]);
  });
});
