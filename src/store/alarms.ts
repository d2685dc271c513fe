/** Alarm states, their transition log, rules, and the notification outbox with its delivery log. */
import {
  BadRequestError,
  CLEAR_NOTIFICATION,
  NotFoundError,
  type AlarmKind,
  type AlarmPhase,
  type AlarmRule,
  type AlarmState,
  type AlarmTransitionRecord,
  type Clock,
  type DeliveryRecord,
  type OutboxItem,
} from "../shared";
import type { Db } from "./db";

interface AlarmRow {
  id: string;
  kind: string;
  probe_id: string | null;
  device_key: string | null;
  phase: string;
  message: string;
  value_c: number | null;
  threshold_c: number | null;
  since_ms: number;
  snoozed_until_ms: number | null;
  repeat_count: number;
  critical: number;
}

interface TransitionRow {
  id: number;
  alarm_id: string;
  ts_ms: number;
  from_phase: string;
  to_phase: string;
  transition: string;
  message: string;
}

interface RuleRow {
  probe_id: string | null;
  device_key: string | null;
  kind: string;
  enabled: number;
  params: string;
}

interface OutboxRow {
  id: number;
  key: string;
  channel: string;
  payload: string;
  created_ms: number;
  attempts: number;
  delivered_ms: number | null;
  last_error: string | null;
}

interface DeliveryRow {
  id: number;
  outbox_id: number;
  ts_ms: number;
  channel: string;
  ok: number;
  error: string | null;
  alarm_id: string | null;
  clears: number | null;
}

const toAlarm = (r: AlarmRow): AlarmState => ({
  id: r.id,
  kind: r.kind as AlarmKind,
  probeId: r.probe_id,
  deviceKey: r.device_key,
  phase: r.phase as AlarmPhase,
  message: r.message,
  valueC: r.value_c,
  thresholdC: r.threshold_c,
  sinceMs: r.since_ms,
  snoozedUntilMs: r.snoozed_until_ms,
  repeatCount: r.repeat_count,
  critical: r.critical === 1,
});

const toTransition = (r: TransitionRow): AlarmTransitionRecord => ({
  id: r.id,
  alarmId: r.alarm_id,
  tsMs: r.ts_ms,
  fromPhase: r.from_phase,
  toPhase: r.to_phase,
  transition: r.transition,
  message: r.message,
});

const toRule = (r: RuleRow): AlarmRule => ({
  probeId: r.probe_id,
  deviceKey: r.device_key,
  kind: r.kind,
  enabled: r.enabled === 1,
  params: JSON.parse(r.params) as AlarmRule["params"],
});

const toOutbox = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  key: r.key,
  channel: r.channel,
  payload: JSON.parse(r.payload) as unknown,
  createdMs: r.created_ms,
  attempts: r.attempts,
  deliveredMs: r.delivered_ms,
  lastError: r.last_error,
});

const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  outboxId: r.outbox_id,
  tsMs: r.ts_ms,
  channel: r.channel,
  ok: r.ok === 1,
  error: r.error,
  alarmId: typeof r.alarm_id === "string" ? r.alarm_id : null,
  clears: r.clears === 1,
});

const limitOf = (limit: number | undefined, fallback: number): number => (limit === undefined ? fallback : Math.max(0, Math.floor(limit)));

export const createAlarms = (db: Db, clock: Clock) => {
  const upsertAlarm = db.prepare(`
    INSERT INTO alarms (id, kind, probe_id, device_key, phase, message, value_c, threshold_c, since_ms, snoozed_until_ms, repeat_count, critical, updated_ms)
    VALUES (@id, @kind, @probeId, @deviceKey, @phase, @message, @valueC, @thresholdC, @sinceMs, @snoozedUntilMs, @repeatCount, @critical, @now)
    ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, probe_id = excluded.probe_id, device_key = excluded.device_key,
      phase = excluded.phase, message = excluded.message, value_c = excluded.value_c, threshold_c = excluded.threshold_c,
      since_ms = excluded.since_ms, snoozed_until_ms = excluded.snoozed_until_ms, repeat_count = excluded.repeat_count,
      critical = excluded.critical, updated_ms = excluded.updated_ms`);
  const selectAlarms = db.prepare("SELECT * FROM alarms ORDER BY id");
  const deleteAlarm = db.prepare("DELETE FROM alarms WHERE id = ?");
  const insertTransition = db.prepare(`INSERT INTO alarm_transitions (alarm_id, ts_ms, from_phase, to_phase, transition, message)
    VALUES (@alarmId, @tsMs, @fromPhase, @toPhase, @transition, @message)`);
  const transitionsAll = db.prepare("SELECT * FROM alarm_transitions ORDER BY ts_ms DESC, id DESC LIMIT ?");
  const transitionsOf = db.prepare("SELECT * FROM alarm_transitions WHERE alarm_id = ? ORDER BY ts_ms DESC, id DESC LIMIT ?");
  const upsertRule = db.prepare(`
    INSERT INTO alarm_rules (rule_key, probe_id, device_key, kind, enabled, params, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (rule_key) DO UPDATE SET enabled = excluded.enabled, params = excluded.params, updated_ms = excluded.updated_ms`);
  const selectRules = db.prepare("SELECT probe_id, device_key, kind, enabled, params FROM alarm_rules ORDER BY probe_id, device_key, kind");
  const insertOutbox = db.prepare("INSERT OR IGNORE INTO outbox (key, channel, payload, created_ms) VALUES (?, ?, ?, ?)");
  const selectOutbox = db.prepare("SELECT * FROM outbox WHERE id = ?");
  const pending = db.prepare("SELECT * FROM outbox WHERE delivered_ms IS NULL ORDER BY created_ms, id LIMIT ?");
  const markDelivered = db.prepare("UPDATE outbox SET delivered_ms = coalesce(delivered_ms, ?), last_error = NULL WHERE id = ?");
  const attempt = db.prepare("UPDATE outbox SET attempts = attempts + 1, last_attempt_ms = ?, last_error = ? WHERE id = ?");
  const insertDelivery = db.prepare("INSERT INTO deliveries (outbox_id, ts_ms, channel, ok, error) SELECT id, ?, channel, ?, ? FROM outbox WHERE id = ?");
  // What each was about, from its outbox item: the alarm, and whether it took a notification away
  // (the persistent notification dismissed, a phone's push cleared).
  const selectDeliveries = db.prepare(`
    SELECT d.*, json_extract(o.payload, '$.alarmId') AS alarm_id,
      (d.channel = 'persistent_notification.dismiss' OR json_extract(o.payload, '$.message') = '${CLEAR_NOTIFICATION}') AS clears
    FROM deliveries d LEFT JOIN outbox o ON o.id = d.outbox_id
    ORDER BY d.ts_ms DESC, d.id DESC LIMIT ?`);
  const pruneTransitions = db.prepare("DELETE FROM alarm_transitions WHERE ts_ms < ?");
  const pruneDeliveries = db.prepare("DELETE FROM deliveries WHERE ts_ms < ?");
  const pruneOutbox = db.prepare("DELETE FROM outbox WHERE delivered_ms IS NOT NULL AND delivered_ms < ?");

  return {
    /** Inserts or replaces the alarm with this id. */
    saveAlarm(s: AlarmState): void {
      upsertAlarm.run({ ...s, critical: s.critical ? 1 : 0, now: clock.now() });
    },
    listAlarms: (): AlarmState[] => (selectAlarms.all() as AlarmRow[]).map(toAlarm),
    /** Removes the alarm (no error when it does not exist). */
    deleteAlarm(id: string): void {
      deleteAlarm.run(id);
    },
    recordTransition(rec: Omit<AlarmTransitionRecord, "id">): void {
      insertTransition.run(rec);
    },
    /** Newest first (default limit 100). */
    listTransitions(opts: { alarmId?: string; limit?: number } = {}): AlarmTransitionRecord[] {
      const limit = limitOf(opts.limit, 100);
      const rows = opts.alarmId === undefined ? transitionsAll.all(limit) : transitionsOf.all(opts.alarmId, limit);
      return (rows as TransitionRow[]).map(toTransition);
    },
    /** Upserts by (probeId, deviceKey, kind). */
    saveRule(rule: AlarmRule): void {
      if (typeof rule.kind !== "string" || rule.kind === "") throw new BadRequestError("an alarm rule needs a kind");
      const key = `${rule.probeId ?? ""}|${rule.deviceKey ?? ""}|${rule.kind}`;
      upsertRule.run(key, rule.probeId, rule.deviceKey, rule.kind, rule.enabled ? 1 : 0, JSON.stringify(rule.params ?? {}), clock.now());
    },
    listRules: (): AlarmRule[] => (selectRules.all() as RuleRow[]).map(toRule),
    /** Returns the new item, or null when an item with this key was enqueued before. */
    enqueue(item: { key: string; channel: string; payload: unknown; createdMs: number }): OutboxItem | null {
      if (typeof item.key !== "string" || item.key === "") throw new BadRequestError("an outbox item needs a key");
      const payload = JSON.stringify(item.payload ?? null);
      const info = insertOutbox.run(item.key, item.channel, payload, item.createdMs);
      if (info.changes === 0) return null;
      return toOutbox(selectOutbox.get(Number(info.lastInsertRowid)) as OutboxRow);
    },
    /** Undelivered items, oldest first (default limit 100). */
    pendingOutbox: (limit?: number): OutboxItem[] => (pending.all(limitOf(limit, 100)) as OutboxRow[]).map(toOutbox),
    /** Marks the item delivered (the first delivery time is kept). */
    markDelivered(id: number, tsMs: number): void {
      if (markDelivered.run(tsMs, id).changes === 0) throw new NotFoundError(`outbox item ${id} does not exist`);
    },
    /**
     * Logs one delivery attempt (time, channel, ok, error) and counts it on the item.
     * It does not mark the item delivered: call `markDelivered` when the item is done.
     */
    recordAttempt: db.transaction((id: number, tsMs: number, ok: boolean, error: string | null): void => {
      if (attempt.run(tsMs, ok ? null : error, id).changes === 0) throw new NotFoundError(`outbox item ${id} does not exist`);
      insertDelivery.run(tsMs, ok ? 1 : 0, error, id);
    }),
    /** Newest first (default limit 100). */
    /** Deletes transitions, delivery records and delivered outbox items older than tsMs (never pending items). */
    pruneLogsOlderThan: db.transaction((tsMs: number): number => {
      return pruneTransitions.run(tsMs).changes + pruneDeliveries.run(tsMs).changes + pruneOutbox.run(tsMs).changes;
    }),
    listDeliveries: (opts: { limit?: number } = {}): DeliveryRecord[] => (selectDeliveries.all(limitOf(opts.limit, 100)) as DeliveryRow[]).map(toDelivery),
  };
};
