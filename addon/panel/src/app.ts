import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { AlarmState, Device, ProbeSettings, TemperatureUnit } from "../../../src/shared/model";
import { api, type Health } from "./api";
import { LiveData } from "./live";
import { followHomeAssistantLanguage, LanguageController, localize } from "./localize";
import { parseRoute, type Route } from "./router";
import { sharedStyles, themeStyles } from "./styles";
import { followHomeAssistantTheme } from "./theme";
import "./views/alarms-view";
import "./views/compare-view";
import "./views/cook-detail";
import "./views/cooks-view";
import "./views/live-view";

const UNIT_KEY = "grill-stats.unit";
const REFRESH_MS = 60_000;

const storedUnit = (): TemperatureUnit | null => {
  try {
    const v = localStorage.getItem(UNIT_KEY);
    return v === "C" || v === "F" ? v : null;
  } catch (err) {
    // Storage can be blocked (private mode, iframe policies): fall back to the default unit.
    console.debug("grill-stats: localStorage unavailable", err);
    return null;
  }
};

/** The panel shell: toolbar, tabs, unit toggle, demo / connection banners, and the view for the route. */
@customElement("gs-app")
export class GrillStatsApp extends LitElement {
  @state() private _route: Route = parseRoute(location.hash);
  @state() private _unit: TemperatureUnit = storedUnit() ?? "C";
  @state() private _health: Health | null = null;
  @state() private _devices: Device[] = [];
  private readonly _live = new LiveData();
  private _timer = 0;
  private _unsubscribe: (() => void) | null = null;
  private readonly _language = new LanguageController(this);
  private _stopLanguage: (() => void) | null = null;
  private _stopTheme: (() => void) | null = null;
  private readonly _onHash = (): void => {
    this._route = parseRoute(location.hash);
  };

  constructor() {
    super();
    this.addEventListener("alarm-updated", (e) => this._live.upsertAlarm((e as CustomEvent<AlarmState>).detail));
    this.addEventListener("settings-saved", (e) => this._live.applySettings((e as CustomEvent<ProbeSettings>).detail));
  }

  static override styles = [
    themeStyles,
    sharedStyles,
    css`
      :host { display: block; min-height: 100vh; background: var(--primary-background-color); }
      header { background: var(--app-header-background-color); color: var(--app-header-text-color); position: sticky; top: 0; z-index: 5; }
      /* Wraps (the unit switch under the title) only where the bar cannot hold them: a phone at 200 % zoom. */
      .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; padding: 0 16px; min-height: 56px; max-width: 1400px; margin: 0 auto; }
      .title { font-size: 20px; font-weight: 400; }
      .dot { width: 8px; height: 8px; border-radius: 50%; background: #ffeb3b; display: inline-block; }
      .dot.on { background: #69f0ae; }
      .status { font-size: 13px; opacity: 0.9; display: inline-flex; align-items: center; gap: 6px; }
      .units { display: inline-flex; border: 1px solid rgba(255, 255, 255, 0.6); border-radius: 8px; overflow: hidden; }
      .units button { color: inherit; border: 0; border-radius: 0; min-height: 30px; padding: 4px 12px; }
      .units button[aria-pressed="true"] { background: rgba(255, 255, 255, 0.25); }
      nav { display: flex; gap: 4px; padding: 0 8px; max-width: 1400px; margin: 0 auto; overflow-x: auto; }
      nav a { color: inherit; text-decoration: none; padding: 10px 14px; font-size: 14px; font-weight: 500; text-transform: uppercase; letter-spacing: 0.04em;
        color: color-mix(in srgb, currentColor 75%, transparent); border-bottom: 3px solid transparent; white-space: nowrap; }
      nav a[aria-current="page"] { color: inherit; border-bottom-color: currentColor; }
      /* Faded with the tab's text only (not an opacity over it): white on the darkened error colour, 5.6:1. */
      nav .count { background: var(--gs-error-fill); color: #fff; border-radius: 999px; font-size: 11px; padding: 1px 6px; margin-left: 4px; }
      main { max-width: 1400px; margin: 0 auto; padding: 16px; display: flex; flex-direction: column; gap: 16px; }
      .banner { padding: 10px 16px; border-radius: var(--radius); font-size: 14px; }
      .banner.demo { background: color-mix(in srgb, var(--info-color) 14%, var(--card-background-color)); border: 1px solid var(--info-color); }
      .banner.warn { background: color-mix(in srgb, var(--warning-color) 14%, var(--card-background-color)); border: 1px solid var(--warning-color); }
      /* Touch: the unit switch and the tabs at Home Assistant's touch size (each switch and the tab bar is one control, its parts side by side). */
      @media (pointer: coarse) {
        .bar { min-height: 60px; }
        .units button { min-height: 44px; padding: 4px 14px; }
        nav a { display: flex; align-items: center; min-height: 44px; }
      }
      @media (max-width: 600px) {
        main { padding: 10px; }
        .status .text { display: none; }
        /* Four tabs and the alarm count on a phone's width in German too; a longer language wraps them, never hides one. */
        nav { gap: 0; padding: 0 2px; flex-wrap: wrap; overflow-x: visible; }
        nav a { padding: 10px 7px; font-size: 13px; letter-spacing: 0.02em; }
        nav .count { margin-left: 3px; }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("hashchange", this._onHash);
    this._stopLanguage = followHomeAssistantLanguage(window);
    this._stopTheme = followHomeAssistantTheme(this, window);
    this._unsubscribe = this._live.subscribe({
      changed: () => this.requestUpdate(),
      snapshot: () => void this._refresh(),
    });
    this._live.connect();
    void this._refresh();
    this._timer = window.setInterval(() => void this._refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this._onHash);
    this._stopLanguage?.();
    this._stopTheme?.();
    window.clearInterval(this._timer);
    this._unsubscribe?.();
    this._live.close();
  }

  override render() {
    const firing = this._live.activeAlarms().filter((a) => a.phase === "firing").length;
    const tab = (view: string, label: string, href: string, extra: unknown = nothing) =>
      html`<a href=${href} aria-current=${this._tabOf(this._route) === view ? "page" : "false"}>${label}${extra}</a>`;
    return html`
      <header>
        <div class="bar">
          <span class="title">Grill Stats</span>
          <span class="spacer"></span>
          <span class="status" title=${localize(this._live.connected ? "app.live_title" : "app.reconnecting_title")}>
            <span class="dot ${this._live.connected ? "on" : ""}"></span><span class="text">${localize(this._live.connected ? "app.live" : "app.reconnecting")}</span>
          </span>
          <span class="units" role="group" aria-label=${localize("app.unit")}>
            ${(["C", "F"] as const).map(
              (u) => html`<button aria-pressed=${this._unit === u ? "true" : "false"} @click=${() => this._setUnit(u)}>°${u}</button>`,
            )}
          </span>
        </div>
        <nav>
          ${tab("live", localize("tab.live"), "#/live")} ${tab("cooks", localize("tab.cooks"), "#/cooks")} ${tab("compare", localize("tab.compare"), "#/compare")}
          ${tab("alarms", localize("tab.alarms"), "#/alarms", firing ? html`<span class="count">${firing}</span>` : nothing)}
        </nav>
      </header>
      <main>${this._banners()} ${this._view()}</main>
    `;
  }

  private _tabOf(route: Route): string {
    return route.view === "cook" ? "cooks" : route.view;
  }

  private _banners() {
    const h = this._health;
    if (!h) return nothing;
    const banners = [];
    if (h.mode === "demo") {
      banners.push(html`<div class="banner demo" data-testid="demo-banner">
        <b>${localize("banner.demo_title")}</b> ${localize("banner.demo")}
      </div>`);
    }
    const tw = h.thermoworks as { ok?: boolean; message?: string; lastError?: string };
    if (tw.ok === false) {
      banners.push(html`<div class="banner warn">${localize("banner.cloud", { problem: tw.message ?? tw.lastError ?? localize("banner.cloud_unreachable") })}</div>`);
    }
    return banners;
  }

  private _view() {
    const r = this._route;
    switch (r.view) {
      case "live":
        return html`<gs-live-view .live=${this._live} .unit=${this._unit} .devices=${this._devices}></gs-live-view>`;
      case "cooks":
        return html`<gs-cooks-view .unit=${this._unit} .live=${this._live}></gs-cooks-view>`;
      case "cook":
        return html`<gs-cook-detail .cookId=${r.id} .unit=${this._unit} .live=${this._live}></gs-cook-detail>`;
      case "compare":
        return html`<gs-compare-view .ids=${r.ids} .unit=${this._unit}></gs-compare-view>`;
      case "alarms":
        return html`<gs-alarms-view .live=${this._live} .unit=${this._unit} .devices=${this._devices}></gs-alarms-view>`;
    }
  }

  private _setUnit(unit: TemperatureUnit): void {
    this._unit = unit;
    try {
      localStorage.setItem(UNIT_KEY, unit);
    } catch (err) {
      console.debug("grill-stats: could not remember the unit", err);
    }
  }

  private async _refresh(): Promise<void> {
    const [health, devices] = await Promise.allSettled([api.health(), api.devices()]);
    if (health.status === "fulfilled") {
      this._health = health.value;
      if (!storedUnit() && (health.value.displayUnit === "C" || health.value.displayUnit === "F")) this._unit = health.value.displayUnit;
    }
    if (devices.status === "fulfilled") this._devices = devices.value;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "gs-app": GrillStatsApp;
  }
}
