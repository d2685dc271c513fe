import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import type { AlarmRule, DeliveryRecord } from "../../../../src/shared/ports";
import type { AlarmPhase, AlarmState, Device, ProbeState, TemperatureUnit } from "../../../../src/shared/model";
import { alarmDescriber, deviceName } from "../alarm-text";
import { api } from "../api";
import { formatDateTime, formatSetting, formatSince, unitSymbol } from "../format";
import type { LiveData } from "../live";
import { labelOf, LanguageController, locale, localize, numberLocale, timeZone, type PanelKey } from "../localize";
import { paramBounds, paramToInput, readParam } from "../settings-input";
import { sharedStyles } from "../styles";
import "./alarm-banner";

const KIND_KEYS: Record<string, PanelKey> = {
  target: "kind.target",
  high: "kind.high",
  low: "kind.low",
  pre_alarm: "kind.pre_alarm",
  unplugged: "kind.unplugged",
  offline: "kind.offline",
  stale: "kind.stale",
  battery_low: "kind.battery_low",
};
const PARAM_KEYS: Record<string, PanelKey> = {
  repeatMinutes: "param.repeatMinutes",
  hysteresisC: "param.hysteresisC",
  minutes: "param.minutes",
  percent: "param.percent",
  hysteresisPct: "param.hysteresisPct",
};
const PHASE_KEYS: Record<AlarmPhase, PanelKey> = {
  armed: "phase.armed",
  pre_alarm: "phase.pre_alarm",
  firing: "phase.firing",
  snoozed: "phase.snoozed",
  acknowledged: "phase.acknowledged",
};
/** Target/high/low temperatures are probe settings (edited on the Live tiles), shown here read-only. */
const READ_ONLY_PARAMS = new Set(["thresholdC"]);
const PHASE_CLASS: Record<string, string> = { firing: "error", pre_alarm: "warn", snoozed: "warn", acknowledged: "info", armed: "" };
const ruleKey = (r: AlarmRule): string => `${r.kind}|${r.probeId ?? ""}|${r.deviceKey ?? ""}`;

/** Where a notification went, in words: Home Assistant's own channels by name, a notify service as it is called. */
const channelLabel = (d: DeliveryRecord): string => {
  if (d.channel === "persistent_notification") return localize("alarms.channel_persistent");
  if (d.channel === "persistent_notification.dismiss") return localize("alarms.channel_dismiss");
  if (d.channel === "event") return localize("alarms.channel_event");
  return d.clears ? localize("alarms.channel_cleared", { channel: d.channel }) : d.channel;
};

/** How often the open view reads the deliveries again. */
const DELIVERIES_REFRESH_MS = 30_000;

/** Current alarms with actions, the rules (enable per kind, thresholds) and the delivery record. */
@customElement("gs-alarms-view")
export class AlarmsView extends LitElement {
  @property({ attribute: false }) live!: LiveData;
  @property() unit: TemperatureUnit = "C";
  @property({ attribute: false }) devices: Device[] = [];
  @state() private _rules: AlarmRule[] = [];
  @state() private _deliveries: DeliveryRecord[] = [];
  @state() private _error = "";
  @state() private _unavailable = false;
  /** A rule's problem, shown in its row: a typed value that cannot be saved, or the add-on's answer. */
  @state() private _ruleError: { key: string; param: string | null; message: string } | null = null;
  private _unsubscribe: (() => void) | null = null;
  private _timer: number | undefined;
  /** Rule saves started so far: a load that began before one does not put its older rules back. */
  private _ruleEdits = 0;
  /** Rules and deliveries came at least once (before that, or on an error, "none" would be a claim). */
  @state() private _loaded = false;
  private readonly _language = new LanguageController(this);

  /** On a phone an alarm is a block (what and since, then message and state): no columns to squeeze. */
  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 16px; }
      .rule { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; padding: 8px 0; border-bottom: 1px solid var(--divider-color); }
      /* The rule's name is the checkbox's label: a tap on "Too hot" turns it on or off (44 px high on a touch screen). */
      .rule .label { min-width: 160px; font-weight: 500; font-size: inherit; color: inherit; display: inline-flex; align-items: center; gap: 10px; cursor: pointer; }
      .rule-error { flex-basis: 100%; }
      .rule input[data-param] { width: 90px; }
      .rule input[type="checkbox"] { width: 20px; height: 20px; min-height: 0; }
      .param { display: inline-flex; gap: 4px; align-items: center; }
      @media (pointer: coarse) { .rule .label, .param { min-height: 44px; } }
      .scroll { overflow-x: auto; }
      details { border-top: 1px solid var(--divider-color); padding: 4px 0; }
      summary { cursor: pointer; padding: 10px 0; font-weight: 500; }
      details[open] summary { margin-bottom: 4px; }
      .since { white-space: nowrap; }
      @media (max-width: 600px) {
        .alarms, .alarms tbody { display: block; }
        .alarms thead { display: none; }
        .alarms tr { display: grid; grid-template: "a t" "m s" / 1fr auto; gap: 2px 12px; padding: 8px 0; border-bottom: 1px solid var(--divider-color); }
        .alarms td { border: 0; padding: 0; }
        .alarm { grid-area: a; }
        .since { grid-area: t; text-align: right; }
        .message { grid-area: m; }
        .state { grid-area: s; text-align: right; }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    // A new snapshot is a (re)connect, after the add-on was away: read rules and deliveries again.
    this._unsubscribe = this.live.subscribe({ changed: () => this.requestUpdate(), snapshot: () => void this._load() });
    void this._load();
    // New deliveries come with alarms going off; the list follows them while it is open.
    this._timer = window.setInterval(() => void this._load(), DELIVERIES_REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribe?.();
    window.clearInterval(this._timer);
  }

  override render() {
    if (this._unavailable) return html`<div class="card empty">${localize("alarms.unavailable")}</div>`;
    const names = new Map(this.live.probes.map((p: ProbeState) => [p.id, p.name]));
    const armed = this.live.alarms.filter((a) => a.phase === "armed");
    const describe = alarmDescriber(this.live.probes, this.devices, this.unit, locale, Date.now(), this._rules, numberLocale, timeZone);
    return html`
      <h2>${localize("tab.alarms")}</h2>
      ${this._error ? html`<div class="error-text">${this._error}</div>` : nothing}
      <gs-alarm-banner .alarms=${this.live.activeAlarms()} .describe=${describe}></gs-alarm-banner>
      <div class="card scroll">
        <h3>${localize("alarms.states")}</h3>
        ${this._alarmTable(this.live.alarms.filter((a) => a.phase !== "armed"), names, localize("alarms.none"), describe)}
        ${armed.length > 0
          ? html`<details>
              <summary>${localize("alarms.armed", { count: armed.length })}</summary>
              ${this._alarmTable(armed, names, "", describe)}
            </details>`
          : nothing}
      </div>
      <div class="card">
        <h3>${localize("alarms.rules")}</h3>
        ${this._loaded && this._rules.length === 0 ? html`<div class="muted">${localize("alarms.no_rules")}</div>` : nothing}
        ${this._ruleGroups(names).map(
          ([title, rules], i) => html`<details ?open=${i === 0}>
            <summary>${title} <span class="muted">· ${localize("alarms.rules_on", { on: rules.filter((r) => r.enabled).length, total: rules.length })}</span></summary>
            ${rules.map((r) => this._ruleRow(r, names))}
          </details>`,
        )}
      </div>
      <div class="card scroll">
        <h3>${localize("alarms.deliveries")}</h3>
        ${this._deliveries.length === 0
          ? this._loaded ? html`<div class="muted">${localize("alarms.no_deliveries")}</div>` : nothing
          : html`<table data-testid="deliveries">
              <thead>
                <tr><th>${localize("alarms.col_time")}</th><th>${localize("alarms.col_alarm")}</th><th>${localize("alarms.col_channel")}</th><th>${localize("alarms.col_result")}</th></tr>
              </thead>
              <tbody>
                ${this._deliveries.map(
                  (d) => html`<tr>
                    <td class="num">${formatDateTime(d.tsMs, locale, timeZone)}</td>
                    <td class="alarm">${this._deliveryAlarm(d, names)}</td>
                    <td>${channelLabel(d)}</td>
                    <td>
                      ${d.ok
                        ? html`<span class="badge ok">${localize("alarms.delivered")}</span>`
                        : html`<span class="badge error">${localize("alarms.failed")}</span> <span class="muted">${d.error ?? ""}</span>`}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      </div>
    `;
  }

  private _alarmTable(alarms: AlarmState[], names: Map<string, string>, empty: string, describe: (a: AlarmState) => string) {
    if (alarms.length === 0) return empty ? html`<div class="muted">${empty}</div>` : nothing;
    return html`<table class="alarms">
      <thead>
        <tr>
          <th>${localize("alarms.col_alarm")}</th><th>${localize("alarms.col_state")}</th><th>${localize("alarms.col_message")}</th><th>${localize("alarms.col_since")}</th>
        </tr>
      </thead>
      <tbody>${alarms.map((a) => this._alarmRow(a, names, describe))}</tbody>
    </table>`;
  }

  private _alarmRow(a: AlarmState, names: Map<string, string>, describe: (a: AlarmState) => string) {
    const who = a.probeId ? (names.get(a.probeId) ?? a.probeId) : a.deviceKey ? this._deviceName(a.deviceKey) : "";
    return html`<tr data-testid="alarm-row">
      <td class="alarm">${labelOf(KIND_KEYS, a.kind, localize)}<div class="muted">${who}</div></td>
      <td class="state"><span class="badge ${PHASE_CLASS[a.phase] ?? ""}">${labelOf(PHASE_KEYS, a.phase, localize)}</span></td>
      <td class="message" data-testid="alarm-message">${describe(a)}</td>
      <td class="num since" data-testid="alarm-since" title=${formatDateTime(a.sinceMs, locale, timeZone)}>${formatSince(a.sinceMs, Date.now(), locale, timeZone)}</td>
    </tr>`;
  }

  /** "Too hot" over "Pit": the alarm a delivery was about (its id is "<probe or device>:<kind>"). */
  private _deliveryAlarm(d: DeliveryRecord, names: Map<string, string>) {
    if (d.alarmId === null) return html`<span class="muted">–</span>`;
    const at = d.alarmId.lastIndexOf(":");
    const owner = d.alarmId.slice(0, at);
    const kind = d.alarmId.slice(at + 1);
    const who = names.get(owner) ?? this._deviceName(owner);
    return html`${labelOf(KIND_KEYS, kind, localize)}<div class="muted">${who}</div>`;
  }

  /** A device as the Live tab names it: its label, else its serial, else its key. */
  private _deviceName(key: string): string {
    return deviceName(this.devices.find((d) => d.key === key), key);
  }

  /** Defaults first, then one group per probe and per device (two devices of one label stay apart). */
  private _ruleGroups(names: Map<string, string>): Array<[string, AlarmRule[]]> {
    const groups = new Map<string, { title: string; rules: AlarmRule[] }>();
    for (const r of this._rules) {
      const id = r.probeId ? `probe:${r.probeId}` : r.deviceKey ? `device:${r.deviceKey}` : "defaults";
      const group = groups.get(id) ?? {
        title: r.probeId ? (names.get(r.probeId) ?? r.probeId) : r.deviceKey ? localize("alarms.device", { device: this._deviceName(r.deviceKey) }) : localize("alarms.defaults"),
        rules: [],
      };
      group.rules.push(r);
      groups.set(id, group);
    }
    return [...groups.values()].map((g): [string, AlarmRule[]] => [g.title, g.rules]);
  }

  /**
   * A rule's controls are named by the rule and whose it is ("Too hot, Pit", "Repeat every (min),
   * Too hot, Pit"): a screen reader lists dozens of them, each group's heading out of sight.
   */
  private _ruleName(rule: AlarmRule, names: Map<string, string>): string {
    const owner = rule.probeId
      ? (names.get(rule.probeId) ?? rule.probeId)
      : rule.deviceKey
        ? localize("alarms.device", { device: this._deviceName(rule.deviceKey) })
        : localize("alarms.defaults_short");
    return localize("alarms.rule_name", { rule: labelOf(KIND_KEYS, rule.kind, localize), owner });
  }

  private _ruleRow(rule: AlarmRule, names: Map<string, string>) {
    const threshold = rule.params.thresholdC;
    const error = this._ruleError?.key === ruleKey(rule) ? this._ruleError : null;
    const name = this._ruleName(rule, names);
    return html`<div class="rule">
      <label class="label">
        <input type="checkbox" aria-label=${name} .checked=${live(rule.enabled)} @change=${(e: Event) => void this._save({ ...rule, enabled: (e.target as HTMLInputElement).checked })} />
        <span>${labelOf(KIND_KEYS, rule.kind, localize)}
          ${typeof threshold === "number" ? html`<div class="muted">${localize("alarms.threshold", { value: formatSetting(threshold, this.unit, numberLocale) })}</div>` : nothing}</span>
      </label>
      ${Object.entries(rule.params)
        .filter(([key]) => !READ_ONLY_PARAMS.has(key))
        .map(([key, value]) => this._param(rule, name, key, value, error?.param === key))}
      ${error ? html`<div class="error-text rule-error" role="alert">${error.message}</div>` : nothing}
    </div>`;
  }

  private _paramLabel(key: string): string {
    return key === "hysteresisC" ? localize("param.hysteresisC", { unit: unitSymbol(this.unit) }) : labelOf(PARAM_KEYS, key, localize);
  }

  private _param(rule: AlarmRule, ruleName: string, key: string, value: AlarmRule["params"][string], invalid: boolean) {
    const save = (v: AlarmRule["params"][string]): void => void this._save({ ...rule, params: { ...rule.params, [key]: v } });
    const label = this._paramLabel(key);
    // The visible label first (what a voice user says), then the rule it belongs to.
    const name = localize("alarms.param_name", { param: label, rule: ruleName });
    if (typeof value === "boolean") {
      return html`<label class="param"><input type="checkbox" aria-label=${name} .checked=${value} @change=${(e: Event) => save((e.target as HTMLInputElement).checked)} />${label}</label>`;
    }
    if (typeof value === "number" || value === null) {
      const bounds = paramBounds(rule.kind, key);
      return html`<label class="param"
        >${label}
        <input
          type="text"
          inputmode=${bounds?.whole ? "numeric" : "decimal"}
          autocomplete="off"
          data-param=${key}
          aria-label=${name}
          aria-invalid=${invalid ? "true" : "false"}
          .value=${paramToInput(key, value, this.unit, numberLocale)}
          @change=${(e: Event) => this._onParam(rule, key, value, e.target as HTMLInputElement, save)}
      /></label>`;
    }
    return html`<label class="param">${label} <input type="text" aria-label=${name} .value=${value} @change=${(e: Event) => save((e.target as HTMLInputElement).value)} /></label>`;
  }

  /** A typed parameter is checked here first (in the display unit); what cannot be saved is not sent. */
  private _onParam(rule: AlarmRule, key: string, current: number | null, input: HTMLInputElement, save: (v: number | null) => void): void {
    const read = readParam(key, input.value, { kind: rule.kind, label: this._paramLabel(key), current, unit: this.unit, locale: numberLocale, localize });
    if ("error" in read) {
      input.setCustomValidity(read.error);
      this._ruleError = { key: ruleKey(rule), param: key, message: read.error };
      return;
    }
    input.setCustomValidity("");
    save(read.value);
  }

  private async _save(rule: AlarmRule): Promise<void> {
    const params = Object.fromEntries(Object.entries(rule.params).filter(([key]) => !READ_ONLY_PARAMS.has(key)));
    this._ruleEdits++;
    try {
      this._rules = await api.saveRule({ ...rule, params });
      this._ruleError = null;
    } catch (err) {
      this._ruleError = { key: ruleKey(rule), param: null, message: err instanceof Error ? err.message : String(err) };
      await this._load();
    }
  }

  private async _load(): Promise<void> {
    const edits = this._ruleEdits;
    try {
      const [rules, deliveries] = await Promise.all([api.rules(), api.deliveries(50)]);
      // A rule saved meanwhile answered with the newer rules: these are older.
      if (edits === this._ruleEdits) this._rules = rules;
      this._deliveries = deliveries;
      this._unavailable = false;
      this._loaded = true;
      this._error = "";
    } catch (err) {
      // The alarm service off (not a database that cannot be read for a moment, also a 503).
      if ((err as { code?: string }).code === "unavailable") this._unavailable = true;
      else {
        this._error = err instanceof Error ? err.message : String(err);
        this._loaded = false;
      }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-alarms-view": AlarmsView;
  }
}
