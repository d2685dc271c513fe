import type { Clock, EventBus, Reading } from "../shared";
import type { JsonEntry } from "./json-cache";

export const HISTORY_CACHE_ENTRIES = 64;
/** And at most this many bytes of answers (a 17-probe × 1500-point answer is ~240 KB). */
export const HISTORY_CACHE_MAX_BYTES = 8 * 1024 * 1024;
/**
 * Writes that do not go through the bus (retention pruning old rows) cannot invalidate an entry;
 * no answer is served older than this.
 */
export const HISTORY_CACHE_MAX_AGE_MS = 60_000;

export interface HistoryKey {
  /** Sorted, without duplicates. */
  ids: readonly string[];
  fromMs: number;
  toMs: number;
  points: number;
  /** The answer's layout (`format=`): the same window in two layouts is two entries. */
  format: string;
}

interface Entry extends HistoryKey {
  value: JsonEntry;
  atMs: number;
}

export interface HistoryCache {
  /** The cached answer for this query, or `compute()`'s, stored. */
  get(key: HistoryKey, compute: () => JsonEntry): JsonEntry;
  size(): number;
  /** Bytes of the answers held (plain JSON). */
  bytes(): number;
  /** Stops listening to the bus and caching (shutdown). */
  close(): void;
}

const keyOf = (k: HistoryKey): string => `${k.format}|${k.fromMs}|${k.toMs}|${k.points}|${k.ids.join(",")}`;

/**
 * Serialised `/api/history` answers, keyed by the normalised query, least recently used dropped
 * first (at most `maxEntries` and `maxBytes`). An entry is dropped as soon as a reading is stored (bus `readings:stored`) for one of its
 * probes inside its window, so readings outside it (a finished cook's chart while a new cook
 * runs) keep it. The store answers synchronously, so identical concurrent requests share one
 * computation: the first computes and stores, the others find it.
 */
export const createHistoryCache = (bus: EventBus, clock: Clock, maxEntries = HISTORY_CACHE_ENTRIES, maxBytes = HISTORY_CACHE_MAX_BYTES): HistoryCache => {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const drop = (key: string): void => {
    const e = entries.get(key);
    if (!e) return;
    bytes -= e.value.body.length;
    entries.delete(key);
  };

  const onStored = (readings: Reading[]): void => {
    if (entries.size === 0 || readings.length === 0) return;
    const span = new Map<string, { min: number; max: number }>();
    for (const r of readings) {
      const s = span.get(r.probeId);
      if (!s) span.set(r.probeId, { min: r.tsMs, max: r.tsMs });
      else {
        if (r.tsMs < s.min) s.min = r.tsMs;
        if (r.tsMs > s.max) s.max = r.tsMs;
      }
    }
    for (const [key, e] of entries) {
      const hit = e.ids.some((id) => {
        const s = span.get(id);
        return s !== undefined && s.max >= e.fromMs && s.min <= e.toMs;
      });
      if (hit) drop(key);
    }
  };
  let off: (() => void) | null = bus.on("readings:stored", onStored);

  return {
    get(key, compute) {
      const k = keyOf(key);
      const now = clock.now();
      if (off === null) return compute();
      const found = entries.get(k);
      if (found && now - found.atMs <= HISTORY_CACHE_MAX_AGE_MS && now >= found.atMs) {
        entries.delete(k);
        entries.set(k, found);
        return found.value;
      }
      drop(k);
      const value = compute();
      entries.set(k, { ...key, ids: [...key.ids], value, atMs: now });
      bytes += value.body.length;
      while (entries.size > maxEntries || (bytes > maxBytes && entries.size > 1)) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        drop(oldest);
      }
      return value;
    },
    size: () => entries.size,
    bytes: () => bytes,
    close: () => {
      off?.();
      off = null;
      entries.clear();
      bytes = 0;
    },
  };
};
