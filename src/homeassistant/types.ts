/** Public types of the Home Assistant bridge (see index.ts). */
import type { AlarmState, Clock, Device, EventBus, KvRepo, Logger, ProbeState, SettingsRepo } from "../shared";

export interface BridgeDeps {
  /** null = no Home Assistant (the service runs without it and says so in status). */
  connection: { url: string; token: string; viaSupervisor: boolean } | null;
  bus: EventBus;
  settings: SettingsRepo;
  kv: KvRepo;
  logger: Logger;
  clock?: Clock;
  /** `auto` follows Home Assistant's unit system. */
  temperatureUnit: "auto" | "C" | "F";
  version: string;
  mode: "demo" | "cloud";
  installCard: boolean;
  /** The built card bundle (dist/grill-stats-card.js). */
  cardBundlePath: string;
  /** Home Assistant's config folder (/config in the add-on). */
  configDir: string;
  /** Our blueprints (addon/blueprints). */
  blueprintsDir: string;
  getProbeStates: () => ProbeState[];
  getDevices: () => Device[];
  /** Current alarms (the temperature sensor carries its probe's most urgent one). */
  getAlarms?: () => AlarmState[];
  /** Ping period; a missing pong within min(10 s, period) forces a reconnect. Default 30 s. */
  heartbeatMs?: number;
  /** Retry period after `auth_invalid`. Default 5 min. */
  authRetryMs?: number;
  /**
   * Fire `grill_stats_alarm` from bus `alarm:changed` (in-memory queue). Default false: the alarms
   * module already delivers that event through its durable outbox (`event` channel of the notifier),
   * and both together would fire every alarm event twice.
   */
  alarmEventsFromBus?: boolean;
  /** Timeout of one REST state POST. Default 10 s. */
  restTimeoutMs?: number;
}

export interface HaStatus {
  configured: boolean;
  connected: boolean;
  state: "disabled" | "connecting" | "connected" | "auth_invalid" | "not_admin" | "disconnected";
  message: string;
  haVersion: string | null;
  unitSystem: "C" | "F" | null;
  /** When HA last accepted a posted state (epoch ms). */
  lastPostMs: number | null;
  /** States waiting to be posted (at most one per entity). */
  postQueue: number;
  /** Settings helpers bound (input_number + input_button). */
  helpers: number;
}
