import { LitElement, css, html, type PropertyValues } from "lit";
import { property } from "lit/decorators.js";
import uPlot from "uplot";
import { ColorResolver } from "./colors";
import { buildOptions, enableLegendKeys, enableTouchCursor, recolorLegend, seriesIds, type ChartOptionsHost } from "./options";
import type { ChartBand, ChartForecast, ChartLine, ChartSeries } from "./types";
import { appendRow, downsampleMinMax, lastValue, lowerBound, valueExtent, type ChartData } from "./series";
import { elapsedIncrsS, elapsedShowsSeconds, TIME_INCRS_S, timeAxisLabels, timeAxisSpacePx, timeLabelFormat } from "./time-axis";
import { UPLOT_CSS } from "./uplot-css";
import { formatElapsed } from "../format";

export type { ChartData } from "./series";
export type { ChartBand, ChartForecast, ChartLine, ChartSeries } from "./types";

export const CHART_TAG = "grill-stats-chart";

/**
 * `<grill-stats-chart>`: a live temperature chart on uPlot. Plain data in, no Home Assistant
 * dependency (the ingress panel uses it too). uPlot is created once, fed with `setData`
 * (after min/max-per-pixel downsampling), resized by a ResizeObserver and destroyed on
 * disconnect. Live readings go through `appendPoint` without rebuilding anything.
 */
export class GrillStatsChart extends LitElement {
  @property({ attribute: false }) series: ChartSeries[] = [];
  @property({ attribute: false }) data: ChartData = { x: [], y: {} };
  @property({ attribute: false }) lines: ChartLine[] = [];
  @property({ attribute: false }) bands: ChartBand[] = [];
  @property({ attribute: false }) forecasts: ChartForecast[] = [];
  /** Unit appended to values in the legend (e.g. "°C"). */
  @property() unit = "";
  /** Height of the plot (axes included) in CSS pixels; the legend comes on top of it. */
  @property({ type: Number }) height = 220;
  @property() locale: string = typeof navigator === "undefined" ? "en" : navigator.language;
  /** Locale of the legend's numbers (Home Assistant's number format may differ from the language's); `locale` without. */
  @property() numberLocale: string | undefined = undefined;
  /**
   * x is a duration, not a clock time (seconds since a start at 0): axis and legend show it as
   * h:mm, past 24 h too ("26:30"), instead of a time of day.
   */
  @property({ type: Boolean }) elapsed = false;
  /** IANA zone for the time axis and legend (undefined = the browser's). */
  @property({ attribute: false }) timeZone: string | undefined = undefined;
  /** Optional fixed x-range in epoch seconds (a time window); forecasts may extend it to the right. */
  @property({ attribute: false }) xRange: { fromS: number; toS: number } | undefined = undefined;

  private _plot: uPlot | undefined;
  private _structure = "";
  /** Series hidden in the legend (`seriesIds`), across rebuilds. */
  private _hidden = new Set<string>();
  private _resize: ResizeObserver | undefined;
  private _frame = 0;
  private _width = 0;
  private _shown: ChartData = { x: [], y: {} };
  private readonly _colors = new ColorResolver(() => this.renderRoot.querySelector<HTMLElement>(".color-probe"));
  private _numFmt: Intl.NumberFormat | undefined;

  static override styles = [
    UPLOT_CSS,
    css`
      :host { display: block; position: relative; }
      .color-probe { display: none; }
      .plot { width: 100%; min-height: 40px; touch-action: pan-y; }
    `,
  ];

  /** The uPlot instance (for tests and benchmarks). */
  get plot(): uPlot | undefined {
    return this._plot;
  }

  /** Rows currently handed to uPlot after downsampling (for tests and benchmarks). */
  get shownRows(): number {
    return this._shown.x.length;
  }

  /** Live update: appends one row to `data` in place and redraws on the next frame. */
  appendPoint(tsS: number, values: Record<string, number | null>): void {
    appendRow(this.data, tsS, values);
    this._scheduleDraw();
  }

  /** Re-resolves theme colours (call after a theme or dark-mode change) and redraws. */
  refreshColors(): void {
    this._colors.clear();
    if (this._plot) recolorLegend(this._plot);
    this._plot?.redraw(true, true);
  }

  /** Downsamples and hands the data to uPlot now (normally done on the next animation frame). */
  drawNow(): void {
    if (this._frame) cancelAnimationFrame(this._frame);
    this._frame = 0;
    this._draw();
  }

  override render() {
    return html`<span class="color-probe"></span><div class="plot"></div>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached after a disconnect (the plot was destroyed): build it again.
    if (this.hasUpdated && !this._plot) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resize?.disconnect();
    this._resize = undefined;
    if (this._frame) cancelAnimationFrame(this._frame);
    this._frame = 0;
    this._plot?.destroy();
    this._plot = undefined;
    this._structure = "";
  }

  protected override updated(changed: PropertyValues<this>): void {
    const reformat = changed.has("locale") || changed.has("numberLocale") || changed.has("timeZone");
    if (reformat) this._numFmt = undefined;
    const structure = this._structureKey();
    if (!this._plot || structure !== this._structure) {
      this._create(structure);
      return;
    }
    // uPlot keeps the axis labels until the scales change: recalculate them in the new format.
    if (reformat) this._plot.redraw(false, true);
    if (changed.has("height")) this._plot.setSize({ width: this._plotWidth(), height: this.height });
    if (changed.has("series")) this.refreshColors();
    this._scheduleDraw();
  }

  /** What uPlot takes only when it is made: a change rebuilds the plot (the zone places the time axis's ticks, through `tzDate`). */
  private _structureKey(): string {
    return JSON.stringify([this.series.map((s) => [s.key, s.label, s.color, s.dashed, s.dash, s.width]), this.forecasts.map((f) => [f.seriesKey, f.label]), this.timeZone ?? null]);
  }

  private _plotWidth(): number {
    const el = this.renderRoot.querySelector<HTMLElement>(".plot");
    return Math.max(50, Math.floor(el?.getBoundingClientRect().width || this._width || 300));
  }

  private _create(structure: string): void {
    const target = this.renderRoot.querySelector<HTMLElement>(".plot");
    if (!target || !this.isConnected) return;
    this._plot?.destroy();
    this._structure = structure;
    this._width = this._plotWidth();
    this._plot = new uPlot(this._options(), [[]], target);
    // What was hidden in the legend stays hidden (a forecast coming or going rebuilds the chart).
    const hidden = [...this._hidden];
    const ids = seriesIds(this.series, this.forecasts);
    for (const id of hidden) {
      const i = ids.indexOf(id);
      if (i >= 0) this._plot.setSeries(i + 1, { show: false });
    }
    enableTouchCursor(this._plot);
    enableLegendKeys(this._plot);
    this._resize?.disconnect();
    this._resize = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0 && w !== this._width && this._plot) {
        this._width = w;
        this._plot.setSize({ width: w, height: this.height });
        this._scheduleDraw();
      }
    });
    this._resize.observe(target);
    this._draw();
  }

  private _scheduleDraw(): void {
    if (this._frame || !this._plot) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this._draw();
    });
  }

  /** Downsample to the plot's pixel width, append forecast columns, setData. */
  private _draw(): void {
    const u = this._plot;
    if (!u) return;
    const columns = Math.max(1, Math.round(u.bbox.width / (uPlot.pxRatio || 1)) || this._width);
    const keys = this.series.map((s) => s.key);
    const source: ChartData = { x: this.data.x, y: Object.fromEntries(keys.map((k) => [k, this.data.y[k] ?? []])) };
    const range = this.xRange ?? (source.x.length ? { fromS: source.x[0] as number, toS: source.x[source.x.length - 1] as number } : undefined);
    const ds = downsampleMinMax(source, columns, range);
    this._shown = ds;
    const aligned = this._withForecasts(ds, keys);
    u.setData(aligned as uPlot.AlignedData, true);
  }

  private _withForecasts(ds: ChartData, keys: string[]): (number | null)[][] {
    const lastX = ds.x.length ? (ds.x[ds.x.length - 1] as number) : -Infinity;
    const extraX = new Set<number>();
    for (const f of this.forecasts) for (const p of f.points) if (p[0] > lastX && p.every(Number.isFinite)) extraX.add(p[0]);
    const tail = [...extraX].sort((a, b) => a - b);
    const x = ds.x.concat(tail);
    const pad = new Array<null>(tail.length).fill(null);
    const cols: (number | null)[][] = keys.map((k) => (ds.y[k] ?? []).concat(pad));
    for (const f of this.forecasts) {
      const col = new Array<number | null>(x.length).fill(null);
      const start = lastValue(ds, f.seriesKey);
      if (start) col[lowerBound(x, start.tsS)] = start.value;
      for (const p of f.points) {
        if (!p.every(Number.isFinite) || p[0] <= lastX || (start && p[0] <= start.tsS)) continue;
        col[lowerBound(x, p[0])] = p[1];
      }
      cols.push(col);
    }
    return [x, ...cols];
  }

  private _yRange(dataMin: number | null, dataMax: number | null): [number, number] {
    const extra: number[] = this.lines.map((l) => l.value);
    for (const f of this.forecasts) for (const p of f.points) extra.push(p[2], p[3]);
    if (dataMin != null) extra.push(dataMin);
    if (dataMax != null) extra.push(dataMax);
    const ext = valueExtent(Object.values(this._shown.y), extra);
    if (!ext) return [0, 100];
    const span = Math.max(ext.max - ext.min, 10);
    const padY = span * 0.08;
    return [Math.floor(ext.min - padY), Math.ceil(ext.max + padY)];
  }

  private _xRange(dataMin: number | null, dataMax: number | null): [number, number] {
    let from = this.xRange?.fromS ?? dataMin ?? Date.now() / 1000 - 3600;
    let to = this.xRange?.toS ?? dataMax ?? Date.now() / 1000;
    if (dataMax != null && dataMax > to) to = dataMax;
    if (to <= from) [from, to] = [to - 60, to + 60];
    return [from, to];
  }

  /** The cursor's time in the legend, to the second. */
  private _fmtTime(tsS: number): string {
    if (this.elapsed) return formatElapsed(tsS, true);
    return timeLabelFormat("seconds", this.locale, this.timeZone).format(tsS * 1000);
  }

  /** Time-axis labels, unique on the visible span (see time-axis.ts); `incrS` is uPlot's tick step. */
  private _fmtAxis(splitsS: number[], incrS: number, spanS: number): string[] {
    // A span short enough for seconds keeps them on minute ticks too (a phone's 0:01:00), as its title says h:mm:ss.
    if (this.elapsed) return splitsS.map((s) => formatElapsed(s, incrS < 60 || elapsedShowsSeconds(spanS)));
    return timeAxisLabels(splitsS, incrS, spanS, this.locale, this.timeZone);
  }

  private _fmtValue(v: number | null | undefined): string {
    if (v == null || !Number.isFinite(v)) return "–";
    this._numFmt ??= new Intl.NumberFormat(this.numberLocale ?? this.locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    return `${this._numFmt.format(v)}${this.unit ? ` ${this.unit}` : ""}`;
  }

  private _font(): string {
    return getComputedStyle(this).fontFamily || "sans-serif";
  }

  private _options(): uPlot.Options {
    const host: ChartOptionsHost = {
      series: () => this.series,
      forecasts: () => this.forecasts,
      lines: () => this.lines,
      bands: () => this.bands,
      color: (css) => this._colors.resolve(css),
      // What this chart has not (a forecast gone for now) stays as the legend left it.
      hiddenChanged: (hidden, all) => {
        this._hidden = new Set([...[...this._hidden].filter((id) => !all.includes(id)), ...hidden]);
      },
      font: () => this._font(),
      fmtTime: (tsS) => this._fmtTime(tsS),
      fmtAxis: (splitsS, incrS, spanS) => this._fmtAxis(splitsS, incrS, spanS),
      // Elapsed labels ("26:30") stay short however long the span.
      axisSpace: (spanS) => (this.elapsed ? 60 : timeAxisSpacePx(spanS)),
      axisIncrs: (spanS) => (this.elapsed ? elapsedIncrsS(spanS) : TIME_INCRS_S),
      fmtValue: (v) => this._fmtValue(v),
      xRange: (min, max) => this._xRange(min, max),
      yRange: (min, max) => this._yRange(min, max),
      forecastStart: (key) => lastValue(this._shown, key),
    };
    return buildOptions(host, { width: this._width, height: this.height, timeZone: this.timeZone });
  }
}

if (!customElements.get(CHART_TAG)) customElements.define(CHART_TAG, GrillStatsChart);

declare global {
  interface HTMLElementTagNameMap {
    [CHART_TAG]: GrillStatsChart;
  }
}
