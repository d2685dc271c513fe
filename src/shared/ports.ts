/**
 * Storage ports: what domain modules need from persistence, as plain interfaces.
 * `store/` implements them with SQLite; `analytics/` and `alarms/` receive them as deps
 * (so they never import `store/` or better-sqlite3).
 */
import type { AlarmState, Cook, CookEvent, CookEventKind, Device, Probe, ProbeSettings, Reading } from "./model";

export type HistoryPoint = [tsMs: number, tempC: number | null];

/** One probe's downsampled points as columns; `tempC` NaN = null (a gap). */
export interface HistoryColumns {
  readonly ts: Float64Array;
  readonly tempC: Float64Array;
  readonly length: number;
}

export interface ReadingsRepo {
  upsertDevices(devices: Device[]): void;
  upsertProbes(probes: Probe[]): void;
  listDevices(): Device[];
  listProbes(): Probe[];
  /** Idempotent batch insert (one transaction). Returns only the readings that were new. */
  insertReadings(readings: Reading[]): Reading[];
  /** The newest reading per probe (including null = unplugged). */
  latestReadings(): Map<string, Reading>;
  /** Raw readings of one probe in [fromMs, toMs], ascending. */
  readingsBetween(probeId: string, fromMs: number, toMs: number): Reading[];
  /**
   * At most `points` points per probe in [fromMs, toMs], downsampled on the server so that the
   * minimum and maximum of every bucket survive (null temps become gaps). Long ranges use rollups.
   */
  history(probeIds: string[], fromMs: number, toMs: number, points: number): Record<string, HistoryPoint[]>;
  /** The same points as `history`, as columns per probe in `probeIds` order (unknown ids: empty): cheap to encode. */
  historyColumns(probeIds: readonly string[], fromMs: number, toMs: number, points: number): ReadonlyMap<string, HistoryColumns>;
  /** Deletes readings (and rollups) older than tsMs; returns rows deleted. */
  pruneOlderThan(tsMs: number): number;
}

export interface SettingsRepo {
  getSettings(probeId: string): ProbeSettings;
  listSettings(): ProbeSettings[];
  saveSettings(settings: ProbeSettings): void;
}

export interface CookRepo {
  createCook(input: { name: string; startMs: number; probeIds: string[]; targets?: Record<string, number> }): Cook;
  updateCook(id: number, patch: Partial<Pick<Cook, "name" | "notes" | "endMs" | "probeIds" | "targets" | "startMs">>): Cook;
  getCook(id: number): Cook | null;
  /** Newest first. */
  listCooks(opts?: { limit?: number; beforeMs?: number }): Cook[];
  /** The cooks just before and after cook `id` (by start): the two it can be merged with. */
  cookNeighbours(id: number): { previous: Cook | null; next: Cook | null };
  /** The cook with endMs = null, if any. */
  activeCook(): Cook | null;
  deleteCook(id: number): void;
  addCookEvent(input: { cookId: number; tsMs: number; kind: CookEventKind; text: string; probeId?: string | null }): CookEvent;
  listCookEvents(cookId: number): CookEvent[];
  deleteCookEvent(id: number): void;
  /** Split cook `id` at `atMs`: the original ends at atMs, a new cook starts there (events move). Returns the new cook. */
  /** The part from `atMs` on becomes a cook of its own, named `name` (default "<name> (part 2)"). */
  splitCook(id: number, atMs: number, name?: string): Cook;
  /** Merge cook `otherId` into `id` (span, probes, events, notes). Returns the merged cook. */
  mergeCooks(id: number, otherId: number): Cook;
}

export interface AlarmTransitionRecord {
  id: number;
  alarmId: string;
  tsMs: number;
  fromPhase: string;
  toPhase: string;
  transition: string;
  message: string;
}

export interface OutboxItem {
  id: number;
  /** Idempotency key: the same key is never enqueued twice. */
  key: string;
  channel: string;
  payload: unknown;
  createdMs: number;
  attempts: number;
  deliveredMs: number | null;
  lastError: string | null;
}

export interface DeliveryRecord {
  id: number;
  outboxId: number;
  tsMs: number;
  channel: string;
  ok: boolean;
  error: string | null;
  /** The alarm it was about (null once its outbox item is pruned). */
  alarmId: string | null;
  /** It took a notification away (the alarm handled or over), rather than brought one. */
  clears: boolean;
}

export interface AlarmRule {
  probeId: string | null;
  deviceKey: string | null;
  kind: string;
  enabled: boolean;
  /** Rule-specific parameters (thresholds in °C, minutes, percent …). */
  params: Record<string, number | string | boolean | null>;
}

export interface AlarmRepo {
  saveAlarm(state: AlarmState): void;
  listAlarms(): AlarmState[];
  deleteAlarm(id: string): void;
  recordTransition(rec: Omit<AlarmTransitionRecord, "id">): void;
  listTransitions(opts?: { alarmId?: string; limit?: number }): AlarmTransitionRecord[];
  saveRule(rule: AlarmRule): void;
  listRules(): AlarmRule[];
  /** Enqueue unless `key` exists already; returns the item, or null when it was a duplicate. */
  enqueue(item: { key: string; channel: string; payload: unknown; createdMs: number }): OutboxItem | null;
  /** Undelivered items, oldest first. */
  pendingOutbox(limit?: number): OutboxItem[];
  markDelivered(id: number, tsMs: number): void;
  recordAttempt(id: number, tsMs: number, ok: boolean, error: string | null): void;
  listDeliveries(opts?: { limit?: number }): DeliveryRecord[];
}

/** Small persistent key/value state (Home Assistant helper ids, card resource id, …). */
export interface KvRepo {
  getKv<T = unknown>(key: string): T | null;
  setKv(key: string, value: unknown): void;
}

export interface StoreStats {
  path: string;
  /**
   * The database file is gone from its folder while the store writes to it (deleted or moved
   * away by hand): SQLite keeps writing to the unlinked file, which vanishes at the next restart.
   */
  fileMissing: boolean;
  sizeBytes: number;
  readings: number;
  oldestMs: number | null;
  newestMs: number | null;
}

export interface Store extends ReadingsRepo, SettingsRepo, CookRepo, AlarmRepo, KvRepo {
  stats(): StoreStats;
  /** A consistent copy of the database (VACUUM INTO), for backups. */
  backupTo(path: string): void;
  close(): void;
}

/** A snooze that names no length: the notification's and the helper button's "Snooze 10 min", and the API's default. */
export const DEFAULT_SNOOZE_MINUTES = 10;

/** The companion app's command (a push's message) that removes the push with the same `tag` from the phone. */
export const CLEAR_NOTIFICATION = "clear_notification";

/**
 * The port through which alarms reach Home Assistant: the HA bridge implements it, the alarm
 * service uses it, and neither imports the other.
 *
 * Channels and what the bridge does with the payload:
 * - `notify.<service>`: call that notify service with `title` and `message`. `actions: true` asks
 *   for actionable buttons "Acknowledge" and "Snooze 10 min" whose answers the bridge turns into
 *   bus `alarm:command` {alarmId, action}. `data` (tag, group, priority …) goes into the
 *   service's `data` field as is.
 * - `persistent_notification`: `persistent_notification.create` with `title`, `message` and
 *   `notification_id = data.notification_id` (one per alarm, so a repeat replaces it).
 * - `persistent_notification.dismiss`: `persistent_notification.dismiss` with
 *   `notification_id = data.notification_id`.
 * - `event`: fire `grill_stats_alarm` with `event_data = data`.
 */
export interface AlarmNotificationPayload {
  title: string;
  message: string;
  alarmId: string;
  actions?: boolean;
  /** The language title and message are written in ("en", "de"), for the button titles; English when absent (queued before it was recorded). */
  language?: string;
  data?: Record<string, unknown>;
}

export interface AlarmNotifier {
  /**
   * Sends one notification. Rejects when Home Assistant is unreachable, and when it answers
   * with an error (e.g. `{code: "not_found"}` for an unknown notify service). Reject with an
   * `UpstreamError` whose `retryable` says which of the two it was, or with HA's `{code, message}`
   * error object; while `isConnected()` is false every failure counts as "unreachable".
   */
  deliver(channel: string, payload: AlarmNotificationPayload): Promise<void>;
  isConnected(): boolean;
}
