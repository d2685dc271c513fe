import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { TemperatureUnit } from "../../../../src/shared/model";
import { api, type CookListItem } from "../api";
import type { LiveData } from "../live";
import { formatDateTime, formatDuration, formatTemp } from "../format";
import { LanguageController, locale, localize, numberLocale, probeName, timeZone } from "../localize";
import { routeHref } from "../router";
import { sharedStyles } from "../styles";

const COOKS_PAGE = 30;
/** A running cook's duration and highest temperatures move: the open list reads them again this often. */
const RUNNING_REFRESH_MS = 60_000;
/** Several cook changes in a row (a split, a merge) are read once. */
const CHANGE_DEBOUNCE_MS = 500;

/**
 * All cooks, newest first: name, date, duration, probes with their highest temperature. Pick 2+ to
 * compare. It follows the live stream: a cook started, ended, renamed or deleted, and the add-on
 * back after it was away, read the first page again.
 */
@customElement("gs-cooks-view")
export class CooksView extends LitElement {
  @property() unit: TemperatureUnit = "C";
  @property({ attribute: false }) live: LiveData | null = null;
  @state() private _cooks: CookListItem[] = [];
  @state() private _next: number | null = null;
  @state() private _loading = true;
  @state() private _error = "";
  @state() private _selected = new Set<number>();
  private readonly _language = new LanguageController(this);

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 12px; }
      .list { display: flex; flex-direction: column; gap: 8px; }
      .cook { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; align-items: start; text-decoration: none; color: inherit; }
      .cook input { width: 20px; height: 20px; min-height: 0; margin: 0; }
      /* The label around the checkbox is the tap target: 28 px with a mouse, 44 on a touch screen. */
      .pick { display: flex; align-items: center; justify-content: center; min-width: 28px; min-height: 28px; margin: -4px 0 0 -4px; cursor: pointer; }
      @media (pointer: coarse) { .pick { min-width: 44px; min-height: 44px; margin: -12px 0 -8px -12px; } }
      .title { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
      .title a { font-size: 17px; font-weight: 500; color: var(--primary-text-color); text-decoration: none; }
      .title a:hover { text-decoration: underline; }
      /* On a touch screen the name is a 44 px target too, without making the row taller. */
      @media (pointer: coarse) { .title a { display: inline-flex; align-items: center; min-height: 44px; margin: -10px 0; } }
      .probes { display: flex; gap: 6px 14px; flex-wrap: wrap; font-size: 14px; color: var(--secondary-text-color); }
      .probes b { color: var(--primary-text-color); font-weight: 500; }
      .toolbar { position: sticky; top: 0; z-index: 1; }
    `,
  ];

  private _unsubscribe: (() => void) | null = null;
  private _timer: number | undefined;
  private _debounce: number | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
    this._unsubscribe =
      this.live?.subscribe({
        snapshot: () => this._refreshSoon(),
        cook: (change) => {
          if (change.type === "changed") this._refreshSoon();
        },
      }) ?? null;
    this._timer = window.setInterval(() => {
      if (this._cooks.some((c) => c.summary.running)) void this._refresh();
    }, RUNNING_REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribe?.();
    this._unsubscribe = null;
    window.clearInterval(this._timer);
    window.clearTimeout(this._debounce);
  }

  private _refreshSoon(): void {
    window.clearTimeout(this._debounce);
    this._debounce = window.setTimeout(() => void this._refresh(), CHANGE_DEBOUNCE_MS);
  }

  /**
   * The newest page again, keeping older pages the user loaded (those do not change by
   * themselves): new and changed cooks come in, deleted ones of that page go.
   */
  private async _refresh(): Promise<void> {
    try {
      const page = await api.cooks(COOKS_PAGE);
      const oldest = page.nextBefore === null ? Number.NEGATIVE_INFINITY : Math.min(...page.cooks.map((c) => c.startMs));
      this._cooks = [...page.cooks, ...this._cooks.filter((c) => c.startMs < oldest && !page.cooks.some((n) => n.id === c.id))];
      if (this._cooks.length <= page.cooks.length) this._next = page.nextBefore;
      this._error = "";
    } catch (err) {
      this._error = localize("cooks.failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }

  override render() {
    const ids = [...this._selected];
    return html`
      <div class="row toolbar">
        <h2>${localize("tab.cooks")}</h2>
        <span class="spacer"></span>
        <a class="button ${ids.length < 2 ? "disabled" : ""}" href=${ids.length >= 2 ? routeHref({ view: "compare", ids }) : "#/compare"} data-testid="compare-link"
          >${localize("tab.compare")}${ids.length ? ` (${ids.length})` : ""}</a
        >
      </div>
      ${this._error ? html`<div class="error-text">${this._error}</div>` : nothing}
      ${!this._loading && !this._error && this._cooks.length === 0
        ? html`<div class="card empty">${localize("cooks.empty")}</div>`
        : nothing}
      <div class="list">${this._cooks.map((c) => this._row(c))}</div>
      ${this._next !== null ? html`<button @click=${() => void this._load(this._next ?? undefined)}>${localize("cooks.older")}</button>` : nothing}
      ${this._loading ? html`<div class="muted">${localize("common.loading")}</div>` : nothing}
    `;
  }

  private _row(c: CookListItem) {
    const meat = c.summary.probes.filter((p) => p.role !== "pit");
    const pit = c.summary.probes.filter((p) => p.role === "pit");
    return html`
      <div class="card cook" data-testid="cook-row">
        <label class="pick"><input type="checkbox" aria-label=${localize("cooks.select")} .checked=${this._selected.has(c.id)} @change=${() => this._toggle(c.id)} /></label>
        <div>
          <div class="title">
            <a href=${routeHref({ view: "cook", id: c.id })}>${c.name}</a>
            ${c.summary.running ? html`<span class="badge ok">${localize("common.running")}</span>` : nothing}
            <span class="muted">${formatDateTime(c.startMs, locale, timeZone)} · ${formatDuration(c.summary.durationMs, localize)}</span>
          </div>
          <div class="probes">
            ${[...meat, ...pit].map(
              (p) => html`<span>${probeName(p)}: <b>${p.role === "pit" ? localize("common.max", { value: formatTemp(p.maxC, this.unit, numberLocale, 0) }) : formatTemp(p.maxC, this.unit, numberLocale)}</b></span>`,
            )}
          </div>
        </div>
      </div>
    `;
  }

  private _toggle(id: number): void {
    const next = new Set(this._selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this._selected = next;
  }

  private async _load(beforeMs?: number): Promise<void> {
    this._loading = true;
    this._error = "";
    try {
      const page = await api.cooks(COOKS_PAGE, beforeMs);
      this._cooks = beforeMs === undefined ? page.cooks : [...this._cooks, ...page.cooks];
      this._next = page.nextBefore;
    } catch (err) {
      this._error = localize("cooks.failed", { error: err instanceof Error ? err.message : String(err) });
    } finally {
      this._loading = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-cooks-view": CooksView;
  }
}
