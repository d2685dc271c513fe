/** Pure retry arithmetic for the poller: full-jitter exponential back-off and Retry-After. */

export interface BackoffPolicy {
  /** First retry waits up to this long, ms. */
  baseMs: number;
  /** No retry waits longer than this (unless the server's Retry-After says so), ms. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 5 * 60_000 };

/** The longest Retry-After we honour, so a bogus header cannot park the poller for days. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * `Retry-After` as milliseconds from `nowMs`: either delay-seconds or an HTTP date.
 * Null when absent or unreadable.
 */
export const parseRetryAfterMs = (header: string | null | undefined, nowMs: number): number | null => {
  if (header === null || header === undefined) return null;
  const text = header.trim();
  if (text === "") return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(MAX_RETRY_AFTER_MS, Math.round(Number(text) * 1000));
  const atMs = Date.parse(text);
  if (Number.isNaN(atMs)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, atMs - nowMs));
};

/** Full jitter: uniform in [0, min(cap, base·2^(attempt−1))]. `attempt` counts from 1. */
export const computeBackoffMs = (attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number => {
  const exp = Math.min(30, Math.max(0, attempt - 1));
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exp);
  return Math.round(random() * ceiling);
};
