/** Shared set-up for the Home Assistant bridge tests: probes, devices, a real store, a started bridge. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHomeAssistantBridge } from "../../src/homeassistant";
import type { BridgeDeps } from "../../src/homeassistant";
import { EventBus, createMemoryLogger, type BusEvents, type Device, type ProbeSettings, type ProbeState } from "../../src/shared";
import { openStore, type SqliteStore } from "../../src/store";
import type { HaStandIn } from "../support/ha-standin";
import { makeTempDir } from "../support/tmp";
import { waitUntil } from "../support/ha-wait";

export const NOW = Date.UTC(2026, 6, 4, 15, 0, 0);

export const makeDevice = (o: Partial<Device> = {}): Device => ({
  serial: "10:06:1C:6F:47:70",
  key: "10061c6f4770",
  label: "Signals",
  kind: "signals",
  model: "signals",
  firmware: "1.2.3",
  batteryPct: 87,
  batteryState: "discharging",
  signalDbm: -61,
  lastSeenMs: NOW - 30_000,
  transmitIntervalSec: 60,
  reportDeltaC: null,
  ...o,
});

export const makeProbe = (o: Partial<ProbeState> = {}): ProbeState => ({
  id: "10061c6f4770_1",
  deviceSerial: "10:06:1C:6F:47:70",
  deviceKey: "10061c6f4770",
  deviceKind: "signals",
  channel: "1",
  name: "Brisket",
  autoName: null,
  role: "meat",
  tempC: 71.4,
  tsMs: NOW - 20_000,
  status: "ok",
  minC: 4.2,
  maxC: 71.4,
  rateCPerHour: 6.5,
  targetC: 95,
  highC: null,
  lowC: null,
  eta: { doneMs: NOW + 3 * 3600_000, p10Ms: NOW + 2.5 * 3600_000, p90Ms: NOW + 4 * 3600_000, reason: null, method: "newton" },
  stall: { stalled: false, sinceMs: null, endedMs: null, durationMs: 0 },
  forecast: [
    { tsMs: NOW + 3600_000, tempC: 80, lowC: 78, highC: 82 },
    { tsMs: NOW + 3 * 3600_000, tempC: 95, lowC: 92, highC: 97 },
  ],
  lidOpen: false,
  wrappedMs: null,
  ...o,
});

export const pitProbe = (o: Partial<ProbeState> = {}): ProbeState =>
  makeProbe({ id: "10061c6f4770_2", channel: "2", name: "Pit", role: "pit", tempC: 121, targetC: null, highC: 135, lowC: 105, eta: null, stall: null, forecast: [], ...o });

/** The settings that match makeProbe() / pitProbe(). */
export const SETTINGS: ProbeSettings[] = [
  { probeId: "10061c6f4770_1", targetC: 95, highC: null, lowC: null },
  { probeId: "10061c6f4770_2", targetC: null, highC: 135, lowC: 105 },
];

export interface Harness {
  bus: EventBus;
  store: SqliteStore;
  logger: ReturnType<typeof createMemoryLogger>;
  bridge: ReturnType<typeof createHomeAssistantBridge>;
  probes: ProbeState[];
  devices: Device[];
  emitted: { [K in keyof BusEvents]?: BusEvents[K][] };
  stop(): Promise<void>;
}

/** A temp dir with a store, a card bundle and a Home Assistant config folder. */
export const makeWorld = (): { dir: string; configDir: string; cardBundlePath: string; blueprintsDir: string; cleanup: () => void } => {
  const { dir, cleanup } = makeTempDir("grill-stats-ha-");
  const configDir = join(dir, "config");
  mkdirSync(configDir);
  const cardBundlePath = join(dir, "grill-stats-card.js");
  writeFileSync(cardBundlePath, "customElements.define('grill-stats-card', class extends HTMLElement {});\n");
  return { dir, configDir, cardBundlePath, blueprintsDir: join(process.cwd(), "addon", "blueprints"), cleanup };
};

export const startBridge = async (
  ha: HaStandIn | null,
  world: ReturnType<typeof makeWorld>,
  opts: Partial<BridgeDeps> & { probes?: ProbeState[]; devices?: Device[]; store?: SqliteStore; waitReady?: boolean; initialSettings?: ProbeSettings[] } = {},
): Promise<Harness> => {
  const logger = createMemoryLogger("debug");
  const store = opts.store ?? openStore({ dataDir: world.dir, logger });
  for (const s of opts.initialSettings ?? []) store.saveSettings(s);
  const bus = new EventBus();
  const probes = opts.probes ?? [makeProbe(), pitProbe()];
  const devices = opts.devices ?? [makeDevice()];
  // Like analytics: getProbeStates() returns what was last announced on the bus.
  bus.on("probes:state", (list) => {
    for (const p of list) {
      const i = probes.findIndex((x) => x.id === p.id);
      if (i >= 0) probes[i] = p;
      else probes.push(p);
    }
  });
  const emitted: Harness["emitted"] = {};
  for (const k of ["settings:changed", "alarm:command", "cook:mark", "status:homeassistant"] as const) {
    bus.on(k, (p) => {
      (emitted[k] ??= [] as never[]).push(p as never);
    });
  }
  const bridge = createHomeAssistantBridge({
    connection: ha ? { url: ha.url, token: ha.token, viaSupervisor: false } : null,
    bus,
    settings: store,
    kv: store,
    logger,
    clock: { now: () => Date.now() },
    temperatureUnit: "auto",
    version: "1.0.0",
    mode: "demo",
    installCard: true,
    cardBundlePath: world.cardBundlePath,
    configDir: world.configDir,
    blueprintsDir: world.blueprintsDir,
    getProbeStates: () => probes,
    getDevices: () => devices,
    heartbeatMs: 30_000,
    ...opts,
  });
  await bridge.start();
  if (ha && opts.waitReady !== false) {
    await waitUntil(() => bridge.status().connected && bridge.status().helpers > 0 && bridge.status().postQueue === 0, "bridge connected, helpers bound, states posted");
  }
  return {
    bus,
    store,
    logger,
    bridge,
    probes,
    devices,
    emitted,
    stop: async () => {
      await bridge.stop();
      if (!opts.store) store.close();
    },
  };
};

/** Newest posted state per entity id. */
export const latestPosted = (ha: HaStandIn): Map<string, { state: string; attributes: Record<string, unknown> }> => {
  const out = new Map<string, { state: string; attributes: Record<string, unknown> }>();
  for (const p of ha.posted) if (p.status < 300) out.set(p.entityId, p);
  return out;
};
