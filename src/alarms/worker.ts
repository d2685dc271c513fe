import { z } from "zod";
import { CLEAR_NOTIFICATION, UpstreamError, errorMessage, type AlarmRepo, type Clock, type Logger, type OutboxItem } from "../shared";
import type { AlarmNotificationPayload, AlarmNotifier } from "./notifier";

/** After this many attempts, the last one answered with an error by Home Assistant, an item is given up. */
export const MAX_REJECTIONS = 5;
const BATCH = 200;
const STOP_WAIT_MS = 2_000;

// Delivery errors are stored with one of these prefixes; the prefix is what survives a restart.
const REJECTED = "rejected: ";
const UNREACHABLE = "unreachable: ";
const SUPERSEDED = "superseded: ";

const payloadSchema = z.object({
  title: z.string(),
  message: z.string(),
  alarmId: z.string(),
  actions: z.boolean().optional(),
  language: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export interface DeliveryWorker {
  /** Send what is pending now (coalesces with a pass already running). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export interface DeliveryWorkerDeps {
  repo: AlarmRepo;
  notifier: AlarmNotifier;
  logger: Logger;
  clock: Clock;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A call that has not settled after this long counts as "unreachable" (default 30 s). */
  deliverTimeoutMs?: number;
}

/** The notifier call, bounded in time so a stuck call cannot hold the queue. */
const deliverWithin = async (notifier: AlarmNotifier, channel: string, payload: AlarmNotificationPayload, timeoutMs: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamError(`no answer from Home Assistant within ${timeoutMs / 1000} s`, true)), timeoutMs);
  });
  try {
    await Promise.race([notifier.deliver(channel, payload), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** Home Assistant away (or the call lost on the way) vs Home Assistant saying no. */
const classify = (err: unknown, connected: boolean): string => {
  if (err instanceof UpstreamError) return `${err.retryable || !connected ? UNREACHABLE : REJECTED}${err.message}`;
  if (!connected) return `${UNREACHABLE}${errorMessage(err)}`;
  // home-assistant-js-websocket rejects with HA's `{code, message}` (string code) for answers
  // and with a numeric code when the socket went away.
  if (typeof err === "object" && err !== null && "code" in err) {
    const { code, message } = err as { code: unknown; message?: unknown };
    const text = `${String(code)}${typeof message === "string" ? `: ${message}` : ""}`;
    return `${typeof code === "string" ? REJECTED : UNREACHABLE}${text}`;
  }
  return `${REJECTED}${errorMessage(err)}`;
};

/** A push or persistent notification that a later one of the same alarm replaces or dismisses. */
const isReplaceable = (channel: string): boolean => channel.startsWith("notify.") || channel === "persistent_notification";

/**
 * Items a later one of the same alarm makes pointless: a push or notification replaced by a newer
 * one on its channel, or taken away by a dismiss before it was sent. A phone's clear command is
 * itself a taking-away: only a newer push on its phone replaces it, never the dismiss of the
 * persistent notification that is queued with it (that left every push of a handled alarm on the phones).
 */
const findSuperseded = (items: Array<{ item: OutboxItem; alarmId: string; clears: boolean }>): Set<number> => {
  const out = new Set<number>();
  items.forEach(({ item, alarmId, clears }, i) => {
    if (!isReplaceable(item.channel)) return;
    const later = items.slice(i + 1).some((o) => o.alarmId === alarmId &&
      (o.item.channel === item.channel || (!clears && o.item.channel === "persistent_notification.dismiss")));
    if (later) out.add(item.id);
  });
  return out;
};

/**
 * Sends pending outbox items in order through the notifier and records every attempt. While
 * Home Assistant is unreachable it waits (exponential back-off, capped) and keeps the order;
 * an item Home Assistant rejects (unknown notify service) is retried on later passes and given
 * up after MAX_REJECTIONS, without blocking the items behind it.
 */
export const createDeliveryWorker = (deps: DeliveryWorkerDeps): DeliveryWorker => {
  const { repo, notifier, logger, clock } = deps;
  const baseMs = deps.retryBaseMs ?? 5_000;
  const maxMs = deps.retryMaxMs ?? 5 * 60_000;
  let failedPasses = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const warnedChannels = new Set<string>();

  const schedule = (): void => {
    if (stopped || timer) return;
    const delayMs = Math.min(maxMs, baseMs * 2 ** Math.min(failedPasses, 16));
    failedPasses += 1;
    logger.debug("delivery retry scheduled", { delayMs });
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, delayMs);
    timer.unref();
  };

  /** Logs a rejection; true when the item is given up. */
  const rejected = (item: OutboxItem, error: string): boolean => {
    const attempts = item.attempts + 1;
    const hint = item.channel.startsWith("notify.") ? ` — check that ${item.channel} exists in Home Assistant and fix the notify_targets option` : "";
    if (attempts >= MAX_REJECTIONS) {
      logger.warn(`giving up on a ${item.channel} notification after ${attempts} attempts${hint}`, { channel: item.channel, key: item.key, error });
      return true;
    }
    if (!warnedChannels.has(item.channel)) {
      warnedChannels.add(item.channel);
      logger.warn(`Home Assistant rejected a ${item.channel} notification${hint}`, { channel: item.channel, error });
    }
    return false;
  };

  /**
   * Ends an item without sending it (given up, or replaced by a newer one). The port has no
   * "abandoned" state, so the item is marked delivered; the delivery record keeps the reason.
   */
  const settle = (item: OutboxItem, error: string): void => {
    const nowMs = clock.now();
    repo.recordAttempt(item.id, nowMs, false, error);
    repo.markDelivered(item.id, nowMs);
  };

  /** One batch of pending items; says whether something is left to retry and whether the batch was full. */
  const pass = async (): Promise<{ retry: boolean; full: boolean }> => {
    const pending = repo.pendingOutbox(BATCH);
    const full = pending.length >= BATCH;
    const parsed = pending.map((item) => ({ item, payload: payloadSchema.safeParse(item.payload) }));
    const superseded = findSuperseded(
      parsed.map(({ item, payload }) => ({ item, alarmId: payload.success ? payload.data.alarmId : "", clears: payload.success && payload.data.message === CLEAR_NOTIFICATION })),
    );
    let retry = false;
    for (const { item, payload } of parsed) {
      if (stopped) return { retry: false, full: false };
      if (superseded.has(item.id)) {
        settle(item, `${SUPERSEDED}a newer notification of this alarm replaces it`);
        continue;
      }
      if (!payload.success) {
        // Cannot happen for items this module wrote; keep the record instead of looping on it.
        settle(item, `${REJECTED}unreadable payload: ${payload.error.message}`);
        logger.error("outbox item has an unreadable payload", { key: item.key });
        continue;
      }
      if (!notifier.isConnected()) return { retry: true, full: false };
      try {
        await deliverWithin(notifier, item.channel, payload.data as AlarmNotificationPayload, deps.deliverTimeoutMs ?? 30_000);
        repo.recordAttempt(item.id, clock.now(), true, null);
        repo.markDelivered(item.id, clock.now());
      } catch (err) {
        const error = classify(err, notifier.isConnected());
        if (error.startsWith(UNREACHABLE)) {
          repo.recordAttempt(item.id, clock.now(), false, error);
          logger.debug("Home Assistant unreachable; delivery waits", { channel: item.channel, error });
          return { retry: true, full: false };
        }
        if (rejected(item, error)) settle(item, error);
        else {
          repo.recordAttempt(item.id, clock.now(), false, error);
          retry = true;
        }
      }
    }
    return { retry, full };
  };

  const flush = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let result: { retry: boolean; full: boolean };
        do {
          again = false;
          result = await pass();
        } while ((again || (result.full && !result.retry)) && !stopped);
        const { retry } = result;
        if (retry) schedule();
        else failedPasses = 0;
      } catch (err) {
        // A store error here must not kill the worker; the next pass (timer or kick) retries.
        logger.error("alarm delivery pass failed", { error: errorMessage(err) });
        schedule();
      } finally {
        running = null;
      }
    })();
    return running;
  };

  return {
    flush: () => {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      return flush();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      // Let a call in flight finish, but never hold the add-on's shutdown for long: an item
      // cut short stays pending and goes out after the restart.
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((resolve) => { wait = setTimeout(resolve, STOP_WAIT_MS); })]);
      clearTimeout(wait);
    },
  };
};
