/**
 * `grill-stats-card-editor`: the visual editor. Plain form controls (no dependency on HA's
 * internal ha-* elements, which are lazy-loaded and change between releases). Every change
 * dispatches `config-changed` (bubbling, composed) with the whole new config.
 */
import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import { PALETTE, WINDOWS, DEFAULTS, type WindowKey } from "./config";
import { EDITOR_TAG } from "./const";
import { discoverProbeKeys, normalizeProbeRef } from "./entities";
import type { HomeAssistant } from "./ha-types";
import { createLocalize, pickLanguage, type TranslationKey } from "./localize";
import { readProbe } from "./probe-view";

type RawConfig = Record<string, unknown>;
type RawProbe = { probe: string; color?: string; name?: string };

const TOGGLES = ["show_chart", "show_forecast", "show_alarm_lines", "show_device"] as const;

/** The `probes` list of a raw config as objects (strings and entity ids normalized). */
export const rawProbes = (config: RawConfig): RawProbe[] | undefined => {
  const list = config["probes"];
  if (!Array.isArray(list)) return undefined;
  const out: RawProbe[] = [];
  for (const item of list) {
    const obj = typeof item === "string" ? { probe: item } : (item as Partial<RawProbe> | null);
    const key = typeof obj?.probe === "string" ? normalizeProbeRef(obj.probe) : null;
    if (key) out.push({ ...obj, probe: key });
  }
  // An empty list shows every probe, as no list does (validateConfig): the editor says so too.
  return out.length > 0 ? out : undefined;
};

/** Probes back to YAML-friendly form: a bare id unless a colour or name is set. */
const serializeProbes = (probes: RawProbe[]): Array<string | RawProbe> =>
  probes.map((p) => (p.color || p.name ? { probe: p.probe, ...(p.color ? { color: p.color } : {}), ...(p.name ? { name: p.name } : {}) } : p.probe));

export class GrillStatsCardEditor extends LitElement {
  @property({ attribute: false }) hass?: HomeAssistant;
  @state() private _config: RawConfig = {};

  setConfig(config: RawConfig): void {
    this._config = { ...config };
  }

  private _emit(config: RawConfig): void {
    this._config = config;
    this.dispatchEvent(new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }));
  }

  private _set(key: string, value: unknown): void {
    const next: RawConfig = { ...this._config };
    if (value === undefined || value === "") delete next[key];
    else next[key] = value;
    this._emit(next);
  }

  private _setProbes(probes: RawProbe[] | undefined): void {
    this._set("probes", probes === undefined ? undefined : serializeProbes(probes));
  }

  /** `shown`: what the card shows on its own (an RFX Meat probe as its core), the start of a list. */
  private _toggleProbe(all: string[], shown: string[], key: string, on: boolean): void {
    const current = rawProbes(this._config) ?? shown.map((k) => ({ probe: k }));
    const next = on ? [...current.filter((p) => p.probe !== key), { probe: key }] : current.filter((p) => p.probe !== key);
    next.sort((a, b) => all.indexOf(a.probe) - all.indexOf(b.probe));
    // The last one unticked: no list, every probe (an empty list would show the same).
    this._setProbes(next.length > 0 ? next : undefined);
  }

  private _setColor(shown: string[], key: string, color: string): void {
    const current = rawProbes(this._config) ?? shown.map((k) => ({ probe: k }));
    this._setProbes(current.map((p) => (p.probe === key ? { ...p, color: color || undefined } : p)));
  }

  override render(): TemplateResult {
    const l = createLocalize(pickLanguage(this.hass));
    const states = this.hass?.states ?? {};
    const configured = rawProbes(this._config);
    const found = discoverProbeKeys(states, { all: true });
    const shown = discoverProbeKeys(states);
    const all = [...found, ...(configured ?? []).map((p) => p.probe).filter((k) => !found.includes(k))];
    const auto = configured === undefined;
    const windowValue = (this._config["window"] as WindowKey | undefined) ?? DEFAULTS.window;
    return html`<div class="editor">
      <label class="field">
        <span>${l("editor.title")}</span>
        <input type="text" name="title" .value=${String(this._config["title"] ?? "")} @change=${(e: Event) => this._set("title", (e.target as HTMLInputElement).value)} />
      </label>
      <label class="field">
        <span>${l("editor.window")}</span>
        <select name="window" @change=${(e: Event) => this._set("window", (e.target as HTMLSelectElement).value)}>
          ${WINDOWS.map((w) => html`<option value=${w} ?selected=${w === windowValue}>${l(`window.${w}` as TranslationKey)}</option>`)}
        </select>
      </label>
      <fieldset>
        <legend>${l("editor.probes")}</legend>
        <label class="check">
          <input type="checkbox" name="all" .checked=${auto} @change=${(e: Event) => this._setProbes((e.target as HTMLInputElement).checked ? undefined : shown.map((k) => ({ probe: k })))} />
          ${l("editor.probes_all")}
        </label>
        ${all.length === 0 ? html`<div class="hint">${l("editor.no_probes")}</div>` : nothing}
        ${all.map((key) => {
          const entry = configured?.find((p) => p.probe === key);
          const on = auto ? shown.includes(key) : entry !== undefined;
          const name = readProbe(states, key).name;
          const color = entry?.color ?? "";
          const custom = color !== "" && !PALETTE.some((p) => p.name === color);
          return html`<div class="probe-row" data-probe=${key}>
            <label class="check">
              <input type="checkbox" name="probe" .checked=${on} @change=${(e: Event) => this._toggleProbe(all, shown, key, (e.target as HTMLInputElement).checked)} />
              <span class="pname">${name}</span>
            </label>
            <select name="color" aria-label=${`${l("editor.color")} ${name}`} ?disabled=${!on} @change=${(e: Event) => this._setColor(shown, key, (e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${color === ""}>${l("editor.color_auto")}</option>
              ${PALETTE.map((p) => html`<option value=${p.name} ?selected=${p.name === color}>${l(`color.${p.name}` as TranslationKey)}</option>`)}
              ${custom ? html`<option value=${color} selected>${color}</option>` : nothing}
            </select>
          </div>`;
        })}
      </fieldset>
      ${TOGGLES.map(
        (t) => html`<label class="check">
          <input type="checkbox" name=${t} .checked=${this._config[t] !== false} @change=${(e: Event) => this._set(t, (e.target as HTMLInputElement).checked ? undefined : false)} />
          ${l(`editor.${t}` as TranslationKey)}
        </label>`,
      )}
    </div>`;
  }

  static override styles = css`
    .editor { display: flex; flex-direction: column; gap: 12px; color: var(--primary-text-color); }
    .field { display: flex; flex-direction: column; gap: 4px; font-size: 0.9rem; color: var(--secondary-text-color); }
    input[type="text"], select {
      font: inherit; color: var(--primary-text-color); background: var(--card-background-color, transparent);
      border: 1px solid var(--divider-color); border-radius: 6px; padding: 8px; min-height: 40px;
    }
    fieldset { border: 1px solid var(--divider-color); border-radius: 8px; padding: 8px 12px; margin: 0; display: flex; flex-direction: column; gap: 6px; }
    legend { padding: 0 4px; color: var(--secondary-text-color); font-size: 0.9rem; }
    .check { display: flex; align-items: center; gap: 8px; min-height: 36px; cursor: pointer; }
    .check input { width: 20px; height: 20px; accent-color: var(--primary-color); }
    .probe-row { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
    .probe-row select { min-width: 9em; }
    .pname { overflow: hidden; text-overflow: ellipsis; }
    .hint { color: var(--secondary-text-color); font-size: 0.85rem; }
  `;
}

if (!customElements.get(EDITOR_TAG)) customElements.define(EDITOR_TAG, GrillStatsCardEditor);
