/** uPlot options for `<grill-stats-chart>`: theme-resolved colours, locale formatting, overlays. */
import uPlot from "uplot";
import { drawBands, drawForecastBands, drawLines } from "./overlays";
import type { ChartBand, ChartForecast, ChartLine, ChartSeries } from "./types";

export const FONT_PX = 11;

/** What the options read from the element, always current (hooks run long after creation). */
export interface ChartOptionsHost {
  series(): ChartSeries[];
  forecasts(): ChartForecast[];
  lines(): ChartLine[];
  bands(): ChartBand[];
  /** CSS colour (incl. var()) → concrete colour for the canvas. */
  color(css: string): string;
  font(): string;
  /** A time to the second (the legend's, under the cursor). */
  fmtTime(tsS: number): string;
  /** Time-axis labels for ticks `incrS` apart on a visible span of `spanS` seconds. */
  fmtAxis(splitsS: number[], incrS: number, spanS: number): string[];
  /** Minimum pixels between time ticks on a visible span of `spanS` seconds. */
  axisSpace(spanS: number): number;
  /** The tick steps (seconds) the time axis may use on a visible span of `spanS` seconds. */
  axisIncrs(spanS: number): readonly number[];
  fmtValue(v: number | null | undefined): string;
  xRange(min: number | null, max: number | null): [number, number];
  yRange(min: number | null, max: number | null): [number, number];
  /** Where a series' forecast starts (its last shown reading). */
  forecastStart(key: string): { tsS: number; value: number } | null;
  /** The series hidden in the legend now, and every series of this chart, by `seriesIds` (kept when the chart is rebuilt). */
  hiddenChanged?(hidden: string[], all: string[]): void;
}

/** A stable name for each uPlot series after x: `s:<key>` for a data series, `f:<key>` for its forecast. */
export const seriesIds = (series: readonly ChartSeries[], forecasts: readonly ChartForecast[]): string[] => [
  ...series.map((s) => `s:${s.key}`),
  ...forecasts.map((f) => `f:${f.seriesKey}`),
];

export const buildOptions = (
  host: ChartOptionsHost,
  size: { width: number; height: number; timeZone: string | undefined },
): uPlot.Options => {
  // Colours as functions: uPlot calls them on every redraw, so a theme change needs no rebuild.
  const c = (css: string) => () => host.color(css);
  const font = `${FONT_PX}px ${host.font()}`;
  const axisStroke = c("var(--secondary-text-color, #727272)");
  const grid = { stroke: c("var(--divider-color, rgba(0,0,0,.12))"), width: 1 };
  const value = (_u: uPlot, v: number | null) => host.fmtValue(v);
  const seriesOpts: uPlot.Series[] = host.series().map((s) => ({
    label: s.label,
    stroke: c(s.color),
    width: s.width ?? 2,
    ...(s.dash?.length ? { dash: s.dash } : s.dashed ? { dash: [6, 4] } : {}),
    spanGaps: false,
    value,
  }));
  for (const f of host.forecasts()) {
    const base = host.series().find((s) => s.key === f.seriesKey);
    seriesOpts.push({
      label: f.label ?? `${base?.label ?? f.seriesKey} →`,
      stroke: c(base?.color ?? "var(--secondary-text-color, #727272)"),
      width: 1.5,
      dash: [5, 5],
      spanGaps: true,
      points: { show: false },
      value,
    });
  }
  const ids = seriesIds(host.series(), host.forecasts());
  const tz = size.timeZone;
  const seriesColor = (key: string) => {
    const s = host.series().find((x) => x.key === key);
    return s ? host.color(s.color) : undefined;
  };
  return {
    width: size.width,
    height: size.height,
    ...(tz ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), tz) } : {}),
    // The marker is drawn like its line: solid, dashed or dotted (uPlot draws every marker solid).
    legend: { live: true, markers: { dash: (u, i) => markerDash(u.series[i]?.dash) } },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 8 }, focus: { prox: 16 } },
    focus: { alpha: 0.4 },
    scales: {
      x: { time: true, range: (_u, min, max) => host.xRange(min, max) },
      y: { range: (_u, min, max) => host.yRange(min, max) },
    },
    axes: [
      {
        stroke: axisStroke,
        grid,
        ticks: grid,
        font,
        incrs: (_u, _i, min, max) => [...host.axisIncrs(max - min)],
        space: (_u, _i, min, max) => host.axisSpace(max - min),
        // uPlot passes the tick step; a direct call without it (tests) gets minute labels.
        values: (u, splits, _i, _space, incr) => host.fmtAxis(splits, incr ?? 60, (u.scales["x"]?.max ?? 0) - (u.scales["x"]?.min ?? 0)),
      },
      { stroke: axisStroke, grid, ticks: grid, font, size: 44, values: (_u, splits) => splits.map((s) => String(Math.round(s))) },
    ],
    series: [{ label: "", value: (_u: uPlot, v: number | null) => (v == null ? "–" : host.fmtTime(v)) }, ...seriesOpts],
    hooks: {
      drawClear: [
        (u) => {
          drawBands(u, host.bands(), host.color, FONT_PX, host.font());
          drawForecastBands(u, host.forecasts(), seriesColor, host.forecastStart);
        },
      ],
      draw: [(u) => drawLines(u, host.lines(), host.color, FONT_PX, host.font())],
      // Without a cursor the legend is a key (names only); values appear while hovering.
      setLegend: [(u) => u.root.querySelector(".u-legend")?.classList.toggle("idle", u.cursor.idx == null)],
      setSeries: [
        (u, idx, opts) => {
          legendLabels(u).forEach((th, i) => th.setAttribute("aria-pressed", String(u.series[i + 1]?.show !== false)));
          if (idx == null || opts?.show === undefined) return;
          // A probe's forecast comes and goes with the probe.
          const id = ids[idx - 1];
          const forecast = id?.startsWith("s:") ? ids.indexOf(`f:${id.slice(2)}`) : -1;
          if (forecast >= 0 && u.series[forecast + 1]?.show !== opts.show) u.setSeries(forecast + 1, { show: opts.show });
          host.hiddenChanged?.(ids.filter((_, i) => u.series[i + 1]?.show === false), ids);
        },
      ],
    },
  };
};

/** The CSS border style for a legend marker of a line with this dash pattern. */
export const markerDash = (dash: number[] | undefined): "solid" | "dashed" | "dotted" =>
  !dash?.length ? "solid" : (dash[0] as number) <= 3 ? "dotted" : "dashed";

/** Legend markers are styled once by uPlot; repaint them after a theme change. */
export const recolorLegend = (u: uPlot): void => {
  const rows = u.root.querySelectorAll<HTMLElement>(".u-legend .u-series");
  rows.forEach((row, i) => {
    if (i === 0) return;
    const s = u.series[i];
    const marker = row.querySelector<HTMLElement>(".u-marker");
    const stroke = typeof s?.stroke === "function" ? String(s.stroke(u, i)) : undefined;
    if (marker && stroke) marker.style.borderColor = stroke;
  });
};

/** uPlot follows the mouse only; let a finger drag the crosshair too (vertical scroll stays). */
export const enableTouchCursor = (u: uPlot): void => {
  const move = (ev: TouchEvent) => {
    const t = ev.touches[0];
    if (!t) return;
    const rect = u.over.getBoundingClientRect();
    u.setCursor({ left: t.clientX - rect.left, top: t.clientY - rect.top });
  };
  u.over.addEventListener("touchstart", move, { passive: true });
  u.over.addEventListener("touchmove", move, { passive: true });
};

/** The legend labels of the data series (uPlot's first row is the x value). */
const legendLabels = (u: uPlot): HTMLElement[] => [...u.root.querySelectorAll<HTMLElement>(".u-legend .u-series th")].slice(1);

/**
 * uPlot shows and hides a series on a click on its legend label, a plain <th>: make every label a
 * toggle button for the keyboard and screen readers too (Tab to it, Enter or Space to toggle).
 */
export const enableLegendKeys = (u: uPlot): void => {
  legendLabels(u).forEach((th, i) => {
    th.tabIndex = 0;
    th.setAttribute("role", "button");
    th.setAttribute("aria-pressed", String(u.series[i + 1]?.show !== false));
    th.addEventListener("keydown", (ev) => {
      if (ev.key !== "Enter" && ev.key !== " ") return;
      ev.preventDefault();
      u.setSeries(i + 1, { show: !u.series[i + 1]?.show });
    });
  });
};
