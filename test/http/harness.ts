/**
 * Test harness: the real app on a real loopback server (port 0) with the real SQLite store in a
 * temp dir and a real EventBus. Probe states are derived from the store the way a caller would
 * see them (analytics is not under test here).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type AlarmApi, type Health } from "../../src/http";
import { EventBus, createMemoryLogger, toDeviceKey, wrapTimes, type Clock, type Device, type Probe, type ProbeState, type Reading } from "../../src/shared";
import { openStore, type SqliteStore } from "../../src/store";
import { afterEach, beforeEach } from "vitest";
import { makeTempDir } from "../support/tmp";

export const SERIAL = "10:06:1C:6F:47:70";
export const DEVICE_KEY = toDeviceKey(SERIAL);
export const MEAT = `${DEVICE_KEY}_1`;
export const PIT = `${DEVICE_KEY}_2`;
/** A fixed "now": 2024-05-27 18:00 UTC. */
export const T0 = Date.UTC(2024, 4, 27, 12, 0, 0);

export const device = (overrides: Partial<Device> = {}): Device => ({
  serial: SERIAL,
  key: DEVICE_KEY,
  label: "Signals",
  kind: "signals",
  model: "signals",
  firmware: "1.0",
  batteryPct: 80,
  batteryState: null,
  signalDbm: -60,
  lastSeenMs: T0,
  transmitIntervalSec: 30,
  reportDeltaC: null,
  ...overrides,
});

export const probe = (channel: string, label: string, role: Probe["role"]): Probe => ({
  id: `${DEVICE_KEY}_${channel}`,
  deviceSerial: SERIAL,
  deviceKey: DEVICE_KEY,
  channel,
  label,
  type: "Pro-Series",
  role,
});

export interface Harness {
  url: string;
  store: SqliteStore;
  bus: EventBus;
  clock: Clock & { set(ms: number): void };
  logger: ReturnType<typeof createMemoryLogger>;
  server: Server;
  closeStreams(): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** An alarm API, or a factory that builds one on the harness's store, bus and clock. */
  alarms?: AlarmApi | null | ((ctx: { store: SqliteStore; bus: EventBus; clock: Clock; logger: ReturnType<typeof createMemoryLogger> }) => AlarmApi);
  allowedAddresses?: string[] | null;
  allowedHosts?: readonly string[] | null;
  sameOriginWrites?: boolean;
  getHealth?: () => Health;
  panelDir?: string;
  cardPath?: string;
  host?: string;
  /** Adds what analytics would (ETA, stall, forecast …) to the store-derived states. */
  decorate?: (states: ProbeState[]) => ProbeState[];
  /** How long the store waits for another connection's lock (short, for tests that hold one). */
  busyTimeoutMs?: number;
}

/** Probe states from the store: name, last reading, settings (what /api/probes would carry). */
export const statesFromStore = (store: SqliteStore): ProbeState[] => {
  const latest = store.latestReadings();
  const kinds = new Map(store.listDevices().map((d) => [d.key, d.kind]));
  // Wrap notes of the running cook, read as the analytics service reads them.
  const active = store.activeCook();
  const wraps = active ? wrapTimes(store.listCookEvents(active.id), active.probeIds) : new Map<string, number>();
  return store.listProbes().map((p) => {
    const r = latest.get(p.id);
    const s = store.getSettings(p.id);
    return {
      id: p.id,
      deviceSerial: p.deviceSerial,
      deviceKey: p.deviceKey,
      deviceKind: kinds.get(p.deviceKey) ?? "unknown",
      channel: p.channel,
      name: p.label || `Signals probe ${p.channel}`,
      autoName: p.label ? null : { device: "Signals", channel: p.channel },
      role: p.role,
      tempC: r?.tempC ?? null,
      tsMs: r?.tsMs ?? null,
      status: r ? (r.tempC === null ? "unplugged" : "ok") : "unknown",
      minC: null,
      maxC: null,
      rateCPerHour: null,
      targetC: s.targetC,
      highC: s.highC,
      lowC: s.lowC,
      eta: null,
      stall: null,
      forecast: [],
      lidOpen: false,
      wrappedMs: p.role === "meat" ? (wraps.get(p.id) ?? null) : null,
    };
  });
};

export const defaultHealth = (): Health => ({
  status: "ok",
  version: "test",
  mode: "demo",
  displayUnit: "C",
  thermoworks: { ok: true },
  homeassistant: { configured: false },
  store: {},
});

export const startHarness = async (opts: HarnessOptions = {}): Promise<Harness> => {
  const tmp = makeTempDir("grill-stats-http-");
  let now = T0;
  const clock = { now: () => now, set: (ms: number) => { now = ms; } };
  const logger = createMemoryLogger("debug");
  const store = openStore({ dataDir: tmp.dir, logger, clock, ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}) });
  const bus = new EventBus();
  const alarms = typeof opts.alarms === "function" ? opts.alarms({ store, bus, clock, logger }) : (opts.alarms ?? null);
  const { handler, closeStreams } = createApp({
    store,
    bus,
    logger,
    getProbeStates: () => (opts.decorate ?? ((s: ProbeState[]) => s))(statesFromStore(store)),
    getHealth: opts.getHealth ?? defaultHealth,
    alarms,
    allowedAddresses: opts.allowedAddresses ?? null,
    allowedHosts: opts.allowedHosts ?? null,
    sameOriginWrites: opts.sameOriginWrites ?? false,
    panelDir: opts.panelDir ?? tmp.dir,
    cardPath: opts.cardPath ?? `${tmp.dir}/grill-stats-card.js`,
    clock,
  });
  const server = createServer(handler);
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    store,
    bus,
    clock,
    logger,
    server,
    closeStreams,
    close: async () => {
      closeStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
      tmp.cleanup();
    },
  };
};

/** A Signals with a meat probe ("Brisket") and a pit probe, and readings every 30 s for `minutes`. */
export const seedCook = (store: SqliteStore, opts: { startMs?: number; minutes?: number } = {}): Reading[] => {
  const startMs = opts.startMs ?? SEED_START;
  const minutes = opts.minutes ?? 120;
  store.upsertDevices([device()]);
  store.upsertProbes([probe("1", "Brisket", "meat"), probe("2", "Pit", "pit")]);
  const readings: Reading[] = [];
  for (let i = 0; i <= minutes * 2; i++) {
    const tsMs = startMs + i * 30_000;
    readings.push({ probeId: MEAT, tsMs, tempC: Math.round((5 + 0.3 * i) * 100) / 100 });
    readings.push({ probeId: PIT, tsMs: tsMs + 5000, tempC: Math.round((110 + 5 * Math.sin(i / 10)) * 100) / 100 });
  }
  store.insertReadings(readings);
  return readings;
};

/** Where `seedCook` starts by default: 3 h before T0. */
export const SEED_START = T0 - 3 * 3600_000;

/**
 * A fresh harness for every test of the enclosing describe, seeded with `seedCook` (2 h of
 * readings from SEED_START), handed to `use`, and closed after the test.
 */
export const withSeededHarness = (use: (h: Harness) => void): void => {
  let current: Harness | null = null;
  beforeEach(async () => {
    current = await startHarness();
    seedCook(current.store, { startMs: SEED_START, minutes: 120 });
    use(current);
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
};

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export const request = async <T = unknown>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<JsonResponse<T>> => {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    ...(json !== undefined ? { body: JSON.stringify(json), headers: { "content-type": "application/json", ...(rest.headers ?? {}) } } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as T };
};
