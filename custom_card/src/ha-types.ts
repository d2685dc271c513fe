/**
 * The slice of Home Assistant's frontend `hass` object the card uses. Only calls a non-admin
 * user may make: callService (input_number / input_button), history/stream,
 * history/history_during_period and recorder/statistics_during_period.
 */
export interface HassEntity {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
}

export type HassEntities = Record<string, HassEntity>;

export interface HassMessageBase {
  type: string;
  [key: string]: unknown;
}

export interface HassConnection {
  subscribeMessage<T>(callback: (msg: T) => void, msg: HassMessageBase, options?: { resubscribe?: boolean }): Promise<() => Promise<void>>;
}

export interface HassLocale {
  language: string;
  number_format?: string;
  time_format?: string;
  time_zone?: string;
}

export interface HomeAssistant {
  states: HassEntities;
  callService(domain: string, service: string, data?: Record<string, unknown>): Promise<unknown>;
  callWS<T>(msg: HassMessageBase): Promise<T>;
  connection: HassConnection;
  language?: string;
  locale?: HassLocale;
  config: { time_zone: string; unit_system?: { temperature?: string } };
  themes?: { darkMode?: boolean; theme?: string };
  selectedTheme?: unknown;
  user?: { is_admin?: boolean; name?: string };
}

export interface LovelaceCardEditor extends HTMLElement {
  hass?: HomeAssistant;
  setConfig(config: unknown): void;
}
