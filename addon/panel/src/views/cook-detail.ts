import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { styleMap } from "lit/directives/style-map.js";
import "../../../../custom_card/src/chart/live-chart";
import type { GrillStatsChart } from "../../../../custom_card/src/chart/live-chart";
import { emptyData, type ChartData } from "../../../../custom_card/src/chart/series";
import type { TemperatureUnit } from "../../../../src/shared/model";
import { api, ApiError, type CookDetail, type HistoryPoint } from "../api";
import { eventsToBands, historyToChartData, probeColors, settingsToLines, toSeries } from "../chart-data";
import { formatClock, formatDateTime, formatDuration, formatSettingNumber, formatTempValue, roleLabel, toUnit, unitSymbol } from "../format";
import type { LiveData } from "../live";
import { LanguageController, locale, localize, numberLocale, probeName, timeZone } from "../localize";
import { sharedStyles } from "../styles";
import "./cook-tools";

const DETAIL_POINTS = 2000;

/** One cook: chart with its events, per-probe summary, rename, notes; the editing tools live in `<gs-cook-tools>`. */
@customElement("gs-cook-detail")
export class CookDetailView extends LitElement {
  @property({ type: Number }) cookId = 0;
  @property() unit: TemperatureUnit = "C";
  @property({ attribute: false }) live: LiveData | undefined;
  @state() private _detail: CookDetail | null = null;
  @state() private _data: ChartData = emptyData([]);
  @state() private _error = "";
  @state() private _saved = "";
  @query("grill-stats-chart") private _chart!: GrillStatsChart | null;
  private _unsubscribe: (() => void) | null = null;
  private _loadedKey = "";
  /** The cook shown was deleted: no more requests for it. */
  private _deleted = false;
  private readonly _language = new LanguageController(this);

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 16px; }
      .head { display: flex; flex-direction: column; gap: 8px; }
      .name { font-size: 22px; font-weight: 500; flex: 1; min-width: 200px; }
      .name-input { font-size: 20px; font-weight: 500; flex: 1; min-width: 200px; max-width: 520px; }
      textarea { width: 100%; min-height: 90px; resize: vertical; }
      .summary td.num, .summary th.num { text-align: right; }
      .summary td.num { white-space: nowrap; }
      .summary .unit { text-transform: none; }
      .summary .when { white-space: nowrap; }
      @media (max-width: 480px) {
        .summary th, .summary td { padding-left: 3px; padding-right: 3px; }
      }
      .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
      .saved { color: var(--success-color); font-size: 14px; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this._unsubscribe =
      this.live?.subscribe({
        cook: (change) => {
          const id = change.type === "event" ? change.event.cookId : change.cook.id;
          if (id !== this.cookId) return;
          // Deleted (here, or elsewhere): there is nothing to load, asking would only get a 404.
          if (change.type === "changed" && change.change === "deleted") this._gone();
          else void this._load(false);
        },
        reading: (r) => {
          const cook = this._detail?.cook;
          if (!cook || cook.endMs !== null || !cook.probeIds.includes(r.probeId)) return;
          this._chart?.appendPoint(r.tsMs / 1000, { [r.probeId]: r.tempC === null ? null : toUnit(r.tempC, this.unit) });
        },
      }) ?? null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribe?.();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    const key = `${this.cookId}|${this.unit}`;
    if ((changed.has("cookId") || changed.has("unit")) && key !== this._loadedKey) {
      if (changed.has("cookId")) this._deleted = false;
      this._loadedKey = key;
      void this._load(true);
    }
  }

  override render() {
    const d = this._detail;
    if (this._error && !d) return html`<div class="card error-text">${this._error}</div><a href="#/cooks">${localize("cook.back_to_cooks")}</a>`;
    if (!d) return html`<div class="muted">${localize("common.loading")}</div>`;
    const { cook, summary, events } = d;
    const colors = probeColors(summary.probes.map((p) => ({ id: p.probeId, name: probeName(p), role: p.role })));
    const series = toSeries(summary.probes.map((p) => ({ id: p.probeId, name: probeName(p), role: p.role })), colors);
    return html`
      <div class="head">
        <div class="row"><a href="#/cooks">${localize("cook.back")}</a></div>
        <div class="row">
          <input class="name-input" aria-label=${localize("cook.name")} maxlength="100" .value=${cook.name} data-testid="cook-name" />
          <button @click=${() => void this._rename()}>${localize("cook.rename")}</button>
          ${cook.endMs === null ? html`<span class="badge ok">${localize("common.running")}</span>` : nothing}
        </div>
        <div class="muted">
          ${formatDateTime(cook.startMs, locale, timeZone)} – ${cook.endMs === null ? localize("cook.now") : formatDateTime(cook.endMs, locale, timeZone)} · ${formatDuration(summary.durationMs, localize)}
        </div>
        ${this._error ? html`<div class="error-text">${this._error}</div>` : nothing}
        ${this._saved ? html`<div class="saved">${this._saved}</div>` : nothing}
      </div>
      <div class="card">
        <grill-stats-chart
          .series=${series}
          .data=${this._data}
          .bands=${eventsToBands(events, cook.endMs ?? Date.now(), cook.startMs, localize, new Map(summary.probes.map((p) => [p.probeId, probeName(p)])))}
          .lines=${settingsToLines(
            summary.probes.map((p) => ({ id: p.probeId, name: probeName(p), targetC: p.targetC, highC: null, lowC: null })),
            colors,
            this.unit,
            localize,
            numberLocale,
          )}
          .unit=${unitSymbol(this.unit)}
          .locale=${locale}
          .numberLocale=${numberLocale}
          .timeZone=${timeZone}
          .height=${340}
        ></grill-stats-chart>
      </div>
      <div class="card">
        <h3>${localize("cook.probes")}</h3>
        <div class="table-scroll">
          <table class="summary">
            <thead>
              <tr>
                <th>${localize("cook.col_probe")}</th>
                ${(["cook.col_min", "cook.col_max", "cook.col_last", "cook.col_target"] as const).map(
                  // The unit once in the head, not in every cell: the table fits a phone.
                  (key) => html`<th class="num">${localize(key)} <span class="unit">${unitSymbol(this.unit)}</span></th>`,
                )}
                <th>${localize("cook.col_reached")}</th>
              </tr>
            </thead>
            <tbody>
              ${summary.probes.map(
                (p) => html`<tr>
                  <td>
                    <span class="swatch" style=${styleMap({ background: colors.get(p.probeId) ?? "#888" })}></span>${probeName(p)}
                    ${probeName(p).toLowerCase().includes(p.role) ? nothing : html`<span class="muted">${roleLabel(p.role, localize)}</span>`}
                  </td>
                  <td class="num">${formatTempValue(p.minC, this.unit, numberLocale)}</td>
                  <td class="num">${formatTempValue(p.maxC, this.unit, numberLocale)}</td>
                  <td class="num">${formatTempValue(p.lastC, this.unit, numberLocale)}</td>
                  <td class="num">${p.targetC === null ? "–" : formatSettingNumber(toUnit(p.targetC, this.unit), numberLocale)}</td>
                  <td>
                    ${p.targetReachedMs === null
                      ? "–"
                      : html`<span class="when">${formatClock(p.targetReachedMs, locale, timeZone)}</span>
                          <div class="muted">${localize("cook.reached_after", { duration: formatDuration(p.targetReachedMs - cook.startMs, localize) })}</div>`}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </div>
      <div class="card">
        <h3>${localize("cook.notes")}</h3>
        <textarea
          aria-label=${localize("cook.notes")}
          maxlength="20000"
          .value=${cook.notes}
          data-testid="notes"
          placeholder=${localize("cook.notes_placeholder")}
        ></textarea>
        <div class="row"><button @click=${() => void this._saveNotes()}>${localize("cook.save_notes")}</button></div>
      </div>
      <gs-cook-tools
        .detail=${d}
        @cook-edited=${() => void this._load(true)}
        @cook-notice=${(e: CustomEvent<string>) => this._flash(e.detail)}
      ></gs-cook-tools>
    `;
  }

  private async _load(withHistory: boolean): Promise<void> {
    const id = this.cookId;
    if (this._deleted) return;
    try {
      const detail = await api.cook(id);
      if (id !== this.cookId || this._deleted) return;
      this._detail = detail;
      this._error = "";
      if (withHistory) {
        const { cook } = detail;
        const toMs = cook.endMs ?? Date.now() + 60_000;
        const history = cook.probeIds.length ? await api.history(cook.probeIds, cook.startMs, Math.max(toMs, cook.startMs + 1000), DETAIL_POINTS) : { probes: {} as Record<string, HistoryPoint[]> };
        if (id !== this.cookId) return;
        this._data = historyToChartData(Object.fromEntries(cook.probeIds.map((p) => [p, history.probes[p] ?? []])), this.unit);
      }
    } catch (err) {
      // A late answer for a cook no longer shown says nothing about the one shown now.
      if (id !== this.cookId) return;
      if (err instanceof ApiError && err.status === 404) {
        // Not the cook shown before under another's address: none.
        this._detail = null;
        this._error = localize("cook.not_found");
        return;
      }
      this._error = err instanceof Error ? err.message : String(err);
    }
  }

  private _gone(): void {
    this._deleted = true;
    this._detail = null;
    this._error = localize("cook.deleted");
  }

  private _flash(message: string): void {
    this._saved = message;
    window.setTimeout(() => {
      if (this._saved === message) this._saved = "";
    }, 4000);
  }

  private async _rename(): Promise<void> {
    const input = this.renderRoot.querySelector<HTMLInputElement>(".name-input");
    const name = input?.value.trim() ?? "";
    if (!name) {
      this._error = localize("cook.name_empty");
      return;
    }
    await this._patch({ name }, localize("cook.renamed"));
  }

  private async _saveNotes(): Promise<void> {
    const notes = this.renderRoot.querySelector<HTMLTextAreaElement>("textarea")?.value ?? "";
    await this._patch({ notes }, localize("cook.notes_saved"));
  }

  private async _patch(patch: { name?: string; notes?: string }, message: string): Promise<void> {
    try {
      const cook = await api.updateCook(this.cookId, patch);
      if (this._detail) this._detail = { ...this._detail, cook };
      this._error = "";
      this._flash(message);
    } catch (err) {
      this._error = err instanceof Error ? err.message : String(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-cook-detail": CookDetailView;
  }
}
