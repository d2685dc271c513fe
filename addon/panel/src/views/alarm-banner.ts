import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { AlarmState } from "../../../../src/shared/model";
import { api, ApiError } from "../api";
import { formatClock } from "../format";
import { LanguageController, locale, localize, timeZone } from "../localize";
import { sharedStyles } from "../styles";

export const SNOOZE_CHOICES_MIN = [5, 10, 15, 30, 60];

/** The alarms that need a person now, with Acknowledge and Snooze. Fires `alarm-updated` with the new state. */
@customElement("gs-alarm-banner")
export class AlarmBanner extends LitElement {
  @property({ attribute: false }) alarms: AlarmState[] = [];
  /** The text shown for an alarm (the page's `alarmDescriber`; the add-on's message without one). */
  @property({ attribute: false }) describe: (a: AlarmState) => string = (a) => a.message;
  @state() private _busy = "";
  @state() private _error = "";
  @state() private _snoozeMin = 10;
  private readonly _language = new LanguageController(this);

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .alarm { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; padding: 12px 16px; border-radius: var(--radius); margin-bottom: 8px;
        background: color-mix(in srgb, var(--error-color) 14%, var(--card-background-color)); border: 1px solid var(--error-color); }
      .alarm.pre_alarm, .alarm.snoozed { background: color-mix(in srgb, var(--warning-color) 14%, var(--card-background-color)); border-color: var(--warning-color); }
      .msg { flex: 1; min-width: min(200px, 100%); font-size: 16px; font-weight: 500; }
      /* On the tinted banner HA's secondary text is 4:1; a little toward the text colour, 4.5:1+. */
      .msg .when { display: block; font-size: 13px; font-weight: 400; color: color-mix(in srgb, var(--secondary-text-color) 60%, var(--primary-text-color)); }
      .alarm button { background: var(--card-background-color); }
      .alarm button.primary { background: var(--gs-error-fill); border-color: var(--gs-error-fill); color: #fff; }
    `,
  ];

  override render() {
    if (this.alarms.length === 0) return nothing;
    return html`
      ${this.alarms.map(
        (a) => html`
          <div class="alarm ${a.phase}" role="alert" data-testid="alarm">
            <span class="msg">${this.describe(a)}<span class="when">${this._phaseText(a)}</span></span>
            <button class="primary" ?disabled=${this._busy === a.id} @click=${() => void this._ack(a)}>${localize("alarm.acknowledge")}</button>
            <select aria-label=${localize("alarm.snooze_minutes")} .value=${String(this._snoozeMin)} @change=${(e: Event) => (this._snoozeMin = Number((e.target as HTMLSelectElement).value))}>
              ${SNOOZE_CHOICES_MIN.map((m) => html`<option value=${m} ?selected=${m === this._snoozeMin}>${localize("duration.min", { m })}</option>`)}
            </select>
            <button ?disabled=${this._busy === a.id} @click=${() => void this._snooze(a)}>${localize("alarm.snooze")}</button>
          </div>
        `,
      )}
      ${this._error ? html`<div class="error-text">${this._error}</div>` : nothing}
    `;
  }

  private _phaseText(a: AlarmState): string {
    const time = formatClock(a.sinceMs, locale, timeZone);
    // A snooze that ran out while the reading rests just inside the band waits there (no second
    // "reached"): it is told as the alarm it is again, not as snoozed until a time gone by.
    if (a.phase === "snoozed" && a.snoozedUntilMs && a.snoozedUntilMs > Date.now()) return localize("alarm.snoozed_until", { time: formatClock(a.snoozedUntilMs, locale, timeZone) });
    if (a.phase === "pre_alarm") return localize("alarm.heads_up", { time });
    const since = localize("alarm.since", { time });
    return a.repeatCount > 0 ? `${since} · ${localize("alarm.reminded", { count: a.repeatCount })}` : since;
  }

  private async _ack(a: AlarmState): Promise<void> {
    await this._run(a, () => api.acknowledge(a.id));
  }

  private async _snooze(a: AlarmState): Promise<void> {
    await this._run(a, () => api.snooze(a.id, this._snoozeMin));
  }

  private async _run(a: AlarmState, action: () => Promise<AlarmState | undefined>): Promise<void> {
    this._busy = a.id;
    this._error = "";
    try {
      const updated = await action();
      this.dispatchEvent(new CustomEvent("alarm-updated", { detail: updated ?? { ...a, phase: "acknowledged" }, bubbles: true, composed: true }));
    } catch (err) {
      // 409: it stopped going off in the meantime (cleared, or handled on the phone): take its
      // state as it is now, which the live stream may not have brought yet.
      if (err instanceof ApiError && err.status === 409) {
        const now = await api.alarms().then((all) => all.find((x) => x.id === a.id), () => undefined);
        // Gone altogether (its probe's cook ended): not going off, which is all the banner needs.
        this.dispatchEvent(new CustomEvent("alarm-updated", { detail: now ?? { ...a, phase: "armed" }, bubbles: true, composed: true }));
        return;
      }
      this._error = err instanceof Error ? err.message : String(err);
    } finally {
      this._busy = "";
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-alarm-banner": AlarmBanner;
  }
}
