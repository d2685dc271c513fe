/**
 * Pure: probe views + config → what the chart element draws (series, horizontal lines, stall
 * bands, forecasts). Colours stay CSS strings (theme variables); the chart resolves them.
 */
import type { ChartBand, ChartForecast, ChartLine, ChartSeries } from "./chart/live-chart";
import { toBands } from "./data/history-parse";
import type { Localize } from "./localize";
import type { ProbeView } from "./probe-view";

export const STALL_COLOR = "var(--grill-stats-stall-color, var(--warning-color, #ffa600))";
export const HIGH_COLOR = "var(--grill-stats-high-color, var(--error-color, #db4437))";
export const LOW_COLOR = "var(--grill-stats-low-color, var(--error-color, #db4437))";

export interface ChartModel {
  series: ChartSeries[];
  lines: ChartLine[];
  bands: ChartBand[];
  forecasts: ChartForecast[];
  unit: string;
}

export interface ChartModelOptions {
  showForecast: boolean;
  showAlarmLines: boolean;
  nowS: number;
}

/**
 * Builds the chart description. `stallRows` are the stall sensor's on/off history per probe;
 * the current stall state (with its `since`) closes or extends the last interval.
 */
export const computeChartModel = (
  probes: readonly ProbeView[],
  colors: Readonly<Record<string, string>>,
  stallRows: Readonly<Record<string, ReadonlyArray<readonly [number, boolean]>>>,
  localize: Localize,
  opts: ChartModelOptions,
): ChartModel => {
  const series: ChartSeries[] = [];
  const lines: ChartLine[] = [];
  const bands: ChartBand[] = [];
  const forecasts: ChartForecast[] = [];
  const many = probes.length > 1;
  for (const p of probes) {
    if (p.status === "missing") continue; // no entity, no history: no empty series in the legend
    const color = colors[p.key] ?? "var(--primary-color)";
    series.push({ key: p.key, label: p.name, color, width: 2 });
    if (opts.showAlarmLines) {
      const s = p.settings;
      if (s.target.value !== null) lines.push({ value: s.target.value, color, label: localize("chart.target", { probe: p.name }), dashed: true });
      if (s.high.value !== null) lines.push({ value: s.high.value, color: HIGH_COLOR, label: localize("chart.high", { probe: p.name }), dashed: true });
      if (s.low.value !== null) lines.push({ value: s.low.value, color: LOW_COLOR, label: localize("chart.low", { probe: p.name }), dashed: true });
    }
    const rows = [...(stallRows[p.key] ?? [])];
    if (p.stall.active && p.stall.sinceMs !== null) rows.push([p.stall.sinceMs / 1000, true]);
    const label = many ? `${localize("stall.band")} · ${p.name}` : localize("stall.band");
    bands.push(...toBands(rows, opts.nowS, STALL_COLOR, label));
    if (opts.showForecast && p.eta.forecast.length > 0 && p.temp !== null) {
      forecasts.push({ seriesKey: p.key, points: p.eta.forecast, label: localize("chart.forecast", { probe: p.name }) });
    }
  }
  return { series, lines, bands: mergeBands(bands), forecasts, unit: probes.find((p) => p.unitLabel)?.unitLabel ?? "" };
};

/** Overlapping bands of the same colour and label are drawn once. */
const mergeBands = (bands: ChartBand[]): ChartBand[] => {
  const sorted = [...bands].sort((a, b) => a.fromS - b.fromS);
  const out: ChartBand[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.color === b.color && last.label === b.label && b.fromS <= last.toS) last.toS = Math.max(last.toS, b.toS);
    else out.push({ ...b });
  }
  return out;
};
