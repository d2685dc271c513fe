/**
 * The one WebSocket link to Home Assistant: home-assistant-js-websocket over the `ws` package
 * with our own `createSocket` (it runs the auth phase itself, so no global WebSocket is patched),
 * a ping heartbeat that forces a reconnect on a half-open socket, and a slow retry when the token
 * is rejected (never a crash loop). HAWS reconnects by itself (0–5 s back-off) and re-runs our
 * `onReady` on every new socket.
 */
import { createConnection, ERR_CANNOT_CONNECT, ERR_INVALID_AUTH, type Connection, type HaWebSocket } from "home-assistant-js-websocket";
import { WebSocket } from "ws";
import { z } from "zod";
import { errorMessage, type Logger } from "../shared";
import { authFrameSchema } from "./messages";

/** Core's answer to the `supported_features` request (id 1), success or not: Core is there. */
const featuresAnswerSchema = z.object({ id: z.literal(1), type: z.literal("result") });

export type LinkState = "connecting" | "connected" | "auth_invalid" | "disconnected";

export interface LinkDeps {
  url: string;
  token: string;
  viaSupervisor: boolean;
  logger: Logger;
  heartbeatMs: number;
  authRetryMs: number;
  connectTimeoutMs?: number;
  /** Runs on the first socket and on every reconnect, with the connection ready to use. */
  onReady: (conn: Connection) => void;
  onState: (state: LinkState, message: string, haVersion: string | null) => void;
}

export interface HaLink {
  start(): void;
  stop(): void;
  connection(): Connection | null;
  isConnected(): boolean;
}

/** `http://host:8123` → `ws://host:8123/api/websocket`; the Supervisor proxy is `ws://supervisor/core/websocket`. */
export const toWebSocketUrl = (url: string, viaSupervisor: boolean): string =>
  url.replace(/^http/, "ws").replace(/\/+$/, "") + (viaSupervisor ? "/websocket" : "/api/websocket");

const CONNECT_BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

export const createHaLink = (deps: LinkDeps): HaLink => {
  const log = deps.logger;
  const wsUrl = toWebSocketUrl(deps.url, deps.viaSupervisor);
  const connectTimeoutMs = deps.connectTimeoutMs ?? 10_000;
  let conn: Connection | null = null;
  let stopped = true;
  let retryTimer: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let failures = 0;
  let lastFailure = "";
  let lastAuthMessage = "";

  /**
   * Opens a socket, completes the auth phase and waits for Core's answer to `supported_features`;
   * rejects with HAWS's error codes. Through the Supervisor's proxy `auth_ok` comes from the proxy,
   * before it has reached Core, and the socket closes right after it while Core is down: taken
   * for a connection, that close would make HAWS reconnect at once, without its back-off, over and
   * over (about 120 times a second). Only Core answers the features request.
   */
  const createSocket = (): Promise<HaWebSocket> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(wsUrl, { handshakeTimeout: connectTimeoutMs });
      let settled = false;
      const fail = (code: number, why: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        lastFailure = why;
        socket.removeAllListeners("message");
        socket.terminate();
        reject(code);
      };
      const timer = setTimeout(() => fail(ERR_CANNOT_CONNECT, `no auth answer within ${connectTimeoutMs} ms`), connectTimeoutMs);
      // A permanent error listener: `ws` throws on an unhandled "error" event.
      socket.on("error", (err) => {
        if (!settled) fail(ERR_CANNOT_CONNECT, err.message);
        else log.debug("websocket error", { error: err.message });
      });
      let haVersion: string | null = null;
      socket.on("close", () =>
        fail(ERR_CANNOT_CONNECT, haVersion === null ? "closed during the auth phase" : "closed right after auth_ok: Home Assistant Core is not reachable (starting or restarting?)"),
      );
      socket.on("message", (data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString());
        } catch (err) {
          return fail(ERR_CANNOT_CONNECT, `unexpected frame in the auth phase: ${errorMessage(err)}`);
        }
        if (haVersion !== null) {
          // Coalescing may already be on: the answer can come inside an array.
          const frames: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
          if (!frames.some((f) => featuresAnswerSchema.safeParse(f).success)) return;
          settled = true;
          clearTimeout(timer);
          socket.removeAllListeners("message");
          socket.removeAllListeners("close");
          resolve(Object.assign(socket, { haVersion }) as unknown as HaWebSocket);
          return;
        }
        const checked = authFrameSchema.safeParse(parsed);
        if (!checked.success) return fail(ERR_CANNOT_CONNECT, `unexpected frame in the auth phase: ${errorMessage(checked.error)}`);
        const frame = checked.data;
        if (frame.type === "auth_required") socket.send(JSON.stringify({ type: "auth", access_token: deps.token }));
        else if (frame.type === "auth_invalid") {
          lastAuthMessage = frame.message ?? "invalid access token";
          fail(ERR_INVALID_AUTH, lastAuthMessage);
        } else if (frame.type === "auth_ok") {
          haVersion = frame.ha_version ?? "0.0.0";
          // Coalesced frames (arrays); HAWS reserves id 1 for this (and ignores its answer).
          socket.send(JSON.stringify({ id: 1, type: "supported_features", features: { coalesce_messages: 1 } }));
        }
      });
    });

  const setState = (state: LinkState, message: string): void => deps.onState(state, message, conn?.haVersion ?? null);

  const schedule = (ms: number): void => {
    if (stopped) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, ms);
    retryTimer.unref();
  };

  const authInvalid = (): void => {
    const minutes = Math.round(deps.authRetryMs / 60_000);
    const message =
      `Home Assistant rejected the access token (${lastAuthMessage || "auth_invalid"}). ` +
      (deps.viaSupervisor
        ? "Check that the add-on has homeassistant_api: true. "
        : "Check GRILL_STATS_HA_TOKEN (a long-lived access token from your HA profile). ") +
      `Retrying in ${minutes >= 1 ? `${minutes} min` : `${(deps.authRetryMs / 1000).toFixed(deps.authRetryMs < 10_000 ? 1 : 0)} s`}.`;
    log.error(message);
    setState("auth_invalid", message);
    schedule(deps.authRetryMs);
  };

  const pingOnce = async (c: Connection): Promise<void> => {
    if (!c.connected) return;
    const timeoutMs = Math.min(10_000, Math.max(1000, deps.heartbeatMs));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((r) => {
      timer = setTimeout(() => r("timeout"), timeoutMs);
    });
    const answer = await Promise.race([c.ping().then(() => "pong" as const), timedOut]).catch(() => "error" as const);
    clearTimeout(timer);
    if (answer !== "pong" && c.connected && !stopped) {
      log.warn(`no pong from Home Assistant within ${timeoutMs} ms; dropping the socket and reconnecting`);
      (c.socket as unknown as WebSocket | undefined)?.terminate();
    }
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    setState("connecting", `connecting to Home Assistant at ${deps.url}`);
    try {
      const c = await createConnection({ createSocket, setupRetry: 0 });
      if (stopped) {
        c.close();
        return;
      }
      conn = c;
      failures = 0;
      const ready = (): void => {
        setState("connected", `connected to Home Assistant ${c.haVersion}`);
        deps.onReady(c);
      };
      c.addEventListener("ready", ready);
      c.addEventListener("disconnected", () => {
        if (!stopped) setState("disconnected", "connection to Home Assistant lost; reconnecting");
      });
      c.addEventListener("reconnect-error", () => {
        // The token stopped working during a reconnect: HAWS gives up; we retry slowly.
        c.close();
        conn = null;
        authInvalid();
      });
      ready();
    } catch (err) {
      if (err === ERR_INVALID_AUTH) return authInvalid();
      const delayMs = CONNECT_BACKOFF_MS[Math.min(failures, CONNECT_BACKOFF_MS.length - 1)] ?? 30_000;
      failures++;
      const message = `cannot reach Home Assistant at ${deps.url} (${lastFailure || errorMessage(err)}); retrying in ${Math.round(delayMs / 1000)} s`;
      if (failures <= 3 || failures % 20 === 0) log.warn(message);
      setState("disconnected", message);
      schedule(delayMs);
    }
  };

  return {
    start: () => {
      if (!stopped) return;
      stopped = false;
      heartbeat = setInterval(() => {
        if (conn) void pingOnce(conn);
      }, deps.heartbeatMs);
      heartbeat.unref();
      void connect();
    },
    stop: () => {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (heartbeat) clearInterval(heartbeat);
      retryTimer = heartbeat = null;
      const c = conn;
      conn = null;
      if (c) {
        const socket = c.socket as unknown as WebSocket | undefined;
        c.close();
        socket?.terminate();
      }
    },
    connection: () => conn,
    isConnected: () => conn?.connected ?? false,
  };
};

const SUBSCRIBE_TIMEOUT_MS = 15_000;

/** Rejects with `{code: "timeout"}` when `p` has not settled within ms. */
export const bounded = <T>(p: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject({ code: "timeout", message: `no answer from Home Assistant within ${ms} ms` }), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
};

/**
 * HAWS keeps a subscription that was in flight when its socket closed pending until it can
 * re-subscribe (forever for `resubscribe: false`): settle with `connection_lost` when the socket
 * closes, and bound the wait.
 */
export const subscribed = <T>(conn: Connection, p: Promise<T>): Promise<T> => {
  const socket = conn.socket as unknown as WebSocket | undefined;
  if (!socket || socket.readyState !== socket.OPEN) return Promise.reject({ code: "connection_lost", message: "Connection lost" });
  let onClose = (): void => undefined;
  const closed = new Promise<never>((_, reject) => {
    onClose = () => reject({ code: "connection_lost", message: "Connection lost" });
    socket.once("close", onClose);
  });
  return bounded(Promise.race([p, closed]), SUBSCRIBE_TIMEOUT_MS).finally(() => socket.off("close", onClose));
};
