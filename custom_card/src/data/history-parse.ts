/**
 * Pure parsers for Home Assistant's history and statistics messages (the card's only wire
 * edge besides `hass.states`). Malformed rows are skipped, never thrown on: a bad row must not
 * blank the chart. Time is epoch seconds floored to the millisecond, as `isoToS` does for
 * live states, so the same change arriving by both paths lands on the same row.
 */
import type { SeriesPoint } from "../chart/series";
import type { ChartBand } from "../chart/live-chart";
import { parseNumericState } from "../units";

/** A compressed history row: `s` state, `lu` last_updated (s), `lc` last_changed (s) when different. */
interface CompressedRow {
  s: string;
  lu: number;
}

const floorMs = (s: number): number => Math.floor(s * 1000) / 1000;

const toRow = (raw: unknown): CompressedRow | null => {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const s = r["s"] ?? r["state"];
  let lu = r["lu"] ?? r["lc"];
  if (lu === undefined && typeof r["last_updated"] === "string") lu = Date.parse(r["last_updated"]) / 1000;
  if (typeof s !== "string" || typeof lu !== "number" || !Number.isFinite(lu)) return null;
  return { s, lu: floorMs(lu) };
};

/**
 * `{entity_id: rows}` from a `history/stream` event (`{states: {...}}`) or a
 * `history/history_during_period` result (the map itself) → raw `[tsS, state]` per entity.
 */
export const parseHistoryStates = (msg: unknown): Record<string, Array<[number, string]>> => {
  const out: Record<string, Array<[number, string]>> = {};
  if (!msg || typeof msg !== "object") return out;
  const m = msg as Record<string, unknown>;
  const states = m["states"] && typeof m["states"] === "object" && !Array.isArray(m["states"]) ? m["states"] : m;
  for (const [entityId, rows] of Object.entries(states as Record<string, unknown>)) {
    if (!Array.isArray(rows) || !entityId.includes(".")) continue;
    const list: Array<[number, string]> = [];
    for (const raw of rows) {
      const row = toRow(raw);
      if (row) list.push([row.lu, row.s]);
    }
    out[entityId] = list;
  }
  return out;
};

/** Raw states → temperature points; anything non-numeric (unavailable, unknown) is a gap. */
export const toTemperaturePoints = (rows: ReadonlyArray<readonly [number, string]>): SeriesPoint[] =>
  rows.map(([ts, s]) => [ts, parseNumericState(s)] as const);

/** Raw on/off states of a stall binary sensor → `[tsS, on]` (unavailable counts as off). */
export const toOnOff = (rows: ReadonlyArray<readonly [number, string]>): Array<[number, boolean]> =>
  rows.map(([ts, s]) => [ts, s === "on"]);

/** On-intervals of a binary series as shaded bands; an interval still on ends at `nowS`. */
export const toBands = (rows: ReadonlyArray<readonly [number, boolean]>, nowS: number, color: string, label?: string): ChartBand[] => {
  const sorted = [...rows].sort((a, b) => a[0] - b[0]);
  const bands: ChartBand[] = [];
  let from: number | null = null;
  for (const [ts, on] of sorted) {
    if (on && from === null) from = ts;
    else if (!on && from !== null) {
      bands.push({ fromS: from, toS: ts, color, ...(label ? { label } : {}) });
      from = null;
    }
  }
  if (from !== null && nowS > from) bands.push({ fromS: from, toS: nowS, color, ...(label ? { label } : {}) });
  return bands;
};

interface StatRow {
  startS: number;
  endS: number;
  mean: number | null;
  min: number | null;
  max: number | null;
}

const toStatRow = (raw: unknown, periodS: number): StatRow | null => {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  // Since HA 2023.3 start/end are epoch ms; older cores sent ISO strings.
  const t = (v: unknown): number | null =>
    typeof v === "number" ? v / 1000 : typeof v === "string" && Number.isFinite(Date.parse(v)) ? Date.parse(v) / 1000 : null;
  const startS = t(r["start"]);
  if (startS === null) return null;
  return {
    startS,
    endS: t(r["end"]) ?? startS + periodS,
    mean: parseNumericState(r["mean"]),
    min: parseNumericState(r["min"]),
    max: parseNumericState(r["max"]),
  };
};

/**
 * `recorder/statistics_during_period` rows (5-minute mean/min/max) → points. Each period gives
 * its mean, or — when min and max differ noticeably — its min and max in the order the trend
 * suggests (rising: min then max), so short spikes such as an opened lid survive. A missing
 * period (the sensor was unavailable) becomes a gap.
 */
export const statisticsToPoints = (rows: readonly unknown[], periodS = 300): SeriesPoint[] => {
  const stats = rows.map((r) => toStatRow(r, periodS)).filter((r): r is StatRow => r !== null);
  stats.sort((a, b) => a.startS - b.startS);
  const out: SeriesPoint[] = [];
  for (let i = 0; i < stats.length; i++) {
    const s = stats[i] as StatRow;
    const prev = stats[i - 1];
    if (prev && s.startS - prev.endS > periodS) out.push([prev.endS, null]);
    const mid = s.mean ?? (s.min !== null && s.max !== null ? (s.min + s.max) / 2 : null);
    if (mid === null) continue;
    const spread = s.min !== null && s.max !== null ? s.max - s.min : 0;
    if (spread > Math.max(1, Math.abs(mid) * 0.02) && s.min !== null && s.max !== null) {
      const next = stats[i + 1]?.mean;
      const before = prev?.mean;
      const rising = next != null ? next >= mid : before != null ? mid >= before : true;
      const third = (s.endS - s.startS) / 3;
      out.push([s.startS + third, rising ? s.min : s.max], [s.startS + 2 * third, rising ? s.max : s.min]);
    } else {
      out.push([s.startS + (s.endS - s.startS) / 2, mid]);
    }
  }
  return out;
};

/** End of the newest statistics period across entities (epoch s), or null when there is none. */
export const statisticsEndS = (result: Record<string, readonly unknown[]>, periodS = 300): number | null => {
  let end: number | null = null;
  for (const rows of Object.values(result)) {
    for (const raw of rows) {
      const r = toStatRow(raw, periodS);
      if (r && (end === null || r.endS > end)) end = r.endS;
    }
  }
  return end;
};

/**
 * Start of the current cook: the first moment after the last stretch of at least `minGapS`
 * in which no probe had a reading. Before any reading, or with no data, returns null.
 */
export const findCookStartS = (x: readonly number[], cols: ReadonlyArray<readonly (number | null)[]>, minGapS = 1800): number | null => {
  let start: number | null = null;
  let gapFrom: number | null = null;
  for (let i = 0; i < x.length; i++) {
    const ts = x[i] as number;
    const any = cols.some((c) => c[i] != null);
    if (!any) {
      gapFrom ??= ts;
      continue;
    }
    if (start === null || (gapFrom !== null && ts - gapFrom >= minGapS)) start = ts;
    gapFrom = null;
  }
  return start;
};
