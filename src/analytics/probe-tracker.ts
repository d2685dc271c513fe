/**
 * Per-probe reading hygiene: unplugged and sentinel values, single-sample spikes, probe handling
 * (pulled out, reinserted, moved), lid openings on pit channels, and the clean series the stall
 * detector and the predictor work on.
 *
 * A reading that jumps more than `jumpC` away from where the probe was heading is *held*, not
 * used. The held run is then resolved:
 *  - it comes back (a spike, a dip while the probe was handled) → the held readings are dropped;
 *  - it settles at a new level (rate below `settleCPerHour` after `settleMs`, or `maxHoldMs`
 *    passed) → a real change: a drop is a reinsertion (or a removal when it settles near room
 *    temperature, or an insertion when the probe was never in hot meat), and the clean history
 *    restarts from there, which also resets the predictor.
 *
 * A probe that reads nothing (unplugged, a sentinel value) and then comes back within
 * `dropoutMaxMs` (a meat probe: at about the temperature it was heading for) had a dropout
 * (radio, a loose plug, one sentinel reading): its history goes on. Back later, or a meat probe
 * somewhere else, it starts a new one.
 */
import type { ProbeRole } from "../shared";
import { createLidDetector, type LidDetector } from "./lid";
import { fitLine } from "./math";
import { localFit, lowerBound, MS_PER_HOUR, MS_PER_MIN, SampleBuffer, typicalGapMs, widenFor, type LocalFit, type Sample, type Series } from "./samples";

export type TrackerEventKind = "inserted" | "removed" | "reinserted" | "moved" | "lid_open" | "lid_closed";

export interface TrackerEvent {
  kind: TrackerEventKind;
  tsMs: number;
  tempC: number | null;
  detail?: Record<string, unknown>;
}

export interface TrackerOptions {
  role: ProbeRole;
  jumpC?: number;
  settleMs?: number;
  settleCPerHour?: number;
  maxHoldMs?: number;
  /** Back within this long at the expected temperature, an unplugged probe resumes its history. */
  dropoutMaxMs?: number;
  /** How much clean history is kept, ms. */
  historyMs?: number;
  /** Spacing of the kept clean history, ms. */
  historyStepMs?: number;
}

export interface ProbeTracker {
  push(tsMs: number, tempC: number | null): TrackerEvent[];
  /** Clean samples since the probe was last (re)inserted, ascending. */
  clean(): Series;
  /** The last reading as received (null = unplugged), or null before any. */
  last(): { tsMs: number; tempC: number | null } | null;
  /** True while the last reading was a sentinel / impossible value. */
  glitching(): boolean;
  /** True while a sudden jump is held back, waiting to see whether it comes back or settles. */
  holding(): boolean;
  /** The held jump's direction (below or above the last clean reading), or null when none is held. */
  heldDirection(): "fall" | "rise" | null;
  lidOpen(): boolean;
  /** Robust rate of rise over the last 15 min (wider for a probe that reports less often), °C/h. */
  rateCPerHour(): number | null;
  minMax(): { minC: number | null; maxC: number | null };
  /** Restart min/max at a cook start: from the clean readings since `sinceMs`, or from now. */
  resetMinMax(sinceMs?: number): void;
  /** Min/max counted elsewhere (the stored readings of the running cook); later readings widen them. */
  setMinMax(minC: number | null, maxC: number | null): void;
  /** The clean history restarted at this time (insertion / reinsertion), or null. */
  resetAtMs(): number | null;
}

/** Values that no thermometer reports for a real temperature. */
export const isNoProbeValue = (tempC: number): boolean => tempC <= -50;
export const isImpossibleValue = (tempC: number, role: ProbeRole, lastCleanC: number | null): boolean => {
  if (!Number.isFinite(tempC) || tempC >= 400) return true;
  if (role === "meat" || role === "ambient") return tempC >= 200;
  // Inkbird-style disconnected pit probes read ~350–360 °C out of nowhere; a pit that was already
  // that hot (pizza oven) may legitimately read it.
  return tempC >= 340 && (lastCleanC === null || lastCleanC < 250);
};

/**
 * Lowest and highest of stored readings as the tracker would have counted them: no gaps, no
 * "no probe" values, nothing no thermometer reads (a held jump that settled is real either way).
 */
export const minMaxOfReadings = (readings: readonly { tempC: number | null }[], role: ProbeRole): { minC: number | null; maxC: number | null } => {
  let minC: number | null = null;
  let maxC: number | null = null;
  for (const { tempC } of readings) {
    if (tempC === null || isNoProbeValue(tempC) || isImpossibleValue(tempC, role, maxC)) continue;
    minC = minC === null ? tempC : Math.min(minC, tempC);
    maxC = maxC === null ? tempC : Math.max(maxC, tempC);
  }
  return { minC, maxC };
};

const ROOM_MAX_C = 35;
/** Rates of change heat can cause in a probe, °C/h; a faster change is handling, not heat. */
const MIN_RATE_C_PER_H = -20;
const MAX_RATE_C_PER_H = 60;
/** How much a rate of rise may change between two readings, °C/h (matters only for sparse probes). */
const RATE_DRIFT_C_PER_H = 30;

export function createProbeTracker(opts: TrackerOptions): ProbeTracker {
  const role = opts.role;
  const jumpC = opts.jumpC ?? (role === "pit" ? 60 : 8);
  const settleMs = opts.settleMs ?? 5 * MS_PER_MIN;
  const settleRate = opts.settleCPerHour ?? 30;
  const maxHoldMs = opts.maxHoldMs ?? 20 * MS_PER_MIN;
  const dropoutMaxMs = opts.dropoutMaxMs ?? 10 * MS_PER_MIN;
  /** How far from where the series was heading a reading may be and still be "the same". */
  const sameTolC = Math.max(3, jumpC * 0.4);
  const historyMs = opts.historyMs ?? 16 * MS_PER_HOUR;
  const stepMs = opts.historyStepMs ?? 20_000;

  let clean = new SampleBuffer();
  let held: Sample[] = [];
  let last: { tsMs: number; tempC: number | null } | null = null;
  let glitch = false;
  let minC: number | null = null;
  let maxC: number | null = null;
  let resetAt: number | null = null;
  let everHot = false;
  const lid: LidDetector | null = role === "pit" ? createLidDetector() : null;

  const lastCleanC = (): number | null => (clean.length > 0 ? clean.tempAt(clean.length - 1) : null);

  const widenMinMax = (tempC: number): void => {
    minC = minC === null ? tempC : Math.min(minC, tempC);
    maxC = maxC === null ? tempC : Math.max(maxC, tempC);
  };

  const accept = (p: Sample): void => {
    const n = clean.length;
    // Keep one sample per step, but always the newest one last (it is the current temperature).
    if (n >= 2 && p.tsMs - clean.tsAt(n - 2) < stepMs) clean.setLast(p.tsMs, p.tempC);
    else clean.push(p.tsMs, p.tempC);
    clean.dropBefore(p.tsMs - historyMs);
    widenMinMax(p.tempC);
    if (role === "meat" && p.tempC >= 45) everHot = true;
  };

  /** The robust line over the last 15 min of clean readings, or ~4.5 readings of a sparse probe. */
  const recentFit = (): LocalFit | null => {
    if (clean.length === 0) return null;
    return localFit(clean, clean.tsAt(clean.length - 1), widenFor(15 * MS_PER_MIN, typicalGapMs(clean)), 4);
  };

  /**
   * The last clean reading, the hours from it to t (at most half an hour), and the recent slope
   * (`recentFit`) bounded to physical rates; null before there are enough readings for one.
   */
  const heading = (t: number): { lastC: number; dtH: number; rate: number | null } | null => {
    const n = clean.length;
    if (n === 0) return null;
    const prevMs = clean.tsAt(n - 1);
    const fit = recentFit();
    const rate = fit ? Math.min(Math.max(fit.rateCPerHour, MIN_RATE_C_PER_H), MAX_RATE_C_PER_H) : null;
    return { lastC: clean.tempAt(n - 1), dtH: Math.min(t - prevMs, 30 * MS_PER_MIN) / MS_PER_HOUR, rate };
  };

  /** Where the clean series was heading at t (flat before it has a slope). */
  const expectedAt = (t: number): number | null => {
    const h = heading(t);
    return h === null ? null : h.lastC + (h.rate ?? 0) * h.dtH;
  };

  /**
   * How far a reading lies off where the series could be by now: off its trend (which may have
   * drifted a little since the last reading), or, before it has one, outside what any physical
   * rate could have done since then. A probe that reports every 10 min may well be 10 °C higher at
   * the next report; one that reports every 5 s may not.
   */
  const jumpOf = (t: number, value: number): number | null => {
    const h = heading(t);
    if (h === null) return null;
    if (h.rate !== null) {
      // The trend itself may have moved by this much since the last reading.
      const off = value - (h.lastC + h.rate * h.dtH);
      return Math.sign(off) * Math.max(0, Math.abs(off) - RATE_DRIFT_C_PER_H * h.dtH);
    }
    const high = h.lastC + MAX_RATE_C_PER_H * h.dtH;
    const low = h.lastC + MIN_RATE_C_PER_H * h.dtH;
    return value > high ? value - high : value < low ? value - low : 0;
  };

  /**
   * Back from unplugged soon after the last clean reading, and (a meat probe) where the series
   * was heading. A pit or ambient probe stays in the same cooker: whatever it reads goes through
   * the usual jump and lid checks instead of throwing away the pit history the predictor needs.
   */
  const isDropout = (tsMs: number, value: number): boolean => {
    if (clean.length === 0 || tsMs - clean.tsAt(clean.length - 1) > dropoutMaxMs) return false;
    if (role !== "meat") return true;
    const expected = expectedAt(tsMs);
    return expected !== null && Math.abs(value - expected) <= sameTolC;
  };

  const resolveHeld = (events: TrackerEvent[], p: Sample): void => {
    const first = held[0] as Sample;
    const expected = expectedAt(p.tsMs) ?? first.tempC;
    if (Math.abs(p.tempC - expected) <= sameTolC) {
      const before = lastCleanC();
      if (role === "meat" && !everHot && before !== null && before <= ROOM_MAX_C && first.tempC < before && p.tsMs - first.tsMs >= settleMs) {
        // A probe that read the room, pushed into colder meat (from the fridge), climbing back
        // through room temperature minutes later: that meat's history starts at the fall. Taken
        // for a dip that came back, the forecast saw meat that sat at 20 °C and then began to rise
        // (inkbird-2 probe_2: 31.9 h, then 3.3 h three readings later). A glitch is back at once.
        events.push({ kind: "inserted", tsMs: first.tsMs, tempC: p.tempC, detail: { fromC: before, toC: first.tempC } });
        restart([...held, p]);
        held = [];
        return;
      }
      held = [];
      accept(p);
      return;
    }
    held.push(p);
    const heldMs = p.tsMs - first.tsMs;
    const tail = held.filter((h) => h.tsMs >= p.tsMs - 3 * MS_PER_MIN);
    const tailFit = tail.length >= 3 ? fitLine(tail.map((h) => (h.tsMs - p.tsMs) / MS_PER_HOUR), tail.map((h) => h.tempC)) : null;
    const settled = heldMs >= settleMs && tailFit !== null && Math.abs(tailFit.slope) <= settleRate;
    if (!settled && heldMs < maxHoldMs) return;
    const before = lastCleanC();
    const drop = before !== null && p.tempC < before;
    let kind: TrackerEventKind = "moved";
    if (role === "meat" && drop) kind = !everHot ? "inserted" : p.tempC <= ROOM_MAX_C ? "removed" : "reinserted";
    else if (role === "meat" && !everHot && (before ?? 0) <= ROOM_MAX_C) kind = "inserted";
    events.push({ kind, tsMs: first.tsMs, tempC: p.tempC, detail: { fromC: before, toC: p.tempC } });
    restart(held);
    held = [];
  };

  const restart = (from: Sample[]): void => {
    clean = new SampleBuffer();
    everHot = false;
    resetAt = from[0]?.tsMs ?? null;
    for (const h of from) accept(h);
  };

  const pushValue = (events: TrackerEvent[], p: Sample): void => {
    if (held.length > 0) {
      resolveHeld(events, p);
      return;
    }
    if (lid) {
      const t = lid.update(p.tsMs, p.tempC);
      if (t === "opened") {
        const openedMs = lid.openedMs() ?? p.tsMs;
        // The first readings of the fall were already taken as clean: they belong to the dip.
        clean = clean.copyUntil(openedMs);
        events.push({ kind: "lid_open", tsMs: openedMs, tempC: p.tempC, detail: { levelC: lid.levelBeforeC() } });
      }
      if (t === "closed" || t === "gave_up") events.push({ kind: "lid_closed", tsMs: p.tsMs, tempC: p.tempC, detail: { recovered: t === "closed" } });
      if (lid.isOpen()) {
        // Out of the series the forecast reads, but the pit did read it: the tile shows it as the
        // current temperature and the cook's summary counts it, so the lowest reading does too.
        widenMinMax(p.tempC);
        return;
      }
    }
    const jump = jumpOf(p.tsMs, p.tempC);
    // Pit drops belong to the lid detector; only sudden rises are suspicious on a pit.
    if (jump !== null && (role === "pit" ? jump > jumpC : Math.abs(jump) > jumpC)) {
      held = [p];
      return;
    }
    accept(p);
  };

  const push = (tsMs: number, tempC: number | null): TrackerEvent[] => {
    const events: TrackerEvent[] = [];
    if (last !== null && tsMs <= last.tsMs) return events;
    const wasUnplugged = last === null || last.tempC === null;
    const value = tempC !== null && isNoProbeValue(tempC) ? null : tempC;
    if (value === null) {
      if (!wasUnplugged) events.push({ kind: "removed", tsMs, tempC: null });
      last = { tsMs, tempC: null };
      glitch = false;
      held = [];
      return events;
    }
    if (isImpossibleValue(value, role, lastCleanC())) {
      glitch = true;
      last = last ?? { tsMs, tempC: null };
      return events;
    }
    glitch = false;
    if (wasUnplugged) {
      const resumed = isDropout(tsMs, value);
      if (last !== null) events.push({ kind: "inserted", tsMs, tempC: value, ...(resumed ? { detail: { resumed: true } } : {}) });
      // A probe plugged back in starts a new history (what it measured before was elsewhere),
      // unless it only dropped out for a moment.
      if (!resumed && (last !== null || clean.length > 0)) restart([]);
      held = [];
    }
    last = { tsMs, tempC: value };
    pushValue(events, { tsMs, tempC: value });
    return events;
  };

  return {
    push,
    clean: () => clean,
    last: () => last,
    glitching: () => glitch,
    holding: () => held.length > 0,
    heldDirection: () => {
      const first = held[0];
      const before = lastCleanC();
      return first === undefined || before === null ? null : first.tempC < before ? "fall" : "rise";
    },
    lidOpen: () => lid?.isOpen() ?? false,
    rateCPerHour: () => recentFit()?.rateCPerHour ?? null,
    minMax: () => ({ minC, maxC }),
    resetMinMax: (sinceMs?: number) => {
      minC = null;
      maxC = null;
      for (let i = sinceMs === undefined ? clean.length - 1 : lowerBound(clean, sinceMs); i >= 0 && i < clean.length; i++) widenMinMax(clean.tempAt(i));
    },
    setMinMax: (lo: number | null, hi: number | null) => {
      minC = lo;
      maxC = hi;
    },
    resetAtMs: () => resetAt,
  };
}
