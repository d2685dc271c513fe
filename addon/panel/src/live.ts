/**
 * The live stream (`api/stream`, Server-Sent Events): keeps the current probes, alarms and cook,
 * and tells views about new readings. EventSource reconnects by itself; every reconnect starts
 * with a fresh snapshot, so nothing goes stale.
 */
import type { AlarmState, Cook, CookEvent, ProbeSettings, ProbeState, Reading } from "../../../src/shared/model";
import { onLanguageChange, probeName } from "./localize";

export interface LiveSnapshot {
  probes: ProbeState[];
  alarms: AlarmState[];
  cook: Cook | null;
}

export interface LiveListener {
  /** Probes, alarms or cook changed (re-render). */
  changed?(): void;
  /** A new stored reading (charts append it). */
  reading?(reading: Reading): void;
  /** A fresh snapshot arrived (first connect or reconnect): reload history. */
  snapshot?(): void;
  /** A cook was edited or got an event. */
  cook?(change: { type: "changed"; cook: Cook; change: string } | { type: "event"; event: CookEvent }): void;
}

/** Unlabelled probes named in the page's language (the add-on sends "Signals probe 2"). */
const named = (probes: readonly ProbeState[]): ProbeState[] => probes.map((p) => (p.autoName ? { ...p, name: probeName(p) } : p));

const ACTIVE_PHASES = new Set(["firing", "pre_alarm", "snoozed"]);
/** A new stream after one that gave up: first after this, doubling up to RETRY_MAX_MS. */
const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 30_000;

export class LiveData {
  probes: ProbeState[] = [];
  alarms: AlarmState[] = [];
  cook: Cook | null = null;
  connected = false;
  hasSnapshot = false;
  private source: EventSource | null = null;
  private readonly listeners = new Set<LiveListener>();
  private retryTimer: number | undefined;
  private retryMs = RETRY_MIN_MS;
  private stopLanguage: (() => void) | null = null;

  connect(url = "api/stream"): void {
    if (this.source) return;
    this.stopLanguage ??= onLanguageChange(() => {
      this.probes = named(this.probes);
      this.emit((l) => l.changed?.());
    });
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener("open", () => {
      this.retryMs = RETRY_MIN_MS;
      this.setConnected(true);
    });
    source.addEventListener("error", () => {
      this.setConnected(false);
      // EventSource retries by itself after a dropped connection, but gives up for good on an
      // answer that is not a stream (a 502 from the Supervisor while the add-on restarts or
      // updates): then open a new one, a little later each time.
      if (source.readyState !== EventSource.CLOSED || this.source !== source) return;
      this.source = null;
      window.clearTimeout(this.retryTimer);
      this.retryTimer = window.setTimeout(() => this.connect(url), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    });
    source.addEventListener("snapshot", (e) => this.onSnapshot(parse<LiveSnapshot>(e)));
    source.addEventListener("probes", (e) => {
      const probes = parse<ProbeState[]>(e);
      if (probes) this.probes = named(probes);
      this.emit((l) => l.changed?.());
    });
    source.addEventListener("reading", (e) => {
      const reading = parse<Reading>(e);
      if (reading) this.emit((l) => l.reading?.(reading));
    });
    source.addEventListener("alarm", (e) => {
      const change = parse<{ alarm: AlarmState }>(e);
      if (change) this.upsertAlarm(change.alarm);
    });
    source.addEventListener("cook", (e) => {
      const change = parse<Parameters<NonNullable<LiveListener["cook"]>>[0]>(e);
      if (!change) return;
      if (change.type === "changed") {
        if (change.change === "deleted" && this.cook?.id === change.cook.id) this.cook = null;
        else if (change.cook.endMs === null) this.cook = change.cook;
        else if (this.cook?.id === change.cook.id) this.cook = null;
      }
      this.emit((l) => l.cook?.(change));
      this.emit((l) => l.changed?.());
    });
  }

  close(): void {
    this.stopLanguage?.();
    this.stopLanguage = null;
    window.clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
    this.setConnected(false);
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Alarms a person should see now (firing, about to fire, snoozed), most urgent first. */
  activeAlarms(): AlarmState[] {
    const rank = (a: AlarmState): number => (a.phase === "firing" ? 0 : a.phase === "pre_alarm" ? 1 : 2);
    return this.alarms.filter((a) => ACTIVE_PHASES.has(a.phase)).sort((a, b) => rank(a) - rank(b) || a.sinceMs - b.sinceMs);
  }

  /** Apply saved settings at once (analytics confirms them with the next probe states). */
  applySettings(settings: ProbeSettings): void {
    this.probes = this.probes.map((p) =>
      p.id === settings.probeId ? { ...p, targetC: settings.targetC, highC: settings.highC, lowC: settings.lowC } : p,
    );
    this.emit((l) => l.changed?.());
  }

  /** Replace an alarm after an action (the stream will confirm it too). */
  upsertAlarm(alarm: AlarmState): void {
    const i = this.alarms.findIndex((a) => a.id === alarm.id);
    if (i >= 0) this.alarms[i] = alarm;
    else this.alarms.push(alarm);
    this.alarms = [...this.alarms];
    this.emit((l) => l.changed?.());
  }

  private onSnapshot(snapshot: LiveSnapshot | null): void {
    if (!snapshot) return;
    this.probes = named(snapshot.probes ?? []);
    this.alarms = snapshot.alarms ?? [];
    this.cook = snapshot.cook ?? null;
    this.hasSnapshot = true;
    this.connected = true;
    this.emit((l) => l.snapshot?.());
    this.emit((l) => l.changed?.());
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.emit((l) => l.changed?.());
  }

  private emit(call: (l: LiveListener) => void): void {
    for (const l of [...this.listeners]) call(l);
  }
}

const parse = <T>(e: Event): T | null => {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as T;
  } catch (err) {
    console.warn("grill-stats: ignoring a malformed stream message", err);
    return null;
  }
};
