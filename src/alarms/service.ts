import {
  BadRequestError,
  NotFoundError,
  errorMessage,
  isRfxSensor,
  systemClock,
  type AlarmKind,
  type AlarmRepo,
  type AlarmRule,
  type AlarmState,
  type BusEvents,
  type Clock,
  type CookRepo,
  type Device,
  type EventBus,
  type Logger,
  type ProbeSettings,
  type ProbeState,
  type ReadingsRepo,
  type Service,
  type SettingsRepo,
} from "../shared";
import { createAlarmEngine } from "./engine";
import type { AlarmNotifier } from "./notifier";
import type { QuietHours } from "./quiet-hours";
import { isDeviceKind, isUsableStoredRule, resolveRule, toEffectiveRule, validateRule } from "./rules";
import { collectSubjects, type AlarmSubject, type RuleResolver } from "./sources";
import { ALL_KINDS, DEVICE_KINDS, PROBE_KINDS, type AlarmApi, type AlarmRuntime, type EffectiveRule } from "./types";
import { createDeliveryWorker } from "./worker";
import { withMemoryFallback } from "./resilient-repo";

export interface AlarmServiceDeps {
  bus: EventBus;
  repo: AlarmRepo;
  settings: SettingsRepo;
  /** The running cook at start (then followed on the bus): a pit's low alarm sleeps once its food is done. */
  cooks?: Pick<CookRepo, "activeCook" | "listCooks">;
  /**
   * The devices known from before a restart (then followed from the polls): while the cloud does
   * not answer after a restart, no poll reports them, and a device cooking when the add-on went
   * down must still go offline after the usual delay.
   */
  catalog?: Pick<ReadingsRepo, "listDevices">;
  notifier: AlarmNotifier | null;
  logger: Logger;
  clock?: Clock;
  options: { notifyTargets: string[]; repeatMinutes: number; preAlarmMinutes: number; batteryLowPct: number; quietHours: QuietHours | null; criticalAlerts?: boolean };
  displayUnit: () => "C" | "F";
  timeZone: () => string;
  /** Home Assistant's language tag ("de-CH"), read whenever a message is written; English without it. */
  language?: () => string;
  /**
   * Cook time per wall-clock time: the demo's speed (default 1). A heads-up's minutes, repeats
   * and snoozes are cook minutes, so the demo's alarms keep pace with its cook.
   */
  timeScale?: number;
  /** Re-evaluation timer for repeats, snooze expiry and silent devices (default 15 s). */
  tickMs?: number;
  /** Delivery retry back-off while Home Assistant is away (defaults 5 s doubling to 5 min). */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface AlarmService extends Service, AlarmApi {
  /** Re-evaluates every alarm now (the timer calls this every `tickMs`). */
  tick(): void;
  /** Sends what is queued now; resolves when the pass is done. */
  flushDeliveries(): Promise<void>;
}

/** After a restart, loaded firing alarms wait this long for fresh data before repeating on their own. */
const RESTORE_GRACE_MS = 2 * 60_000;
const DEFAULT_SNOOZE_MINUTES = 10;
/** How long a lid opening holds the pit-low alarm at most (cook time). */
export const LID_HOLD_MAX_MS = 10 * 60_000;
/** How long after a cook ended its fire is let die without a pit-low alarm (cook time). */
export const PIT_LOW_AFTER_COOK_MS = 3 * 60 * 60_000;
const HEALTH_KINDS: ReadonlySet<AlarmKind> = new Set(["unplugged", "stale", "offline"]);
const PHASE_ORDER: Record<AlarmState["phase"], number> = { firing: 0, snoozed: 1, pre_alarm: 2, acknowledged: 3, armed: 4 };

const checkMinutes = (minutes: number): number => {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) throw new BadRequestError("minutes: must be whole minutes from 1 to 1440");
  return minutes;
};

/**
 * The alarm service: evaluates every rule on each probe/device update and on a timer, keeps the
 * state machines, records and queues every transition, and delivers through the notifier.
 */
export const createAlarmService = (deps: AlarmServiceDeps): AlarmService => {
  const { bus, logger } = deps;
  const clock = deps.clock ?? systemClock;
  // A database that cannot be written must not silence an alarm.
  const repo = withMemoryFallback(deps.repo, logger, clock);
  const defaults = { repeatMinutes: deps.options.repeatMinutes, preAlarmMinutes: deps.options.preAlarmMinutes, batteryLowPct: deps.options.batteryLowPct };
  const probes = new Map<string, ProbeState>();
  const devices = new Map<string, Device>();
  /** Probe ids and device keys whose health alarms wait for the next cook (the last one ended). */
  const dormant = new Set<string>();
  /** When the running cook started, as the last cook:changed said; null when none runs or not known. */
  let cookStartMs: number | null = null;
  /** Pits whose lid is open, since when (wall clock). */
  const lidOpenSince = new Map<string, number>();
  /** When the last cook ended, while none runs (null before any cook, and while one runs). */
  let cookEndedMs: number | null = null;
  let storedRules: AlarmRule[] = [];
  let hasData = false;
  let startedMs = 0;
  let timer: NodeJS.Timeout | null = null;
  const unsubscribe: Array<() => void> = [];

  const worker = deps.notifier
    ? createDeliveryWorker({ repo, notifier: deps.notifier, logger, clock, retryBaseMs: deps.retryBaseMs, retryMaxMs: deps.retryMaxMs })
    : null;
  const flushDeliveries = (): Promise<void> => worker?.flush() ?? Promise.resolve();
  const engine = createAlarmEngine({
    repo, bus, logger,
    notifyTargets: deps.options.notifyTargets,
    quietHours: deps.options.quietHours,
    criticalAlerts: deps.options.criticalAlerts ?? false,
    displayUnit: deps.displayUnit,
    timeZone: deps.timeZone,
    language: deps.language ?? (() => "en"),
    delivers: worker !== null,
    onQueued: () => void flushDeliveries(),
  });

  /**
   * Rule lookups for one evaluation round (settings read once per probe). The engine times in
   * wall-clock minutes (`inCookTime`); what the rules API shows and takes stays in the cook
   * minutes the user set (`cookTime`), so a rule read back can be saved back.
   */
  const resolver = (cookTime = false): RuleResolver => {
    const cache = new Map<string, ProbeSettings>();
    const settingsOf = (probeId: string): ProbeSettings => {
      let s = cache.get(probeId);
      if (!s) cache.set(probeId, (s = deps.settings.getSettings(probeId)));
      return s;
    };
    return (kind, scope) => {
      const rule = resolveRule(kind, scope, storedRules, defaults, scope.probeId ? settingsOf(scope.probeId) : null);
      return cookTime ? rule : inCookTime(rule);
    };
  };

  const timeScale = deps.timeScale ?? 1;
  /** A rule's cook minutes in wall-clock minutes (the demo runs its cook `timeScale`× faster). */
  const inCookTime = (rule: AlarmRule): AlarmRule => {
    if (timeScale === 1) return rule;
    const params = { ...rule.params };
    if (typeof params.repeatMinutes === "number") params.repeatMinutes /= timeScale;
    if (rule.kind === "pre_alarm" && typeof params.minutes === "number") params.minutes /= timeScale;
    return { ...rule, params };
  };

  const ruleOf = (a: AlarmState, resolve: RuleResolver): EffectiveRule | null => {
    const scope = { probeId: a.probeId, deviceKey: a.deviceKey };
    return toEffectiveRule(resolve(a.kind, scope), a.kind === "target" ? resolve("pre_alarm", scope) : null);
  };

  /**
   * The last cook ended so recently that its fire may still be dying: the pit-low alarm sleeps.
   * Not for ever: a pit still hot hours later is a fire someone keeps (lit again, or a cook the
   * detector did not see start, as after a cloud outage), and it is watched again.
   */
  const justEnded = (nowMs: number): boolean => cookEndedMs !== null && nowMs - cookEndedMs < PIT_LOW_AFTER_COOK_MS / timeScale;

  /**
   * A lid opening holds the pit-low alarm (the air drops, the fire is fine), but not for long: a
   * lid left open lets the pit fall for real, and a fall the lid detector took for an opening (a
   * pit coming down from an overshoot) is no lid at all.
   */
  const lidHolds = (p: ProbeState, nowMs: number): boolean => p.lidOpen && nowMs - (lidOpenSince.get(p.id) ?? nowMs) < LID_HOLD_MAX_MS / timeScale;

  const isDormant = (s: AlarmSubject): boolean => HEALTH_KINDS.has(s.kind) && dormant.has(s.probeId ?? s.deviceKey ?? "");

  const evaluateAll = (nowMs: number): void => {
    const resolve = resolver();
    const seen = new Set<string>();
    for (const s of collectSubjects({ probes: [...probes.values()], devices: [...devices.values()], resolve, nowMs, cookStartMs, cookEnded: justEnded(nowMs), lidHolds: (p) => lidHolds(p, nowMs) })) {
      seen.add(s.id);
      let rt = engine.get(s.id);
      if (!s.rule) {
        if (rt) engine.remove(s.id, nowMs, "rule turned off or threshold removed");
        continue;
      }
      if (!rt) {
        if (!s.armable || isDormant(s)) continue;
        rt = engine.create({ id: s.id, kind: s.kind, probeId: s.probeId, deviceKey: s.deviceKey }, nowMs);
      }
      engine.step(rt, s.sample, nowMs, s.rule, s.facts);
    }
    // Alarms of probes/devices not reported lately (or not yet, after a restart): time only.
    if (!hasData && nowMs - startedMs < RESTORE_GRACE_MS) return;
    for (const rt of engine.all()) {
      if (seen.has(rt.alarm.id)) continue;
      // A probe that is reported but no longer calls for this alarm (an RFX Meat probe's sensor,
      // watched through its core; a probe relabelled as ambient): nothing left to watch.
      if (rt.alarm.probeId !== null && probes.has(rt.alarm.probeId)) {
        engine.remove(rt.alarm.id, nowMs, "no longer watched on this probe");
        continue;
      }
      const rule = ruleOf(rt.alarm, resolve);
      if (rule) engine.step(rt, { type: "tick" }, nowMs, rule);
      else engine.remove(rt.alarm.id, nowMs, "rule turned off or threshold removed");
    }
  };

  const runtimeOrThrow = (alarmId: string): AlarmRuntime => {
    const rt = engine.get(alarmId);
    if (!rt) throw new NotFoundError(`Unknown alarm "${alarmId}"`);
    return rt;
  };

  /** A rule for acknowledge/snooze even when the alarm's rule was just turned off. */
  const commandRule = (a: AlarmState): EffectiveRule =>
    ruleOf(a, resolver()) ?? { kind: a.kind, enabled: false, threshold: 0, hysteresis: 0, repeatMinutes: defaults.repeatMinutes, preAlarmMinutes: 0, critical: a.critical };

  /**
   * The rules a probe's list shows: what it can raise, as the card, the panel and the helpers
   * offer it (a pit has no target, an RFX Meat probe's sensors ring through its core), and any
   * kind that has a setting or a rule of its own for it anyway.
   */
  const kindsListedFor = (probeId: string): AlarmKind[] => {
    const p = probes.get(probeId);
    if (!p) return [...PROBE_KINDS];
    const settings = deps.settings.getSettings(probeId);
    const own = new Set(storedRules.filter((r) => r.probeId === probeId).map((r) => r.kind));
    const offered: readonly AlarmKind[] = isRfxSensor(p.deviceKind, p.channel)
      ? []
      : p.role === "meat" ? ["target", "pre_alarm", "high", "unplugged", "stale"] : p.role === "pit" ? ["high", "low", "unplugged", "stale"] : [];
    const set = (kind: AlarmKind): boolean =>
      (kind === "target" || kind === "pre_alarm" ? settings.targetC : kind === "high" ? settings.highC : kind === "low" ? settings.lowC : null) !== null;
    return PROBE_KINDS.filter((kind) => offered.includes(kind) || own.has(kind) || set(kind));
  };

  const deviceKeyOf = (probeId: string): string => probes.get(probeId)?.deviceKey ?? probeId.split("_")[0] ?? probeId;

  /** The probe's own alarms and its device's (the HA helper button is per probe). */
  const alarmsOfProbe = (probeId: string): AlarmRuntime[] => {
    const deviceKey = deviceKeyOf(probeId);
    return engine.all().filter((rt) => rt.alarm.probeId === probeId || (rt.alarm.deviceKey === deviceKey && isDeviceKind(rt.alarm.kind)));
  };

  const acknowledge = (alarmId: string, source: string): AlarmState => {
    const rt = runtimeOrThrow(alarmId);
    return engine.step(rt, { type: "acknowledge", source }, clock.now(), commandRule(rt.alarm));
  };
  const snooze = (alarmId: string, minutes: number, source: string): AlarmState => {
    checkMinutes(minutes);
    const rt = runtimeOrThrow(alarmId);
    return engine.step(rt, { type: "snooze", minutes: minutes / timeScale, source }, clock.now(), commandRule(rt.alarm));
  };
  const isActive = (rt: AlarmRuntime): boolean => rt.alarm.phase === "firing" || rt.alarm.phase === "snoozed" || rt.alarm.phase === "pre_alarm";
  const acknowledgeProbe = (probeId: string, source: string): AlarmState[] =>
    alarmsOfProbe(probeId).filter(isActive).map((rt) => acknowledge(rt.alarm.id, source));
  const snoozeProbe = (probeId: string, minutes: number, source: string): AlarmState[] => {
    checkMinutes(minutes);
    return alarmsOfProbe(probeId).filter(isActive).map((rt) => snooze(rt.alarm.id, minutes, source));
  };

  const onCommand = (cmd: BusEvents["alarm:command"]): void => {
    try {
      const minutes = cmd.snoozeMinutes ?? DEFAULT_SNOOZE_MINUTES;
      if (cmd.alarmId) {
        if (cmd.action === "acknowledge") acknowledge(cmd.alarmId, cmd.source);
        else snooze(cmd.alarmId, minutes, cmd.source);
      } else if (cmd.probeId) {
        const done = cmd.action === "acknowledge" ? acknowledgeProbe(cmd.probeId, cmd.source) : snoozeProbe(cmd.probeId, minutes, cmd.source);
        if (done.length === 0) logger.info(`${cmd.action} from ${cmd.source}: no active alarm on probe ${cmd.probeId}`);
      }
    } catch (err) {
      // A stale button press (alarm gone) or a bad snooze length: say so, nothing else to do.
      if (!(err instanceof NotFoundError || err instanceof BadRequestError)) throw err;
      logger.warn(`ignored alarm command from ${cmd.source}: ${err.message}`, { alarmId: cmd.alarmId, probeId: cmd.probeId, action: cmd.action });
    }
  };

  const onCook = ({ cook, change }: BusEvents["cook:changed"]): void => {
    // The running cook's start (its probes' done times count from it); read from the store at start.
    if (cook.endMs === null && change !== "deleted" && change !== "ended") cookStartMs = cook.startMs;
    else if (cook.startMs === cookStartMs) cookStartMs = null;
    if (change === "started") cookEndedMs = null;
    else if (change === "ended") cookEndedMs = cook.endMs ?? clock.now();
    if (change === "started") {
      dormant.clear();
      return;
    }
    if (change !== "ended") return;
    // Pulling the probes after the cook is not an emergency: health alarms sleep until the next one.
    const probeIds = cook.probeIds.length > 0 ? cook.probeIds : [...probes.keys()];
    for (const probeId of probeIds) {
      dormant.add(probeId);
      dormant.add(deviceKeyOf(probeId));
    }
    for (const rt of engine.all()) {
      if (HEALTH_KINDS.has(rt.alarm.kind) && dormant.has(rt.alarm.probeId ?? rt.alarm.deviceKey ?? "")) {
        engine.remove(rt.alarm.id, clock.now(), "cook ended");
      }
    }
  };

  const evaluateSafely = (why: string): void => {
    try {
      // What the database could not take earlier goes first (alarm rows, delivery marks).
      repo.catchUp();
      evaluateAll(clock.now());
    } catch (err) {
      // A store hiccup must not stop the timer; the next tick evaluates again.
      logger.error(`alarm evaluation (${why}) failed; retrying on the next tick`, { error: errorMessage(err) });
    }
  };

  const listen = (): void => {
    unsubscribe.push(
      bus.on("probes:state", (states) => {
        for (const p of states) {
          probes.set(p.id, p);
          if (!p.lidOpen) lidOpenSince.delete(p.id);
          else if (!lidOpenSince.has(p.id)) lidOpenSince.set(p.id, clock.now());
        }
        hasData = true;
        evaluateAll(clock.now());
      }),
      bus.on("poll:result", (poll) => {
        for (const d of poll.devices) devices.set(d.key, d);
        hasData = true;
        evaluateAll(clock.now());
      }),
      bus.on("settings:changed", () => evaluateAll(clock.now())),
      bus.on("alarm:command", onCommand),
      bus.on("cook:changed", onCook),
      bus.on("status:homeassistant", ({ connected }) => {
        if (connected) void flushDeliveries();
      }),
    );
  };

  const loadRules = (): void => {
    const all = repo.listRules();
    storedRules = all.filter(isUsableStoredRule);
    if (storedRules.length < all.length) logger.warn(`${all.length - storedRules.length} stored alarm rule(s) are invalid and ignored; set them again through the API`);
  };

  return {
    async start() {
      startedMs = clock.now();
      cookStartMs = deps.cooks?.activeCook()?.startMs ?? null;
      const lastCook = cookStartMs === null ? deps.cooks?.listCooks({ limit: 1 })[0] : undefined;
      // No cook running: the last one's end (its fire may still be dying, without a pit-low alarm).
      cookEndedMs = lastCook?.endMs ?? null;
      // … and its probes' and devices' health alarms sleep until the next cook, as they did
      // before the restart (the probes pulled, the device switched off after the cook).
      if (lastCook?.endMs != null) for (const probeId of lastCook.probeIds) dormant.add(probeId).add(deviceKeyOf(probeId));
      loadRules();
      // As a poll would report them, with their last contact on record: whether one gets an
      // offline alarm is decided as for a polled one (in use, heard from within the limit, or
      // its alarm restored). The first poll that reports them replaces them.
      for (const d of deps.catalog?.listDevices() ?? []) devices.set(d.key, d);
      const restored = engine.load();
      const firing = engine.all().filter(isActive).length;
      if (restored > 0) logger.info(`restored ${restored} alarm(s), ${firing} firing or snoozed`);
      if (!worker) logger.info("no Home Assistant connection configured: alarms show in the panel only");
      listen();
      timer = setInterval(() => evaluateSafely("timer"), deps.tickMs ?? 15_000);
      timer.unref();
      // Whatever the previous run queued and could not send goes out now (or on reconnect).
      void flushDeliveries();
    },
    async stop() {
      for (const off of unsubscribe.splice(0)) off();
      if (timer) clearInterval(timer);
      timer = null;
      await worker?.stop();
    },
    tick: () => {
      repo.catchUp();
      evaluateAll(clock.now());
    },
    flushDeliveries,
    list: () => engine.all().map((rt) => rt.alarm).sort((a, b) => PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    acknowledge,
    acknowledgeProbe,
    snooze,
    snoozeProbe,
    rules() {
      const resolve = resolver(true);
      const probeIds = new Set([...probes.keys(), ...deps.settings.listSettings().map((s) => s.probeId)]);
      return [
        ...ALL_KINDS.map((kind) => resolve(kind, { probeId: null, deviceKey: null })),
        ...[...probeIds].sort().flatMap((probeId) => kindsListedFor(probeId).map((kind) => resolve(kind, { probeId, deviceKey: null }))),
        ...[...devices.keys()].sort().flatMap((deviceKey) => DEVICE_KINDS.map((kind) => resolve(kind, { probeId: null, deviceKey }))),
      ];
    },
    setRule(rule) {
      const valid = validateRule(rule, storedRules);
      repo.saveRule(valid);
      storedRules = [...storedRules.filter((r) => !(r.kind === valid.kind && r.probeId === valid.probeId && r.deviceKey === valid.deviceKey)), valid];
      logger.info("alarm rule changed", { kind: valid.kind, probeId: valid.probeId, deviceKey: valid.deviceKey, enabled: valid.enabled });
      evaluateAll(clock.now());
      return resolver(true)(valid.kind as AlarmKind, { probeId: valid.probeId, deviceKey: valid.deviceKey });
    },
    deliveries: (limit) => repo.listDeliveries({ limit }),
    transitions: (limit) => repo.listTransitions({ limit }),
  };
};
