/**
 * Writes to a database that may refuse them for a while (a full disk, a lock held by another
 * program). After a failed write none is tried for `backoffMs`: a locked file makes every write
 * wait the busy timeout, and a burst of them would hold the service for seconds. A failure is to
 * be logged once, then at most every `logEveryMs` while it lasts (`onFail`'s `report`).
 */
import type { Clock } from "./clock";

/** After a failed write, writes are not tried for this long. */
export const WRITE_BACKOFF_MS = 30_000;
/** While writes fail, the failure is reported again at most this often. */
export const WRITE_REPORT_EVERY_MS = 5 * 60_000;

export interface WriteGate {
  /** Not in the back-off after a failure: a write would be tried. */
  isOpen(): boolean;
  /**
   * Runs `write` unless in the back-off. On failure calls `onFail` (with `report` true when the
   * failure should be logged now). True when the write ran and succeeded.
   */
  attempt(write: () => void, onFail?: (err: unknown, report: boolean) => void): boolean;
  /** Writes work again: how long they had failed (ms), or null when they had not; clears it. */
  recovered(): number | null;
}

export const createWriteGate = (clock: Clock, backoffMs = WRITE_BACKOFF_MS, reportEveryMs = WRITE_REPORT_EVERY_MS): WriteGate => {
  let blockedUntilMs = Number.NEGATIVE_INFINITY;
  let reportedMs = Number.NEGATIVE_INFINITY;
  let failingSinceMs: number | null = null;
  return {
    isOpen: () => clock.now() >= blockedUntilMs,
    attempt: (write, onFail) => {
      const nowMs = clock.now();
      if (nowMs < blockedUntilMs) return false;
      try {
        write();
        return true;
      } catch (err) {
        blockedUntilMs = nowMs + backoffMs;
        failingSinceMs ??= nowMs;
        const report = nowMs - reportedMs >= reportEveryMs;
        if (report) reportedMs = nowMs;
        onFail?.(err, report);
        return false;
      }
    },
    recovered: () => {
      if (failingSinceMs === null) return null;
      const forMs = clock.now() - failingSinceMs;
      failingSinceMs = null;
      return forMs;
    },
  };
};
