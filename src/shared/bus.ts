import type { AlarmState, Cook, CookEvent, CookEventKind, PollResult, ProbeSettings, ProbeState, Reading } from "./model";

/**
 * Typed events that modules use to react to each other. Producers emit; `main.ts` wires listeners.
 */
export interface BusEvents {
  /** The poller finished a poll with these devices, probes and new readings. */
  "poll:result": PollResult;
  /**
   * Readings were written to SQLite (after dedup), or read while SQLite could not take them
   * (kept in memory and written later; see store/ingest.ts).
   */
  "readings:stored": Reading[];
  /** Analytics recomputed these probes' current state (after every poll). */
  "probes:state": ProbeState[];
  /** A probe event for automations: inserted, removed, stalled, stall_ended, target_reached, done, reinserted. */
  "probe:event": { kind: ProbeEventKind; probeId: string; tsMs: number; tempC: number | null; detail?: Record<string, unknown> };
  /** Settings of a probe changed (from Home Assistant helpers, the panel or the API). `source` avoids echo loops. */
  "settings:changed": { settings: ProbeSettings; source: "homeassistant" | "api" | "default" };
  /** An alarm changed phase (raised, repeated, acknowledged, snoozed, cleared). */
  "alarm:changed": { alarm: AlarmState; transition: AlarmTransition };
  /** A person asked to acknowledge or snooze an alarm (from HA button, notification action, API). */
  "alarm:command": { alarmId: string | null; probeId: string | null; action: "acknowledge" | "snooze"; snoozeMinutes?: number; source: string };
  /** A cook started, ended, or was edited. */
  "cook:changed": { cook: Cook; change: "started" | "ended" | "updated" | "deleted" };
  "cook:event": CookEvent;
  /** A person marked this moment of a probe's cook (the "wrapped" button in Home Assistant): a note on its active cook, now. */
  "cook:mark": { probeId: string; kind: CookEventKind; source: string };
  /** Connection status of an upstream changed (for health and logs). */
  "status:thermoworks": { ok: boolean; message: string };
  "status:homeassistant": { connected: boolean; message: string };
}

export type ProbeEventKind = "inserted" | "removed" | "stalled" | "stall_ended" | "target_reached" | "done" | "reinserted" | "lid_open" | "lid_closed";
export type AlarmTransition = "raised" | "pre_alarm" | "repeated" | "acknowledged" | "snoozed" | "cleared";

type Listener<T> = (payload: T) => void;

export class EventBus {
  private readonly listeners = new Map<keyof BusEvents, Set<Listener<never>>>();

  /** Subscribe; returns a function that unsubscribes. */
  on<K extends keyof BusEvents>(event: K, listener: Listener<BusEvents[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /**
   * Deliver synchronously to every listener. A listener that throws does not stop the others;
   * the error is handed to `onListenerError` (main logs it).
   */
  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<BusEvents[K]>)(payload);
      } catch (err) {
        this.onListenerError(event, err);
      }
    }
  }

  onListenerError: (event: keyof BusEvents, err: unknown) => void = (event, err) => {
    process.stderr.write(`bus listener for ${String(event)} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  };

  listenerCount(event: keyof BusEvents): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
