/**
 * `grill_stats_probe` and `grill_stats_alarm` events for automations: payload builders (pure)
 * and a bounded in-order queue that holds events while Home Assistant is away and sends them,
 * oldest first, once it is back.
 */
import { probeNameIn, round1, toUnit, unitSymbol, type AlarmState, type AlarmTransition, type BusEvents, type Device, type Logger, type ProbeState, type TemperatureUnit } from "../shared";
import { entityId, hasEta, type HelperKind } from "./entities";
import { toHaError } from "./messages";

export const PROBE_EVENT = "grill_stats_probe";
export const ALARM_EVENT = "grill_stats_alarm";

export interface PayloadContext {
  unit: TemperatureUnit;
  probe: ProbeState | undefined;
  device: Device | undefined;
  /** The probe's helpers whose entity id a user renamed. */
  helpers?: Partial<Record<HelperKind, string>>;
  /** Home Assistant's language tag: an unlabelled probe's name is said in it ("Signals Fühler 2"). */
  language?: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const inUnit = (c: number | null, unit: TemperatureUnit): number | null => (c === null ? null : round1(toUnit(c, unit)));

/** Device key and channel of a probe id (`<devicekey>_<channel>`). */
export const splitProbeId = (probeId: string): { deviceKey: string; channel: string } => {
  const i = probeId.lastIndexOf("_");
  return i < 0 ? { deviceKey: probeId, channel: "" } : { deviceKey: probeId.slice(0, i), channel: probeId.slice(i + 1) };
};

const probeFields = (probeId: string, ctx: PayloadContext): Record<string, unknown> => {
  const p = ctx.probe;
  const ref = p ? { deviceKey: p.deviceKey, channel: p.channel } : splitProbeId(probeId);
  const eta = p ? hasEta(p) : true;
  return {
    probe_id: probeId,
    probe_name: p ? probeNameIn(ctx.language ?? "en", p) : probeId,
    role: p?.role ?? null,
    channel: ref.channel,
    device_serial: p?.deviceSerial ?? ctx.device?.serial ?? null,
    device_label: ctx.device?.label ?? null,
    entity_id: entityId(p?.role === "humidity" ? "humidity" : "temperature", ref),
    eta_entity_id: eta ? entityId("eta", ref) : null,
    stall_entity_id: eta ? entityId("stall", ref) : null,
    // The meat's "wrapped" button (helpers.ts gives one to every probe that has an ETA).
    wrapped_entity_id: eta ? (ctx.helpers?.wrapped ?? entityId("wrapped", ref)) : null,
  };
};

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * An event's extra facts as Home Assistant's own events give them: snake_case keys, a time as an
 * ISO string (`sinceMs` → `since`), a duration in minutes (`durationMs` → `duration_minutes`), a
 * temperature in °C and in the display unit (`targetC` → `target_c`, `target`), like the event's
 * top-level fields. The analytics' own detail is camelCase with epoch ms and °C.
 */
export const toHaDetail = (detail: Record<string, unknown> | undefined, unit: TemperatureUnit): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(detail ?? {})) {
    const num = typeof value === "number" && Number.isFinite(value) ? value : null;
    if (key === "durationMs") out.duration_minutes = num === null ? null : Math.round(num / 60_000);
    else if (key.endsWith("Ms")) out[snake(key.slice(0, -2))] = iso(num);
    else if (/[a-z]C$/.test(key)) {
      const base = snake(key.slice(0, -1));
      // 0.01 °C, as the event's target_c: a target set in °F reads as the °C it is.
      out[`${base}_c`] = num === null ? null : Math.round(num * 100) / 100;
      out[base] = inUnit(num, unit);
    } else out[snake(key)] = value;
  }
  return out;
};

/** Payload of `grill_stats_probe` (documented in DOCS.md, "Events for automations"). */
export const toProbeEventData = (ev: BusEvents["probe:event"], ctx: PayloadContext): Record<string, unknown> => ({
  kind: ev.kind,
  ...probeFields(ev.probeId, ctx),
  temperature_c: ev.tempC === null ? null : round1(ev.tempC),
  temperature: inUnit(ev.tempC, ctx.unit),
  // 0.01 °C: a target set in °F (200 °F = 93.333… °C) reads as the °C it is, not 15 digits of it.
  target_c: ctx.probe?.targetC == null ? null : Math.round(ctx.probe.targetC * 100) / 100,
  target: inUnit(ctx.probe?.targetC ?? null, ctx.unit),
  unit: unitSymbol(ctx.unit),
  time: iso(ev.tsMs),
  detail: toHaDetail(ev.detail, ctx.unit),
});

/** Who an alarm is about: probe fields (name, entity ids) or, for device alarms, the device's online entity. */
export const alarmSubjectFields = (probeId: string | null, deviceKey: string | null, ctx: PayloadContext): Record<string, unknown> => {
  const key = deviceKey ?? ctx.probe?.deviceKey ?? (probeId ? splitProbeId(probeId).deviceKey : null);
  return {
    probe_id: probeId,
    device_key: key,
    device_serial: ctx.device?.serial ?? ctx.probe?.deviceSerial ?? null,
    device_label: ctx.device?.label ?? null,
    ...(probeId ? probeFields(probeId, ctx) : {}),
    ...(probeId === null && key ? { entity_id: entityId("online", { deviceKey: key }) } : {}),
  };
};

/** Payload of `grill_stats_alarm` (documented in DOCS.md, "Events for automations"). */
export const toAlarmEventData = (alarm: AlarmState, transition: AlarmTransition, ctx: PayloadContext): Record<string, unknown> => ({
  transition,
  alarm_id: alarm.id,
  kind: alarm.kind,
  phase: alarm.phase,
  message: alarm.message,
  critical: alarm.critical,
  repeat_count: alarm.repeatCount,
  since: iso(alarm.sinceMs),
  snoozed_until: iso(alarm.snoozedUntilMs),
  ...alarmSubjectFields(alarm.probeId, alarm.deviceKey, ctx),
  value_c: alarm.valueC === null ? null : round1(alarm.valueC),
  value: inUnit(alarm.valueC, ctx.unit),
  threshold_c: alarm.thresholdC === null ? null : round1(alarm.thresholdC),
  threshold: inUnit(alarm.thresholdC, ctx.unit),
  unit: unitSymbol(ctx.unit),
});

type ProbeEvent = BusEvents["probe:event"];

/** A `removed` is confirmed after this long without the probe back (the unplugged alarm's 30 s). */
export const REMOVAL_CONFIRM_MS = 30_000;

/**
 * Holds a probe's `removed` back until it is confirmed, as the unplugged alarm is: a second "no
 * probe" reading in a row, or 30 s of them. A probe back before that, where it was heading (the
 * engine marks that `inserted` as `resumed`), was a radio dropout: neither event is fired, so an
 * automation on `removed` means the probe is out. Anything else for the probe lets the held
 * `removed` go first, so the order per probe is kept.
 */
export class RemovalDebounce {
  private readonly held = new Map<string, ProbeEvent>();

  constructor(private readonly forward: (ev: ProbeEvent) => void) {}

  event(ev: ProbeEvent): void {
    const held = this.held.get(ev.probeId);
    if (ev.kind === "removed") {
      if (!held) this.held.set(ev.probeId, ev);
      return;
    }
    if (held) {
      this.held.delete(ev.probeId);
      if (ev.kind === "inserted" && ev.detail?.resumed === true) return;
      this.forward(held);
    }
    this.forward(ev);
  }

  /** Every poll's states: releases the `removed` of a probe that read "no probe" again, or for 30 s. */
  states(list: readonly ProbeState[], nowMs: number): void {
    if (this.held.size === 0) return;
    for (const p of list) {
      const held = this.held.get(p.id);
      if (!held) continue;
      const again = p.status === "unplugged" && p.tsMs !== null && p.tsMs > held.tsMs;
      if (!again && nowMs - held.tsMs < REMOVAL_CONFIRM_MS) continue;
      this.held.delete(p.id);
      this.forward(held);
    }
  }
}

/** Codes that mean "not now" (keep the event), as opposed to HA refusing it (drop it). */
const TRANSIENT = new Set(["not_connected", "connection_lost", "cannot_connect", "timeout"]);

/** Bounded FIFO of events; `drain` sends one at a time, in order, and stops at the first transient failure. */
export class EventQueue {
  private readonly items: { type: string; data: Record<string, unknown> }[] = [];
  private draining = false;
  private inFlight: Promise<void> | null = null;
  private droppedCount = 0;

  constructor(
    private readonly send: (type: string, data: Record<string, unknown>) => Promise<void>,
    private readonly logger: Logger,
    private readonly max = 500,
  ) {}

  push(type: string, data: Record<string, unknown>): void {
    this.items.push({ type, data });
    if (this.items.length > this.max) {
      this.items.shift();
      if (this.droppedCount++ % 50 === 0) this.logger.warn(`Home Assistant has been away long: more than ${this.max} events waiting, dropping the oldest`);
    }
    void this.drain();
  }

  size(): number {
    return this.items.length;
  }

  /** What is still waiting, oldest first (to keep it across a stop). */
  waiting(): { type: string; data: Record<string, unknown> }[] {
    return this.items.map((i) => ({ type: i.type, data: i.data }));
  }

  /** Puts events kept from before a stop ahead of anything queued since; sent on the next drain. */
  restore(items: readonly { type: string; data: Record<string, unknown> }[]): void {
    this.items.unshift(...items);
    while (this.items.length > this.max) this.items.shift();
  }

  /** Resolves when no event is on its way (a send whose answer has not come back). */
  idle(): Promise<void> {
    return this.inFlight ?? Promise.resolve();
  }

  drain(): Promise<void> {
    if (this.draining) return this.inFlight ?? Promise.resolve();
    this.draining = true;
    this.inFlight = this.drainAll().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async drainAll(): Promise<void> {
    try {
      for (let next = this.items[0]; next; next = this.items[0]) {
        try {
          await this.send(next.type, next.data);
        } catch (err) {
          const e = toHaError(err);
          if (TRANSIENT.has(e.code)) return; // kept; sent after the next reconnect
          this.logger.warn(`Home Assistant refused event ${next.type}; dropping it`, { code: e.code, message: e.message });
        }
        const i = this.items.indexOf(next); // the overflow may have dropped it meanwhile
        if (i >= 0) this.items.splice(i, 1);
      }
    } finally {
      this.draining = false;
    }
  }
}
