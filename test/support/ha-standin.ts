/**
 * A Home Assistant stand-in for tests: a real HTTP + WebSocket server on 127.0.0.1 (port 0)
 * that speaks the formats recorded from a real Core 2023.5 (see
 * /work/shared/data/home-assistant/ws-rest-transcript.jsonl). Everything is also served under a
 * `/core` prefix, so it can stand in for the Supervisor proxy (`/core/api/...`, `/core/websocket`).
 *
 * It scripts situations (Core restart, slow or failing REST, unresponsive socket, YAML-mode
 * dashboards, °F unit system, another language or none, a user changing a helper) and records
 * what it received. It contains no assertions.
 *
 *   const ha = await startHaStandIn();
 *   // point the code under test at ha.url with ha.token …
 *   await ha.stop();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer } from "ws";
import { StandInCore, type FiredEventRecord, type InputButtonItem, type InputNumberItem, type LovelaceResource, type ServiceCallRecord } from "./ha-standin-core";
import { StandInWsClient, type ReceivedFrame } from "./ha-standin-ws";
import { VALID_ENTITY_ID, newContext, type HaState } from "./ha-state-machine";

export type { HaState, HaEvent, HaContext } from "./ha-state-machine";
export type { FiredEventRecord, InputButtonItem, InputNumberItem, LovelaceResource, ServiceCallRecord } from "./ha-standin-core";
export type { ReceivedFrame } from "./ha-standin-ws";

export interface HaStandInOptions {
  /** The token clients must present (default "test-token"). */
  token?: string;
  /** More tokens that are accepted as well (e.g. a SUPERVISOR_TOKEN and a long-lived token). */
  extraTokens?: string[];
  /**
   * Accepted tokens of a user who is not an administrator: Core lets them log in, but refuses
   * what needs an admin (see `ADMIN_ONLY` in ha-standin-ws.ts; REST `POST /api/states` → 401).
   */
  nonAdminTokens?: string[];
  haVersion?: string;
  unitSystem?: "°C" | "°F";
  /** `get_config`'s `language` (default "en"); null leaves it out, as older cores did. */
  language?: string | null;
  /** `notify.<name>` services that exist (default: mobile_app_phone, mobile_app_tablet). */
  notifyServices?: string[];
  lovelaceMode?: "storage" | "yaml";
  /** Status for a POST to an invalid entity id: 400 like current cores (default) or 500 like 2023.5. */
  badEntityIdStatus?: 400 | 500;
  /** WebSocket command types answered with `unknown_command`, like an older core that lacks them. */
  unsupportedCommands?: string[];
}

export interface PostedState {
  entityId: string;
  state: string;
  attributes: Record<string, unknown>;
  /** 200 updated, 201 created, or the error status that was answered. */
  status: number;
  tsMs: number;
  /** Path the request used ("/api/states/…" or "/core/api/states/…"). */
  path: string;
}

export interface HaStandIn {
  /** `http://127.0.0.1:PORT`: the base URL a client is configured with (REST under /api, WS at /api/websocket). */
  readonly url: string;
  /** `http://127.0.0.1:PORT/core`: the Supervisor-proxy form. */
  readonly coreUrl: string;
  readonly token: string;
  readonly port: number;
  /** Every WebSocket message received after the socket opened (auth included), in order. */
  readonly received: ReceivedFrame[];
  /** Every REST state POST, in order. */
  readonly posted: PostedState[];
  readonly serviceCalls: ServiceCallRecord[];
  readonly firedEvents: FiredEventRecord[];
  /** The live state machine (entity_id → full state). */
  readonly states: Map<string, HaState>;
  readonly helpers: { input_number: Map<string, InputNumberItem>; input_button: Map<string, InputButtonItem> };
  readonly lovelaceResources: LovelaceResource[];
  /** Resources declared in YAML (listed when in YAML mode). */
  readonly yamlResources: Array<Omit<LovelaceResource, "id">>;
  /** WebSocket clients currently connected and authenticated. */
  connectedClients(): number;
  /** Number of WebSocket connections accepted so far (authenticated or not). */
  connectionCount(): number;
  /** Highest number of REST requests that were in flight at once. */
  maxConcurrentRest(): number;
  /**
   * Drops every socket and clears the state machine like a Core restart (helpers and resources stay).
   * While down, the direct WebSocket and REST answer 502; the Supervisor-proxy WebSocket
   * (`/core/websocket`) answers auth_ok and then closes, as the real proxy does.
   */
  restart(opts?: { downMs?: number; staleValues?: Record<string, string> }): Promise<void>;
  /** Closes every WebSocket connection without touching state (a network blip). */
  dropConnections(): void;
  /**
   * Core still starting (as after a restart, before `homeassistant_started`): `get_config` says
   * STARTING, and the commands of integrations not loaded yet are `unknown_command`, their
   * services `not_found`.
   */
  setStarting(unloaded: { commands?: string[]; services?: string[] }): void;
  /** Core has started: RUNNING, every command and service there, `homeassistant_started` fired. */
  finishStarting(): void;
  /** A user renames a helper's entity id in Settings → Entities (its item id stays). */
  renameEntity(fromId: string, toId: string): void;
  /** A user deletes a helper in Settings → Helpers (its entity goes: `r` to subscribers). */
  deleteHelper(domain: "input_number" | "input_button", itemId: string): void;
  stop(): Promise<void>;
  /** Delay every REST response by ms (0 also releases requests that are waiting now). */
  setRestDelay(ms: number): void;
  /** When on, REST answers 500 (or the given status). */
  setRestFailing(failing: boolean | number): void;
  /**
   * On: the WebSocket connections open now read frames but never answer (half-open sockets);
   * connections made afterwards work normally. Off: they answer again.
   */
  setUnresponsive(on: boolean): void;
  setUnitSystem(unit: "°C" | "°F"): void;
  /** The language `get_config` answers from now on (null: none, as older cores). */
  setLanguage(language: string | null): void;
  /**
   * Change the unit system and/or the language as Settings → System → General does: the core
   * stores it and fires `core_config_updated` with what changed (setUnitSystem and setLanguage
   * change it silently, as configuration.yaml and a restart would).
   */
  updateCoreConfig(update: { unitSystem?: "°C" | "°F"; language?: string }): void;
  setLovelaceMode(mode: "storage" | "yaml"): void;
  /** Replace the accepted token(s) (e.g. to simulate a revoked token and its renewal). */
  setAcceptedTokens(tokens: string[]): void;
  addNotifyService(name: string): void;
  /** Make any other `domain.service` exist (recorded, answered with a context). */
  addService(domainService: string): void;
  /** Fire an event as if something inside Home Assistant did (e.g. mobile_app_notification_action). */
  fireEvent(eventType: string, data: Record<string, unknown>): void;
  /** Change a state as a user would (helper value in the UI, a button press). Keeps attributes unless given. */
  setState(entityId: string, state: string, attributes?: Record<string, unknown>): void;
}

const sleep = (ms: number, waiters: Set<() => void>): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      waiters.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiters.add(done);
  });

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const WS_PATHS = new Set(["/api/websocket", "/core/websocket", "/core/api/websocket"]);

export const startHaStandIn = async (opts: HaStandInOptions = {}): Promise<HaStandIn> => {
  const token = opts.token ?? "test-token";
  let accepted = new Set([token, ...(opts.extraTokens ?? []), ...(opts.nonAdminTokens ?? [])]);
  const nonAdmin = new Set(opts.nonAdminTokens ?? []);
  const core = new StandInCore({
    haVersion: opts.haVersion ?? "2023.5.4",
    notifyServices: opts.notifyServices ?? ["mobile_app_phone", "mobile_app_tablet"],
    now: Date.now,
  });
  core.unitSystem = opts.unitSystem ?? "°C";
  if (opts.language !== undefined) core.language = opts.language;
  core.lovelaceMode = opts.lovelaceMode ?? "storage";
  const received: ReceivedFrame[] = [];
  const posted: PostedState[] = [];
  const clients = new Set<StandInWsClient>();
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let restDelayMs = 0;
  let restFailing: number | null = null;
  let downUntilMs = 0;
  let connections = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const isDown = (): boolean => Date.now() < downUntilMs;
  const tokenOf = (req: IncomingMessage): string | null => {
    const header = req.headers.authorization ?? "";
    const legacy = req.headers["x-ha-access"];
    return header.startsWith("Bearer ") ? header.slice(7) : typeof legacy === "string" ? legacy : null;
  };
  const authorized = (req: IncomingMessage): boolean => {
    const t = tokenOf(req);
    return t !== null && accepted.has(t);
  };
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const text = (res: ServerResponse, status: number, body: string): void => {
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(body);
  };

  const postState = async (req: IncomingMessage, res: ServerResponse, entityId: string, path: string): Promise<void> => {
    const raw = await readBody(req);
    const reject = (status: number, message: string): void => {
      posted.push({ entityId, state: "", attributes: {}, status, tsMs: Date.now(), path });
      if (status === 500) text(res, 500, "500 Internal Server Error\n\nServer got itself in trouble");
      else json(res, status, { message });
    };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return reject(400, "Invalid JSON specified.");
    }
    if (!VALID_ENTITY_ID.test(entityId)) return reject(opts.badEntityIdStatus ?? 400, "Invalid entity ID specified.");
    if (body === null || typeof body !== "object" || !("state" in body)) return reject(400, "No state specified.");
    const b = body as { state: unknown; attributes?: unknown; force_update?: unknown };
    const state = String(b.state);
    if (state.length > 255) return reject(400, "Invalid state specified.");
    const attributes = b.attributes === undefined || b.attributes === null ? {} : b.attributes;
    if (typeof attributes !== "object" || Array.isArray(attributes)) return reject(400, "Invalid attributes specified.");
    const { created, state: s } = core.machine.set(entityId, state, attributes as Record<string, unknown>, newContext(), b.force_update === true);
    const status = created ? 201 : 200;
    posted.push({ entityId, state, attributes: attributes as Record<string, unknown>, status, tsMs: Date.now(), path });
    json(res, status, s, { Location: `/api/states/${entityId}` });
  };

  const handleRest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.startsWith("/core/") ? url.pathname.slice(5) : url.pathname;
    if (!path.startsWith("/api")) return text(res, 404, "404: Not Found");
    if (isDown()) return text(res, 502, "502 Bad Gateway");
    if (!authorized(req)) return text(res, 401, "401: Unauthorized");
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (restDelayMs > 0) await sleep(restDelayMs, waiters);
      if (restFailing !== null) {
        await readBody(req);
        if (path.startsWith("/api/states/") && req.method === "POST") {
          posted.push({ entityId: decodeURIComponent(path.slice(12)), state: "", attributes: {}, status: restFailing, tsMs: Date.now(), path: url.pathname });
        }
        return text(res, restFailing, `${restFailing} Internal Server Error\n\nServer got itself in trouble`);
      }
      if (path === "/api/" || path === "/api") return json(res, 200, { message: "API running." });
      if (path === "/api/config" && req.method === "GET") return json(res, 200, core.config());
      if (path === "/api/states" && req.method === "GET") return json(res, 200, core.machine.all());
      if (path.startsWith("/api/states/")) {
        const entityId = decodeURIComponent(path.slice(12));
        // APIEntityStateView.post: `if not user.is_admin: raise Unauthorized` → 401.
        if (req.method === "POST" && nonAdmin.has(tokenOf(req) ?? "")) {
          await readBody(req);
          posted.push({ entityId, state: "", attributes: {}, status: 401, tsMs: Date.now(), path: url.pathname });
          return json(res, 401, { message: "Unauthorized" });
        }
        if (req.method === "POST") return await postState(req, res, entityId, url.pathname);
        if (req.method === "GET") {
          const s = core.machine.get(entityId);
          return s ? json(res, 200, s) : json(res, 404, { message: "Entity not found." });
        }
        if (req.method === "DELETE") return core.machine.remove(entityId) ? json(res, 200, { message: "Entity removed." }) : json(res, 404, { message: "Entity not found." });
      }
      return text(res, 404, "404: Not Found");
    } finally {
      inFlight--;
    }
  };

  const server = createServer((req, res) => {
    handleRest(req, res).catch((err: unknown) => {
      if (!res.headersSent) text(res, 500, `500 Internal Server Error\n\n${err instanceof Error ? err.message : String(err)}`);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true });
  let unloadedCommands = new Set<string>();
  server.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (WS_PATHS.has(path) && isDown() && path.startsWith("/core/")) {
      // The Supervisor's proxy with Core down: it runs the auth phase itself, answers auth_ok, and
      // closes when it cannot reach Core behind it (home-assistant.md, "auth_ok is sent before the
      // Core-side connection exists").
      wss.handleUpgrade(req, socket, head, (ws) => {
        connections++;
        ws.send(JSON.stringify({ type: "auth_required", ha_version: core.haVersion }));
        ws.once("message", () => {
          ws.send(JSON.stringify({ type: "auth_ok", ha_version: core.haVersion }));
          setTimeout(() => ws.close(), 5);
        });
      });
      return;
    }
    if (!WS_PATHS.has(path) || isDown()) {
      socket.end(`HTTP/1.1 ${isDown() ? "502 Bad Gateway" : "404 Not Found"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = new StandInWsClient(++connections, ws, core, {
        isTokenValid: (t) => accepted.has(t),
        isAdminToken: (t) => !nonAdmin.has(t),
        isSupported: (type) => !(opts.unsupportedCommands ?? []).includes(type) && !unloadedCommands.has(type),
        record: (frame) => received.push(frame),
      });
      clients.add(client);
      ws.on("close", () => clients.delete(client));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const dropConnections = (): void => {
    for (const c of [...clients]) c.close();
    clients.clear();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    coreUrl: `http://127.0.0.1:${port}/core`,
    token,
    port,
    received,
    posted,
    serviceCalls: core.serviceCalls,
    firedEvents: core.firedEvents,
    states: core.machine.states,
    helpers: { input_number: core.inputNumbers, input_button: core.inputButtons },
    lovelaceResources: core.lovelaceResources,
    yamlResources: core.yamlResources,
    connectedClients: () => [...clients].filter((c) => c.authed).length,
    connectionCount: () => connections,
    maxConcurrentRest: () => maxInFlight,
    restart: async (o = {}) => {
      downUntilMs = Date.now() + (o.downMs ?? 0);
      dropConnections();
      core.restart(o.staleValues);
      if (o.downMs) await new Promise((r) => setTimeout(r, o.downMs));
    },
    dropConnections,
    setStarting: (unloaded) => {
      core.state = "STARTING";
      unloadedCommands = new Set(unloaded.commands ?? []);
      for (const s of unloaded.services ?? []) core.unloadedServices.add(s);
    },
    finishStarting: () => {
      core.state = "RUNNING";
      unloadedCommands = new Set();
      core.unloadedServices.clear();
      core.fireEvent("homeassistant_started", {}, "control");
    },
    renameEntity: (fromId, toId) => core.renameEntity(fromId, toId),
    deleteHelper: (domain, itemId) => core.deleteItem(domain, itemId),
    stop: async () => {
      for (const w of [...waiters]) w();
      dropConnections();
      wss.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    setRestDelay: (ms) => {
      restDelayMs = ms;
      if (ms === 0) for (const w of [...waiters]) w();
    },
    setRestFailing: (failing) => {
      restFailing = failing === false ? null : failing === true ? 500 : failing;
    },
    setUnresponsive: (on) => {
      for (const c of clients) c.frozen = on;
    },
    setUnitSystem: (unit) => {
      core.unitSystem = unit;
    },
    setLanguage: (language) => {
      core.language = language;
    },
    updateCoreConfig: (update) => {
      const data: Record<string, unknown> = {};
      if (update.unitSystem !== undefined) {
        core.unitSystem = update.unitSystem;
        data.unit_system = update.unitSystem === "°F" ? "us_customary" : "metric";
      }
      if (update.language !== undefined) core.language = data.language = update.language;
      core.fireEvent("core_config_updated", data, "control");
    },
    setLovelaceMode: (mode) => {
      core.lovelaceMode = mode;
    },
    setAcceptedTokens: (tokens) => {
      accepted = new Set(tokens);
    },
    addNotifyService: (name) => {
      core.notifyServices.add(name.replace(/^notify\./, ""));
    },
    addService: (domainService) => {
      core.extraServices.add(domainService);
    },
    fireEvent: (eventType, data) => {
      core.fireEvent(eventType, data, "control");
    },
    setState: (entityId, state, attributes) => {
      core.machine.set(entityId, state, attributes ?? core.machine.get(entityId)?.attributes ?? {}, newContext());
    },
  };
};
