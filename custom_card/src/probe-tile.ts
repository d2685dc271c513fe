/** The tile of one probe: big temperature, settings chips (inline editing), ETA, stall, alarm. */
import { html, nothing, type TemplateResult } from "lit";
import { styleMap } from "lit/directives/style-map.js";
import { settingDecimals } from "../../src/alarms/alarm-text";
import { donePresets } from "../../src/shared/done-presets";
import { toNumberInput } from "../../src/shared/number-input";
import { alarmLine, computeAlarmDisplay, computeStatusBadge } from "./alarms/alarm-display";
import { formatDuration, formatEta, formatNumber, formatRate, formatTime, minutesSince, type FormatContext } from "./format";
import { bellIcon, pauseIcon } from "./icons";
import type { Localize, TranslationKey } from "./localize";
import type { ProbeView, SettingKind } from "./probe-view";

export interface TileContext {
  fmt: FormatContext;
  localize: Localize;
  nowMs: number;
  /** The setting being edited in this tile, if any. */
  editing: SettingKind | null;
  error: string | null;
  has: { acknowledge: boolean; snooze: boolean; wrapped: boolean };
  onEdit(kind: SettingKind): void;
  onCommit(kind: SettingKind, raw: string): void;
  onCancel(): void;
  onClear(kind: SettingKind): void;
  onPress(action: "acknowledge" | "snooze" | "wrapped"): void;
}

/** What a pitmaster sets on each kind of probe: a done temperature on meat, a range on the pit. */
const SETTINGS_BY_ROLE: Record<string, SettingKind[]> = { meat: ["target", "high"], pit: ["high", "low"], ambient: ["high", "low"] };

/** The settings chips of a probe: those of its role, plus any other that has a value. */
export const visibleSettings = (p: ProbeView): SettingKind[] => {
  const byRole = SETTINGS_BY_ROLE[p.role] ?? ["target", "high", "low"];
  return (["target", "high", "low"] as SettingKind[]).filter((k) => byRole.includes(k) || p.settings[k].value !== null);
};

const renderTemp = (p: ProbeView, tc: TileContext): TemplateResult => {
  const off = p.temp === null;
  const rate = off ? null : formatRate(tc.fmt, tc.localize, p.ratePerHour, p.unitLabel);
  return html`<div class="temp-row">
    <span class="temp ${off ? "off" : ""}" data-testid="temp">${formatNumber(tc.fmt, p.temp, 1)}<span class="unit">${p.unitLabel}</span></span>
    ${rate ? html`<span class="rate">${rate}</span>` : nothing}
  </div>`;
};

/** Done temperatures to pick a target from, in the probe's unit: picked, it is set as if typed. */
const renderPresets = (p: ProbeView, tc: TileContext): TemplateResult => {
  const unit = (p.unit ?? p.unitLabel) === "°F" ? "F" : "C";
  return html`<select class="presets" data-presets aria-label=${tc.localize("setting.presets", { probe: p.name })} @change=${(ev: Event) => {
    const value = (ev.target as HTMLSelectElement).value;
    if (value !== "") tc.onCommit("target", value);
  }}>
    <option value="">${tc.localize("setting.presets_pick")}</option>
    ${donePresets(tc.fmt.locale, unit).map((d) => html`<option value=${d.value}>${formatNumber(tc.fmt, d.value, 0)}\u00a0${p.unitLabel} · ${d.label}</option>`)}
  </select>`;
};

const renderSetting = (p: ProbeView, kind: SettingKind, tc: TileContext): TemplateResult => {
  const s = p.settings[kind];
  const label = tc.localize(`setting.${kind}` as TranslationKey);
  if (tc.editing === kind) {
    const commit = (ev: Event) => tc.onCommit(kind, (ev.target as HTMLInputElement).value);
    // Leaving the field commits, unless focus stays in the editor (Tab to Clear keeps it open).
    const leave = (ev: FocusEvent) => {
      const box = ev.currentTarget as HTMLElement;
      if (!box.contains(ev.relatedTarget as Node | null)) tc.onCommit(kind, box.querySelector("input")?.value ?? "");
    };
    return html`<span class="edit" @focusout=${leave}>
      <span class="k">${label}</span>
      <input
        type="text"
        inputmode="decimal"
        data-setting=${kind}
        aria-label=${tc.localize("setting.edit", { setting: label, probe: p.name })}
        aria-invalid=${tc.error ? "true" : "false"}
        .value=${s.value === null ? "" : toNumberInput(s.value, tc.fmt.numberLocale, 1)}
        @keydown=${(ev: KeyboardEvent) => {
          if (ev.key !== "Enter" && ev.key !== "Escape") return;
          // Handled here: the key must not go on to press the chip that gets the focus back.
          ev.preventDefault();
          if (ev.key === "Enter") commit(ev);
          else tc.onCancel();
        }}
      />
      <span>${p.unitLabel}</span>
      ${s.value !== null
        ? html`<button class="chip" @mousedown=${(ev: Event) => ev.preventDefault()} @click=${() => tc.onClear(kind)}>${tc.localize("setting.clear")}</button>`
        : nothing}
      ${kind === "target" ? renderPresets(p, tc) : nothing}
    </span>`;
  }
  return html`<button
    class="chip ${s.value === null ? "unset" : ""}"
    data-setting=${kind}
    ?disabled=${!s.editable}
    title=${`${tc.localize("setting.edit", { setting: label, probe: p.name })}${s.value === null ? ` (${tc.localize("setting.not_set")})` : ""}`}
    @click=${() => tc.onEdit(kind)}
  >
    <span class="k">${label}</span><span class="v">${s.value === null ? "–" : formatNumber(tc.fmt, s.value, s.step < 1 ? 1 : settingDecimals(s.value))}</span>
  </button>`;
};

const renderBadges = (p: ProbeView, tc: TileContext): TemplateResult[] => {
  const out: TemplateResult[] = [];
  const status = computeStatusBadge(p.status);
  if (status) out.push(html`<span class="badge ${status.level}" data-testid="status">${tc.localize(status.labelKey as TranslationKey)}</span>`);
  if (p.stall.active) {
    const minutes = p.stall.durationMin ?? (p.stall.sinceMs !== null ? minutesSince(p.stall.sinceMs, tc.nowMs) : null);
    const text = minutes !== null ? tc.localize("stall.badge", { duration: formatDuration(tc.localize, minutes) }) : tc.localize("stall.badge_short");
    out.push(html`<span class="badge warning" data-testid="stall">${pauseIcon}${text}</span>`);
    // Wrapping is how a pitmaster ends a stall: say so here, and the add-on's forecast takes it.
    const wrappedInStall = p.wrappedMs !== null && p.stall.sinceMs !== null && p.wrappedMs >= p.stall.sinceMs;
    if (wrappedInStall) out.push(html`<span class="badge info" data-testid="wrapped">${tc.localize("stall.wrapped", { time: formatTime(tc.fmt, p.wrappedMs as number, tc.nowMs) })}</span>`);
    else if (tc.has.wrapped) {
      // An action, not a state: the label says what a tap does; the tooltip and accessible name
      // (which starts with the visible label) say why.
      const label = tc.localize("stall.wrap");
      const why = tc.localize("stall.wrap_title", { label, probe: p.name });
      out.push(html`<button class="chip" data-action="wrapped" title=${why} aria-label=${why} @click=${() => tc.onPress("wrapped")}>${label}</button>`);
    }
  }
  if (p.lidOpen) out.push(html`<span class="badge info">${tc.localize("lid.open")}</span>`);
  return out;
};

const renderAlarm = (p: ProbeView, tc: TileContext): TemplateResult | typeof nothing => {
  const d = computeAlarmDisplay(p.alarm.phase, tc.has);
  if (d.level === "none" || !d.labelKey) return nothing;
  const actions = d.showAcknowledge || d.showSnooze;
  const message = alarmLine(p, tc.fmt, tc.nowMs);
  const label = tc.localize(d.labelKey as TranslationKey);
  // Announced when the alarm's phase changes, not with every reading its message carries: a
  // firing or imminent alarm interrupts (role=alert), snoozed/acknowledged is a polite status.
  return html`<div class="alarm ${d.level}" data-testid="alarm">
    <span class="sr-only" data-testid="alarm-announce" role=${d.level === "info" ? "status" : "alert"}>${p.name}: ${label}</span>
    <div class="alarm-head">
      <span class="badge ${d.level}" aria-hidden="true">${bellIcon}${label}</span>
      ${message ? html`<span class="msg">${message}</span>` : nothing}
    </div>
    ${actions
      ? html`<div class="alarm-actions">
          ${d.showAcknowledge ? html`<button class="btn primary" data-action="acknowledge" @click=${() => tc.onPress("acknowledge")}>${tc.localize("alarm.acknowledge")}</button>` : nothing}
          ${d.showSnooze ? html`<button class="btn" data-action="snooze" @click=${() => tc.onPress("snooze")}>${tc.localize("alarm.snooze")}</button>` : nothing}
        </div>`
      : nothing}
  </div>`;
};

/** One probe. Untrusted labels (names, messages) are only ever bound as text. */
export const renderProbeTile = (p: ProbeView, color: string, tc: TileContext): TemplateResult => {
  // A listed probe the add-on does not publish (a typo, a probe removed): say so, nothing to set.
  if (p.status === "missing") {
    return html`<div class="probe missing" data-probe=${p.key} style=${styleMap({ "--probe-color": color })}>
      <div class="top"><span class="name" title=${p.name}>${p.name}</span></div>
      <div class="eta unknown" role="status">${tc.localize("card.missing_probe", { probe: p.key })}</div>
    </div>`;
  }
  const alarm = computeAlarmDisplay(p.alarm.phase, tc.has);
  const showEta = p.settings.target.value !== null || p.eta.p50Ms !== null || p.eta.reason !== null;
  const etaText = formatEta(tc.fmt, tc.localize, p.eta, tc.nowMs);
  return html`<div
    class="probe level-${alarm.level} ${alarm.urgent ? "urgent" : ""}"
    data-probe=${p.key}
    style=${styleMap({ "--probe-color": color })}
  >
    <div class="top"><span class="name" title=${p.name}>${p.name}</span>${renderBadges(p, tc)}</div>
    ${renderTemp(p, tc)}
    <div class="settings">${visibleSettings(p).map((k) => renderSetting(p, k, tc))}</div>
    ${tc.error ? html`<div class="error" role="alert">${tc.error}</div>` : nothing}
    ${showEta ? html`<div class="eta ${p.eta.p50Ms === null ? "unknown" : ""}" data-testid="eta">${etaText}</div>` : nothing}
    ${renderAlarm(p, tc)}
  </div>`;
};
