import { type AlarmRepo, type AlarmState, type AlarmTransition, type EventBus, type Logger, type TemperatureUnit } from "../shared";
import { planDeliveries } from "./deliveries";
import { evaluateAlarm, newRuntime } from "./machine";
import { alarmLanguage, alarmTitle, describeAlarm, describeTransition, type AlarmFacts } from "./messages";
import { isQuietTime, type QuietHours } from "./quiet-hours";
import type { AlarmInput, AlarmRuntime, EffectiveRule, TransitionEvent } from "./types";

export interface AlarmEngineDeps {
  repo: AlarmRepo;
  bus: EventBus;
  logger: Logger;
  notifyTargets: readonly string[];
  quietHours: QuietHours | null;
  /** Critical alarms ring as the phone's critical alerts (iOS) and on its alarm stream (Android). */
  criticalAlerts?: boolean;
  displayUnit: () => TemperatureUnit;
  timeZone: () => string;
  /** Home Assistant's language tag, read whenever a message is written. */
  language: () => string;
  /** false without Home Assistant: transitions are recorded, nothing is queued for delivery. */
  delivers: boolean;
  /** Called after new outbox items were queued. */
  onQueued: () => void;
}

const EMPTY_FACTS: AlarmFacts = { probeName: null, deviceName: null, value: null, threshold: null, readingTsMs: null, etaDoneMs: null, lastSeenMs: null, limitMinutes: null };
const NOTIFYING: ReadonlySet<AlarmTransition> = new Set(["raised", "repeated"]);

/** What is compared to decide whether an alarm row needs writing (the live value alone does not). */
const signature = (a: AlarmState): string => JSON.stringify({ ...a, valueC: null });

/**
 * Holds every alarm's runtime, runs the state machine on it, and turns each transition into
 * the durable record: outbox items first (so a crash can repeat a notification, never lose
 * one), then the alarm row and the transition record, then the bus event.
 */
export const createAlarmEngine = (deps: AlarmEngineDeps) => {
  const { repo, bus, logger } = deps;
  const runtimes = new Map<string, AlarmRuntime>();
  const facts = new Map<string, AlarmFacts>();
  const saved = new Map<string, string>();

  const save = (a: AlarmState): void => {
    const sig = signature(a);
    if (saved.get(a.id) === sig) return;
    repo.saveAlarm(a);
    saved.set(a.id, sig);
  };

  const formatContext = (nowMs: number) => ({ unit: deps.displayUnit(), timeZone: deps.timeZone(), language: deps.language(), nowMs });

  const publish = (ev: TransitionEvent, previous: string, nowMs: number): AlarmState => {
    const ctx = formatContext(nowMs);
    const alarm: AlarmState = { ...ev.alarm, message: describeAlarm(ev.alarm, ev.transition, facts.get(ev.alarm.id) ?? EMPTY_FACTS, ctx) };
    const text = describeTransition(ev, alarm, previous, (facts.get(alarm.id) ?? EMPTY_FACTS).value, ctx);
    if (deps.delivers) {
      const quiet = isQuietTime(nowMs, deps.quietHours, ctx.timeZone);
      const plan = planDeliveries(alarm, ev.transition, {
        notifyTargets: deps.notifyTargets, quiet, title: alarmTitle(alarm, ctx.language), unit: ctx.unit, fromPhase: ev.fromPhase, message: text, language: alarmLanguage(ctx.language),
        criticalAlerts: deps.criticalAlerts ?? false,
      });
      for (const d of plan) repo.enqueue({ key: d.key, channel: d.channel, payload: d.payload, createdMs: nowMs });
    }
    save(alarm);
    repo.recordTransition({ alarmId: alarm.id, tsMs: ev.tsMs, fromPhase: ev.fromPhase, toPhase: ev.toPhase, transition: ev.transition, message: text });
    logger.info(`alarm ${ev.transition}: ${text}`, { alarmId: alarm.id, phase: alarm.phase });
    bus.emit("alarm:changed", { alarm, transition: ev.transition });
    return alarm;
  };

  /** Runs one input through the machine and makes every transition durable and visible. */
  const step = (rt: AlarmRuntime, input: AlarmInput, nowMs: number, rule: EffectiveRule, latest?: AlarmFacts): AlarmState => {
    if (latest) facts.set(rt.alarm.id, latest);
    const result = evaluateAlarm(rt, input, nowMs, rule);
    let state = result.state;
    let previous = rt.alarm.message;
    let queued = false;
    for (const ev of result.transitions) {
      const alarm = publish(ev, previous, nowMs);
      previous = alarm.message;
      state = { ...state, alarm: { ...state.alarm, message: alarm.message } };
      queued ||= deps.delivers;
    }
    if (state.alarm.phase === "armed" || state.alarm.phase === "pre_alarm" || !state.alarm.message) {
      // The standing text follows threshold changes ("Pit: alarm above 135 °C") and, while the
      // pre-alarm stands, the moving done time ("in about 6 min (18:57)"), as the probe's tile does.
      state = { ...state, alarm: { ...state.alarm, message: describeAlarm(state.alarm, null, facts.get(rt.alarm.id) ?? EMPTY_FACTS, formatContext(nowMs)) } };
    }
    runtimes.set(state.alarm.id, state);
    save(state.alarm);
    if (queued) deps.onQueued();
    return state.alarm;
  };

  return {
    get: (id: string): AlarmRuntime | undefined => runtimes.get(id),
    all: (): AlarmRuntime[] => [...runtimes.values()],
    step,

    /** Creates an armed alarm (not a transition: nothing is announced). */
    create(base: Parameters<typeof newRuntime>[0], nowMs: number): AlarmRuntime {
      const rt = newRuntime(base, nowMs);
      runtimes.set(rt.alarm.id, rt);
      return rt;
    },

    /** Drops an alarm whose rule is gone; one that was active is cleared first. */
    remove(id: string, nowMs: number, reason: string): void {
      const rt = runtimes.get(id);
      if (!rt) return;
      if (rt.alarm.phase !== "armed") {
        const after: AlarmState = { ...rt.alarm, phase: "armed", sinceMs: nowMs, repeatCount: 0, snoozedUntilMs: null };
        publish({ transition: "cleared", fromPhase: rt.alarm.phase, toPhase: "armed", tsMs: nowMs, source: reason, alarm: after }, rt.alarm.message, nowMs);
        if (deps.delivers) deps.onQueued();
      }
      runtimes.delete(id);
      facts.delete(id);
      saved.delete(id);
      repo.deleteAlarm(id);
    },

    /**
     * Loads the alarms of the previous run. Firing and snoozed ones are assumed still true until
     * a reading says otherwise; their next repeat is due from the last raise/repeat on record.
     */
    load(): number {
      for (const alarm of repo.listAlarms()) {
        let lastNotifyMs: number | null = null;
        if (alarm.phase === "firing") {
          const recent = repo.listTransitions({ alarmId: alarm.id, limit: 20 }).filter((t) => NOTIFYING.has(t.transition as AlarmTransition));
          lastNotifyMs = recent.reduce<number | null>((m, t) => (m === null || t.tsMs > m ? t.tsMs : m), null);
        }
        const active = alarm.phase === "firing" || alarm.phase === "snoozed";
        runtimes.set(alarm.id, { alarm, threshold: alarm.thresholdC, lastNotifyMs: lastNotifyMs ?? (active ? alarm.sinceMs : null), lastLevel: active ? "active" : "unknown", pending: null });
        saved.set(alarm.id, signature(alarm));
      }
      return runtimes.size;
    },
  };
};

export type AlarmEngine = ReturnType<typeof createAlarmEngine>;
