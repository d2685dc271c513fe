/**
 * The alarm repository as the alarm service uses it, when the database cannot be written (a full
 * disk, a lock held by another program). An alarm must go out all the same:
 * - outbox items that cannot be written are kept in memory (negative ids) and delivered like the
 *   others; a delivery that cannot be marked in the database is remembered, so it is not sent
 *   again with every flush;
 * - the alarm rows and transition records are the record, not the alarm: failing to write them
 *   is logged, and the alarm (held in memory by the engine) carries on.
 * Reads go to the database as they are (a full disk still reads). Rule changes are a person's
 * request and fail as such.
 */
import { errorMessage, type AlarmRepo, type Clock, type Logger, type OutboxItem } from "../shared";

/** Outbox items kept in memory at most (undelivered ones first to stay). */
const MAX_MEMORY_ITEMS = 5000;
/** While writes fail, the error is logged again at most this often. */
const REPEAT_LOG_MS = 5 * 60_000;

export const withMemoryFallback = (repo: AlarmRepo, logger: Logger, clock: Clock): AlarmRepo => {
  /** Outbox items the database did not take, by id (negative). */
  const memory = new Map<number, OutboxItem>();
  /** Database items delivered, or tried, while the database could not record it. */
  const deliveredDb = new Map<number, number>();
  const attemptsDb = new Map<number, { attempts: number; lastError: string | null }>();
  let nextId = -1;
  let loggedMs = Number.NEGATIVE_INFINITY;

  const failed = (what: string, err: unknown): void => {
    const nowMs = clock.now();
    if (nowMs - loggedMs < REPEAT_LOG_MS) return;
    loggedMs = nowMs;
    logger.error(`could not write ${what} to the database; alarms carry on from memory and notifications are still sent`, { error: errorMessage(err) });
  };

  const tryWrite = (what: string, write: () => void): void => {
    try {
      write();
    } catch (err) {
      failed(what, err);
    }
  };

  /** Marks that could not be written before: written as soon as the database takes them. */
  const catchUp = (): void => {
    for (const [id, tsMs] of deliveredDb) {
      try {
        repo.markDelivered(id, tsMs);
      } catch {
        return;
      }
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
    listAlarms: () => repo.listAlarms(),
    listTransitions: (opts) => repo.listTransitions(opts),
    listRules: () => repo.listRules(),
    saveRule: (rule) => repo.saveRule(rule),
    listDeliveries: (opts) => repo.listDeliveries(opts),
    saveAlarm: (state) => tryWrite("an alarm's state", () => repo.saveAlarm(state)),
    deleteAlarm: (id) => tryWrite("an alarm's removal", () => repo.deleteAlarm(id)),
    recordTransition: (rec) => tryWrite("an alarm's transition", () => repo.recordTransition(rec)),
    enqueue: (item) => {
      try {
        return repo.enqueue(item);
      } catch (err) {
        failed("an alarm notification", err);
        for (const kept of memory.values()) if (kept.key === item.key) return null;
        const kept: OutboxItem = { ...item, id: nextId--, attempts: 0, deliveredMs: null, lastError: null };
        memory.set(kept.id, kept);
        prune();
        return kept;
      }
    },
    pendingOutbox: (limit) => {
      catchUp();
      let fromDb: OutboxItem[] = [];
      try {
        fromDb = repo.pendingOutbox(limit);
      } catch (err) {
        failed("(reading) the notification queue", err);
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
      const kept = memory.get(id);
      if (kept) {
        memory.delete(id);
        return;
      }
      try {
        repo.markDelivered(id, tsMs);
      } catch (err) {
        failed("a delivered notification", err);
        deliveredDb.set(id, tsMs);
      }
    },
    recordAttempt: (id, tsMs, ok, error) => {
      const kept = memory.get(id);
      if (kept) {
        memory.set(id, { ...kept, attempts: kept.attempts + 1, lastError: ok ? null : error });
        return;
      }
      try {
        repo.recordAttempt(id, tsMs, ok, error);
      } catch (err) {
        failed("a notification attempt", err);
        const seen = attemptsDb.get(id);
        attemptsDb.set(id, { attempts: (seen?.attempts ?? 0) + 1, lastError: ok ? null : error });
      }
    },
  };
};
