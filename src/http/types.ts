import type {
  AlarmRule,
  AlarmState,
  AlarmTransitionRecord,
  Clock,
  DeliveryRecord,
  EventBus,
  Logger,
  ProbeState,
  Store,
} from "../shared";

/**
 * What the HTTP layer needs from the alarm service (`src/alarms`). Typed here, structurally, so
 * `http/` does not depend on how the alarm service is built. Methods may return a value or a
 * promise; the routes await either.
 */
export interface AlarmApi {
  list(): AlarmState[];
  acknowledge(alarmId: string, source: string): unknown;
  snooze(alarmId: string, minutes: number, source: string): unknown;
  /** Effective rules, defaults included. */
  rules(): AlarmRule[];
  /** Validates the rule; throws BadRequestError with a readable message when it is wrong. */
  setRule(rule: AlarmRule): unknown;
  deliveries(limit: number): DeliveryRecord[];
  transitions(limit: number): AlarmTransitionRecord[];
}

/** What `/api/health` serves. Built by main; the HTTP layer strips anything secret-looking. */
export interface Health {
  status: "ok" | "degraded";
  version: string;
  mode: "demo" | "cloud";
  thermoworks: Record<string, unknown>;
  homeassistant: Record<string, unknown>;
  store: Record<string, unknown>;
  [k: string]: unknown;
}

export interface HttpDeps {
  store: Store;
  bus: EventBus;
  logger: Logger;
  getProbeStates: () => ProbeState[];
  getHealth: () => Health;
  /** null when the alarm service is not running: alarm routes answer 503. */
  alarms: AlarmApi | null;
  /** Under the Supervisor: ["172.30.32.2"]; null = everyone may connect. */
  allowedAddresses: string[] | null;
  /** Host names the service answers to (bound to loopback: LOOPBACK_HOSTS); null or absent = any. */
  allowedHosts?: readonly string[] | null;
  /** Refuse writes whose Origin is another site (outside the Supervisor). */
  sameOriginWrites?: boolean;
  /** Folder with the built panel (index.html + panel.js). */
  panelDir: string;
  /** The Lovelace card bundle (dist/grill-stats-card.js). */
  cardPath: string;
  clock?: Clock;
}
