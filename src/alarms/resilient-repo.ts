/**
 * The alarm repository as the alarm service uses it, when the database cannot be written (a full
 * disk, a lock held by another program). An alarm must go out all the same:
 * - outbox items that cannot be written are kept in memory (negative ids) and delivered like the
 *   others; a delivery that cannot be marked in the database is remembered, so it is not sent
 *   again with every flush, and marked once the database takes writes again;
 * - an alarm's row (its phase: acknowledged, snoozed …) that cannot be written is kept and
 *   written later, newest state only, so a restart does not bring back what a person put away;
 *   transition records are history: one that cannot be written is only logged.
 * After a failed write the database is left alone for a while (WriteGate): a locked file makes
 * every write wait the busy timeout, and an alarm's half-dozen writes must not hold the service
 * for half a minute. Reads go to the database as they are (a full disk still reads). Rule changes
 * are a person's request and fail as such.
 */
import { createWriteGate, errorMessage, type AlarmRepo, type AlarmState, type Clock, type Logger, type OutboxItem } from "../shared";

/** Outbox items kept in memory at most (delivered ones are dropped first). */
const MAX_MEMORY_ITEMS = 5000;

export interface ResilientAlarmRepo extends AlarmRepo {
  /** Writes what was kept while the database could not take it (the service's timer calls this). */
  catchUp(): void;
}

export const withMemoryFallback = (repo: AlarmRepo, logger: Logger, clock: Clock): ResilientAlarmRepo => {
  /** Outbox items the database did not take, by id (negative). */
  const memory = new Map<number, OutboxItem>();
  /** Database items delivered, or tried, while the database could not record it. */
  const deliveredDb = new Map<number, number>();
  const attemptsDb = new Map<number, { attempts: number; lastError: string | null }>();
  /** Alarm rows not written yet: the newest state, or null for a removal. */
  const unsaved = new Map<string, AlarmState | null>();
  let nextId = -1;
  const gate = createWriteGate(clock);

  /** Runs a write unless the database is in its back-off; false when it did not happen. */
  const attempt = (what: string, write: () => void): boolean =>
    gate.attempt(write, (err, report) => {
      if (report) logger.error(`could not write ${what} to the database; alarms carry on from memory and notifications are still sent`, { error: errorMessage(err) });
    });

  const catchUp = (): void => {
    for (const [id, state] of unsaved) {
      if (!attempt("an alarm's state", () => (state ? repo.saveAlarm(state) : repo.deleteAlarm(id)))) return;
      unsaved.delete(id);
    }
    for (const [id, tsMs] of deliveredDb) {
      if (!attempt("a delivered notification", () => repo.markDelivered(id, tsMs))) return;
      deliveredDb.delete(id);
      attemptsDb.delete(id);
    }
  };

  const prune = (): void => {
    if (memory.size <= MAX_MEMORY_ITEMS) return;
    const byAge = [...memory.values()].sort((a, b) => Number(a.deliveredMs === null) - Number(b.deliveredMs === null) || a.createdMs - b.createdMs);
    for (const item of byAge.slice(0, memory.size - MAX_MEMORY_ITEMS)) memory.delete(item.id);
  };

  return {
    catchUp,
    listAlarms: () => repo.listAlarms(),
    listTransitions: (opts) => repo.listTransitions(opts),
    listRules: () => repo.listRules(),
    saveRule: (rule) => repo.saveRule(rule),
    listDeliveries: (opts) => repo.listDeliveries(opts),
    saveAlarm: (state) => {
      unsaved.delete(state.id);
      if (!attempt("an alarm's state", () => repo.saveAlarm(state))) unsaved.set(state.id, state);
    },
    deleteAlarm: (id) => {
      unsaved.delete(id);
      if (!attempt("an alarm's removal", () => repo.deleteAlarm(id))) unsaved.set(id, null);
    },
    recordTransition: (rec) => {
      attempt("an alarm's transition", () => repo.recordTransition(rec));
    },
    enqueue: (item) => {
      let queued: OutboxItem | null = null;
      if (attempt("an alarm notification", () => (queued = repo.enqueue(item)))) return queued;
      for (const kept of memory.values()) if (kept.key === item.key) return null;
      const kept: OutboxItem = { ...item, id: nextId--, attempts: 0, deliveredMs: null, lastError: null };
      memory.set(kept.id, kept);
      prune();
      return kept;
    },
    pendingOutbox: (limit) => {
      catchUp();
      let fromDb: OutboxItem[] = [];
      try {
        fromDb = repo.pendingOutbox(limit);
      } catch (err) {
        logger.warn("could not read the notification queue; sending what is kept in memory", { error: errorMessage(err) });
      }
      const pending = [
        ...fromDb.filter((i) => !deliveredDb.has(i.id)).map((i) => {
          const extra = attemptsDb.get(i.id);
          return extra ? { ...i, attempts: i.attempts + extra.attempts, lastError: extra.lastError } : i;
        }),
        ...[...memory.values()].filter((i) => i.deliveredMs === null),
      ].sort((a, b) => a.createdMs - b.createdMs || Math.abs(a.id) - Math.abs(b.id));
      return limit === undefined ? pending : pending.slice(0, limit);
    },
    markDelivered: (id, tsMs) => {
      if (memory.delete(id)) return;
      if (!attempt("a delivered notification", () => repo.markDelivered(id, tsMs))) deliveredDb.set(id, tsMs);
    },
    recordAttempt: (id, tsMs, ok, error) => {
      const kept = memory.get(id);
      if (kept) {
        memory.set(id, { ...kept, attempts: kept.attempts + 1, lastError: ok ? null : error });
        return;
      }
      if (attempt("a notification attempt", () => repo.recordAttempt(id, tsMs, ok, error))) return;
      const seen = attemptsDb.get(id);
      attemptsDb.set(id, { attempts: (seen?.attempts ?? 0) + 1, lastError: ok ? null : error });
    },
  };
};
