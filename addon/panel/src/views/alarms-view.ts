import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { AlarmRule, DeliveryRecord } from "../../../../src/shared/ports";
import type { AlarmState, ProbeState } from "../../../../src/shared/model";
import { api } from "../api";
import { formatDateTime } from "../format";
import type { LiveData } from "../live";
import { sharedStyles } from "../styles";
import "./alarm-banner";

const KIND_LABELS: Record<string, string> = {
  target: "Target reached",
  high: "Too hot",
  low: "Too cold",
  pre_alarm: "Almost done",
  unplugged: "Probe unplugged",
  offline: "Device offline",
  stale: "No new data",
  battery_low: "Battery low",
};
const PARAM_LABELS: Record<string, string> = {
  repeatMinutes: "Repeat every (min)",
  hysteresisC: "Hysteresis (°C)",
  minutes: "Minutes",
  percent: "Below (%)",
  hysteresisPct: "Hysteresis (%)",
};
/** Target/high/low temperatures are probe settings (edited on the Live tiles), shown here read-only. */
const READ_ONLY_PARAMS = new Set(["thresholdC"]);
const PHASE_CLASS: Record<string, string> = { firing: "error", pre_alarm: "warn", snoozed: "warn", acknowledged: "info", armed: "" };

/** Current alarms with actions, the rules (enable per kind, thresholds) and the delivery record. */
@customElement("gs-alarms-view")
export class AlarmsView extends LitElement {
  @property({ attribute: false }) live!: LiveData;
  @state() private _rules: AlarmRule[] = [];
  @state() private _deliveries: DeliveryRecord[] = [];
  @state() private _error = "";
  @state() private _unavailable = false;
  private _unsubscribe: (() => void) | null = null;

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 16px; }
      .rule { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; padding: 8px 0; border-bottom: 1px solid var(--divider-color); }
      .rule .label { min-width: 160px; font-weight: 500; }
      .rule input[type="number"] { width: 90px; }
      .rule input[type="checkbox"] { width: 20px; height: 20px; min-height: 0; }
      .param { display: inline-flex; gap: 4px; align-items: center; }
      .scroll { overflow-x: auto; }
      details { border-top: 1px solid var(--divider-color); padding: 4px 0; }
      summary { cursor: pointer; padding: 10px 0; font-weight: 500; }
      details[open] summary { margin-bottom: 4px; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this._unsubscribe = this.live.subscribe({ changed: () => this.requestUpdate() });
    void this._load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribe?.();
  }

  override render() {
    if (this._unavailable) return html`<div class="card empty">The alarm service is not running. Check the add-on log.</div>`;
    const names = new Map(this.live.probes.map((p: ProbeState) => [p.id, p.name]));
    const armed = this.live.alarms.filter((a) => a.phase === "armed");
    return html`
      <h2>Alarms</h2>
      ${this._error ? html`<div class="error-text">${this._error}</div>` : nothing}
      <gs-alarm-banner .alarms=${this.live.activeAlarms()}></gs-alarm-banner>
      <div class="card scroll">
        <h3>Alarm states</h3>
        ${this._alarmTable(this.live.alarms.filter((a) => a.phase !== "armed"), names, "Nothing has gone off.")}
        ${armed.length > 0
          ? html`<details>
              <summary>${armed.length} armed and watching</summary>
              ${this._alarmTable(armed, names, "")}
            </details>`
          : nothing}
      </div>
      <div class="card">
        <h3>Rules</h3>
        ${this._rules.length === 0 ? html`<div class="muted">No rules.</div>` : nothing}
        ${this._ruleGroups(names).map(
          ([title, rules], i) => html`<details ?open=${i === 0}>
            <summary>${title} <span class="muted">· ${rules.filter((r) => r.enabled).length} of ${rules.length} on</span></summary>
            ${rules.map((r) => this._ruleRow(r))}
          </details>`,
        )}
      </div>
      <div class="card scroll">
        <h3>Deliveries</h3>
        ${this._deliveries.length === 0
          ? html`<div class="muted">No notifications sent yet.</div>`
          : html`<table data-testid="deliveries">
              <thead><tr><th>Time</th><th>Channel</th><th>Result</th></tr></thead>
              <tbody>
                ${this._deliveries.map(
                  (d) => html`<tr>
                    <td class="num">${formatDateTime(d.tsMs)}</td>
                    <td>${d.channel}</td>
                    <td>${d.ok ? html`<span class="badge ok">Delivered</span>` : html`<span class="badge error">Failed</span> <span class="muted">${d.error ?? ""}</span>`}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      </div>
    `;
  }

  private _alarmTable(alarms: AlarmState[], names: Map<string, string>, empty: string) {
    if (alarms.length === 0) return empty ? html`<div class="muted">${empty}</div>` : nothing;
    return html`<table>
      <thead><tr><th>Alarm</th><th>State</th><th>Message</th><th>Since</th></tr></thead>
      <tbody>${alarms.map((a) => this._alarmRow(a, names))}</tbody>
    </table>`;
  }

  private _alarmRow(a: AlarmState, names: Map<string, string>) {
    const who = a.probeId ? (names.get(a.probeId) ?? a.probeId) : (a.deviceKey ?? "");
    return html`<tr>
      <td>${KIND_LABELS[a.kind] ?? a.kind}<div class="muted">${who}</div></td>
      <td><span class="badge ${PHASE_CLASS[a.phase] ?? ""}">${a.phase.replace("_", " ")}</span></td>
      <td>${a.message}</td>
      <td class="num">${formatDateTime(a.sinceMs)}</td>
    </tr>`;
  }

  /** Defaults first, then one group per probe and per device. */
  private _ruleGroups(names: Map<string, string>): Array<[string, AlarmRule[]]> {
    const groups = new Map<string, AlarmRule[]>();
    for (const r of this._rules) {
      const title = r.probeId ? (names.get(r.probeId) ?? r.probeId) : r.deviceKey ? `Device ${r.deviceKey}` : "Defaults (all probes and devices)";
      const list = groups.get(title) ?? [];
      list.push(r);
      groups.set(title, list);
    }
    return [...groups.entries()];
  }

  private _ruleRow(rule: AlarmRule) {
    const threshold = rule.params.thresholdC;
    return html`<div class="rule">
      <input type="checkbox" aria-label="Enabled" .checked=${rule.enabled} @change=${(e: Event) => void this._save({ ...rule, enabled: (e.target as HTMLInputElement).checked })} />
      <span class="label">${KIND_LABELS[rule.kind] ?? rule.kind}
        ${typeof threshold === "number" ? html`<div class="muted">at ${threshold} °C (probe setting)</div>` : nothing}</span>
      ${Object.entries(rule.params)
        .filter(([key]) => !READ_ONLY_PARAMS.has(key))
        .map(([key, value]) => this._param(rule, key, value))}
    </div>`;
  }

  private _param(rule: AlarmRule, key: string, value: AlarmRule["params"][string]) {
    const save = (v: AlarmRule["params"][string]): void => void this._save({ ...rule, params: { ...rule.params, [key]: v } });
    if (typeof value === "boolean") {
      return html`<label class="param"><input type="checkbox" .checked=${value} @change=${(e: Event) => save((e.target as HTMLInputElement).checked)} />${PARAM_LABELS[key] ?? key}</label>`;
    }
    if (typeof value === "number" || value === null) {
      return html`<label class="param"
        >${PARAM_LABELS[key] ?? key}
        <input type="number" .value=${value === null ? "" : String(value)} @change=${(e: Event) => {
          const text = (e.target as HTMLInputElement).value;
          save(text === "" ? null : Number(text));
        }}
      /></label>`;
    }
    return html`<label class="param">${PARAM_LABELS[key] ?? key} <input type="text" .value=${value} @change=${(e: Event) => save((e.target as HTMLInputElement).value)} /></label>`;
  }

  private async _save(rule: AlarmRule): Promise<void> {
    const params = Object.fromEntries(Object.entries(rule.params).filter(([key]) => !READ_ONLY_PARAMS.has(key)));
    try {
      this._rules = await api.saveRule({ ...rule, params });
      this._error = "";
    } catch (err) {
      this._error = err instanceof Error ? err.message : String(err);
      await this._load();
    }
  }

  private async _load(): Promise<void> {
    try {
      const [rules, deliveries] = await Promise.all([api.rules(), api.deliveries(50)]);
      this._rules = rules;
      this._deliveries = deliveries;
      this._unavailable = false;
    } catch (err) {
      if ((err as { status?: number }).status === 503) this._unavailable = true;
      else this._error = err instanceof Error ? err.message : String(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-alarms-view": AlarmsView;
  }
}
