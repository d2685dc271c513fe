import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import { toNumberInput } from "../../src/shared/number-input";
import "./chart/live-chart";
import type { GrillStatsChart } from "./chart/live-chart";
import { computeChartModel } from "./chart-model";
import { WINDOWS, assignProbeColors, validateConfig, type CardConfig, type WindowKey } from "./config";
import { EDITOR_TAG } from "./const";
import { CardHistory } from "./data/card-history";
import { renderDevices } from "./devices";
import { activeCookStartS, discoverProbeKeys, watchedEntityIds } from "./entities";
import { createFormatContext, type FormatContext } from "./format";
import type { HomeAssistant, LovelaceCardEditor } from "./ha-types";
import { createLocalize, pickLanguage, type Localize, type TranslationKey } from "./localize";
import { renderProbeTile } from "./probe-tile";
import { readProbe, type ProbeView, type SettingKind } from "./probe-view";
import { parseSettingInput } from "./settings";
import { cardStyles } from "./styles";

/** `custom:grill-stats-card`: probes at a glance, settings, alarms and a live chart. */
export class GrillStatsCard extends LitElement {
  @property({ attribute: false }) hass?: HomeAssistant;
  @state() private _config?: CardConfig;
  @state() private _window: WindowKey = "4h";
  @state() private _editing: { probe: string; kind: SettingKind } | null = null;
  @state() private _errors: Record<string, string> = {};
  private _keys: string[] = [];
  private _stateCount = -1;
  private _themeKey = "";
  private _timer: ReturnType<typeof setInterval> | undefined;
  private _localize: Localize = createLocalize("en");
  private _fmt: FormatContext = createFormatContext(undefined);
  private readonly _history = new CardHistory({ requestUpdate: () => this.requestUpdate(), chart: () => this._chart() });

  static override styles = cardStyles;

  /** Lovelace: validate (throws a readable Error) and keep the config. */
  setConfig(config: unknown): void {
    this._config = validateConfig(config);
    this._window = this._config.window;
  }

  /** No probe list: a card added from the picker finds every probe, and new ones as they appear. */
  static getStubConfig(): Record<string, unknown> {
    return { window: "4h" };
  }

  static async getConfigElement(): Promise<LovelaceCardEditor> {
    await import("./editor");
    return document.createElement(EDITOR_TAG) as LovelaceCardEditor;
  }

  /** Masonry view, in 50 px: the header, two tiles a row (a meat tile with its forecast, stall and settings is 200–240 px), the chart. */
  getCardSize(): number {
    const tiles = Math.ceil(Math.ceil(Math.max(1, this._keys.length) / 2) * 4.5);
    const chart = this._config?.show_chart === false ? 0 : Math.ceil((this._config?.chart_height ?? 220) / 50) + 1;
    return 1 + tiles + chart;
  }

  /**
   * Sections view: the whole section's width, and as tall as the card is ("auto": the grid
   * measures it). Its height depends on the width (two tiles a row in a section, one on a phone),
   * the probes and the chart; a fixed count of rows was 300 px short for six probes.
   */
  getGridOptions(): Record<string, number | string> {
    return { columns: 12, rows: "auto", min_rows: 3, min_columns: 6 };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._timer = setInterval(() => this.requestUpdate(), 30_000);
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._timer);
    this._history.stop();
  }

  /** A new `hass` re-renders only when one of our entities, the locale or the theme changed. */
  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    if (!(changed.size === 1 && changed.has("hass"))) return true;
    const old = changed.get("hass") as HomeAssistant | undefined;
    const hass = this.hass;
    if (!old || !hass) return true;
    if (old.locale !== hass.locale || old.language !== hass.language || old.themes !== hass.themes || old.config !== hass.config) return true;
    if (Object.keys(hass.states).length !== this._stateCount) return true;
    return watchedEntityIds(this._keys, hass.states).some((id) => old.states[id] !== hass.states[id]);
  }

  protected override willUpdate(changed: PropertyValues): void {
    const hass = this.hass;
    if (!hass || !this._config) return;
    if (changed.has("hass")) {
      this._localize = createLocalize(pickLanguage(hass));
      this._fmt = createFormatContext(hass);
    }
    if (changed.has("hass") || changed.has("_config")) {
      // Probes appear and disappear with entities: rediscover when the entity count changes.
      const count = Object.keys(hass.states).length;
      if (count !== this._stateCount || changed.has("_config")) {
        this._stateCount = count;
        this._keys = this._config.probes?.map((p) => p.probe) ?? discoverProbeKeys(hass.states);
      }
    }
    const cfg = this._config;
    this._history.sync(hass, cfg.show_chart && this.isConnected ? { keys: this._keys, window: this._window, cookHours: cfg.cook_hours, cookStartS: activeCookStartS(hass.states) } : null);
    this._history.appendLive(hass);
  }

  protected override updated(): void {
    const t = this.hass?.themes;
    const key = JSON.stringify([t?.darkMode, t?.theme, this.hass?.selectedTheme ?? null]);
    if (key !== this._themeKey) {
      const first = this._themeKey === "";
      this._themeKey = key;
      // HA applies the new theme variables in the same frame; resolve canvas colours after it.
      if (!first) requestAnimationFrame(() => this._chart()?.refreshColors());
    }
  }

  private _chart(): GrillStatsChart | null {
    return this.renderRoot.querySelector("grill-stats-chart");
  }

  private async _commit(probe: ProbeView, kind: SettingKind, raw: string): Promise<void> {
    if (this._editing?.probe !== probe.key || this._editing.kind !== kind || !this.hass) return;
    const setting = probe.settings[kind];
    const parsed = parseSettingInput(raw, setting, probe.unit, this._fmt);
    if (!parsed.ok) {
      // Not a number: an example in the profile's number format says which decimal mark it takes.
      const withUnit = (n: number): string => (probe.unitLabel ? `${toNumberInput(n, this._fmt.numberLocale)}\u00a0${probe.unitLabel}` : toNumberInput(n, this._fmt.numberLocale));
      const message =
        parsed.reason === "not_a_number"
          ? this._localize("setting.not_a_number", { example: withUnit(probe.unit === "°F" ? 203.5 : 95.5) })
          : this._localize("setting.out_of_range", { min: withUnit(parsed.min), max: withUnit(parsed.max) });
      this._errors = { ...this._errors, [probe.key]: message };
      return;
    }
    // Enter (focus still in the field): give focus back to the chip, not to the page.
    const refocus = this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement?.tagName === "INPUT";
    this._editing = null;
    if (refocus) this._focusChip(probe.key, kind);
    await this._call(probe.key, "input_number", "set_value", { entity_id: setting.entityId, value: parsed.value });
  }

  /** Keyboard users keep their place: after an edit closes, focus is on the setting's chip again. */
  private _focusChip(probe: string, kind: SettingKind): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-probe="${probe}"] button[data-setting="${kind}"]`)?.focus());
  }

  private async _call(probeKey: string, domain: string, service: string, data: Record<string, unknown>): Promise<void> {
    const { [probeKey]: _, ...rest } = this._errors;
    this._errors = rest;
    try {
      await this.hass?.callService(domain, service, data);
    } catch (err) {
      // Shown in the tile: the user must know the setting did not stick.
      const message = err && typeof err === "object" && "message" in err ? String((err as { message: unknown }).message) : String(err);
      if (this.isConnected) this._errors = { ...this._errors, [probeKey]: message };
    }
  }

  private _renderChart(probes: ProbeView[], colors: Record<string, string>): TemplateResult | typeof nothing {
    const cfg = this._config as CardConfig;
    if (!cfg.show_chart || probes.length === 0) return nothing;
    const nowS = Date.now() / 1000;
    const model = computeChartModel(probes, colors, this._history.stall, this._localize, {
      showForecast: cfg.show_forecast,
      showAlarmLines: cfg.show_alarm_lines,
      nowS,
    });
    const h = this._history;
    const fromS = this._window === "cook" ? (h.cookStartS ?? h.data.x[0] ?? nowS - 3600) : h.windowFromS(nowS);
    const hc = this._fmt.hour12 === undefined ? "" : this._fmt.hour12 ? "-u-hc-h12" : "-u-hc-h23";
    return html`<div class="chart">
      <div class="windows" role="group" aria-label=${this._localize("chart.window")}>
        ${WINDOWS.map(
          (w) => html`<button aria-pressed=${w === this._window ? "true" : "false"} data-window=${w} @click=${() => (this._window = w)}>
            ${this._localize(`window.${w}` as TranslationKey)}
          </button>`,
        )}
      </div>
      ${this._history.status === "error" ? html`<div class="note">${this._localize("chart.history_failed", { error: this._history.error })}</div>` : nothing}
      <grill-stats-chart
        .series=${model.series}
        .data=${this._history.data}
        .lines=${model.lines}
        .bands=${model.bands}
        .forecasts=${model.forecasts}
        .unit=${model.unit}
        .height=${cfg.chart_height}
        .locale=${`${this._fmt.locale}${hc}`}
        .numberLocale=${this._fmt.numberLocale}
        .timeZone=${this._fmt.timeZone}
        .xRange=${{ fromS, toS: nowS }}
      ></grill-stats-chart>
    </div>`;
  }

  override render(): TemplateResult {
    const cfg = this._config;
    const hass = this.hass;
    if (!cfg || !hass) return html`<ha-card></ha-card>`;
    const l = this._localize;
    if (this._keys.length === 0) return html`<ha-card><div class="empty">${l("card.no_probes")}</div></ha-card>`;
    const nameOf = new Map(cfg.probes?.map((p) => [p.probe, p]) ?? []);
    const probes = this._keys.map((k) => readProbe(hass.states, k, nameOf.get(k)?.name));
    const colors = assignProbeColors(this._keys.map((k) => ({ probe: k, color: nameOf.get(k)?.color })));
    const nowMs = Date.now();
    return html`<ha-card>
      ${cfg.title || cfg.show_device
        ? html`<div class="header">
            ${cfg.title ? html`<div class="title">${cfg.title}</div>` : nothing}
            ${cfg.show_device ? renderDevices(probes, this._fmt, l) : nothing}
          </div>`
        : nothing}
      <div class="probes">
        ${probes.map((p) =>
          renderProbeTile(p, colors[p.key] ?? "", {
            fmt: this._fmt,
            localize: l,
            nowMs,
            editing: this._editing?.probe === p.key ? this._editing.kind : null,
            error: this._errors[p.key] ?? null,
            has: { acknowledge: !!hass.states[p.ids.acknowledge], snooze: !!hass.states[p.ids.snooze], wrapped: !!hass.states[p.ids.wrapped] },
            onEdit: (kind) => this._startEdit(p.key, kind),
            onCommit: (kind, raw) => void this._commit(p, kind, raw),
            onCancel: () => {
              const kind = this._editing?.kind;
              this._editing = null;
              if (kind) this._focusChip(p.key, kind);
            },
            onClear: (kind) => {
              this._editing = null;
              this._focusChip(p.key, kind);
              void this._call(p.key, "input_number", "set_value", { entity_id: p.settings[kind].entityId, value: p.settings[kind].min });
            },
            onPress: (action) => void this._call(p.key, "input_button", "press", { entity_id: p.ids[action] }),
          }),
        )}
      </div>
      ${this._renderChart(probes, colors)}
    </ha-card>`;
  }

  private _startEdit(probe: string, kind: SettingKind): void {
    this._editing = { probe, kind };
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>(`[data-probe="${probe}"] input[data-setting="${kind}"]`);
      input?.focus();
      input?.select();
    });
  }
}
