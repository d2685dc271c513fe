import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import "../../../../custom_card/src/chart/live-chart";
import type { ChartSeries } from "../../../../custom_card/src/chart/live-chart";
import { emptyData, type ChartData } from "../../../../custom_card/src/chart/series";
import { elapsedShowsSeconds } from "../../../../custom_card/src/chart/time-axis";
import type { Cook, TemperatureUnit } from "../../../../src/shared/model";
import { api, ApiError, type CookDetail, type HistoryPoint } from "../api";
import { historyToChartData } from "../chart-data";
import { compareKey, compareStyles, compareTag, type CompareLineStyle } from "../compare-style";
import { formatDateTime, formatDuration, formatTemp, unitSymbol } from "../format";
import { LanguageController, locale, localize, numberLocale, probeName, timeZone } from "../localize";
import { routeHref } from "../router";
import { sharedStyles } from "../styles";

const COMPARE_POINTS = 1500;

/** A short stretch of the line as the chart draws it (colour and dash), for the cook cards. */
const swatch = (key: string, style: CompareLineStyle | undefined) =>
  html`<svg class="swatch" width="28" height="8" viewBox="0 0 28 8" aria-hidden="true" data-series=${key}>
    <line x1="0" y1="4" x2="28" y2="4" stroke=${style?.color ?? "#888"} stroke-width="3" stroke-dasharray=${style?.dash ? style.dash.join(" ") : nothing} />
  </svg>`;

/**
 * Two or more cooks overlaid, aligned at their start: x is the time since each cook began (every
 * start at 0; the chart shows it as elapsed h:mm, past 24 h too, with hour ticks from UTC).
 */
@customElement("gs-compare-view")
export class CompareView extends LitElement {
  @property({ attribute: false }) ids: number[] = [];
  @property() unit: TemperatureUnit = "C";
  @state() private _details: CookDetail[] = [];
  @state() private _history = new Map<number, Record<string, HistoryPoint[]>>();
  @state() private _chosen = new Set<string>();
  @state() private _all: Cook[] = [];
  @state() private _error = "";
  @state() private _loading = false;
  /** Ids in the address that name no cook (deleted, merged, mistyped): left out, and said so. */
  @state() private _missing: number[] = [];
  private _loadedIds = "";
  private readonly _language = new LanguageController(this);

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 16px; }
      .cooks { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
      .probe { display: flex; gap: 8px; align-items: center; font-size: 14px; padding: 3px 0; }
      .probe input { width: 18px; height: 18px; min-height: 0; }
      .swatch { flex: none; }
      .tag { font-size: 13px; font-weight: 700; color: var(--primary-text-color); }
      /* On a touch screen each probe's row and the cook's name are a 44 px target, 8 px apart. */
      @media (pointer: coarse) {
        .probe { min-height: 44px; padding: 0; }
        .probe + .probe { margin-top: 8px; }
        .row a { display: inline-flex; align-items: center; min-height: 44px; }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this._loadAll();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    const key = this.ids.join(",");
    if (changed.has("ids") && key !== this._loadedIds) {
      this._loadedIds = key;
      void this._load();
    }
  }

  override render() {
    const { series, data } = this._chart();
    const addable = this._all.filter((c) => !this.ids.includes(c.id));
    return html`
      <div class="row">
        <h2>${localize("compare.title")}</h2>
        <span class="spacer"></span>
        <select aria-label=${localize("compare.add")} id="add" @change=${(e: Event) => this._add(e.target as HTMLSelectElement)}>
          <option value="">${localize("compare.add_option")}</option>
          ${addable.map((c) => html`<option value=${c.id}>${c.name} · ${formatDateTime(c.startMs, locale, timeZone)}</option>`)}
        </select>
      </div>
      ${this._error ? html`<div class="error-text">${this._error}</div>` : nothing}
      ${this._missing.length > 0
        ? html`<div class="card row" role="status" data-testid="compare-missing">
            <span>${localize("compare.missing", { ids: this._missing.map((id) => `#${id}`).join(", ") })}</span>
            <span class="spacer"></span>
            <button @click=${() => this._dropMissing()}>${localize("compare.drop_missing")}</button>
          </div>`
        : nothing}
      ${this._details.length < 2 && !this._loading ? html`<div class="card empty" data-testid="compare-pick">${localize("compare.pick")}</div>` : nothing}
      ${this._details.length > 0 ? this._chartCard(series, data) : nothing}
      <div class="cooks">${this._details.map((d, k) => this._cookCard(d, compareTag(k)))}</div>
    `;
  }

  /** The overlay, or what is missing for one: an empty chart would draw an axis of nonsense times. */
  private _chartCard(series: ChartSeries[], data: ChartData) {
    const hasProbes = this._details.some((d) => d.summary.probes.length > 0);
    const empty = series.length === 0 && hasProbes ? "compare.no_probes" : data.x.length === 0 ? "compare.no_readings" : null;
    // The chart ticks seconds only on a span of a few minutes: the title says which it shows.
    const spanS = (data.x.at(-1) ?? 0) - (data.x[0] ?? 0);
    const units = elapsedShowsSeconds(spanS) ? "compare.axis_units_seconds" : "compare.axis_units";
    return html`<div class="card">
      <h3>${localize("compare.axis")} <span class="muted" data-testid="compare-axis-units">${localize(units, { unit: unitSymbol(this.unit) })}</span></h3>
      ${this._loading ? html`<div class="muted">${localize("common.loading")}</div>` : nothing}
      ${empty
        ? html`<div class="empty" data-testid="compare-empty">${localize(empty)}</div>`
        : html`<grill-stats-chart
            .series=${series}
            .data=${data}
            .unit=${unitSymbol(this.unit)}
            .height=${360}
            .elapsed=${true}
            .timeZone=${"UTC"}
            .locale=${locale}
            .numberLocale=${numberLocale}
          ></grill-stats-chart>`}
    </div>`;
  }

  private _cookCard(d: CookDetail, tag: string) {
    const { cook, summary } = d;
    const styles = this._styles();
    return html`<div class="card">
      <div class="row">
        <span class="badge tag" data-testid="cook-tag" title=${localize("compare.tag_title", { tag })}>${tag}</span>
        <a href=${routeHref({ view: "cook", id: cook.id })}><b>${cook.name}</b></a>
        <span class="spacer"></span>
        <button aria-label=${localize("compare.remove_label")} @click=${() => this._remove(cook.id)}>${localize("compare.remove")}</button>
      </div>
      <div class="muted">${formatDateTime(cook.startMs, locale, timeZone)} · ${formatDuration(summary.durationMs, localize)}</div>
      ${summary.probes.map((p) => {
        const key = compareKey(cook.id, p.probeId);
        return html`<label class="probe">
          <input type="checkbox" .checked=${this._chosen.has(key)} @change=${() => this._toggle(key)} />
          ${swatch(key, styles.get(key))}
          <span>${probeName(p)}</span><span class="muted">${localize("common.max", { value: formatTemp(p.maxC, this.unit, numberLocale) })}</span>
        </label>`;
      })}
    </div>`;
  }

  /** Every line its own colour, every cook its own dash (see compare-style.ts); pits thinner. */
  private _styles(): Map<string, CompareLineStyle> {
    return compareStyles(this._details.map((d) => ({ cookId: d.cook.id, probes: d.summary.probes.map((p) => ({ id: p.probeId, role: p.role })) })));
  }

  private _chart(): { series: ChartSeries[]; data: ChartData } {
    const styles = this._styles();
    const series: ChartSeries[] = [];
    const history: Record<string, HistoryPoint[]> = {};
    const offsets: Record<string, number> = {};
    for (const [k, d] of this._details.entries()) {
      const cookHistory = this._history.get(d.cook.id) ?? {};
      for (const p of d.summary.probes) {
        const key = compareKey(d.cook.id, p.probeId);
        if (!this._chosen.has(key)) continue;
        const style = styles.get(key);
        series.push({ key, label: `${compareTag(k)} · ${probeName(p)}`, color: style?.color ?? "#888", ...(style?.dash ? { dash: style.dash } : {}), width: p.role === "pit" ? 1.5 : 2 });
        history[key] = cookHistory[p.probeId] ?? [];
        offsets[key] = d.cook.startMs;
      }
    }
    return { series, data: series.length ? historyToChartData(history, this.unit, offsets) : emptyData([]) };
  }

  private _toggle(key: string): void {
    const next = new Set(this._chosen);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this._chosen = next;
  }

  private _add(select: HTMLSelectElement): void {
    const id = Number(select.value);
    select.value = "";
    if (id) location.hash = routeHref({ view: "compare", ids: [...this.ids, id] });
  }

  private _remove(id: number): void {
    location.hash = routeHref({ view: "compare", ids: this.ids.filter((x) => x !== id) });
  }

  private _dropMissing(): void {
    location.hash = routeHref({ view: "compare", ids: this.ids.filter((x) => !this._missing.includes(x)) });
  }

  /** The cooks of `ids` that exist, and the ids the add-on does not know (any other failure is thrown). */
  private async _loadDetails(ids: number[]): Promise<{ details: CookDetail[]; missing: number[] }> {
    const answers = await Promise.allSettled(ids.map((id) => api.cook(id)));
    const details: CookDetail[] = [];
    const missing: number[] = [];
    for (const [i, a] of answers.entries()) {
      if (a.status === "fulfilled") details.push(a.value);
      else if (a.reason instanceof ApiError && a.reason.status === 404) missing.push(ids[i] as number);
      else throw a.reason instanceof Error ? a.reason : new Error(String(a.reason));
    }
    return { details, missing };
  }

  private async _load(): Promise<void> {
    const ids = this.ids;
    const key = this._loadedIds;
    this._loading = true;
    this._error = "";
    try {
      const { details, missing } = await this._loadDetails(ids);
      const histories = await Promise.all(
        details.map(async (d) => {
          const end = d.cook.endMs ?? Date.now();
          const res = d.cook.probeIds.length ? await api.history(d.cook.probeIds, d.cook.startMs, Math.max(end, d.cook.startMs + 1000), COMPARE_POINTS) : { probes: {} as Record<string, HistoryPoint[]> };
          return [d.cook.id, res.probes] as const;
        }),
      );
      // Another set of cooks was asked for meanwhile: its load shows.
      if (key !== this._loadedIds) return;
      const chosen = new Set(this._chosen);
      for (const d of details) {
        const known = d.summary.probes.some((p) => chosen.has(compareKey(d.cook.id, p.probeId)));
        if (!known) for (const p of d.summary.probes) if (p.role !== "pit") chosen.add(compareKey(d.cook.id, p.probeId));
      }
      this._details = details;
      this._missing = missing;
      this._history = new Map(histories);
      this._chosen = chosen;
    } catch (err) {
      this._error = localize("cooks.failed", { error: err instanceof Error ? err.message : String(err) });
    } finally {
      this._loading = false;
    }
  }

  private async _loadAll(): Promise<void> {
    try {
      this._all = (await api.cooks(100)).cooks;
    } catch (err) {
      this._error = localize("compare.list_failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-compare-view": CompareView;
  }
}
