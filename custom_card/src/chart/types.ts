/** Public data types of `<grill-stats-chart>` (re-exported by live-chart.ts). */

/** One plotted series. `color` is any CSS colour, including `var(--x, fallback)`. */
export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
  /** Dash pattern in CSS pixels ([10, 5]); overrides `dashed`. The legend marker follows it. */
  dash?: number[];
  width?: number;
}

/** Horizontal line across the plot (target / high / low alarm). */
export interface ChartLine {
  value: number;
  color: string;
  label: string;
  dashed?: boolean;
}

/** Shaded x-range (stall, lid open). Opaque colours are drawn translucent. */
export interface ChartBand {
  fromS: number;
  toS: number;
  color: string;
  label?: string;
}

/** Forecast for one series: `[tsS, value, low, high]` rows, drawn as a dashed line + band. */
export interface ChartForecast {
  seriesKey: string;
  points: Array<[tsS: number, value: number, low: number, high: number]>;
  /** Legend label of the forecast line; defaults to the series label with an arrow. */
  label?: string;
}
