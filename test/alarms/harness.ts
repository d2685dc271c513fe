/**
 * Test harness for the alarm service: the real SQLite store in a temp dir, a bus, a driven
 * clock, and a recording notifier that can be "down" (rejects, not connected) or "up".
 */
import { createAlarmService, type AlarmNotificationPayload, type AlarmNotifier, type AlarmService, type AlarmServiceDeps } from "../../src/alarms";
import {
  EventBus,
  UpstreamError,
  createMemoryLogger,
  type AlarmState,
  type AlarmTransition,
  type Device,
  type ProbeState,
} from "../../src/shared";
import { openStore, type SqliteStore } from "../../src/store";
import { makeTempDir } from "../support/tmp";

export const T0 = Date.UTC(2026, 5, 20, 16, 0, 0);
export const SEC = 1000;
export const MIN = 60 * SEC;

export interface Sent {
  channel: string;
  payload: AlarmNotificationPayload;
}

export class RecordingNotifier implements AlarmNotifier {
  up = true;
  readonly sent: Sent[] = [];
  /** Channels Home Assistant does not know. */
  readonly missing = new Set<string>();
  /** While > 0: calls fail as if the socket dropped mid-call, though isConnected() says true. */
  dropNext = 0;

  isConnected(): boolean {
    return this.up;
  }

  async deliver(channel: string, payload: AlarmNotificationPayload): Promise<void> {
    if (!this.up) throw new UpstreamError("Home Assistant is not connected", true);
    if (this.dropNext > 0) {
      this.dropNext -= 1;
      throw new UpstreamError("connection lost", true);
    }
    // What the HA bridge's notifier throws when Core answers `not_found`.
    if (this.missing.has(channel)) throw new UpstreamError(`${channel} does not exist in Home Assistant (check notify_targets)`, false, 404);
    this.sent.push({ channel, payload: structuredClone(payload) });
  }

  channels(): string[] {
    return this.sent.map((s) => s.channel);
  }
}

export const probe = (over: Partial<ProbeState> & { id: string }): ProbeState => ({
  deviceSerial: "10:06:1C:6F:47:70",
  deviceKey: over.id.split("_")[0] ?? "dev",
  deviceKind: "signals",
  channel: over.id.split("_")[1] ?? "1",
  name: "Brisket",
  autoName: null,
  role: "meat",
  tempC: null,
  tsMs: null,
  status: "ok",
  minC: null,
  maxC: null,
  rateCPerHour: null,
  targetC: null,
  highC: null,
  lowC: null,
  eta: null,
  stall: null,
  forecast: [],
  lidOpen: false,
  wrappedMs: null,
  ...over,
});

export const device = (over: Partial<Device> & { key: string }): Device => ({
  serial: over.key,
  label: "Signals",
  kind: "signals",
  model: "signals",
  firmware: null,
  batteryPct: 80,
  batteryState: "discharging",
  signalDbm: -60,
  lastSeenMs: T0,
  transmitIntervalSec: null,
  reportDeltaC: null,
  ...over,
});

export interface Harness {
  readonly dir: string;
  store: SqliteStore;
  bus: EventBus;
  service: AlarmService;
  notifier: RecordingNotifier;
  logger: ReturnType<typeof createMemoryLogger>;
  changes: Array<{ alarm: AlarmState; transition: AlarmTransition }>;
  now(): number;
  /** Moves the clock forward. */
  advance(ms: number): void;
  /** Publishes probe states (as analytics does after a poll), `stepMs` after the last moment. */
  states(probes: ProbeState[], stepMs?: number): void;
  alarm(id: string): AlarmState | undefined;
  /** Stops the service and closes the store: an add-on shutdown. */
  shutdown(): Promise<void>;
  /** A new store and service on the same file: an add-on restart. */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

export type HarnessOptions = Partial<AlarmServiceDeps["options"]> & {
  timeZone?: string;
  unit?: "C" | "F";
  language?: AlarmServiceDeps["language"];
  timeScale?: number;
  /** How long a store write waits for another connection's lock (the store's default: 5 s). */
  storeBusyTimeoutMs?: number;
};

export const startHarness = async (opts: HarnessOptions = {}): Promise<Harness> => {
  const tmp = makeTempDir("grill-stats-alarms-");
  let nowMs = T0;
  const clock = { now: () => nowMs };
  const notifier = new RecordingNotifier();
  const logger = createMemoryLogger("debug");
  const changes: Harness["changes"] = [];
  const { timeZone = "UTC", unit = "C", language, timeScale, storeBusyTimeoutMs, ...options } = opts;

  const build = async () => {
    const store = openStore({ dataDir: tmp.dir, logger, clock, ...(storeBusyTimeoutMs === undefined ? {} : { busyTimeoutMs: storeBusyTimeoutMs }) });
    const bus = new EventBus();
    bus.onListenerError = (_event, err) => {
      throw err;
    };
    bus.on("alarm:changed", (c) => changes.push(c));
    const service = createAlarmService({
      bus,
      repo: store,
      settings: store,
      cooks: store,
      catalog: store,
      notifier,
      logger: logger.child("alarms"),
      clock,
      options: { notifyTargets: ["notify.mobile_app_phone"], repeatMinutes: 5, preAlarmMinutes: 15, batteryLowPct: 15, quietHours: null, ...options },
      displayUnit: () => unit,
      timeZone: () => timeZone,
      language,
      timeScale,
      // Timers far away: the tests drive time with tick() and flushDeliveries().
      tickMs: 3_600_000,
      retryBaseMs: 3_600_000,
    });
    await service.start();
    return { store, bus, service };
  };

  let parts = await build();
  let running = true;
  const h: Harness = {
    dir: tmp.dir,
    get store() { return parts.store; },
    get bus() { return parts.bus; },
    get service() { return parts.service; },
    notifier,
    logger,
    changes,
    now: () => nowMs,
    advance: (ms) => { nowMs += ms; },
    states: (probes, stepMs = 5 * SEC) => {
      nowMs += stepMs;
      parts.bus.emit("probes:state", probes.map((p) => ({ ...p, tsMs: p.tsMs ?? nowMs })));
    },
    alarm: (id) => parts.service.list().find((a) => a.id === id),
    shutdown: async () => {
      if (!running) return;
      running = false;
      await parts.service.stop();
      parts.store.close();
    },
    restart: async () => {
      await h.shutdown();
      parts = await build();
      running = true;
    },
    cleanup: async () => {
      await h.shutdown();
      tmp.cleanup();
    },
  };
  return h;
};
