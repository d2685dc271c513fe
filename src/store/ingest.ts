/**
 * Polls into SQLite, and what happens when SQLite cannot take them (a full disk, the database
 * locked by another program): the readings are kept in memory, in order, and written as soon as a
 * write works again; meanwhile they still go downstream, so the live view, the forecasts and the
 * alarms keep running on what the thermometers say. The cloud only has the current reading, so a
 * poll that is not kept is gone for good.
 */
import { errorMessage, type Clock, type EventBus, type Logger, type PollResult, type Reading, type Store } from "../shared";

/** Readings kept while the database cannot be written: a day of 10 probes at 5 s is 172,800. */
export const MAX_PENDING_READINGS = 200_000;
/** While writes fail, the error is logged again at most this often. */
const REPEAT_LOG_MS = 5 * 60_000;

export interface IngestDeps {
  store: Pick<Store, "upsertDevices" | "upsertProbes" | "insertReadings">;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  maxPendingReadings?: number;
}

export interface Ingest {
  /** Writes one poll (after any kept before it); emits `readings:stored`. */
  onPoll(poll: PollResult): void;
  /** Readings read but not yet written. */
  pendingReadings(): number;
}

export const createIngest = (deps: IngestDeps): Ingest => {
  const { store, bus, logger, clock } = deps;
  const maxPending = deps.maxPendingReadings ?? MAX_PENDING_READINGS;
  const pending: PollResult[] = [];
  let pendingCount = 0;
  let failingSinceMs: number | null = null;
  let loggedMs = 0;
  let dropped = 0;

  const write = (poll: PollResult): Reading[] => {
    store.upsertDevices(poll.devices);
    store.upsertProbes(poll.probes);
    return store.insertReadings(poll.readings);
  };

  const keep = (poll: PollResult, err: unknown): void => {
    pending.push(poll);
    pendingCount += poll.readings.length;
    // Past the cap the oldest go first: the newest say most about the cook still running.
    while (pendingCount > maxPending && pending.length > 1) {
      const oldest = pending.shift() as PollResult;
      pendingCount -= oldest.readings.length;
      dropped += oldest.readings.length;
    }
    const nowMs = clock.now();
    if (failingSinceMs === null || nowMs - loggedMs >= REPEAT_LOG_MS) {
      failingSinceMs ??= nowMs;
      loggedMs = nowMs;
      logger.error("readings could not be written to the database; they are kept in memory and written once it works again (live values, forecasts and alarms carry on)", {
        error: errorMessage(err),
        pendingReadings: pendingCount,
        ...(dropped > 0 ? { droppedOldestReadings: dropped } : {}),
      });
    }
    // Downstream does not wait for the disk: an alarm must go off all the same.
    if (poll.readings.length > 0) bus.emit("readings:stored", poll.readings);
  };

  const onPoll = (poll: PollResult): void => {
    // What was kept goes first, in order (it went downstream when it was read).
    while (pending.length > 0) {
      const oldest = pending[0] as PollResult;
      try {
        write(oldest);
      } catch (err) {
        keep(poll, err);
        return;
      }
      pending.shift();
      pendingCount -= oldest.readings.length;
    }
    let fresh: Reading[];
    try {
      fresh = write(poll);
    } catch (err) {
      keep(poll, err);
      return;
    }
    if (failingSinceMs !== null) {
      logger.info("the database takes readings again; the kept ones are written", { failedForMs: clock.now() - failingSinceMs, ...(dropped > 0 ? { droppedOldestReadings: dropped } : {}) });
      failingSinceMs = null;
      dropped = 0;
    }
    if (fresh.length > 0) bus.emit("readings:stored", fresh);
  };

  return { onPoll, pendingReadings: () => pendingCount };
};
