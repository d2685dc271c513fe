import type { Request, RequestHandler, Response } from "express";
import type { BusEvents, EventBus, Logger } from "../shared";

export const HEARTBEAT_MS = 15_000;
/**
 * A client that lets this much pile up unread is dropped; it reconnects and gets a fresh snapshot.
 * (The probe states of one poll are tens of kB with ten probes: this is minutes of not reading.)
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/**
 * Live-stream connections at once; more get a stream that tells them to come back in
 * `BUSY_RETRY_MS` and ends. A household has a few panels open; this bounds what clients that
 * connect and never read can hold (1 MB each).
 */
export const MAX_STREAM_CLIENTS = 1000;
const BUSY_RETRY_MS = 10_000;
/** EventSource waits this long before reconnecting. */
const RETRY_MS = 3000;

export interface StreamHub {
  handler: RequestHandler;
  /** Ends every client and stops listening to the bus (shutdown). */
  closeAll(): void;
  clientCount(): number;
}

export interface StreamDeps {
  bus: EventBus;
  logger: Logger;
  /** The first message of every connection: `{ probes, alarms, cook }`. */
  snapshot: () => unknown;
  heartbeatMs?: number;
  /** Connections at once (default MAX_STREAM_CLIENTS). */
  maxClients?: number;
}

/** One SSE message. JSON.stringify escapes newlines, so the data fits on one `data:` line. */
export const formatEvent = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Server-Sent Events: a snapshot first, then readings, probe states, alarms and cook changes from
 * the bus. Each bus event is serialised once and the same string goes to every client. The hub
 * listens to the bus only while at least one client is connected.
 */
export const createStreamHub = (deps: StreamDeps): StreamHub => {
  const clients = new Set<Response>();
  let unsubscribe: Array<() => void> = [];
  let heartbeat: NodeJS.Timeout | null = null;

  const broadcast = (chunk: string): void => {
    for (const res of clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        deps.logger.warn("dropping a live-stream client that stopped reading", { bufferedBytes: res.writableLength });
        drop(res);
        res.end();
        continue;
      }
      res.write(chunk);
    }
  };

  const listeners: { [K in keyof BusEvents]?: (payload: BusEvents[K]) => string } = {
    "readings:stored": (readings) => readings.map((r) => formatEvent("reading", { probeId: r.probeId, tsMs: r.tsMs, tempC: r.tempC })).join(""),
    "probes:state": (states) => formatEvent("probes", states),
    "alarm:changed": (change) => formatEvent("alarm", change),
    "cook:changed": (change) => formatEvent("cook", { type: "changed", ...change }),
    "cook:event": (event) => formatEvent("cook", { type: "event", event }),
  };

  const subscribe = (): void => {
    for (const [name, toChunk] of Object.entries(listeners) as Array<[keyof BusEvents, (p: never) => string]>) {
      unsubscribe.push(deps.bus.on(name, (payload) => {
        const chunk = toChunk(payload as never);
        if (chunk) broadcast(chunk);
      }));
    }
    heartbeat = setInterval(() => broadcast(": heartbeat\n\n"), deps.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
  };

  const unsubscribeAll = (): void => {
    for (const off of unsubscribe) off();
    unsubscribe = [];
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
  };

  const drop = (res: Response): void => {
    if (!clients.delete(res)) return;
    if (clients.size === 0) unsubscribeAll();
  };

  const handler: RequestHandler = (req: Request, res: Response) => {
    if (clients.size >= (deps.maxClients ?? MAX_STREAM_CLIENTS)) {
      // Not a 503: an EventSource that gets anything but 200 gives up for good. A stream that
      // only says when to come back, and ends, makes it reconnect then.
      res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" });
      res.end(`retry: ${BUSY_RETRY_MS}\n${formatEvent("busy", { clients: clients.size })}`);
      return;
    }
    const first = formatEvent("snapshot", deps.snapshot());
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.write(`retry: ${RETRY_MS}\n\n${first}`);
    if (clients.size === 0) subscribe();
    clients.add(res);
    const cleanup = (): void => drop(res);
    req.on("close", cleanup);
    res.on("close", cleanup);
    res.on("error", (err) => {
      deps.logger.debug("live-stream client error", { error: err.message });
      cleanup();
    });
  };

  return {
    handler,
    closeAll: () => {
      for (const res of [...clients]) {
        drop(res);
        res.end();
      }
      unsubscribeAll();
    },
    clientCount: () => clients.size,
  };
};
