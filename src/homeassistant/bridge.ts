/**
 * The Home Assistant bridge: wires the WebSocket link, the REST state poster, the settings
 * helpers, the automation events, the card resource and the alarm notifier to the event bus.
 * It never blocks the bus: every handler only updates caches and queues work.
 */
import type { Connection } from "home-assistant-js-websocket";
import { errorMessage, isRfxSensor, systemClock, type AlarmState, type Device, type ProbeState, type Service } from "../shared";
import { bounded, createHaLink, subscribed, type HaLink, type LinkState } from "./connection";
import { mostUrgentAlarm, steadyDoneMs, toDeviceEntities, toProbeEntities, toStatusEntity, type EntityPost, type HelperKind, type StatusInfo } from "./entities";
import { ALARM_EVENT, alarmSubjectFields, EventQueue, PROBE_EVENT, RemovalDebounce, splitProbeId, toAlarmEventData, toProbeEventData } from "./events";
import { helperSpecsFor, reconcileHelpers } from "./helpers";
import { installBlueprints, installCardFile, registerCardResource } from "./lovelace";
import { entitiesEventSchema, haConfigSchema, toHaError, type HaConfig } from "./messages";
import { createAlarmNotifier, toAlarmCommand, type AlarmNotifier } from "./notifier";
import { createStatePoster } from "./poster";
import { SettingsSync } from "./settings-sync";
import type { BridgeDeps, HaStatus } from "./types";

type Msg = { type: string; [k: string]: unknown };
/** Events Home Assistant had not received when the add-on stopped: kept, and sent after the next start. */
const PENDING_EVENTS_KV = "homeassistant.pendingEvents";
/** … unless they are older than this by then (an automation should not act on yesterday's "done"). */
export const PENDING_EVENTS_MAX_AGE_MS = 60 * 60_000;

/** How long a stop may spend marking our entities unavailable (the Supervisor allows 20 s in all). */
const RETIRE_WITHIN_MS = 5_000;

const ONLINE_CHECK_MS = 60_000;
/** The two events of one iOS press arrive within this of each other (sent together by the app). */
const SAME_PRESS_MS = 30_000;
/**
 * Longer than any Home Assistant start (its bootstrap gives integrations minutes at most): past
 * this, a Core that said "starting" is taken as started even if `homeassistant_started` was
 * missed, so a notify service that is not there is not retried for ever.
 */
const CORE_START_MAX_MS = 10 * 60_000;

export const createHomeAssistantBridge = (deps: BridgeDeps): Service & { status(): HaStatus; notifier: AlarmNotifier; displayUnit(): "C" | "F"; language(): string } => {
  const log = deps.logger;
  const clock = deps.clock ?? systemClock;
  const cfg = deps.connection;
  let state: HaStatus["state"] = cfg ? "connecting" : "disabled";
  let message = cfg ? "not started" : "Home Assistant is not configured (no SUPERVISOR_TOKEN, nor GRILL_STATS_HA_URL + GRILL_STATS_HA_TOKEN): running without it";
  let haVersion: string | null = null;
  let unitSystem: "C" | "F" | null = null;
  /** Home Assistant's language tag from `get_config` ("de-CH"); null until known or when it sends none. */
  let haLanguage: string | null = null;
  /**
   * Core is still starting (`get_config`'s state is not RUNNING): integrations may not be loaded
   * yet, so a missing helper command or notify service is "not yet", not "not there".
   */
  let startingSinceMs: number | null = null;
  /** Core was starting at the last get_config, not longer ago than any start takes (a missed event must not keep it so). */
  const coreStarting = (): boolean => startingSinceMs !== null && clock.now() - startingSinceMs < CORE_START_MAX_MS;
  let link: HaLink | null = null;
  let stopped = false;
  let resourceDone = false;
  /** A blueprint of ours was updated at start: automations made from it run the old one until reloaded. */
  let reloadAutomations = false;
  /**
   * Event types subscribed for notification answers, per HAWS connection (it re-subscribes them
   * after reconnects; a new connection object after auth_invalid starts empty).
   */
  const eventSubscriptions = new WeakMap<Connection, Set<string>>();
  let unsubEntities: { off: () => Promise<void>; socket: unknown } | null = null;
  let entitiesGeneration = 0;
  let boundKeys = new Set<string>();
  const attemptedKeys = new Set<string>();
  const offs: (() => void)[] = [];
  let onlineTimer: NodeJS.Timeout | null = null;
  const probes = new Map<string, ProbeState>();
  const devices = new Map<string, Device>();
  let thermoworks: StatusInfo["thermoworks"] = null;
  let activeCook: StatusInfo["activeCook"] = null;

  const displayUnit = (): "C" | "F" => (deps.temperatureUnit === "C" || deps.temperatureUnit === "F" ? deps.temperatureUnit : (unitSystem ?? "C"));
  /** The language alarm texts and our entities' and helpers' names are written in: Home Assistant's, English until it says otherwise. */
  const language = (): string => haLanguage ?? "en";
  /**
   * Why the token cannot be used (its user is not an administrator), or null. Core refuses such a
   * user states, helpers and events, and counts each refused REST request as a failed login (an
   * IP ban once `login_attempts_threshold` is set): nothing is sent until a reconnect finds an
   * administrator's token.
   */
  let notAdmin: string | null = null;
  const connected = (): boolean => (link?.isConnected() ?? false) && notAdmin === null;
  const call = (msg: Msg): Promise<unknown> => {
    const c = link?.connection();
    if (!c || !c.connected || notAdmin !== null) return Promise.reject({ code: "not_connected", message: notAdmin ?? "Home Assistant is not connected" });
    return c.sendMessagePromise(msg);
  };

  const poster = createStatePoster({ url: cfg?.url ?? "http://invalid", token: cfg?.token ?? "", logger: log.child("states"), clock, timeoutMs: deps.restTimeoutMs });
  const sync = new SettingsSync({ settings: deps.settings, bus: deps.bus, kv: deps.kv, logger: log.child("helpers"), displayUnit });
  const events = new EventQueue(async (type, data) => {
    await call({ type: "fire_event", event_type: type, event_data: data });
  }, log.child("events"));
  /** Probe id → its helpers whose entity id is not the one we gave them (renamed in Settings → Entities). */
  let renamedHelpers = new Map<string, Partial<Record<HelperKind, string>>>();
  const eventContext = (probeId: string | null, deviceKey: string | null = null) => {
    const probe = probeId ? probes.get(probeId) : undefined;
    return { unit: displayUnit(), probe, device: devices.get(deviceKey ?? probe?.deviceKey ?? ""), helpers: probeId ? renamedHelpers.get(probeId) : undefined, language: language() };
  };
  const probeEvents = new RemovalDebounce((ev) => events.push(PROBE_EVENT, toProbeEventData(ev, eventContext(ev.probeId))));
  /** Alarm ids are `<probe id or device key>:<kind>`; the event data may name them too. */
  const enrichAlarmEvent = (data: Record<string, unknown>): Record<string, unknown> => {
    const subject = typeof data.alarm_id === "string" ? data.alarm_id.split(":")[0] ?? "" : "";
    const probeId = typeof data.probe_id === "string" ? data.probe_id : probes.has(subject) ? subject : null;
    const deviceKey = typeof data.device_key === "string" ? data.device_key : probeId === null && subject ? subject : null;
    return alarmSubjectFields(probeId, deviceKey, eventContext(probeId, deviceKey));
  };
  const notifier = createAlarmNotifier({ call, isConnected: connected, coreStarting, logger: log.child("notify"), enrichEvent: enrichAlarmEvent });

  const setState = (next: HaStatus["state"], msg: string): void => {
    const changed = next !== state || msg !== message;
    state = next;
    message = msg;
    if (changed) deps.bus.emit("status:homeassistant", { connected: next === "connected", message: msg });
  };

  const currentAlarms = (): AlarmState[] => {
    try {
      return deps.getAlarms?.() ?? [];
    } catch (err) {
      log.warn("could not read the current alarms", { error: errorMessage(err) });
      return [];
    }
  };

  // ---- entity states -----------------------------------------------------------------------
  const statusEntity = (): EntityPost =>
    toStatusEntity({ mode: deps.mode, version: deps.version, unit: displayUnit(), thermoworks, activeCook, probes: probes.size, devices: devices.size }, language());
  /** probe id → the done time its eta entity says (steadyDoneMs). */
  const shownDone = new Map<string, number | null>();
  const probeEntities = (p: ProbeState): EntityPost[] => {
    const nowMs = clock.now();
    const shownDoneMs = steadyDoneMs(shownDone.get(p.id) ?? null, p.eta, nowMs);
    shownDone.set(p.id, shownDoneMs);
    return toProbeEntities(p, { unit: displayUnit(), nowMs, device: devices.get(p.deviceKey), alarm: mostUrgentAlarm(currentAlarms(), p.id), language: language(), helpers: renamedHelpers.get(p.id), shownDoneMs });
  };
  const deviceEntities = (d: Device): EntityPost[] => toDeviceEntities(d, clock.now(), language(), displayUnit());
  const readyToPost = (): boolean => unitSystem !== null && !stopped && notAdmin === null;

  const refreshCaches = (): void => {
    try {
      for (const d of deps.getDevices()) devices.set(d.key, d);
      for (const p of deps.getProbeStates()) probes.set(p.id, p);
    } catch (err) {
      log.warn("could not read the current probes/devices; using the last known ones", { error: errorMessage(err) });
    }
  };
  const allEntities = (): EntityPost[] => {
    refreshCaches();
    return [...[...probes.values()].flatMap(probeEntities), ...[...devices.values()].flatMap(deviceEntities), statusEntity()];
  };

  // ---- serial WebSocket work (ready sequence, helper refresh) --------------------------------
  let chain: Promise<void> = Promise.resolve();
  const serial = (name: string, task: () => Promise<void>): void => {
    chain = chain.then(task).catch((err: unknown) => {
      const e = toHaError(err);
      if (e.code === "not_connected" || e.code === "connection_lost" || stopped) log.debug(`${name} interrupted by a disconnect; it runs again on reconnect`);
      else log.warn(`${name} failed: ${e.message}`, { code: e.code });
    });
  };

  const refreshHelpers = async (): Promise<void> => {
    const specs = [...probes.values()].flatMap((p) => helperSpecsFor(p, displayUnit(), language()));
    for (const s of specs) attemptedKeys.add(s.key);
    const { bound, unitChanged } = await reconcileHelpers({ call, kv: deps.kv, logger: log.child("helpers"), specs, coreStarting: coreStarting() });
    boundKeys = new Set(bound.map((b) => b.spec.key));
    const renamed = new Map<string, Partial<Record<HelperKind, string>>>();
    for (const b of bound) {
      if (b.entityId === `${b.spec.domain}.${b.spec.objectId}`) continue;
      renamed.set(b.spec.probeId, { ...renamed.get(b.spec.probeId), [b.spec.kind]: b.entityId });
    }
    const renamesChanged = JSON.stringify([...renamed]) !== JSON.stringify([...renamedHelpers]);
    renamedHelpers = renamed;
    if (renamesChanged && readyToPost()) for (const e of [...probes.values()].flatMap(probeEntities)) poster.post(e);
    sync.setBindings(bound);
    sync.pushEntities(unitChanged, call);
    // The new subscription starts before the old one ends, so no change falls in between.
    const previous = unsubEntities;
    unsubEntities = null;
    const conn = link?.connection();
    if (conn && bound.length > 0) await subscribeHelpers(conn);
    // After a reconnect the old subscription died with its socket, and its id may now belong to
    // another subscription on the new socket: only unsubscribe on the same socket.
    if (previous && conn && previous.socket === conn.socket) {
      await previous.off().catch((err: unknown) => log.debug("unsubscribe failed", { error: toHaError(err).message }));
    }
  };

  const subscribeHelpers = async (conn: Connection): Promise<void> => {
    const generation = ++entitiesGeneration;
    try {
      const socket = conn.socket;
      const off = await subscribed(conn, conn.subscribeMessage(
        (ev: unknown) => {
          if (generation !== entitiesGeneration) return; // superseded by a newer subscription
          const parsed = entitiesEventSchema.safeParse(ev);
          if (!parsed.success) {
            log.debug("unexpected subscribe_entities event", { error: parsed.error.message });
            return;
          }
          let gone: string[];
          try {
            gone = sync.onEntities(parsed.data, call);
          } catch (err) {
            // Thrown here it would end the process (Home Assistant's library calls this outside any promise).
            log.error("could not apply a helper change from Home Assistant", { error: errorMessage(err) });
            return;
          }
          if (gone.length > 0) {
            log.info(`helper ${gone.join(", ")} was removed in Home Assistant; setting up the helpers again`);
            attemptedKeys.clear();
            serial("helper setup after a removal", refreshHelpers);
          }
        },
        { type: "subscribe_entities", entity_ids: sync.entityIds() },
        { resubscribe: false },
      ));
      unsubEntities = { off, socket };
    } catch (err) {
      if (toHaError(err).code !== "unknown_command") throw err;
      log.warn("this Home Assistant has no subscribe_entities (older than 2022.4): helper changes made in Home Assistant will not reach the add-on");
    }
  };

  /** Subscribes `conn` to an event type once (HAWS renews its subscriptions after a reconnect). */
  const subscribeOnce = async (conn: Connection, type: string, handler: (ev: unknown) => void): Promise<void> => {
    const done = eventSubscriptions.get(conn) ?? new Set<string>();
    eventSubscriptions.set(conn, done);
    if (done.has(type)) return;
    done.add(type);
    try {
      await subscribed(conn, conn.subscribeEvents(handler, type));
    } catch (err) {
      // In flight when the socket closed: HAWS completes it after the reconnect. Refused: try again next time.
      if (!["connection_lost", "timeout"].includes(toHaError(err).code)) done.delete(type);
      throw err;
    }
  };

  /**
   * The iOS app sends each press twice, as `mobile_app_notification_action` and as the legacy
   * `ios.notification_action_fired` (older apps only the legacy one): the same button through the
   * other event type shortly after is that same press, not a second one.
   */
  const lastPress = new Map<string, { eventType: unknown; atMs: number }>();
  const subscribeActions = async (conn: Connection): Promise<void> => {
    const onAction = (ev: unknown): void => {
      const command = toAlarmCommand(ev);
      if (!command) return;
      const key = `${command.action}:${command.alarmId ?? ""}`;
      const eventType = (ev as { event_type?: unknown }).event_type;
      const nowMs = clock.now();
      const last = lastPress.get(key);
      for (const [k, p] of lastPress) if (nowMs - p.atMs > SAME_PRESS_MS) lastPress.delete(k);
      if (last && last.eventType !== eventType && nowMs - last.atMs <= SAME_PRESS_MS) {
        lastPress.delete(key);
        return;
      }
      lastPress.set(key, { eventType, atMs: nowMs });
      log.info(`alarm ${command.action} from a notification`, { alarmId: command.alarmId });
      deps.bus.emit("alarm:command", command);
    };
    for (const type of ["mobile_app_notification_action", "ios.notification_action_fired"]) await subscribeOnce(conn, type, onAction);
  };

  /** Reads the unit system and the language from `get_config`; the config, or null when the answer was not one. */
  const loadConfig = async (): Promise<HaConfig | null> => {
    const config = haConfigSchema.safeParse(
      await call({ type: "get_config" }).catch((err: unknown) => {
        if (["not_connected", "connection_lost"].includes(toHaError(err).code)) throw err;
        return err; // not a config: handled below
      }),
    );
    if (config.success) {
      unitSystem = config.data.unit_system.temperature === "°F" ? "F" : "C";
      haLanguage = config.data.language ?? null;
      const starting = config.data.state !== undefined && config.data.state !== "RUNNING";
      startingSinceMs = starting ? (startingSinceMs ?? clock.now()) : null;
      return config.data;
    }
    log.warn("unexpected get_config answer; assuming °C", { error: config.error.message });
    unitSystem ??= "C";
    return null;
  };

  /**
   * `core_config_updated`: the unit system or the language was changed in Home Assistant's
   * settings. Entities and helpers follow at once, not only after the next reconnect.
   */
  const onConfigUpdated = async (): Promise<void> => {
    const before = { unit: displayUnit(), language: language() };
    await loadConfig();
    if (displayUnit() === before.unit && language() === before.language) return;
    log.info(`Home Assistant settings changed: ${displayUnit() === "F" ? "°F" : "°C"}, language ${language()}`);
    poster.repostAll(allEntities());
    attemptedKeys.clear();
    await refreshHelpers();
  };

  /** One failing step (HA refusing something) must not skip the others; a lost connection ends the run. */
  const step = async (name: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      const e = toHaError(err);
      if (e.code === "not_connected" || e.code === "connection_lost") throw err;
      log.warn(`${name} failed: ${e.message}`, { code: e.code });
    }
  };

  const setUpHelpersAndCard = async (): Promise<void> => {
    attemptedKeys.clear();
    await step("helper setup", refreshHelpers);
    if (deps.installCard && !resourceDone) {
      await step("card resource", async () => {
        const result = await registerCardResource({ call, version: deps.version, logger: log.child("card"), coreStarting: coreStarting() });
        resourceDone = result !== "failed" && result !== "not_loaded";
      });
    }
  };

  /**
   * `homeassistant_started`: Core has loaded its integrations. What was set up while it was still
   * starting (helpers, the card resource) may have met commands not there yet: set up again.
   */
  const afterCoreStarted = async (): Promise<void> => {
    await loadConfig();
    startingSinceMs = null;
    // Alarms that met a notify service not loaded yet wait on the outbox's retry back-off (minutes
    // by then, after an outage): said again as connected, they go out now.
    if (state === "connected" && connected()) deps.bus.emit("status:homeassistant", { connected: true, message });
    log.info("Home Assistant has started; setting up helpers and the card resource again");
    await setUpHelpersAndCard();
  };

  /** The token's user, as `auth/current_user` tells; null when it cannot be told (then nothing is assumed). */
  const tokenUser = async (conn: Connection): Promise<{ name: string; isAdmin: boolean } | null> => {
    try {
      const raw = (await conn.sendMessagePromise({ type: "auth/current_user" })) as { name?: unknown; is_admin?: unknown } | null;
      return raw && typeof raw.is_admin === "boolean" ? { name: typeof raw.name === "string" ? raw.name : "?", isAdmin: raw.is_admin } : null;
    } catch (err) {
      const e = toHaError(err);
      if (e.code === "not_connected" || e.code === "connection_lost") throw err;
      return null;
    }
  };

  const readySequence = async (conn: Connection): Promise<void> => {
    haVersion = conn.haVersion;
    const user = await tokenUser(conn);
    notAdmin = user && !user.isAdmin
      ? `the access token belongs to "${user.name}", who is not an administrator: Home Assistant refuses such a user states, helpers and events. Use a long-lived access token of an administrator`
      : null;
    if (notAdmin !== null) {
      log.error(`Home Assistant: ${notAdmin}; nothing is sent to Home Assistant`);
      setState("not_admin", notAdmin);
      return;
    }
    // Before get_config says whether Core is still starting: its start must not fall in between.
    await step("subscribing to Home Assistant's start", () => subscribeOnce(conn, "homeassistant_started", () => serial("setup after Home Assistant started", afterCoreStarted)));
    const before = displayUnit();
    const config = await loadConfig();
    if (before !== displayUnit()) log.info(`display unit is ${displayUnit() === "F" ? "°F" : "°C"}`);
    poster.repostAll(allEntities());
    void events.drain();
    setState("connected", `connected to Home Assistant ${haVersion}${config ? ` (${config.unit_system.temperature})` : ""}`);
    await step("subscribing to notification actions", () => subscribeActions(conn));
    await step("subscribing to settings changes", () => subscribeOnce(conn, "core_config_updated", () => serial("settings change", onConfigUpdated)));
    if (coreStarting()) log.info("Home Assistant is still starting; helpers and the card resource are set up again once it has started");
    await setUpHelpersAndCard();
    // A Core still starting loads the automations from the new files anyway.
    if (reloadAutomations && !coreStarting()) {
      await step("reloading automations for the updated blueprints", async () => {
        await call({ type: "call_service", domain: "automation", service: "reload", service_data: {} });
        log.info("blueprints updated: reloaded automations so those made from them use the new version");
      });
    }
    reloadAutomations = false;
  };

  const onReady = (conn: Connection): void => serial("setup after connecting", () => readySequence(conn));

  const onLinkState = (next: LinkState, msg: string): void => {
    if (next === "connected") return; // reported after get_config, in readySequence
    setState(next, msg);
  };

  // ---- bus -----------------------------------------------------------------------------------

  const listen = (): void => {
    const { bus } = deps;
    offs.push(
      bus.on("probes:state", (list) => {
        for (const p of list) probes.set(p.id, p);
        probeEvents.states(list, clock.now());
        if (readyToPost()) for (const e of [...list.flatMap(probeEntities), statusEntity()]) poster.post(e);
        const missing = list.flatMap((p) => helperSpecsFor(p, displayUnit(), language())).filter((s) => !boundKeys.has(s.key) && !attemptedKeys.has(s.key));
        if (missing.length > 0 && connected()) {
          for (const s of missing) attemptedKeys.add(s.key); // scheduled once, not once per poll
          serial("helper setup for new probes", refreshHelpers);
        }
      }),
      bus.on("poll:result", (poll) => {
        for (const d of poll.devices) devices.set(d.key, d);
        if (readyToPost()) for (const e of [...poll.devices.flatMap(deviceEntities), statusEntity()]) poster.post(e);
      }),
      bus.on("probe:event", (ev) => {
        // An RFX Meat probe's sensors move with its core: one event (the core's), not five for one pull.
        const { deviceKey, channel } = splitProbeId(ev.probeId);
        const kind = probes.get(ev.probeId)?.deviceKind ?? devices.get(deviceKey)?.kind;
        if (!isRfxSensor(kind, channel)) probeEvents.event(ev);
      }),
      bus.on("alarm:changed", ({ alarm, transition }) => {
        const probe = alarm.probeId ? probes.get(alarm.probeId) : undefined;
        if (probe && readyToPost()) for (const e of probeEntities(probe)) poster.post(e);
        if (deps.alarmEventsFromBus) events.push(ALARM_EVENT, toAlarmEventData(alarm, transition, eventContext(alarm.probeId, alarm.deviceKey)));
      }),
      bus.on("settings:changed", ({ settings, source }) => {
        if (source !== "homeassistant" && connected()) sync.pushSettings(settings, call);
      }),
      bus.on("status:thermoworks", (s) => {
        thermoworks = s;
        if (readyToPost()) poster.post(statusEntity());
      }),
      bus.on("cook:changed", ({ cook, change }) => {
        const running = cook.endMs === null && change !== "deleted" && change !== "ended";
        if (running) activeCook = { id: cook.id, name: cook.name, startMs: cook.startMs };
        else if (activeCook?.id === cook.id) activeCook = null;
        if (readyToPost()) poster.post(statusEntity());
      }),
    );
  };

  /** Events still waiting at a stop (Home Assistant away) go to the store … */
  const keepPendingEvents = (): void => {
    const waiting = events.waiting();
    try {
      if (waiting.length > 0) deps.kv.setKv(PENDING_EVENTS_KV, { savedAtMs: clock.now(), items: waiting });
    } catch (err) {
      log.warn(`${waiting.length} event(s) for Home Assistant could not be kept for the next start`, { error: errorMessage(err) });
    }
  };
  /** … and are sent after the next start, ahead of newer ones, unless they are too old by then. */
  const restorePendingEvents = (): void => {
    const kept = deps.kv.getKv<{ savedAtMs: number; items: { type: string; data: Record<string, unknown> }[] }>(PENDING_EVENTS_KV);
    if (!kept) return;
    deps.kv.setKv(PENDING_EVENTS_KV, null);
    const ageMs = clock.now() - kept.savedAtMs;
    if (!Array.isArray(kept.items) || kept.items.length === 0) return;
    if (ageMs > PENDING_EVENTS_MAX_AGE_MS) {
      log.info(`${kept.items.length} event(s) Home Assistant had not received before the last stop are too old now; not sent`, { ageMin: Math.round(ageMs / 60_000) });
      return;
    }
    events.restore(kept.items);
    log.info(`${kept.items.length} event(s) Home Assistant had not received before the last stop will be sent once it is connected`);
  };

  return {
    notifier,
    displayUnit,
    language,
    status: () => ({
      configured: cfg !== null,
      connected: state === "connected" && connected(),
      state,
      message,
      haVersion,
      unitSystem,
      lastPostMs: poster.lastPostMs(),
      postQueue: poster.pending(),
      helpers: boundKeys.size,
    }),
    start: async () => {
      if (!cfg) {
        log.info(message);
        return;
      }
      stopped = false;
      restorePendingEvents();
      if (deps.installCard) installCardFile({ cardBundlePath: deps.cardBundlePath, configDir: deps.configDir, logger: log.child("card") });
      reloadAutomations = installBlueprints({ blueprintsDir: deps.blueprintsDir, configDir: deps.configDir, logger: log.child("blueprints") }).replaced > 0;
      listen();
      onlineTimer = setInterval(() => {
        if (readyToPost()) for (const d of devices.values()) for (const e of deviceEntities(d)) poster.post(e);
      }, ONLINE_CHECK_MS);
      onlineTimer.unref();
      link = createHaLink({
        url: cfg.url,
        token: cfg.token,
        viaSupervisor: cfg.viaSupervisor,
        logger: log.child("ws"),
        heartbeatMs: deps.heartbeatMs ?? 30_000,
        authRetryMs: deps.authRetryMs ?? 5 * 60_000,
        onReady,
        onState: onLinkState,
      });
      link.start();
    },
    stop: async () => {
      stopped = true;
      for (const off of offs.splice(0)) off();
      if (onlineTimer) clearInterval(onlineTimer);
      onlineTimer = null;
      // An event on its way gets its answer first: kept unanswered, it would be sent twice.
      await bounded(events.idle(), 1000).catch(() => undefined);
      link?.stop();
      keepPendingEvents();
      // What we posted stays in Home Assistant until Core restarts: say nothing is behind it now.
      await poster.retire(RETIRE_WITHIN_MS);
      poster.stop();
      if (cfg) setState("disconnected", "stopped");
      await bounded(chain, 2000).catch(() => log.debug("setup still running at stop; abandoned"));
    },
  };
};
