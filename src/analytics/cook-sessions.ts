/**
 * Cook-session detection (pure): decides when a cook starts and ends and which automatic events
 * go on it. The service applies the resulting actions through CookRepo.
 *
 * Start (edges only, so a cook the user ended is not restarted by the same hot probe):
 *  - a meat probe is plugged in (no reading → reading) or appears,
 *  - a meat probe rises through 40 °C (well above room temperature),
 *  - a pit rises through 60 °C while heating (rate ≥ 10 °C/h).
 * Alive while a pit reads ≥ 50 °C or a meat probe ≥ 35 °C with fresh data (plus a grace hour
 * after the start, for a probe put into cold meat before the fire is lit).
 * End: not alive for 30 min (ends when it stopped being alive), or no data at all for 2 h.
 */
import { isRfxSensor, undatedCookName, type Cook, type CookEventKind, type ProbeState } from "../shared";
import type { ProbeEventOut } from "./events";
import { MS_PER_HOUR, MS_PER_MIN } from "./samples";

export const COOK_RULES = {
  meatStartC: 40,
  pitStartC: 60,
  pitStartRateCPerHour: 10,
  pitAliveC: 50,
  meatAliveC: 35,
  graceMs: MS_PER_HOUR,
  idleEndMs: 30 * MS_PER_MIN,
  noDataEndMs: 2 * MS_PER_HOUR,
} as const;

export type CookAction =
  | { kind: "start"; startMs: number; name: string; probeIds: string[]; targets: Record<string, number> }
  | { kind: "end"; cookId: number; endMs: number; reason: string }
  | { kind: "update"; cookId: number; probeIds: string[]; targets: Record<string, number> }
  | { kind: "event"; cookId: number; tsMs: number; eventKind: CookEventKind; text: string; probeId: string | null };

export interface CookDetectorInput {
  nowMs: number;
  states: readonly ProbeState[];
  events: readonly ProbeEventOut[];
  active: Cook | null;
}

export interface CookSessionDetector {
  update(input: CookDetectorInput): CookAction[];
  /**
   * Start-up: the probes as the stored history left them (replayed, so they may be hours old).
   * Only sets what later polls compare with (plugged in, hot, when last alive and last heard from,
   * as of the readings' own times): nothing starts or ends here, and an outage of the add-on is
   * not taken for probes gone cold or data stopped.
   */
  prime(states: readonly ProbeState[], nowMs: number): void;
  /**
   * The running cook was deleted: on the next update every probe counts as just plugged in, so
   * meat still cooking starts a new cook at once (ending a cook, by contrast, starts none while
   * the same probes stay in).
   */
  forgetProbes(): void;
}

/**
 * Probe events the cook's timeline keeps. Their text is empty: kind and probe say it, and the
 * panel words them in the reader's language and with the probe's current name.
 */
const EVENT_KIND: Partial<Record<ProbeEventOut["kind"], CookEventKind>> = {
  lid_open: "lid_open",
  // The end of the opening (or of the wait for one, after which the pit really cooled): the chart's lid band ends here.
  lid_closed: "lid_closed",
  stalled: "stall_start",
  stall_ended: "stall_end",
  reinserted: "probe_reinserted",
};

/**
 * When the event happened on the cook's timeline: a stall from when it began and until when it
 * lasted (as the probe's state and its stall entity say), not when the rate showed it.
 */
const eventTimeOf = (e: ProbeEventOut): number => {
  const at = e.kind === "stalled" ? e.detail?.sinceMs : e.kind === "stall_ended" ? e.detail?.endedMs : undefined;
  return typeof at === "number" && Number.isFinite(at) ? at : e.tsMs;
};

const isFresh = (s: ProbeState): boolean => s.status === "ok" || s.status === "glitch";
const DEFAULT_LABEL = /^(probe|channel|ch|sensor|meat|food)?\s*#?\d*$/i;

/** "Brisket, Pork Butt" from meat probe labels, else "Cook on 26 Nov" (in `language`: English, German, French or Dutch). */
export const cookName = (meat: readonly ProbeState[], startMs: number, timeZone?: string, language?: string): string => {
  const labels = [...new Set(meat.map((s) => s.name.trim()).filter((n) => n && !DEFAULT_LABEL.test(n) && !/ probe \S+$/.test(n)))];
  if (labels.length > 0) return labels.join(", ").slice(0, 80);
  return undatedCookName(startMs, language, timeZone);
};

const targetsOf = (states: readonly ProbeState[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const s of states) if (s.role === "meat" && s.targetC !== null) out[s.id] = s.targetC;
  return out;
};

/**
 * `timeScale`: how much faster than the wall clock the cook runs (the demo's simulator); the
 * times it is given are wall-clock times, its rules' spans are cook time.
 */
export function createCookSessionDetector(opts: { timeZone?: string; timeScale?: number; language?: () => string } = {}): CookSessionDetector {
  const scale = opts.timeScale ?? 1;
  const R = { ...COOK_RULES, graceMs: COOK_RULES.graceMs / scale, idleEndMs: COOK_RULES.idleEndMs / scale, noDataEndMs: COOK_RULES.noDataEndMs / scale };
  let prev = new Map<string, { plugged: boolean; hot: boolean }>();
  let lastAliveMs: number | null = null;
  let lastDataMs: number | null = null;
  let initialized = false;
  /**
   * Primed at start-up and no reading since (the cloud not polled yet): nothing is judged on the
   * stale replay (a refresh before the first poll would end the running cook), until new data
   * comes or none has come for `noDataEndMs` since the start.
   */
  let awaiting: { sinceMs: number; lastDataMs: number | null } | null = null;
  /** Cooks this detector already ended (in case the caller hands the same cook in again). */
  const ended = new Set<number>();

  /** `fresh`: the probe's state is current (a replayed one is judged by its last reading alone). */
  const hotNow = (s: ProbeState, fresh = isFresh(s)): boolean =>
    fresh && s.tempC !== null &&
    (s.role === "meat" ? s.tempC >= R.meatStartC : s.role === "pit" && s.tempC >= R.pitStartC && (s.rateCPerHour ?? 0) >= R.pitStartRateCPerHour);

  const aliveProbe = (s: ProbeState, fresh = isFresh(s)): boolean =>
    fresh && s.tempC !== null && ((s.role === "pit" && s.tempC >= R.pitAliveC) || (s.role === "meat" && s.tempC >= R.meatAliveC));
  const alive = (states: readonly ProbeState[]): boolean => states.some((s) => aliveProbe(s));
  /** Read at all (stale or offline only because time went by): what a replayed state is. */
  const wasRead = (s: ProbeState): boolean => s.tempC !== null && s.status !== "unplugged" && s.status !== "unknown";
  const isPlugged = (s: ProbeState): boolean => s.tempC !== null && s.status !== "unplugged";

  const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

  return {
    forgetProbes() {
      prev = new Map();
    },
    prime(states, nowMs) {
      prev = new Map();
      for (const s of states) {
        if (s.role !== "meat" && s.role !== "pit") continue;
        prev.set(s.id, { plugged: isPlugged(s), hot: hotNow(s, wasRead(s)) });
        if (s.tsMs === null) continue;
        lastDataMs = Math.max(lastDataMs ?? s.tsMs, s.tsMs);
        if (aliveProbe(s, wasRead(s))) lastAliveMs = Math.max(lastAliveMs ?? s.tsMs, s.tsMs);
      }
      initialized = true;
      awaiting = { sinceMs: nowMs, lastDataMs };
    },
    update({ nowMs, states, events, active: given }) {
      const active = given && !ended.has(given.id) ? given : null;
      const actions: CookAction[] = [];
      if (awaiting) {
        const since = awaiting.lastDataMs;
        const heard = states.some((s) => isFresh(s) && s.tsMs !== null && (since === null || s.tsMs > since));
        if (!heard) {
          if (active && nowMs - awaiting.sinceMs >= R.noDataEndMs && !ended.has(active.id)) {
            ended.add(active.id);
            actions.push({ kind: "end", cookId: active.id, endMs: Math.max(active.startMs, since ?? active.startMs), reason: "no data for 2 h" });
          }
          return actions;
        }
        awaiting = null;
      }
      for (const s of states) if (s.tsMs !== null) lastDataMs = Math.max(lastDataMs ?? s.tsMs, s.tsMs);
      let triggerMs: number | null = null;
      // A probe back from a moment of "no probe" (a dropout) was never really unplugged.
      const resumed = new Set(events.filter((e) => e.kind === "inserted" && e.detail?.resumed === true).map((e) => e.probeId));
      const next = new Map<string, { plugged: boolean; hot: boolean }>();
      for (const s of states) {
        if (s.role !== "meat" && s.role !== "pit") continue;
        const now = { plugged: isPlugged(s), hot: hotNow(s) };
        const before = prev.get(s.id);
        // A probe seen for the first time after start-up counts as plugged in ("a probe appears").
        const was = before ?? { plugged: false, hot: false };
        const pluggedIn = s.role === "meat" && now.plugged && !was.plugged && !resumed.has(s.id);
        if (initialized && (pluggedIn || (now.hot && !was.hot))) {
          triggerMs = Math.min(triggerMs ?? Number.POSITIVE_INFINITY, s.tsMs ?? nowMs);
        }
        next.set(s.id, now);
      }
      prev = next;
      initialized = true;
      const live = states.filter((s) => (s.role === "meat" || s.role === "pit") && isFresh(s));
      if (alive(states)) lastAliveMs = nowMs;

      if (!active) {
        if (triggerMs !== null) {
          const meat = live.filter((s) => s.role === "meat");
          lastAliveMs = nowMs;
          actions.push({ kind: "start", startMs: triggerMs, name: cookName(meat, triggerMs, opts.timeZone, opts.language?.()), probeIds: live.map((s) => s.id), targets: targetsOf(live) });
        }
        return actions;
      }

      for (const e of events) {
        const eventKind = EVENT_KIND[e.kind];
        const state = states.find((s) => s.id === e.probeId);
        // An RFX Meat probe's sensors move with its core: one annotation, the core's.
        if (!eventKind || (state && isRfxSensor(state.deviceKind, state.channel))) continue;
        actions.push({ kind: "event", cookId: active.id, tsMs: eventTimeOf(e), eventKind, text: "", probeId: e.probeId });
      }

      const probeIds = [...new Set([...active.probeIds, ...live.map((s) => s.id)])];
      const targets = { ...active.targets, ...targetsOf(states.filter((s) => probeIds.includes(s.id))) };
      const targetsChanged = Object.keys(targets).length !== Object.keys(active.targets).length || Object.entries(targets).some(([k, v]) => active.targets[k] !== v);
      if (!sameSet(probeIds, active.probeIds) || targetsChanged) actions.push({ kind: "update", cookId: active.id, probeIds, targets });

      const inGrace = nowMs - active.startMs < R.graceMs;
      let end: { endMs: number; reason: string } | null = null;
      if (lastDataMs !== null && nowMs - lastDataMs >= R.noDataEndMs) end = { endMs: lastDataMs, reason: "no data for 2 h" };
      else if (!inGrace && (lastAliveMs === null || nowMs - lastAliveMs >= R.idleEndMs)) end = { endMs: lastAliveMs ?? active.startMs, reason: "probes removed or cold for 30 min" };
      if (end) {
        ended.add(active.id);
        actions.push({ kind: "end", cookId: active.id, endMs: Math.max(active.startMs, end.endMs), reason: end.reason });
      }
      return actions;
    },
  };
}
