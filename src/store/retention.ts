/**
 * Retention: deletes readings (and rollups, alarm logs, delivered notifications) older than
 * `days`, once at start and then every day at 04:00 local time (a plain timer, re-armed after each
 * run). Cooks and their events are never deleted. Work is done in short chunks with a yield to
 * the event loop in between, so a large first prune never blocks the service.
 */
import { errorMessage, systemClock, type Clock, type Logger, type Service, type Store } from "../shared";

const DAY_MS = 86_400_000;
const RUN_AT_HOUR = 4;
const CHUNK_ROWS = 20_000;

export interface RetentionService extends Service {
  /** Prunes now (joins a run already in progress); resolves to the readings deleted. */
  runNow(): Promise<number>;
}

/** Milliseconds from `nowMs` until the next `hour`:00 local time. */
export const msUntilNextHour = (nowMs: number, hour: number): number => {
  const next = new Date(nowMs);
  next.setHours(hour, 0, 0, 0);
  if (next.getTime() <= nowMs) next.setDate(next.getDate() + 1);
  return next.getTime() - nowMs;
};

const yieldToLoop = (): Promise<void> => new Promise((res) => setImmediate(res));

type ChunkedStore = Store & { pruneChunk?: (tsMs: number, maxRows?: number) => number; pruneLogsOlderThan?: (tsMs: number) => number };

export const createRetentionService = (deps: { store: Store; days: number; logger: Logger; clock?: Clock }): RetentionService => {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger.child("retention");
  const store = deps.store as ChunkedStore;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = false;

  const prune = async (): Promise<number> => {
    const cutoffMs = clock.now() - deps.days * DAY_MS;
    let deleted = 0;
    if (store.pruneChunk) {
      for (;;) {
        const n = store.pruneChunk(cutoffMs, CHUNK_ROWS);
        deleted += n;
        if (n === 0 || stopped) break;
        await yieldToLoop();
      }
    } else {
      deleted = store.pruneOlderThan(cutoffMs);
    }
    const logs = store.pruneLogsOlderThan?.(cutoffMs) ?? 0;
    logger.info("old history pruned", { days: deps.days, before: new Date(cutoffMs).toISOString(), readings: deleted, logRows: logs });
    return deleted;
  };

  const runNow = (): Promise<number> => {
    if (deps.days <= 0) return Promise.resolve(0);
    running ??= prune().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      runNow()
        .catch((err: unknown) => logger.error("pruning failed", { error: errorMessage(err) }))
        .finally(schedule);
    }, msUntilNextHour(clock.now(), RUN_AT_HOUR));
    timer.unref();
  };

  return {
    runNow,
    async start(): Promise<void> {
      if (deps.days <= 0) {
        logger.info("history retention is off: keeping every reading");
        return;
      }
      stopped = false;
      runNow().catch((err: unknown) => logger.error("pruning failed", { error: errorMessage(err) }));
      schedule();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
};
