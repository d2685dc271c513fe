/**
 * The analytics service: wires the pure engine and the cook-session detector to the bus and the
 * repositories. On start it replays recent history (the active cook, else the last 8 h) so a
 * restart keeps ETA, stall and min/max; then every poll → `probes:state` + `probe:event`s, every
 * settings change → `probes:state`, and every 30 s a refresh so staleness shows when the cloud
 * is down. Cooks are created, updated and ended through CookRepo (`cook:changed`, `cook:event`).
 */
import {
  errorMessage, isRfxSensor, systemClock,
  type BusEvents, type Clock, type CookRepo, type EventBus, type Logger, type PollResult, type ProbeSettings,
  type ProbeState, type Reading, type ReadingsRepo, type Service, type SettingsRepo, wrapTimes,
} from "../shared";
import { createCookSessionDetector, type CookAction } from "./cook-sessions";
import { createAnalyticsEngine, type EngineOptions, type EngineOutput } from "./engine";
import { minMaxOfReadings } from "./probe-tracker";
import { MS_PER_HOUR } from "./samples";
import { withTimeLens } from "./time-lens";

export interface AnalyticsServiceDeps {
  bus: EventBus;
  readings: ReadingsRepo;
  settings: SettingsRepo;
  cooks: CookRepo;
  logger: Logger;
  clock?: Clock;
  pollIntervalMs: number;
  /** Refresh period (staleness without polls), default 30 s. */
  refreshIntervalMs?: number;
  engine?: Omit<EngineOptions, "pollIntervalMs">;
  timeZone?: string;
  /** Home Assistant's language, for the names of cooks it starts by itself. */
  language?: () => string;
  /**
   * Cook seconds per wall-clock second of the readings (the demo simulator's speed; 1 for real
   * devices). The engine then reasons in cook time; see time-lens.ts.
   */
  timeScale?: number;
}

export type AnalyticsService = Service & { states(): ProbeState[] };

const SEED_DEFAULT_MS = 8 * MS_PER_HOUR;
/** Never replay more than this, however old the active cook is (bounded start-up work). */
const SEED_MAX_MS = 24 * MS_PER_HOUR;

export function createAnalyticsService(deps: AnalyticsServiceDeps): AnalyticsService {
  const { bus, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const timeScale = deps.timeScale ?? 1;
  const engine = withTimeLens(
    createAnalyticsEngine({ ...deps.engine, pollIntervalMs: deps.pollIntervalMs * timeScale }),
    timeScale,
    clock.now(),
  );
  const detector = createCookSessionDetector({ ...(deps.timeZone ? { timeZone: deps.timeZone } : {}), ...(deps.language ? { language: deps.language } : {}), timeScale });
  const settings = new Map<string, ProbeSettings>();
  const unsubscribe: (() => void)[] = [];
  let timer: ReturnType<typeof setInterval> | null = null;

  const applyCookActions = (actions: CookAction[]): void => {
    for (const a of actions) {
      if (a.kind === "start") {
        const cook = deps.cooks.createCook({ name: a.name, startMs: a.startMs, probeIds: a.probeIds, targets: a.targets });
        engine.resetMinMax(a.probeIds, a.startMs);
        minMaxScope = { cookId: cook.id, startMs: cook.startMs };
        logger.info("cook started", { cookId: cook.id, name: cook.name, probes: cook.probeIds.length });
        bus.emit("cook:changed", { cook, change: "started" });
      } else if (a.kind === "end") {
        const cook = deps.cooks.updateCook(a.cookId, { endMs: a.endMs });
        logger.info("cook ended", { cookId: cook.id, reason: a.reason });
        bus.emit("cook:changed", { cook, change: "ended" });
      } else if (a.kind === "update") {
        const cook = deps.cooks.updateCook(a.cookId, { probeIds: a.probeIds, targets: a.targets });
        bus.emit("cook:changed", { cook, change: "updated" });
      } else {
        if (a.eventKind === "stall_start" && resumesStall(a.cookId, a.probeId, a.tsMs)) continue;
        const event = deps.cooks.addCookEvent({ cookId: a.cookId, tsMs: a.tsMs, kind: a.eventKind, text: a.text, probeId: a.probeId });
        bus.emit("cook:event", event);
      }
    }
  };

  /**
   * A stall that resumes soon after it ended is the same stall (stall.ts): it starts when it first
   * did. Its end on the timeline was none: taken away, and no second start is added, so the
   * timeline and the chart's band show one stall from its start, as the probe's state does.
   */
  const resumesStall = (cookId: number, probeId: string | null, startMs: number): boolean => {
    const mine = deps.cooks.listCookEvents(cookId).filter((e) => e.probeId === probeId && (e.kind === "stall_start" || e.kind === "stall_end"));
    const notEnds = mine.filter((e) => e.kind === "stall_end" && e.tsMs >= startMs);
    if (notEnds.length === 0) return false;
    for (const e of notEnds) deps.cooks.deleteCookEvent(e.id);
    const cook = deps.cooks.getCook(cookId);
    if (cook) bus.emit("cook:changed", { cook, change: "updated" });
    return mine.some((e) => e.kind === "stall_start" && e.tsMs <= startMs);
  };

  const publish = (out: EngineOutput, nowMs: number): void => {
    bus.emit("probes:state", out.states);
    for (const e of out.events) bus.emit("probe:event", e);
    try {
      applyCookActions(detector.update({ nowMs, states: out.states, events: out.events, active: deps.cooks.activeCook() }));
    } catch (err) {
      // The probe states are already out; a cook bookkeeping failure must not stop the next poll.
      logger.error("cook session update failed", { error: errorMessage(err) });
    }
  };

  const onPoll = (poll: PollResult): void => {
    const nowMs = Math.max(clock.now(), poll.atMs);
    publish(engine.ingest({ devices: poll.devices, probes: poll.probes, readings: poll.readings, settings, nowMs }), nowMs);
  };

  const refresh = (): void => {
    const nowMs = clock.now();
    publish(engine.refresh(settings, nowMs), nowMs);
  };

  /**
   * The active cook's "wrap" notes tell the predictor which meat is wrapped (a note without a
   * probe wraps every probe of the cook; the latest counts). Read anew on every note and cook
   * change (a note deleted, a cook split, merged or ended); true when the wraps changed.
   */
  let wraps = new Map<string, number>();
  /** What a whole-cook wrap wraps: the meat, not the pit, and an RFX Meat probe as its core (not each sensor). */
  const wrappable = (probeIds: readonly string[]): string[] => {
    const known = new Map(engine.states().map((s) => [s.id, s]));
    return probeIds.filter((id) => {
      const s = known.get(id);
      return s === undefined || (s.role === "meat" && !isRfxSensor(s.deviceKind, s.channel));
    });
  };
  const syncWraps = (): boolean => {
    const active = deps.cooks.activeCook();
    const next = active ? wrapTimes(deps.cooks.listCookEvents(active.id), wrappable(active.probeIds)) : new Map<string, number>();
    if (next.size === wraps.size && [...next].every(([id, t]) => wraps.get(id) === t)) return false;
    wraps = next;
    engine.setWraps(wraps);
    return true;
  };
  /** A moment marked from Home Assistant ("wrapped"): a note on the active cook of that probe. */
  const onMark = ({ probeId, kind, source }: BusEvents["cook:mark"]): void => {
    const active = deps.cooks.activeCook();
    if (!active || !active.probeIds.includes(probeId)) {
      logger.warn(`${kind} marked for a probe in no running cook: nothing to note`, { probeId, source });
      return;
    }
    try {
      const event = deps.cooks.addCookEvent({ cookId: active.id, tsMs: clock.now(), kind, text: "", probeId });
      logger.info(`${kind} noted`, { cookId: active.id, probeId, source });
      bus.emit("cook:event", event);
    } catch (err) {
      logger.error(`noting ${kind} failed`, { probeId, error: errorMessage(err) });
    }
  };
  // After the emit that changed them (which may come from this service's own cook update), and
  // not once the service has stopped.
  const onCookChange = (change?: BusEvents["cook:changed"]): void => {
    // The running cook deleted while the meat cooks on: the next poll starts a new one.
    if (change?.change === "deleted" && change.cook.endMs === null) detector.forgetProbes();
    try {
      const rescoped = syncMinMax();
      if (syncWraps() || rescoped) queueMicrotask(() => timer !== null && refresh());
    } catch (err) {
      logger.error("reading the running cook's notes and readings failed", { error: errorMessage(err) });
    }
  };

  /**
   * A probe's min and max are of the running cook: counted again from its stored readings when
   * that cook changes (split off at a later start, merged with an earlier one: the analytics'
   * own history may be shorter, or restarted when the meat came off). True when they were.
   */
  let minMaxScope: { cookId: number; startMs: number } | null = null;
  /** `known`: a probe's stored readings from `fromMs` on, already read (the start-up replay's). */
  const syncMinMax = (known?: { fromMs: number; byProbe: ReadonlyMap<string, readonly Reading[]> }): boolean => {
    const active = deps.cooks.activeCook();
    if (!active || (minMaxScope?.cookId === active.id && minMaxScope.startMs === active.startMs)) return false;
    const nowMs = clock.now();
    const roles = new Map(engine.states().map((s) => [s.id, s.role]));
    const readingsOf = (id: string): readonly Reading[] => {
      const read = known && known.fromMs <= active.startMs ? known.byProbe.get(id) : undefined;
      return read ? read.filter((r) => r.tsMs >= active.startMs) : deps.readings.readingsBetween(id, active.startMs, nowMs);
    };
    for (const id of active.probeIds) {
      const { minC, maxC } = minMaxOfReadings(readingsOf(id), roles.get(id) ?? "meat");
      engine.setMinMax(id, minC, maxC);
    }
    minMaxScope = { cookId: active.id, startMs: active.startMs };
    return true;
  };

  const seed = (): void => {
    for (const s of deps.settings.listSettings()) settings.set(s.probeId, s);
    const nowMs = clock.now();
    const active = deps.cooks.activeCook();
    const fromMs = Math.max(nowMs - SEED_MAX_MS, active ? Math.min(active.startMs, nowMs - SEED_DEFAULT_MS) : nowMs - SEED_DEFAULT_MS);
    const probes = deps.readings.listProbes();
    const byProbe = new Map(probes.map((p) => [p.id, deps.readings.readingsBetween(p.id, fromMs, nowMs)]));
    const readings = [...byProbe.values()].flat();
    // Replayed events already happened (and were published then): only the state is kept.
    engine.ingest({ devices: deps.readings.listDevices(), probes, readings, settings, nowMs });
    // The running cook's min/max from the same readings when they reach back to its start.
    syncMinMax({ fromMs, byProbe });
    syncWraps();
    const out = engine.refresh(settings, nowMs);
    // Prime the cook detector with the levels the replay left, so they do not count as new edges,
    // and the time the add-on was down neither as probes gone cold nor as data stopped.
    detector.prime(out.states, nowMs);
    logger.info("analytics seeded", { probes: probes.length, readings: readings.length, fromMs, activeCook: active?.id ?? null });
  };

  return {
    async start() {
      seed();
      unsubscribe.push(
        bus.on("poll:result", onPoll),
        bus.on("settings:changed", ({ settings: s }) => {
          settings.set(s.probeId, s);
          refresh();
        }),
        bus.on("cook:event", () => onCookChange()),
        bus.on("cook:changed", onCookChange),
        bus.on("cook:mark", onMark),
      );
      timer = setInterval(refresh, deps.refreshIntervalMs ?? 30_000);
      timer.unref?.();
    },
    async stop() {
      for (const off of unsubscribe.splice(0)) off();
      if (timer) clearInterval(timer);
      timer = null;
    },
    states: () => engine.states(),
  };
}
