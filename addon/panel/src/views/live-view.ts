import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import "../../../../custom_card/src/chart/live-chart";
import type { GrillStatsChart } from "../../../../custom_card/src/chart/live-chart";
import { emptyData, type ChartData } from "../../../../custom_card/src/chart/series";
import { isRfxSensor, type AlarmState, type CookEvent, type Device, type ProbeState, type Reading, type TemperatureUnit } from "../../../../src/shared/model";
import { alarmDescriber } from "../alarm-text";
import { api, type HistoryPoint } from "../api";
import { eventsToBands, historyToChartData, probeColors, settingsToLines, toForecasts, toSeries } from "../chart-data";
import { formatDateTime, formatDuration, toUnit, unitSymbol } from "../format";
import type { LiveData } from "../live";
import { LanguageController, locale, localize, numberLocale, timeZone } from "../localize";
import { sharedStyles } from "../styles";
import "./alarm-banner";
import "./probe-tile";

const NO_COOK_WINDOW_MS = 4 * 3600_000;
const HISTORY_POINTS = 1500;

const byChannel = (a: ProbeState, b: ProbeState): number => a.id.localeCompare(b.id, "en", { numeric: true });

/** Live: alarm banner, one tile per probe, and the chart of the current cook (history, then live from the stream). */
@customElement("gs-live-view")
export class LiveView extends LitElement {
  @property({ attribute: false }) live!: LiveData;
  @property() unit: TemperatureUnit = "C";
  @property({ attribute: false }) devices: Device[] = [];
  @state() private _data: ChartData = emptyData([]);
  @state() private _events: CookEvent[] = [];
  @state() private _now = Date.now();
  @state() private _chartError = "";
  /** The four sensors of an RFX Meat probe are hidden behind its core (as in the ThermoWorks app) unless asked for. */
  @state() private _showSensors = false;
  @query("grill-stats-chart") private _chart!: GrillStatsChart | null;
  private _unsubscribe: (() => void) | null = null;
  private _timer = 0;
  private _loadKey = "";
  private _loading: Reading[] | null = null;
  private _keys = new Set<string>();
  private readonly _language = new LanguageController(this);

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 16px; }
      /* min(): on a screen narrower than a tile (a phone at 200 % zoom) one tile as wide as the page, not wider. */
      .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(260px, 100%), 1fr)); gap: 12px; }
      .cook { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
      .cook .name { font-size: 20px; font-weight: 500; }
      .chart-card h3 { display: flex; gap: 8px; align-items: baseline; }
      grill-stats-chart { margin-top: 4px; }
      .sensors { align-self: flex-start; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this._unsubscribe = this.live.subscribe({
      changed: () => {
        this.requestUpdate();
        void this._maybeReload();
      },
      snapshot: () => void this._maybeReload(true),
      reading: (r) => this._onReading(r),
      cook: (change) => {
        if (change.type === "event" && change.event.cookId === this.live.cook?.id) this._events = [...this._events, change.event];
        else if (change.type === "changed" && change.cook.id === this.live.cook?.id) void this._loadEvents();
      },
    });
    this._timer = window.setInterval(() => (this._now = Date.now()), 30_000);
    void this._maybeReload(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribe?.();
    window.clearInterval(this._timer);
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has("unit")) void this._maybeReload(true);
  }

  /** The probes shown: every probe but RFX sensors, unless they were asked for. */
  private _probes(): ProbeState[] {
    const all = [...this.live.probes].sort(byChannel);
    return this._showSensors ? all : all.filter((p) => !isRfxSensor(p.deviceKind, p.channel));
  }

  override render() {
    const probes = this._probes();
    const sensors = this.live.probes.filter((p) => isRfxSensor(p.deviceKind, p.channel)).length;
    // From every probe, shown or not: showing the RFX sensors repaints none of the others.
    const colors = probeColors(this.live.probes);
    const cook = this.live.cook;
    const devices = new Map(this.devices.map((d) => [d.key, d]));
    const alarmsByProbe = new Map<string, AlarmState>();
    for (const a of this.live.activeAlarms()) if (a.probeId && !alarmsByProbe.has(a.probeId)) alarmsByProbe.set(a.probeId, a);
    const chartProbes = this._chartProbes(probes);
    return html`
      <gs-alarm-banner .alarms=${this.live.activeAlarms()} .describe=${alarmDescriber(this.live.probes, this.devices, this.unit, locale, this._now, [], numberLocale, timeZone)}></gs-alarm-banner>
      ${cook
        ? html`<div class="cook">
            <span class="name">${cook.name}</span>
            <span class="muted">${localize("live.started", { time: formatDateTime(cook.startMs, locale, timeZone), duration: formatDuration(this._now - cook.startMs, localize) })}</span>
            <a href="#/cooks/${cook.id}">${localize("live.cook_details")}</a>
          </div>`
        : nothing}
      ${probes.length === 0
        ? html`<div class="card empty">${localize(this.live.hasSnapshot ? "live.no_probes" : "live.connecting")}</div>`
        : html`<div class="tiles">
            ${probes.map(
              (p) => html`<gs-probe-tile
                .probe=${p}
                .unit=${this.unit}
                .color=${colors.get(p.id) ?? "#888"}
                .device=${devices.get(p.deviceKey)}
                .alarm=${alarmsByProbe.get(p.id)}
                .nowMs=${this._now}
                .cookId=${cook && cook.probeIds.includes(p.id) ? cook.id : null}
              ></gs-probe-tile>`,
            )}
          </div>`}
      ${sensors > 0
        ? html`<button class="sensors" data-testid="sensors-toggle" @click=${this._toggleSensors}>
            ${this._showSensors ? localize("live.hide_sensors") : localize("live.show_sensors", { count: sensors })}
          </button>`
        : nothing}
      <div class="card chart-card">
        <h3>${localize(cook ? "live.chart_cook" : "live.chart_recent")}<span class="muted">${unitSymbol(this.unit)}</span></h3>
        ${this._chartError ? html`<div class="error-text">${this._chartError}</div>` : nothing}
        <grill-stats-chart
          .series=${toSeries(chartProbes, colors)}
          .data=${this._data}
          .lines=${settingsToLines(chartProbes, colors, this.unit, localize, numberLocale)}
          .bands=${eventsToBands(this._events, this._now, cook?.startMs, localize, new Map(this.live.probes.map((p) => [p.id, p.name])))}
          .forecasts=${toForecasts(chartProbes, this.unit, localize)}
          .unit=${unitSymbol(this.unit)}
          .locale=${locale}
          .numberLocale=${numberLocale}
          .timeZone=${timeZone}
          .height=${320}
        ></grill-stats-chart>
      </div>
    `;
  }

  private _toggleSensors(): void {
    this._showSensors = !this._showSensors;
    void this._maybeReload();
  }

  /** The cook's probes, or every probe when no cook is running. */
  private _chartProbes(probes: ProbeState[]): ProbeState[] {
    const cook = this.live.cook;
    if (!cook) return probes;
    const inCook = probes.filter((p) => cook.probeIds.includes(p.id));
    return inCook.length > 0 ? inCook : probes;
  }

  private _onReading(r: Reading): void {
    if (this._loading) {
      this._loading.push(r);
      return;
    }
    if (!this._keys.has(r.probeId)) {
      void this._maybeReload();
      return;
    }
    const value = r.tempC === null ? null : toUnit(r.tempC, this.unit);
    if (this._chart) this._chart.appendPoint(r.tsMs / 1000, { [r.probeId]: value });
  }

  /** Loads history when the cook, the probe set or the unit changed (or after a reconnect). */
  private async _maybeReload(force = false): Promise<void> {
    if (!this.live.hasSnapshot) return;
    const cook = this.live.cook;
    const ids = this._chartProbes(this._probes()).map((p) => p.id);
    const key = JSON.stringify([cook?.id ?? null, ids, this.unit]);
    if (!force && key === this._loadKey) return;
    this._loadKey = key;
    // Minute-aligned bounds: every open tab and every reload asks the same question, which the
    // server answers from its history cache.
    const now = Date.now();
    const fromMs = cook ? cook.startMs : Math.floor((now - NO_COOK_WINDOW_MS) / 60_000) * 60_000;
    this._loading = [];
    try {
      const history = ids.length > 0 ? await api.history(ids, fromMs, Math.ceil(now / 60_000) * 60_000 + 60_000, HISTORY_POINTS) : { probes: {} as Record<string, HistoryPoint[]> };
      if (key !== this._loadKey) return;
      const data = historyToChartData(Object.fromEntries(ids.map((id) => [id, history.probes[id] ?? []])), this.unit);
      this._keys = new Set(ids);
      this._data = data;
      this._chartError = "";
      await this._loadEvents();
    } catch (err) {
      this._chartError = localize("live.history_failed", { error: err instanceof Error ? err.message : String(err) });
    } finally {
      const queued = this._loading ?? [];
      this._loading = null;
      await this.updateComplete;
      for (const r of queued) this._onReading(r);
    }
  }

  private async _loadEvents(): Promise<void> {
    const cook = this.live.cook;
    if (!cook) {
      this._events = [];
      return;
    }
    try {
      this._events = (await api.cook(cook.id)).events;
    } catch (err) {
      this._chartError = localize("live.events_failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-live-view": LiveView;
  }
}
