import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { COOK_EVENT_SLACK_MS, type Cook, type CookEventKind } from "../../../../src/shared/model";
import { api, type CookDetail } from "../api";
import { eventLabel } from "../chart-data";
import { formatClock, formatDateTime, formatDuration, fromLocalInput, toLocalInput } from "../format";
import { LanguageController, locale, localize, partName, probeName, timeZone } from "../localize";
import { sharedStyles } from "../styles";

const ADDABLE: CookEventKind[] = ["wrap", "spritz", "wood", "note", "other"];
/** The command stays code in every language; the sentence around it is translated whole, so it may stand anywhere in it. */
const replayHint = () => {
  const [before = "", after = ""] = localize("tools.csv_replay").split("{command}");
  return html`${before}<code>npm run backtest</code>${after}`;
};

type ErrorPlace = "timeline" | "edit";

/** Annotations (add / delete), split, merge, delete and export for one cook. Fires `cook-edited`. */
@customElement("gs-cook-tools")
export class CookTools extends LitElement {
  @property({ attribute: false }) detail!: CookDetail;
  @state() private _error = "";
  /** Which card the error belongs to: it is shown under the form that caused it. */
  @state() private _errorAt: ErrorPlace = "edit";
  @state() private _confirmDelete = false;
  private readonly _language = new LanguageController(this);

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 16px; }
      .events { list-style: none; margin: 0 0 12px; padding: 0; }
      /* On a phone the note takes a line of its own rather than a letter's width beside the time and chips. */
      .events li { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; padding: 6px 0; border-bottom: 1px solid var(--divider-color); }
      .events .when { font-variant-numeric: tabular-nums; color: var(--secondary-text-color); }
      .events .text { flex: 1 1 12em; min-width: 0; overflow-wrap: break-word; }
      .events button { padding: 4px 10px; min-height: 30px; margin-left: auto; }
      @media (pointer: coarse) { .events button { min-height: 44px; } }
      #merge { flex: 1 1 12em; min-width: 0; }
      .events .probe { color: var(--primary-text-color); }
      .add { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
      .add input[type="text"] { flex: 1; min-width: 160px; }
      .mt { margin-top: 10px; }
      .confirm { border: 1px solid var(--error-color); border-radius: var(--radius); padding: 12px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    `,
  ];

  /** The cooks to merge with: the ones just before and after (merging past another would put it inside), read with the cook. */
  private get _others(): Cook[] {
    const n = this.detail.neighbours;
    return [n.previous, n.next].filter((c): c is Cook => c !== null);
  }

  override render() {
    const { cook, events, summary } = this.detail;
    const endMs = cook.endMs ?? Date.now();
    const sorted = [...events].sort((a, b) => a.tsMs - b.tsMs);
    const names = new Map(summary.probes.map((p) => [p.probeId, probeName(p)]));
    const meat = summary.probes.filter((p) => p.role === "meat");
    return html`
      <div class="card">
        <h3>${localize("tools.timeline")}</h3>
        ${sorted.length === 0 ? html`<div class="muted">${localize("tools.no_events")}</div>` : nothing}
        <ul class="events" data-testid="events">
          ${sorted.map(
            (e) => html`<li>
              <span class="when">${formatClock(e.tsMs, locale, timeZone)} <span class="muted">+${formatDuration(e.tsMs - cook.startMs, localize)}</span></span>
              <span class="badge">${eventLabel(e.kind, localize)}</span>
              ${e.probeId ? html`<span class="badge probe" data-testid="event-probe">${names.get(e.probeId) ?? e.probeId}</span>` : nothing}
              ${e.text ? html`<span class="text">${e.text}</span>` : nothing}
              <button class="danger" aria-label=${localize("tools.delete_event")} @click=${() => void this._run(() => api.deleteEvent(cook.id, e.id), "timeline")}>${localize("tools.delete")}</button>
            </li>`,
          )}
        </ul>
        <div class="add">
          <select aria-label=${localize("tools.event_kind")} id="kind">
            ${ADDABLE.map((k) => html`<option value=${k}>${eventLabel(k, localize)}</option>`)}
          </select>
          <select aria-label=${localize("tools.note_for")} id="probe">
            <option value="">${localize("tools.whole_cook")}</option>
            ${meat.map((p) => html`<option value=${p.probeId}>${probeName(p)}</option>`)}
          </select>
          <input type="datetime-local" aria-label=${localize("tools.time")} id="at" .value=${toLocalInput(Math.min(Date.now(), endMs), timeZone)} />
          <input type="text" aria-label=${localize("tools.text")} id="text" maxlength="500" placeholder=${localize("tools.text_placeholder")} />
          <button class="primary" @click=${() => void this._addEvent()}>${localize("tools.add")}</button>
        </div>
        ${this._errorFor("timeline")}
      </div>
      <div class="card">
        <h3>${localize("tools.export")}</h3>
        <div class="row">
          <a class="button" href=${api.exportUrl(cook.id, "csv")} download data-testid="export-csv">${localize("tools.download_csv")}</a>
          <a class="button" href=${api.exportUrl(cook.id, "json")} download>${localize("tools.download_json")}</a>
          <span class="muted">${replayHint()}</span>
        </div>
      </div>
      <div class="card">
        <h3>${localize("tools.edit")}</h3>
        <div class="row">
          <label for="split">${localize("tools.split_at")}</label>
          <input type="datetime-local" id="split" .value=${toLocalInput(cook.startMs + (endMs - cook.startMs) / 2, timeZone)} />
          <button @click=${() => void this._split()}>${localize("tools.split")}</button>
        </div>
        <div class="row mt">
          <label for="merge">${localize("tools.merge_with")}</label>
          <select id="merge" aria-label=${localize("tools.merge_cook")}>
            ${this._others.map((c) => html`<option value=${c.id}>${c.name} · ${formatDateTime(c.startMs, locale, timeZone)}</option>`)}
          </select>
          <button ?disabled=${this._others.length === 0} @click=${() => void this._merge()}>${localize("tools.merge")}</button>
        </div>
        <div class="row mt">
          ${this._confirmDelete
            ? html`<div class="confirm">
                <span>${localize("tools.confirm_delete", { name: cook.name })}</span>
                <button class="danger solid" @click=${() => void this._delete()}>${localize("tools.delete_cook")}</button>
                <button @click=${() => (this._confirmDelete = false)}>${localize("tools.cancel")}</button>
              </div>`
            : html`<button class="danger" @click=${() => (this._confirmDelete = true)}>${localize("tools.delete_cook_ask")}</button>`}
        </div>
        ${this._errorFor("edit")}
      </div>
    `;
  }

  private _errorFor(place: ErrorPlace) {
    return this._error && this._errorAt === place ? html`<div class="error-text" role="alert">${this._error}</div>` : nothing;
  }

  private _fail(place: ErrorPlace, message: string): void {
    this._errorAt = place;
    this._error = message;
  }

  private _value(id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)?.value ?? "";
  }

  private async _addEvent(): Promise<void> {
    const tsMs = fromLocalInput(this._value("at"), timeZone);
    if (tsMs === null) {
      this._fail("timeline", localize("tools.pick_event_time"));
      return;
    }
    // Checked here, in the reader's words and clock (the add-on's answer would be English and UTC).
    if (!this._inside(tsMs, COOK_EVENT_SLACK_MS, true, "timeline")) return;
    const kind = this._value("kind") as CookEventKind;
    const text = this._value("text").trim();
    const probeId = this._value("probe") || null;
    await this._run(() => api.addEvent(this.detail.cook.id, { tsMs, kind, text, probeId }), "timeline");
    const input = this.renderRoot.querySelector<HTMLInputElement>("#text");
    if (input && !this._error) input.value = "";
  }

  private async _split(): Promise<void> {
    const atMs = fromLocalInput(this._value("split"), timeZone);
    if (atMs === null) {
      this._fail("edit", localize("tools.pick_split_time"));
      return;
    }
    if (!this._inside(atMs, 0, false, "edit")) return;
    await this._run(async () => {
      // The part after it is named in the reader's language, as they would have typed it.
      const { newCook } = await api.splitCook(this.detail.cook.id, atMs, partName(this.detail.cook.name));
      this._notice(localize("tools.split_done", { time: formatClock(atMs, locale, timeZone), name: newCook.name }));
    }, "edit");
  }

  private async _merge(): Promise<void> {
    const otherId = Number(this._value("merge"));
    if (!otherId) return;
    await this._run(() => api.mergeCook(this.detail.cook.id, otherId), "edit");
  }

  private async _delete(): Promise<void> {
    try {
      await api.deleteCook(this.detail.cook.id);
      location.hash = "#/cooks";
    } catch (err) {
      this._fail("edit", err instanceof Error ? err.message : String(err));
    }
  }

  /**
   * Whether `tsMs` lies in the cook (a running one up to now, plus `slackMs`; the ends themselves
   * only when `ends`), as the add-on checks it; else says so in the reader's words.
   */
  private _inside(tsMs: number, slackMs: number, ends: boolean, place: ErrorPlace): boolean {
    const { startMs, endMs } = this.detail.cook;
    const toMs = (endMs ?? Date.now()) + slackMs;
    if (ends ? tsMs >= startMs && tsMs <= toMs : tsMs > startMs && tsMs < toMs) return true;
    this._fail(place, localize("tools.outside_cook", { from: formatDateTime(startMs, locale, timeZone), to: formatDateTime(toMs, locale, timeZone) }));
    return false;
  }

  private _notice(message: string): void {
    this._error = "";
    this.dispatchEvent(new CustomEvent("cook-notice", { detail: message, bubbles: true, composed: true }));
  }

  private async _run(action: () => Promise<unknown>, place: ErrorPlace): Promise<void> {
    try {
      await action();
      this._error = "";
      this.dispatchEvent(new CustomEvent("cook-edited", { bubbles: true, composed: true }));
    } catch (err) {
      this._fail(place, err instanceof Error ? err.message : String(err));
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-cook-tools": CookTools;
  }
}
