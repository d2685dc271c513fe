import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { Cook, CookEventKind } from "../../../../src/shared/model";
import { api, type CookDetail } from "../api";
import { EVENT_LABELS } from "../chart-data";
import { formatClock, formatDateTime, formatDuration, fromLocalInput, toLocalInput } from "../format";
import { sharedStyles } from "../styles";

const ADDABLE: CookEventKind[] = ["wrap", "spritz", "wood", "note", "other"];

/** Annotations (add / delete), split, merge, delete and export for one cook. Fires `cook-edited`. */
@customElement("gs-cook-tools")
export class CookTools extends LitElement {
  @property({ attribute: false }) detail!: CookDetail;
  @state() private _error = "";
  @state() private _others: Cook[] = [];
  @state() private _confirmDelete = false;

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 16px; }
      .events { list-style: none; margin: 0 0 12px; padding: 0; }
      .events li { display: flex; gap: 10px; align-items: center; padding: 6px 0; border-bottom: 1px solid var(--divider-color); }
      .events .when { font-variant-numeric: tabular-nums; color: var(--secondary-text-color); min-width: 120px; }
      .events .text { flex: 1; min-width: 0; overflow-wrap: anywhere; }
      .events button { padding: 4px 10px; min-height: 30px; }
      .add { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
      .add input[type="text"] { flex: 1; min-width: 160px; }
      .mt { margin-top: 10px; }
      .confirm { border: 1px solid var(--error-color); border-radius: var(--radius); padding: 12px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this._loadOthers();
  }

  override render() {
    const { cook, events } = this.detail;
    const endMs = cook.endMs ?? Date.now();
    const sorted = [...events].sort((a, b) => a.tsMs - b.tsMs);
    return html`
      <div class="card">
        <h3>Timeline</h3>
        ${sorted.length === 0 ? html`<div class="muted">No events yet.</div>` : nothing}
        <ul class="events" data-testid="events">
          ${sorted.map(
            (e) => html`<li>
              <span class="when">${formatClock(e.tsMs)} <span class="muted">+${formatDuration(e.tsMs - cook.startMs)}</span></span>
              <span class="badge">${EVENT_LABELS[e.kind] ?? e.kind}</span>
              <span class="text">${e.text}</span>
              <button class="danger" aria-label="Delete event" @click=${() => void this._run(() => api.deleteEvent(cook.id, e.id))}>Delete</button>
            </li>`,
          )}
        </ul>
        <div class="add">
          <select aria-label="Event kind" id="kind">
            ${ADDABLE.map((k) => html`<option value=${k}>${EVENT_LABELS[k]}</option>`)}
          </select>
          <input type="datetime-local" aria-label="Time" id="at" .value=${toLocalInput(Math.min(Date.now(), endMs))} />
          <input type="text" aria-label="Text" id="text" maxlength="500" placeholder="e.g. wrapped in butcher paper" />
          <button class="primary" @click=${() => void this._addEvent()}>Add</button>
        </div>
      </div>
      <div class="card">
        <h3>Export</h3>
        <div class="row">
          <a class="button" href=${api.exportUrl(cook.id, "csv")} download data-testid="export-csv">Download CSV</a>
          <a class="button" href=${api.exportUrl(cook.id, "json")} download>Download JSON</a>
          <span class="muted">CSV replays in <code>npm run backtest</code>.</span>
        </div>
      </div>
      <div class="card">
        <h3>Split, merge, delete</h3>
        <div class="row">
          <label for="split">Split at</label>
          <input type="datetime-local" id="split" .value=${toLocalInput(cook.startMs + (endMs - cook.startMs) / 2)} />
          <button @click=${() => void this._split()}>Split</button>
        </div>
        <div class="row mt">
          <label for="merge">Merge with</label>
          <select id="merge" aria-label="Cook to merge">
            ${this._others.map((c) => html`<option value=${c.id}>${c.name} · ${formatDateTime(c.startMs)}</option>`)}
          </select>
          <button ?disabled=${this._others.length === 0} @click=${() => void this._merge()}>Merge</button>
        </div>
        <div class="row mt">
          ${this._confirmDelete
            ? html`<div class="confirm">
                <span>Delete “${cook.name}” and its events? The readings stay.</span>
                <button class="danger solid" @click=${() => void this._delete()}>Delete cook</button>
                <button @click=${() => (this._confirmDelete = false)}>Cancel</button>
              </div>`
            : html`<button class="danger" @click=${() => (this._confirmDelete = true)}>Delete cook…</button>`}
        </div>
        ${this._error ? html`<div class="error-text">${this._error}</div>` : nothing}
      </div>
    `;
  }

  private _value(id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)?.value ?? "";
  }

  private async _addEvent(): Promise<void> {
    const tsMs = fromLocalInput(this._value("at"));
    if (tsMs === null) {
      this._error = "Pick a time for the event";
      return;
    }
    const kind = this._value("kind") as CookEventKind;
    const text = this._value("text").trim();
    await this._run(() => api.addEvent(this.detail.cook.id, { tsMs, kind, text }));
    const input = this.renderRoot.querySelector<HTMLInputElement>("#text");
    if (input && !this._error) input.value = "";
  }

  private async _split(): Promise<void> {
    const atMs = fromLocalInput(this._value("split"));
    if (atMs === null) {
      this._error = "Pick the time to split at";
      return;
    }
    await this._run(async () => {
      const { newCook } = await api.splitCook(this.detail.cook.id, atMs);
      this._notice(`Split: the part after ${formatClock(atMs)} is now “${newCook.name}”`);
    });
  }

  private async _merge(): Promise<void> {
    const otherId = Number(this._value("merge"));
    if (!otherId) return;
    await this._run(() => api.mergeCook(this.detail.cook.id, otherId));
    await this._loadOthers();
  }

  private async _delete(): Promise<void> {
    try {
      await api.deleteCook(this.detail.cook.id);
      location.hash = "#/cooks";
    } catch (err) {
      this._error = err instanceof Error ? err.message : String(err);
    }
  }

  private _notice(message: string): void {
    this._error = "";
    this.dispatchEvent(new CustomEvent("cook-notice", { detail: message, bubbles: true, composed: true }));
  }

  private async _run(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      this._error = "";
      this.dispatchEvent(new CustomEvent("cook-edited", { bubbles: true, composed: true }));
    } catch (err) {
      this._error = err instanceof Error ? err.message : String(err);
    }
  }

  private async _loadOthers(): Promise<void> {
    try {
      const { cooks } = await api.cooks(100);
      this._others = cooks.filter((c) => c.id !== this.detail.cook.id);
    } catch (err) {
      this._error = `Could not load the other cooks: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-cook-tools": CookTools;
  }
}
