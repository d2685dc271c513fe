/**
 * Polls into SQLite, and what happens when SQLite cannot take them (a full disk, the database
 * locked by another program): the readings are kept in memory, in order, and written once a
 * write works again; meanwhile they still go downstream, so the live view, the forecasts and the
 * alarms keep running on what the thermometers say. The cloud only has the current reading, so a
 * poll that is not kept is gone for good.
 *
 * Of the devices and probes only the latest version of each is kept (every poll names them all
 * again). After a failed write the database is left alone for a while (WriteGate: a locked file
 * makes every write wait the busy timeout), and what was kept is written back in chunks of
 * `DRAIN_CHUNK` readings, at most `DRAIN_PER_POLL` per poll, so catching up on a day of readings
 * does not hold the service for seconds.
 */
import { createWriteGate, errorMessage, type Clock, type Device, type EventBus, type Logger, type PollResult, type Probe, type Reading, type Store } from "../shared";

/** Readings kept while the database cannot be written: a day of 10 probes at 5 s is 172,800. */
export const MAX_PENDING_READINGS = 200_000;
/** Readings per transaction when writing back what was kept. */
const DRAIN_CHUNK = 5000;
/** Readings written back per poll at most (about a tenth of a second of writing). */
const DRAIN_PER_POLL = 20_000;

export interface IngestDeps {
  store: Pick<Store, "upsertDevices" | "upsertProbes" | "insertReadings">;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  maxPendingReadings?: number;
}

export interface Ingest {
  /** Writes one poll (after what was kept before it); emits `readings:stored`. */
  onPoll(poll: PollResult): void;
  /** Readings read but not yet written. */
  pendingReadings(): number;
  /** Why the last write failed, while readings are kept (null when none are). */
  writeError(): string | null;
}

export const createIngest = (deps: IngestDeps): Ingest => {
  const { store, bus, logger, clock } = deps;
  const maxPending = deps.maxPendingReadings ?? MAX_PENDING_READINGS;
  /** Kept readings, oldest first, from `head` on (a moving start instead of shift()). */
  let kept: Reading[] = [];
  let head = 0;
  const devices = new Map<string, Device>();
  const probes = new Map<string, Probe>();
  /** After a failed write, polls are kept without trying the database for a while (WriteGate). */
  const gate = createWriteGate(clock);
  let dropped = 0;
  let lastError: string | null = null;

  const pendingCount = (): number => kept.length - head;

  const failed = (err: unknown, report: boolean): void => {
    lastError = errorMessage(err);
    if (!report) return;
    logger.error("readings could not be written to the database; they are kept in memory and written once it works again (live values, forecasts and alarms carry on)", {
      error: errorMessage(err),
      pendingReadings: pendingCount(),
      ...(dropped > 0 ? { droppedOldestReadings: dropped } : {}),
    });
  };

  const keep = (poll: PollResult): void => {
    for (const d of poll.devices) devices.set(d.key, d);
    for (const p of poll.probes) probes.set(p.id, p);
    for (const r of poll.readings) kept.push(r);
    // Past the cap the oldest go first: the newest say most about the cook still running.
    const over = pendingCount() - maxPending;
    if (over > 0) {
      head += over;
      dropped += over;
    }
    if (head > 4096 && head * 2 > kept.length) {
      kept = kept.slice(head);
      head = 0;
    }
  };

  /** Writes back what was kept, up to `DRAIN_PER_POLL` readings; true when nothing is left. */
  const drain = (): boolean => {
    const written = gate.attempt(() => {
      if (devices.size > 0) store.upsertDevices([...devices.values()]);
      if (probes.size > 0) store.upsertProbes([...probes.values()]);
      devices.clear();
      probes.clear();
      for (let n = 0; pendingCount() > 0 && n < DRAIN_PER_POLL; n += DRAIN_CHUNK) {
        store.insertReadings(kept.slice(head, head + DRAIN_CHUNK));
        head = Math.min(kept.length, head + DRAIN_CHUNK);
      }
    }, failed);
    if (!written || pendingCount() > 0) return false;
    kept = [];
    head = 0;
    return true;
  };

  const onPoll = (poll: PollResult): void => {
    const backlog = pendingCount() > 0 || devices.size > 0;
    if (backlog || !gate.isOpen()) {
      // Behind: this poll joins what is kept (it goes downstream now), then the backlog drains.
      keep(poll);
      if (poll.readings.length > 0) bus.emit("readings:stored", poll.readings);
      if (gate.isOpen() && drain()) recovered();
      return;
    }
    let fresh: Reading[] = [];
    const written = gate.attempt(() => {
      store.upsertDevices(poll.devices);
      store.upsertProbes(poll.probes);
      fresh = store.insertReadings(poll.readings);
    }, (err, report) => {
      keep(poll);
      failed(err, report);
    });
    // Downstream does not wait for the disk: an alarm must go off all the same.
    const out = written ? fresh : poll.readings;
    if (out.length > 0) bus.emit("readings:stored", out);
  };

  const recovered = (): void => {
    const failedForMs = gate.recovered();
    if (failedForMs === null) return;
    logger.info("the database takes readings again; the kept ones are written", { failedForMs, ...(dropped > 0 ? { droppedOldestReadings: dropped } : {}) });
    dropped = 0;
  };

  return { onPoll, pendingReadings: pendingCount, writeError: () => (pendingCount() > 0 || devices.size > 0 ? lastError : null) };
};
