/**
 * Pure shaping of API data for `<grill-stats-chart>`: seconds on x, the display unit on y,
 * cook events as shaded bands and markers, settings as horizontal lines.
 */
import { mergeToColumns, type ChartData, type SeriesPoint } from "../../../custom_card/src/chart/series";
import type { ChartBand, ChartForecast, ChartLine, ChartSeries } from "../../../custom_card/src/chart/live-chart";
import type { CookEvent, CookEventKind, ProbeRole, ProbeState, TemperatureUnit } from "../../../src/shared/model";
import { toUnit, unitSymbol } from "../../../src/shared/units";
import { formatSettingNumber } from "./format";
import { english, labelOf, type PanelKey, type PanelLocalize } from "./localize";

export type HistoryPoint = [tsMs: number, tempC: number | null];

/**
 * Probe colours: distinct for up to 12 probes besides the pit (CIEDE2000 of 14 or more between
 * any two, and away from the pit's orange): a Signals with an RFX Meat probe and its four sensors
 * and a second pit is eleven lines. No deep orange: next to the pit's it read as a second pit.
 */
export const PALETTE = ["#1e88e5", "#43a047", "#8e24aa", "#d81b60", "#00acc1", "#6d4c41", "#fdd835", "#3949ab", "#9e9d24", "#00897b", "#ba68c8", "#f06292"];
/** The pit is the warm colour so it is recognisable at a glance; a second pit takes the next palette colour. */
export const PIT_COLOR = "#ef6c00";

export interface ProbeLike {
  id: string;
  name: string;
  role: ProbeRole;
}

/**
 * Colour per probe: the first pit orange, the others from the palette in id order. Pass every
 * probe there is, not only those shown, so a probe keeps its colour when others are shown or hidden.
 */
export const probeColors = (probes: readonly ProbeLike[]): Map<string, string> => {
  const out = new Map<string, string>();
  let i = 0;
  let pitTaken = false;
  for (const p of [...probes].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const orange = p.role === "pit" && !pitTaken;
    if (orange) pitTaken = true;
    out.set(p.id, orange ? PIT_COLOR : (PALETTE[i++ % PALETTE.length] as string));
  }
  return out;
};

export const toSeries = (probes: readonly ProbeLike[], colors: Map<string, string>): ChartSeries[] =>
  probes.map((p) => ({ key: p.id, label: p.name, color: colors.get(p.id) ?? "#888", width: p.role === "pit" ? 1.5 : 2 }));

const toValue = (tempC: number | null, unit: TemperatureUnit): number | null => (tempC === null ? null : Math.round(toUnit(tempC, unit) * 100) / 100);

/**
 * History (epoch ms, °C) → columnar chart data (epoch s, display unit). `offsetMs` shifts x
 * (compare view). Probes are sampled at their own times, so each value is carried to the other
 * probes' timestamps — but never past a series' last reading (no flat line after a probe stopped).
 */
export const historyToChartData = (history: Record<string, HistoryPoint[]>, unit: TemperatureUnit, offsetMs: Record<string, number> = {}): ChartData => {
  const rows: Record<string, SeriesPoint[]> = {};
  const lastS: Record<string, number> = {};
  for (const [key, points] of Object.entries(history)) {
    const offset = offsetMs[key] ?? 0;
    rows[key] = points.map(([tsMs, tempC]): SeriesPoint => [Math.round((tsMs - offset) / 1000), toValue(tempC, unit)]);
    lastS[key] = rows[key].reduce((max, [tsS]) => Math.max(max, tsS), -Infinity);
  }
  const data = mergeToColumns(rows);
  for (const [key, col] of Object.entries(data.y)) {
    const last = lastS[key] ?? -Infinity;
    for (let i = data.x.length - 1; i >= 0 && (data.x[i] as number) > last; i--) col[i] = null;
  }
  return data;
};

const EVENT_KEYS: Record<CookEventKind, PanelKey> = {
  note: "event.note",
  wrap: "event.wrap",
  spritz: "event.spritz",
  wood: "event.wood",
  lid_open: "event.lid_open",
  lid_closed: "event.lid_closed",
  stall_start: "event.stall_start",
  stall_end: "event.stall_end",
  probe_reinserted: "event.probe_reinserted",
  other: "event.other",
};

export const eventLabel = (kind: CookEventKind, localize: PanelLocalize = english): string => labelOf(EVENT_KEYS, kind, localize);

const MARKER_COLOR: Partial<Record<CookEventKind, string>> = {
  wrap: "#8d6e63",
  spritz: "#039be5",
  wood: "#6d4c41",
  note: "#757575",
  other: "#757575",
  probe_reinserted: "#fb8c00",
};
const STALL_COLOR = "#ffa600";
const LID_COLOR = "#90a4ae";
/**
 * A lid opening without its close ends here at the latest: the add-on's lid detector gives up
 * after 20 minutes (src/analytics/lid.ts `maxOpenMs`) and a close that was never recorded (the
 * add-on restarted meanwhile) must not shade the rest of the cook.
 */
const LID_OPEN_MAX_MS = 20 * 60_000;
/**
 * Cooks recorded before the add-on noted closes have openings and no close at all: those get the
 * few minutes a real opening lasts, not 20 minutes of grey each.
 */
const LID_OPEN_UNRECORDED_MS = 3 * 60_000;

/**
 * When a lid opening ended: its probe's next close (before the probe's next opening), else
 * `endMs` (now, while it is still open) within the cap; never after `endMs`.
 */
const lidClosedMs = (open: CookEvent, sorted: readonly CookEvent[], endMs: number, closesRecorded: boolean): number => {
  let closedMs = open.tsMs + (closesRecorded ? LID_OPEN_MAX_MS : LID_OPEN_UNRECORDED_MS);
  for (const e of sorted) {
    if (e.tsMs < open.tsMs || e === open || e.probeId !== open.probeId) continue;
    if (e.kind === "lid_closed") closedMs = e.tsMs;
    if (e.kind === "lid_closed" || e.kind === "lid_open") break;
  }
  return Math.max(open.tsMs, Math.min(closedMs, endMs));
};

/**
 * Stall periods (start → end, or → `endMs` while running) and lid openings (open → its close,
 * or → `endMs` while still open) as bands;
 * annotations as narrow markers (about 1/250 of the cook, so they stay visible at any length),
 * labelled "Brisket: butcher paper" when a note is for one probe (`probeNames`). Notes whose
 * markers would overlap (the same minute) share one marker naming each, instead of printing
 * their labels over each other.
 */
export const eventsToBands = (
  events: readonly CookEvent[],
  endMs: number,
  startMs?: number,
  localize: PanelLocalize = english,
  probeNames: ReadonlyMap<string, string> = new Map(),
): ChartBand[] => {
  const first = startMs ?? Math.min(endMs, ...events.map((e) => e.tsMs));
  const markerS = Math.max(60, (endMs - first) / 1000 / 250);
  const sorted = [...events].sort((a, b) => a.tsMs - b.tsMs);
  // No close among several openings: a cook from before closes were noted (one opening without
  // its close may simply still be open).
  const closesRecorded = sorted.some((e) => e.kind === "lid_closed") || sorted.filter((e) => e.kind === "lid_open").length < 2;
  const bands: ChartBand[] = [];
  const openStall = new Map<string, number>();
  let marker: (ChartBand & { kind: CookEventKind }) | null = null;
  for (const e of sorted) {
    const key = e.probeId ?? "";
    if (e.kind === "stall_start") openStall.set(key, e.tsMs);
    else if (e.kind === "stall_end") {
      const from = openStall.get(key);
      if (from !== undefined) bands.push({ fromS: from / 1000, toS: e.tsMs / 1000, color: STALL_COLOR, label: localize("chart.stall") });
      openStall.delete(key);
    } else if (e.kind === "lid_open") {
      bands.push({ fromS: e.tsMs / 1000, toS: lidClosedMs(e, sorted, endMs, closesRecorded) / 1000, color: LID_COLOR, label: localize("chart.lid") });
    } else if (e.kind !== "lid_closed") {
      const text = e.text || eventLabel(e.kind, localize);
      const probe = e.probeId ? probeNames.get(e.probeId) : undefined;
      const label = probe ? `${probe}: ${text}` : text;
      const atS = e.tsMs / 1000;
      if (marker && atS < marker.toS) {
        marker.label = `${marker.label} · ${label}`;
        // Different kinds together: the neutral note colour, not the first one's.
        if (marker.kind !== e.kind) marker.color = MARKER_COLOR.note as string;
        continue;
      }
      marker = { fromS: atS, toS: atS + markerS, color: MARKER_COLOR[e.kind] ?? "#757575", label, kind: e.kind };
      bands.push(marker);
    }
  }
  for (const from of openStall.values()) bands.push({ fromS: from / 1000, toS: endMs / 1000, color: STALL_COLOR, label: localize("chart.stall") });
  return bands.map((b) => ("kind" in b ? { fromS: b.fromS, toS: b.toS, color: b.color, label: b.label } : b));
};

/** Lines closer than this (°C) share one label, so the labels never print over each other. */
const LABEL_MERGE_C = 5;

/** Target lines for meat probes (in the probe's colour), high/low alarm lines for the others. */
export const settingsToLines = (
  probes: readonly Pick<ProbeState, "id" | "name" | "targetC" | "highC" | "lowC">[],
  colors: Map<string, string>,
  unit: TemperatureUnit,
  localize: PanelLocalize = english,
  locale = "en",
): ChartLine[] => {
  const lines: Array<ChartLine & { valueC: number }> = [];
  const sym = unitSymbol(unit);
  // As precisely as the setting was made (62.5°C; 62,5°C in German), as the tiles show it.
  const fmt = (c: number): string => `${formatSettingNumber(toUnit(c, unit), locale)}${sym}`;
  const add = (valueC: number, color: string, label: string): void => {
    lines.push({ valueC, value: toUnit(valueC, unit), color, label, dashed: true });
  };
  for (const p of probes) {
    if (p.targetC !== null) add(p.targetC, colors.get(p.id) ?? "#888", `${p.name} ${fmt(p.targetC)}`);
    if (p.highC !== null) add(p.highC, "#db4437", localize("chart.high", { probe: p.name, value: fmt(p.highC) }));
    if (p.lowC !== null) add(p.lowC, "#039be5", localize("chart.low", { probe: p.name, value: fmt(p.lowC) }));
  }
  lines.sort((a, b) => b.valueC - a.valueC);
  let head: ChartLine | null = null;
  let headC = Infinity;
  for (const line of lines) {
    if (head && headC - line.valueC < LABEL_MERGE_C) {
      head.label = `${head.label} · ${line.label}`;
      line.label = "";
    } else {
      head = line;
      headC = line.valueC;
    }
  }
  return lines.map(({ valueC: _valueC, ...line }) => line);
};

/** The predicted curve to the done time with its range, per meat probe. */
export const toForecasts = (probes: readonly ProbeState[], unit: TemperatureUnit, localize: PanelLocalize = english): ChartForecast[] =>
  probes
    .filter((p) => p.forecast.length > 0)
    .map((p) => ({
      seriesKey: p.id,
      label: localize("chart.forecast", { probe: p.name }),
      points: p.forecast.map((f): [number, number, number, number] => [f.tsMs / 1000, toUnit(f.tempC, unit), toUnit(f.lowC, unit), toUnit(f.highC, unit)]),
    }));
