import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { styleMap } from "lit/directives/style-map.js";
import type { AlarmState, Device, ProbeSettings, ProbeState, TemperatureUnit } from "../../../../src/shared/model";
import { alarmText } from "../alarm-text";
import { api } from "../api";
import { formatClock, formatDuration, formatEta, formatRate, formatSettingNumber, formatTemp, formatTempValue, healthLabel, roleLabel, toTempInput, unitSymbol } from "../format";
import { LanguageController, locale, localize, numberLocale, targetPresets, timeZone, type PanelKey } from "../localize";
import { readSetting, type SettingField } from "../settings-input";
import { sharedStyles } from "../styles";

const FIELD_LABEL: Record<SettingField, PanelKey> = { targetC: "tile.target", highC: "tile.high", lowC: "tile.low" };

/** One probe: big temperature, ETA, stall, health, editable target / high / low, battery and signal. */
@customElement("gs-probe-tile")
export class ProbeTile extends LitElement {
  @property({ attribute: false }) probe!: ProbeState;
  @property({ attribute: false }) device: Device | undefined;
  @property({ attribute: false }) alarm: AlarmState | undefined;
  @property() unit: TemperatureUnit = "C";
  @property() color = "#888";
  @property({ type: Number }) nowMs = Date.now();
  /** The running cook this probe is in (null: none): a wrap is noted on it. */
  @property({ attribute: false }) cookId: number | null = null;
  @state() private _error = "";
  @state() private _saving: SettingField | null = null;
  /** The field whose typed value could not be saved (its setting stays as it was). */
  @state() private _invalid: SettingField | null = null;
  @state() private _marking = false;
  private readonly _language = new LanguageController(this);

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; container-type: inline-size; }
      .card { height: 100%; display: flex; flex-direction: column; gap: 6px; border-top: 4px solid var(--tile-color); }
      .card.firing { box-shadow: 0 0 0 2px var(--error-color), var(--card-shadow); }
      .head { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; min-width: 0; }
      /* The name keeps its width; the badges go to the next line before it is cut (a long name
         alone on its line still ends in an ellipsis). */
      .name { font-size: 17px; font-weight: 500; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; flex: 1 1 auto; min-width: 0; }
      .head .badge { flex: none; }
      /* The temperature shrinks with a tile narrower than it (200 % zoom on a phone); 52 px from a 217 px tile up. */
      .temp { font-size: 52px; font-size: min(52px, 24cqi); font-weight: 400; line-height: 1.05; letter-spacing: -1px; font-variant-numeric: tabular-nums; }
      .temp .unit { font-size: min(22px, 0.43em); color: var(--secondary-text-color); margin-left: 2px; letter-spacing: 0; }
      .temp.off { color: var(--disabled-text-color); }
      .sub { font-size: 14px; color: var(--secondary-text-color); display: flex; gap: 12px; flex-wrap: wrap; }
      .eta { font-size: 16px; font-weight: 500; }
      .eta .detail { display: block; font-size: 13px; font-weight: 400; color: var(--secondary-text-color); }
      .settings { display: flex; gap: 10px; flex-wrap: wrap; margin-top: 4px; }
      .setting { display: flex; flex-direction: column; gap: 2px; }
      .setting input { width: 92px; }
      /* Closed, it says "Choose…"; open, each done temperature in full. */
      .setting select { width: 140px; }
      .setting .wrap { display: flex; align-items: center; gap: 4px; font-size: 14px; color: var(--secondary-text-color); }
      .footer { margin-top: auto; padding-top: 6px; font-size: 12px; color: var(--secondary-text-color); display: flex; gap: 12px; flex-wrap: wrap; }
      .alarm { font-size: 13px; color: var(--gs-error-text-color); font-weight: 500; }
      .head button { padding: 2px 10px; font-size: 12px; min-height: 0; flex: none; }
      @media (pointer: coarse) {
        .head { gap: 8px; }
        .head button { min-height: 44px; padding: 6px 14px; font-size: 13px; }
      }
    `,
  ];

  override render() {
    const p = this.probe;
    const off = p.tempC === null || p.status === "offline" || p.status === "unplugged";
    const eta = p.role === "meat" ? formatEta(p.eta, this.nowMs, locale, timeZone, localize) : null;
    const fields: SettingField[] = p.role === "meat" ? ["targetC"] : ["highC", "lowC"];
    const firing = this.alarm?.phase === "firing";
    return html`
      <div class="card ${firing ? "firing" : ""}" style=${styleMap({ "--tile-color": this.color })}>
        <div class="head">
          <span class="name" title=${p.name}>${p.name}</span>
          ${this._badges()}
        </div>
        <div class="temp ${off ? "off" : ""}" data-testid="temp">
          ${formatTempValue(p.tempC, this.unit, numberLocale)}<span class="unit">${unitSymbol(this.unit)}</span>
        </div>
        <div class="sub">
          ${p.rateCPerHour !== null ? html`<span>${formatRate(p.rateCPerHour, this.unit, numberLocale, localize)}</span>` : nothing}
          ${p.minC !== null && p.maxC !== null
            ? html`<span>${localize("tile.min_max", { min: formatTemp(p.minC, this.unit, numberLocale), max: formatTemp(p.maxC, this.unit, numberLocale) })}</span>`
            : nothing}
        </div>
        ${eta ? html`<div class="eta" data-testid="eta">${eta.main}<span class="detail">${eta.detail}</span></div>` : nothing}
        ${this.alarm ? html`<div class="alarm">${alarmText(this.alarm, { probe: this.probe, device: this.device, unit: this.unit, locale, numberLocale, timeZone, nowMs: this.nowMs })}</div>` : nothing}
        <div class="settings">${fields.map((f) => this._setting(f))}</div>
        ${this._error ? html`<div class="error-text" id="setting-error" role="alert">${this._error}</div>` : nothing}
        <div class="footer">${this._deviceInfo()}</div>
      </div>
    `;
  }

  private _badges() {
    const p = this.probe;
    const badges = [];
    badges.push(html`<span class="badge">${roleLabel(p.role, localize)}</span>`);
    if (p.stall?.stalled) {
      badges.push(html`<span class="badge warn" data-testid="stall">${localize("tile.stall", { duration: formatDuration(p.stall.durationMs, localize) })}</span>`);
      // Wrapping is how a pitmaster ends a stall: a wrap note, which the forecast takes at once.
      if (p.wrappedMs !== null && p.stall.sinceMs !== null && p.wrappedMs >= p.stall.sinceMs) {
        badges.push(html`<span class="badge info" data-testid="wrapped">${localize("tile.wrapped", { time: formatClock(p.wrappedMs, locale, timeZone) })}</span>`);
      } else if (this.cookId !== null) {
        badges.push(html`<button data-action="wrapped" ?disabled=${this._marking} title=${localize("tile.wrap_title", { probe: p.name })} @click=${() => void this._markWrapped()}>${localize("tile.wrap")}</button>`);
      }
    }
    if (p.lidOpen) badges.push(html`<span class="badge info">${localize("tile.lid_open")}</span>`);
    if (p.status !== "ok") {
      const cls = p.status === "offline" || p.status === "unplugged" ? "error" : "warn";
      badges.push(html`<span class="badge ${cls}" data-testid="health">${healthLabel(p.status, localize)}</span>`);
    }
    return badges;
  }

  private _setting(field: SettingField) {
    const invalid = this._invalid === field;
    // Text, not type=number: that reads only the browser's own format, and the profile's may have a
    // decimal comma ("93,5" became 935 in an English browser). inputmode still brings the keypad.
    return html`
      <label class="setting">
        ${localize(FIELD_LABEL[field])}
        <span class="wrap">
          <input
            type="text"
            inputmode="decimal"
            autocomplete="off"
            data-field=${field}
            aria-label=${`${localize(FIELD_LABEL[field])} (${unitSymbol(this.unit)}), ${this.probe.name}`}
            placeholder=${localize("tile.off")}
            .value=${toTempInput(this.probe[field], this.unit, numberLocale)}
            ?disabled=${this._saving === field}
            aria-invalid=${invalid ? "true" : "false"}
            aria-describedby=${invalid ? "setting-error" : nothing}
            @keydown=${(e: KeyboardEvent) => e.key === "Enter" && this._saveUnchanged(field, e.target as HTMLInputElement)}
            @blur=${(e: Event) => this._saveUnchanged(field, e.target as HTMLInputElement)}
            @change=${(e: Event) => void this._save(field, e.target as HTMLInputElement)}
          />${unitSymbol(this.unit)}
        </span>
      </label>
      ${field === "targetC" ? this._presets() : nothing}
    `;
  }

  /** Done temperatures to pick a target from, in the panel's unit: picked, it is saved as if typed. */
  private _presets() {
    const unit = unitSymbol(this.unit);
    return html`
      <label class="setting presets">
        ${localize("tile.presets")}
        <select data-presets aria-label=${localize("tile.presets_for", { probe: this.probe.name })} ?disabled=${this._saving === "targetC"} @change=${(e: Event) => this._pickPreset(e.target as HTMLSelectElement)}>
          <option value="">${localize("tile.presets_pick")}</option>
          ${targetPresets(this.unit).map((p) => html`<option value=${p.value}>${formatSettingNumber(p.value, numberLocale)}\u00a0${unit} · ${p.label}</option>`)}
        </select>
      </label>
    `;
  }

  private _pickPreset(select: HTMLSelectElement): void {
    const value = select.value;
    select.value = "";
    const input = this.renderRoot.querySelector<HTMLInputElement>("input[data-field=targetC]");
    if (value === "" || !input) return;
    input.value = value;
    void this._save("targetC", input);
  }

  private _deviceInfo() {
    const d = this.device;
    if (!d) return nothing;
    const parts = [];
    if (d.batteryPct !== null) parts.push(html`<span class=${d.batteryPct <= 15 ? "error-text" : ""}>${localize("tile.battery", { value: d.batteryPct })}</span>`);
    if (d.signalDbm !== null) parts.push(html`<span>${localize("tile.signal", { value: d.signalDbm })}</span>`);
    parts.push(html`<span title=${d.serial}>${d.label}</span>`);
    return parts;
  }

  private async _markWrapped(): Promise<void> {
    if (this.cookId === null) return;
    this._marking = true;
    this._error = "";
    try {
      // The add-on takes the note into the probe's state (wrappedMs), which the stream brings back.
      await api.addEvent(this.cookId, { tsMs: Date.now(), kind: "wrap", text: "", probeId: this.probe.id });
    } catch (err) {
      this._error = err instanceof Error ? err.message : String(err);
    } finally {
      this._marking = false;
    }
  }

  /**
   * Enter or leaving the field where the browser sends no `change` (the text is as it was): a typo
   * left in the field is answered again rather than passed over in silence.
   */
  private _saveUnchanged(field: SettingField, input: HTMLInputElement): void {
    if (this._invalid === field) void this._save(field, input);
  }

  private async _save(field: SettingField, input: HTMLInputElement): Promise<void> {
    if (this._saving === field) return;
    const read = readSetting(field, input.value, { label: localize(FIELD_LABEL[field]), probe: this.probe, unit: this.unit, locale: numberLocale, localize });
    if ("error" in read) {
      // Nothing is sent: the setting stays as it was, and the field says what is wrong with the typed value.
      input.setCustomValidity(read.error);
      this._invalid = field;
      this._error = read.error;
      return;
    }
    input.setCustomValidity("");
    this._invalid = null;
    this._error = "";
    this._saving = field;
    try {
      const saved: ProbeSettings = await api.saveSettings(this.probe.id, { [field]: read.value });
      this.dispatchEvent(new CustomEvent<ProbeSettings>("settings-saved", { detail: saved, bubbles: true, composed: true }));
    } catch (err) {
      this._error = err instanceof Error ? err.message : String(err);
      input.value = toTempInput(this.probe[field], this.unit, numberLocale);
    } finally {
      this._saving = null;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-probe-tile": ProbeTile;
  }
}
