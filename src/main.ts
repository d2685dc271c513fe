/**
 * Composition root: builds every module from the config, wires them through the event bus,
 * starts them in order and stops them in reverse. Nothing else imports the edges (http/,
 * homeassistant/); this file is the only place that knows all modules.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAlarmService, initialProbeSettings } from "./alarms";
import { createAnalyticsService } from "./analytics";
import { type Config, redactConfig } from "./config";
import { createHomeAssistantBridge } from "./homeassistant";
import { createApp, LOOPBACK_HOSTS, type Health } from "./http";
import { EventBus, VERSION, errorMessage, isLoopback, type AlarmState, type Clock, type RootLogger, type Service, systemClock } from "./shared";
import { createIngest, createRetentionService, openStoreSafely } from "./store";
import {
  clientConfigFromConfig,
  createPoller,
  createDemoCloud,
  wrapSimulatedMeat,
  createThermoworksClient,
  type SimulatorHandle,
  type ThermoworksClientConfig,
} from "./thermoworks";

export interface StartOptions {
  logger: RootLogger;
  clock?: Clock;
  /** Override the HTTP port (tests use 0). */
  port?: number;
  /** Folder holding panel/ and grill-stats-card.js (default: the folder of the running bundle). */
  distDir?: string;
  /** Where the Home Assistant config folder is mapped (add-on: /config). */
  haConfigDir?: string;
  /** Where the shipped blueprints are. */
  blueprintsDir?: string;
}

export interface RunningService {
  readonly url: string;
  readonly port: number;
  readonly bus: EventBus;
  readonly simulator: SimulatorHandle | null;
  health(): Health;
  pollNow(): Promise<void>;
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** dist/ when running the bundle; <repo>/dist when running from source (tests). */
const defaultDistDir = (): string => (here.endsWith("dist") ? here : join(here, "..", "dist"));

const listen = (server: Server, port: number, host: string | undefined): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

export const startGrillStats = async (config: Config, opts: StartOptions): Promise<RunningService> => {
  const { logger } = opts;
  const clock = opts.clock ?? systemClock;
  const log = logger.child("main");
  logger.addSecret(config.thermoworks.password);
  logger.addSecret(config.homeassistant?.token);

  if (config.mode === "demo") {
    log.info(`DEMO MODE (${config.demoReason}): running on the built-in ThermoWorks Cloud simulator. Set thermoworks_email and thermoworks_password to watch your own devices.`);
  } else {
    log.info(`Watching the ThermoWorks ${config.thermoworks.cloud === "eti" ? "ETI " : ""}Cloud account of the configured user`);
  }
  log.info(`Grill Stats ${VERSION} starting`, { config: redactConfig(config) });
  for (const warning of config.warnings) log.warn(`option ${warning}`);

  const bus = new EventBus();
  bus.onListenerError = (event, err) => log.error(`a ${String(event)} listener failed`, { error: errorMessage(err) });

  // What to stop, in start order; stop() walks it backwards. A module that fails to stop is
  // logged and the others still stop.
  const stoppers: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  const startService = async (name: string, service: Service): Promise<void> => {
    await service.start();
    stoppers.push({ name, stop: () => service.stop() });
  };

  // A damaged database is set aside, an unusable folder gives a store in memory: either way the
  // service runs, and /api/health says what happened.
  const { store, problem: storeProblem } = openStoreSafely({ dataDir: config.dataDir, logger: logger.child("store"), clock });
  stoppers.push({ name: "store", stop: () => store.close() });

  let simulator: SimulatorHandle | null = null;
  let clientConfig: ThermoworksClientConfig = clientConfigFromConfig(config);
  if (config.mode === "demo") {
    const demo = await createDemoCloud({ speed: config.demoSpeed, clock });
    simulator = demo.simulator;
    clientConfig = demo.clientConfig;
    const sim = simulator;
    stoppers.push({ name: "simulator", stop: () => sim.stop() });
    log.info(`demo simulator listening on ${sim.url} at ${config.demoSpeed}× speed`);
  }

  // Readings go to SQLite first (listener registered before anyone else's), so nothing that
  // happens downstream (Home Assistant away, a slow client) can lose one; nor a database that
  // cannot be written for a while (ingest keeps them until it can).
  const knownProbes = new Set(store.listProbes().map((p) => p.id));
  const ingest = createIngest({ store, bus, logger: logger.child("store"), clock });
  bus.on("poll:result", (poll) => {
    ingest.onPoll(poll);
    for (const probe of poll.probes) {
      if (knownProbes.has(probe.id)) continue;
      const settings = initialProbeSettings(probe);
      if (settings) {
        // A database that refuses the write keeps them in memory (settings-fallback.ts).
        store.saveSettings(settings);
        bus.emit("settings:changed", { settings, source: "default" });
      }
      knownProbes.add(probe.id);
    }
  });

  const client = createThermoworksClient({ config: clientConfig, logger: logger.child("thermoworks"), clock });
  const poller = createPoller({ client, bus, logger: logger.child("poller"), intervalMs: config.thermoworks.pollIntervalMs, clock });

  const analytics = createAnalyticsService({
    bus,
    readings: store,
    settings: store,
    cooks: store,
    logger: logger.child("analytics"),
    clock,
    pollIntervalMs: config.thermoworks.pollIntervalMs,
    // The demo's simulated cook runs demoSpeed× faster than the wall clock its readings carry.
    timeScale: config.mode === "demo" ? config.demoSpeed : 1,
    // Cooks it names itself ("Cook on 26 Nov") are named in Home Assistant's language (asked when a cook starts).
    language: () => bridge.language(),
  });
  if (simulator) {
    const off = wrapSimulatedMeat({ simulator, bus, cooks: store, readings: store, logger: logger.child("demo") });
    stoppers.push({ name: "demo wraps", stop: () => off() });
  }

  const distDir = opts.distDir ?? defaultDistDir();
  const bridge = createHomeAssistantBridge({
    connection: config.homeassistant,
    bus,
    settings: store,
    kv: store,
    logger: logger.child("homeassistant"),
    clock,
    temperatureUnit: config.temperatureUnit,
    version: VERSION,
    mode: config.mode,
    installCard: config.options.install_card,
    cardBundlePath: join(distDir, "grill-stats-card.js"),
    configDir: opts.haConfigDir ?? config.haConfigDir,
    blueprintsDir: opts.blueprintsDir ?? join(distDir, "..", "addon", "blueprints"),
    getProbeStates: () => analytics.states(),
    getDevices: () => store.listDevices(),
    getAlarms: () => alarmApi?.list() ?? [],
  });

  // Resolved once: building an Intl.DateTimeFormat per alarm evaluation was the poll's hot spot.
  const timeZone = process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;
  // The alarm service needs the bridge's notifier and the bridge shows alarm states: a late binding.
  let alarmApi: { list(): AlarmState[] } | null = null;
  const quiet = config.options.quiet_hours_start && config.options.quiet_hours_end
    ? { start: config.options.quiet_hours_start, end: config.options.quiet_hours_end }
    : null;
  const alarms = createAlarmService({
    bus,
    repo: store,
    settings: store,
    cooks: store,
    catalog: store,
    notifier: config.homeassistant ? bridge.notifier : null,
    logger: logger.child("alarms"),
    clock,
    options: {
      notifyTargets: config.options.notify_targets,
      repeatMinutes: config.options.alarm_repeat_minutes,
      preAlarmMinutes: config.options.pre_alarm_minutes,
      batteryLowPct: config.options.battery_low_percent,
      quietHours: quiet,
      criticalAlerts: config.options.critical_alerts,
    },
    displayUnit: () => bridge.displayUnit(),
    timeZone: () => timeZone,
    language: () => bridge.language(),
    // The demo's heads-ups, repeats and snoozes keep pace with its fast cook.
    timeScale: config.mode === "demo" ? config.demoSpeed : 1,
  });
  alarmApi = alarms;

  const health = (): Health => {
    const tw = poller.status();
    const ha = bridge.status();
    // Readings or settings the database did not take yet: they apply from memory, but a restart would lose them.
    const pendingReadings = ingest.pendingReadings();
    const unsavedSettings = store.unsavedWrites();
    const writeFailure = store.writeFailure();
    const ingestError = ingest.writeError();
    const stats = store.stats();
    const problem = stats.fileMissing
      ? `the database file ${stats.path} was deleted or moved while the add-on runs: what it records now is lost at the next restart (restart to start a new one)`
      : storeProblem;
    const degraded = !tw.ok || (ha.configured && !ha.connected) || pendingReadings > 0 || unsavedSettings > 0 || ingestError !== null || problem !== null;
    return {
      status: degraded ? "degraded" : "ok",
      version: VERSION,
      mode: config.mode,
      demo: config.mode === "demo" ? { reason: config.demoReason, speed: config.demoSpeed } : null,
      displayUnit: bridge.displayUnit(),
      thermoworks: { ...tw, cloud: config.thermoworks.cloud, pollIntervalS: config.thermoworks.pollIntervalMs / 1000 },
      homeassistant: { ...ha },
      store: {
        ...stats,
        pendingReadings,
        unsavedSettings,
        writeError: ingestError ?? (unsavedSettings > 0 ? (writeFailure?.error ?? null) : null),
        problem,
      },
    };
  };

  const { handler, closeStreams } = createApp({
    store,
    bus,
    logger: logger.child("http"),
    getProbeStates: () => analytics.states(),
    getHealth: health,
    alarms,
    allowedAddresses: config.underSupervisor ? ["172.30.32.2"] : null,
    // Outside the Supervisor there is no login: on loopback, only loopback names (no DNS
    // rebinding); anywhere, no writes from another site's page.
    allowedHosts: !config.underSupervisor && isLoopback(config.host) ? [...LOOPBACK_HOSTS, config.host as string] : null,
    sameOriginWrites: !config.underSupervisor,
    panelDir: join(distDir, "panel"),
    cardPath: join(distDir, "grill-stats-card.js"),
    clock,
  });
  const server = createServer(handler);
  const port = await listen(server, opts.port ?? config.port, config.host);
  stoppers.push({ name: "http", stop: () => new Promise<void>((resolve) => {
    closeStreams();
    server.closeAllConnections();
    server.close(() => resolve());
  }) });
  // localhost is 127.0.0.1 or ::1: bound to another address, the address it is bound to.
  const bound = config.host === undefined || [...LOOPBACK_HOSTS, "0.0.0.0", "::"].includes(config.host) ? "localhost" : config.host.includes(":") ? `[${config.host}]` : config.host;
  const where = config.underSupervisor
    ? " (ingress: only the Supervisor may connect)"
    : isLoopback(config.host)
      ? ` — open http://${bound}:${port} (this machine only; GRILL_STATS_HOST=0.0.0.0 opens it to the network, without a login)`
      : ` on ${config.host ?? "every interface"} — open http://${bound}:${port}; anyone who can reach it can use it (there is no login outside the Supervisor)`;
  log.info(`HTTP listening on port ${port}${where}`);

  await startService("analytics", analytics);
  await startService("alarms", alarms);
  await startService("homeassistant", bridge);
  await startService("retention", createRetentionService({ store, days: config.options.history_retention_days, logger: logger.child("retention"), clock }));
  await startService("poller", poller);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info("stopping");
      for (const { name, stop: stopOne } of stoppers.reverse()) {
        try {
          await stopOne();
        } catch (err) {
          log.warn(`${name} did not stop cleanly`, { error: errorMessage(err) });
        }
      }
      log.info("stopped");
    })();
    return stopping;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    bus,
    simulator,
    health,
    pollNow: () => poller.pollNow(),
    stop,
  };
};
