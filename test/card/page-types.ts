/** Types of what test/card/fixtures/index.html puts on `window` (for page.evaluate callbacks). */
import type { GrillStatsChart } from "../../custom_card/src/chart/live-chart";
import type { GrillStatsCard } from "../../custom_card/src/grill-stats-card";
import type { HomeAssistant } from "../../custom_card/src/ha-types";

export interface WsMessage {
  type: string;
  start_time: string;
  entity_ids?: string[];
  [key: string]: unknown;
}

export interface PageHarness {
  log: {
    services: Array<{ domain: string; service: string; data: Record<string, unknown> }>;
    ws: WsMessage[];
    subscriptions: Array<{ msg: WsMessage; active: boolean }>;
  };
  card: GrillStatsCard;
  hass: HomeAssistant;
  mount(args: unknown): Promise<boolean>;
  setStates(patch: Record<string, unknown>): Promise<boolean>;
  setDark(dark: boolean): Promise<boolean>;
  streamLive(states: Record<string, Array<{ s: string; lu: number }>>): void;
  chart(): GrillStatsChart;
}

export interface PageWindow {
  harness: PageHarness;
  customCards: Array<{ type: string; name: string; preview?: boolean; documentationURL?: string }>;
  __plot?: unknown;
  __configs: Array<Record<string, unknown>>;
}

export interface CardClass {
  getConfigElement(): Promise<HTMLElement & { hass?: HomeAssistant; setConfig(c: unknown): void; updateComplete: Promise<boolean> }>;
  getStubConfig(hass: HomeAssistant): Record<string, unknown>;
}
