/**
 * Posts entity states with REST `POST {url}/api/states/<entity_id>` (the only API that sets a
 * state). A bounded queue that keeps only the newest state per entity, a few requests at a time,
 * each with a timeout, so a slow or failing Home Assistant never blocks polling or storage.
 * Unchanged states are not re-sent; `repostAll` forgets what was sent (after a Core restart the
 * posted states are gone).
 */
import { errorMessage, type Clock, type Logger } from "../shared";
import { createHttpClient, HttpTimeoutError } from "../shared/http-client";
import { bounded } from "./connection";
import type { EntityPost } from "./entities";

export interface PosterDeps {
  url: string;
  token: string;
  logger: Logger;
  clock: Clock;
  concurrency?: number;
  timeoutMs?: number;
  maxPending?: number;
}

export interface StatePoster {
  /** Queue the newest state of an entity (skipped when identical to what HA has from us). */
  post(entity: EntityPost): void;
  /** Forget what was sent and queue all of these (after every (re)connect). */
  repostAll(entities: EntityPost[]): void;
  pending(): number;
  lastPostMs(): number | null;
  /**
   * Marks every entity Home Assistant has from us `unavailable` (attributes kept), then stops.
   * States set through the REST API stay until Core restarts: without this, a stopped add-on
   * would leave the last temperatures and "online" standing, and automations watching them
   * would never hear that nothing is watching any more. Gives up after `withinMs`.
   */
  retire(withinMs: number): Promise<void>;
  stop(): void;
}

const MAX_BACKOFF_MS = 30_000;
/**
 * After a rejected token (401/403), as the WebSocket after `auth_invalid`: Core counts every
 * rejected request as a failed login (a warning, a "Login attempt failed" notification, and an
 * IP ban when login_attempts_threshold is set), so it is not asked again every 30 s.
 */
export const AUTH_REJECTED_RETRY_MS = 5 * 60_000;
/**
 * Cap on Core's answer to a posted state: it echoes the state, attributes included (a few KB);
 * a proxy or stand-in that streams more is cut off and the post retried.
 */
export const STATE_ANSWER_MAX_BYTES = 1 << 20;

export const createStatePoster = (deps: PosterDeps): StatePoster => {
  const log = deps.logger;
  const concurrency = deps.concurrency ?? 4;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const maxPending = deps.maxPending ?? 2000;
  const base = `${deps.url.replace(/\/+$/, "")}/api/states/`;
  const queue = new Map<string, EntityPost>();
  /** entity id → the JSON on its way (one request per entity at a time). */
  const inFlight = new Map<string, string>();
  /** entity id → JSON of the last state HA accepted from us. */
  const sent = new Map<string, string>();
  /** entity id → the held attributes as last taken, what they stood with, and when (EntityPost.hold). */
  const held = new Map<string, { values: Record<string, unknown>; standing: string; atMs: number }>();
  const stopper = new AbortController();
  // node:http, not fetch (whose first call costs ~8 MB of resident memory for undici).
  const client = createHttpClient({ timeoutMs, maxSockets: concurrency, maxBodyBytes: STATE_ANSWER_MAX_BYTES });
  let lastOkMs: number | null = null;
  let backoffMs = 0;
  let blockedUntilMs = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let failureLogged = false;
  let dropped = 0;

  const body = (e: EntityPost): string => JSON.stringify({ state: e.state, attributes: e.attributes });

  const scheduleRetry = (): void => {
    if (retryTimer || stopper.signal.aborted) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      pump();
    }, Math.max(0, blockedUntilMs - deps.clock.now()));
    retryTimer.unref();
  };

  const failed = (e: EntityPost, why: string, retry: boolean, retryAfterMs?: number): void => {
    sent.delete(e.entityId);
    if (!retry) {
      log.warn("Home Assistant refused a state", { entityId: e.entityId, reason: why });
      return;
    }
    if (!queue.has(e.entityId)) queue.set(e.entityId, e);
    backoffMs = retryAfterMs ?? Math.min(MAX_BACKOFF_MS, backoffMs === 0 ? 1000 : backoffMs * 2);
    blockedUntilMs = Math.max(blockedUntilMs, deps.clock.now() + backoffMs);
    if (!failureLogged) {
      log.warn(`posting states to Home Assistant failed (${why}); keeping the newest state per entity and retrying`, { retryInMs: backoffMs });
      failureLogged = true;
    }
    scheduleRetry();
  };

  const send = async (e: EntityPost): Promise<void> => {
    const payload = body(e);
    try {
      const res = await client.exchange({
        method: "POST",
        url: base + e.entityId,
        headers: { Authorization: `Bearer ${deps.token}`, "Content-Type": "application/json" },
        body: payload,
        signal: stopper.signal,
      });
      const text = res.text;
      if (res.status === 200 || res.status === 201) {
        if (!queue.has(e.entityId)) sent.set(e.entityId, payload);
        lastOkMs = deps.clock.now();
        backoffMs = 0;
        blockedUntilMs = 0;
        if (failureLogged) log.info("posting states to Home Assistant works again");
        failureLogged = false;
      } else if (res.status === 401 || res.status === 403) {
        // The WebSocket may have accepted the same token: posting states needs an administrator's.
        failed(e, `HTTP ${res.status}: the token was rejected (a long-lived token must be an administrator's); retrying in ${AUTH_REJECTED_RETRY_MS / 60_000} min`, true, AUTH_REJECTED_RETRY_MS);
      } else if (res.status >= 400 && res.status < 500) {
        failed(e, `HTTP ${res.status}: ${text.slice(0, 200)}`, false);
      } else {
        failed(e, `HTTP ${res.status}`, true);
      }
    } catch (err) {
      if (stopper.signal.aborted) return;
      const why = err instanceof HttpTimeoutError ? `no answer within ${timeoutMs} ms` : errorMessage(err);
      failed(e, why, true);
    }
  };

  const pump = (): void => {
    if (stopper.signal.aborted || deps.clock.now() < blockedUntilMs) {
      if (queue.size > 0) scheduleRetry();
      return;
    }
    for (const [id, e] of queue) {
      if (inFlight.size >= concurrency) break;
      if (inFlight.has(id)) continue; // one request per entity at a time: the newest waits
      queue.delete(id);
      inFlight.set(id, body(e));
      void send(e).finally(() => {
        inFlight.delete(id);
        pump();
      });
    }
  };

  /** `e` with the held attributes last sent while they stand (EntityPost.hold), or with its own, taken now. */
  const withHeld = (e: EntityPost): EntityPost => {
    if (!e.hold) return e;
    const { keys, everyMs } = e.hold;
    const nowMs = deps.clock.now();
    const others = Object.fromEntries(Object.entries(e.attributes).filter(([k]) => !keys.includes(k)));
    const standing = JSON.stringify([e.hold.standing, others]);
    const prev = held.get(e.entityId);
    if (prev && prev.standing === standing && nowMs - prev.atMs < everyMs) return { ...e, attributes: { ...e.attributes, ...prev.values } };
    held.set(e.entityId, { values: Object.fromEntries(keys.filter((k) => k in e.attributes).map((k) => [k, e.attributes[k]])), standing, atMs: nowMs });
    return e;
  };

  const enqueue = (e: EntityPost): void => {
    if (!queue.has(e.entityId) && queue.size >= maxPending) {
      const oldest = queue.keys().next().value;
      if (oldest !== undefined) queue.delete(oldest);
      if (dropped++ % 100 === 0) log.warn("state queue for Home Assistant is full; dropping the oldest pending states", { maxPending });
    }
    queue.delete(e.entityId); // re-insert at the end: FIFO by last change
    queue.set(e.entityId, e);
  };

  return {
    post: (e) => {
      if (stopper.signal.aborted) return;
      e = withHeld(e);
      // Nothing new against what Home Assistant has, or is being sent (a failure puts that back in the queue).
      if (!queue.has(e.entityId) && (inFlight.get(e.entityId) ?? sent.get(e.entityId)) === body(e)) return;
      enqueue(e);
      pump();
    },
    repostAll: (entities) => {
      if (stopper.signal.aborted) return;
      sent.clear();
      held.clear();
      backoffMs = 0;
      blockedUntilMs = 0;
      for (const e of entities) enqueue(withHeld(e));
      pump();
    },
    pending: () => queue.size + inFlight.size,
    lastPostMs: () => lastOkMs,
    retire: async (withinMs) => {
      if (stopper.signal.aborted) return;
      queue.clear();
      const last = [...sent].map(([entityId, payload]) => ({ entityId, ...(JSON.parse(payload) as { attributes: EntityPost["attributes"] }) }));
      const all = (async () => {
        for (let i = 0; i < last.length; i += concurrency) {
          await Promise.all(last.slice(i, i + concurrency).map((e) => send({ entityId: e.entityId, state: "unavailable", attributes: e.attributes })));
        }
      })();
      await bounded(all, withinMs).catch(() => undefined);
    },
    stop: () => {
      stopper.abort();
      client.close();
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      queue.clear();
    },
  };
};
