/**
 * The simulator's HTTP front: one node:http server answering the identity, token, webConfig
 * and Firestore paths of the real cloud on one origin, plus `/__control/...`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { hostFilter, isCrossSiteWrite, whenWritable } from "../../shared";
import type { Answer, AuthService } from "./auth";
import { handleControl, type ControlTarget } from "./control";
import { googleError } from "./documents";
import type { EchoShape, Faults, OversizedAnswer, RequestArea } from "./faults";
import type { FirestoreApi } from "./firestore";

export interface FirebaseConstants {
  apiKey: string;
  appId: string;
  projectId: string;
  storageBucket: string;
}

export type RequestKind = "webConfig" | "signIn" | "refresh" | "getDocument" | "listDocuments" | "runQuery" | "other";

export interface RequestLogEntry {
  method: string;
  kind: RequestKind;
  /** Path without the query string. */
  path: string;
  status: number;
  hasKey: boolean;
  hasBearer: boolean;
}

export interface ServerDeps {
  firebase: FirebaseConstants;
  auth: AuthService;
  firestore: FirestoreApi;
  faults: Faults;
  control: ControlTarget;
  /** Bring the world up to now before answering. */
  sync(): void;
  sleep(ms: number): Promise<void>;
  record(entry: RequestLogEntry): void;
  /** Host names `/__control` answers to (bound to loopback: the loopback names); null = any. */
  controlHosts: readonly string[] | null;
}

const MAX_BODY_BYTES = 1_000_000;
const KEY_MESSAGE = "API key not valid. Please pass a valid API key.";

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
};

const parseJson = (text: string): unknown => {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return Symbol.for("invalid-json");
  }
};

const parseForm = (text: string, contentType: string): Record<string, unknown> => {
  if (contentType.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  const json = parseJson(text);
  if (json && typeof json === "object" && !Array.isArray(json)) return json as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(text));
};

const decodeSegment = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export const send = (res: ServerResponse, a: Answer): void => {
  const text = a.raw ?? JSON.stringify(a.body);
  res.writeHead(a.status, { "content-type": "application/json; charset=UTF-8", ...a.headers });
  res.end(text);
};

/** Streams `bytes` of JSON-looking junk that never closes, stopping when the client hangs up. */
const streamOversized = async (res: ServerResponse, a: OversizedAnswer): Promise<void> => {
  res.writeHead(200, { "content-type": "application/json; charset=UTF-8", ...(a.declareLength ? { "content-length": String(a.bytes) } : {}) });
  const piece = Buffer.alloc(64 * 1024, "[");
  let left = a.bytes;
  while (left > 0 && !res.destroyed) {
    const chunk = left >= piece.length ? piece : piece.subarray(0, left);
    left -= chunk.length;
    if (!res.write(chunk)) await whenWritable(res);
  }
  if (!res.destroyed) res.end();
};

/** A failing backend that quotes the request it choked on (password and refresh token included). */
const echoAnswer = (status: number, shape: EchoShape, requestText: string): Answer =>
  shape === "text"
    ? { status, body: null, raw: `Internal Server Error while handling ${requestText}` }
    : { status, body: googleError(status, "INTERNAL", `Internal error while handling ${requestText}`) };

const classify = (method: string, seg: string[]): { area: RequestArea; kind: RequestKind } => {
  if (seg[0] === "v1alpha") return { area: "webconfig", kind: "webConfig" };
  if (seg[0] === "v1" && seg[1] === "accounts:signInWithPassword") return { area: "auth", kind: "signIn" };
  if (seg[0] === "v1" && seg[1] === "token") return { area: "auth", kind: "refresh" };
  const last = seg[seg.length - 1] ?? "";
  if (last.endsWith(":runQuery")) return { area: "firestore", kind: "runQuery" };
  if (seg[0] === "v1" && seg[1] === "projects") {
    // documents/<collection>/<id>… : an even number of segments after `documents` is a document.
    const after = seg.length - 6;
    return { area: "firestore", kind: method === "GET" && after >= 2 && after % 2 === 0 ? "getDocument" : "listDocuments" };
  }
  return { area: "firestore", kind: "other" };
};

/**
 * Whether a `/__control` request may drive the simulator: not from a page of another site, which
 * could otherwise reach it on loopback by DNS rebinding (its own name pointed at 127.0.0.1) or
 * by a plain cross-site POST (the body is read as JSON whatever its type), and change the world
 * that a Grill Stats in demo mode shows and alarms on.
 */
const controlRefusal = (req: IncomingMessage, hostOk: (host: string | undefined) => boolean): Answer | null => {
  if (!hostOk(req.headers.host)) return { status: 403, body: googleError(403, "PERMISSION_DENIED", "The simulator's control answers only to localhost and the loopback address it listens on") };
  if (isCrossSiteWrite(req.method, req.headers)) return { status: 403, body: googleError(403, "PERMISSION_DENIED", "A page of another site may not drive the simulator (the Origin of this request is not the simulator)") };
  return null;
};

export const createRequestHandler = (d: ServerDeps) => {
  const controlHostOk = hostFilter(d.controlHosts);
  const route = (req: IncomingMessage, seg: string[], url: URL, text: string): Answer => {
    const method = req.method ?? "GET";
    const key = url.searchParams.get("key");
    const keyError: Answer = { status: 400, body: { error: { code: 400, message: KEY_MESSAGE, errors: [{ message: KEY_MESSAGE, domain: "global", reason: "badRequest" }], status: "INVALID_ARGUMENT" } } };
    const { kind } = classify(method, seg);
    if (kind === "webConfig") {
      if (method !== "GET" || seg.length !== 6 || seg[1] !== "projects" || seg[2] !== "-" || seg[3] !== "apps" || seg[5] !== "webConfig") {
        return { status: 404, body: googleError(404, "NOT_FOUND", "Requested entity was not found.") };
      }
      if (req.headers["x-goog-api-key"] !== d.firebase.apiKey) return { ...keyError, status: 403 };
      if (seg[4] !== d.firebase.appId) return { status: 404, body: googleError(404, "NOT_FOUND", `App ${seg[4] ?? ""} not found.`) };
      const f = d.firebase;
      const sender = f.appId.split(":")[1] ?? "0";
      return {
        status: 200,
        body: {
          projectId: f.projectId, appId: f.appId, databaseURL: `https://${f.projectId}.firebaseio.com`, storageBucket: f.storageBucket,
          locationId: "us-central", authDomain: `${f.projectId}.firebaseapp.com`, messagingSenderId: sender, measurementId: "G-SIMULATOR1",
        },
      };
    }
    if (kind === "signIn" || kind === "refresh") {
      if (method !== "POST") return { status: 404, body: googleError(404, "NOT_FOUND", "Not found.") };
      if (key !== d.firebase.apiKey) return keyError;
      const echo = d.faults.takeEcho(kind);
      if (echo) return echoAnswer(echo.status, echo.shape, text);
      if (kind === "signIn") return d.auth.signIn(parseJson(text));
      return d.auth.refresh(parseForm(text, String(req.headers["content-type"] ?? "")));
    }
    if (seg[0] !== "v1" || seg[1] !== "projects" || seg[3] !== "databases" || seg.length < 6) {
      return { status: 404, body: googleError(404, "NOT_FOUND", "Requested entity was not found.") };
    }
    if (key !== d.firebase.apiKey) return keyError;
    const account = d.auth.verify(req.headers.authorization);
    if (!account) {
      return { status: 401, body: googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.") };
    }
    if (seg[2] !== d.firebase.projectId) return { status: 403, body: googleError(403, "PERMISSION_DENIED", `Permission denied on resource project ${seg[2] ?? ""}.`) };
    if (seg[4] !== "(default)") return { status: 404, body: googleError(404, "NOT_FOUND", `The database ${seg[4] ?? ""} does not exist for project ${d.firebase.projectId}.`) };
    const rest = seg.slice(5);
    const last = rest.length - 1;
    const runQuery = rest[last]?.endsWith(":runQuery") ?? false;
    if (runQuery) rest[last] = (rest[last] ?? "").slice(0, -":runQuery".length);
    if (rest[0] !== "documents") return { status: 404, body: googleError(404, "NOT_FOUND", "Requested entity was not found.") };
    const body = parseJson(text);
    if (body === Symbol.for("invalid-json")) return { status: 400, body: googleError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.") };
    d.sync();
    return d.firestore.handle({ method, path: rest.slice(1), runQuery, query: url.searchParams, body, account });
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://simulator");
    const seg = url.pathname.split("/").filter(Boolean).map(decodeSegment);
    const text = await readBody(req);
    const method = req.method ?? "GET";
    if (seg[0] === "__control") {
      const refused = controlRefusal(req, controlHostOk);
      if (refused) return send(res, refused);
      const body = parseJson(text);
      d.sync();
      send(res, handleControl(d.control, method, seg[1], typeof body === "symbol" ? null : body));
      return;
    }
    const { area, kind } = classify(method, seg);
    const delayMs = d.faults.takeDelay();
    if (delayMs > 0) await d.sleep(delayMs);
    const oversized = d.faults.takeOversized(area);
    if (oversized) {
      d.record({ method, kind, path: url.pathname, status: 200, hasKey: url.searchParams.has("key"), hasBearer: /^Bearer /i.test(req.headers.authorization ?? "") });
      await streamOversized(res, oversized);
      return;
    }
    const injected = d.faults.takeStatus(area);
    let answer: Answer;
    if (injected) {
      answer = {
        status: injected.status,
        body: injected.status === 429 ? googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.") : googleError(503, "UNAVAILABLE", "The service is currently unavailable."),
        headers: injected.retryAfter === null ? {} : { "retry-after": injected.retryAfter },
      };
    } else {
      answer = route(req, seg, url, text);
    }
    d.record({ method, kind, path: url.pathname, status: answer.status, hasKey: url.searchParams.has("key"), hasBearer: /^Bearer /i.test(req.headers.authorization ?? "") });
    if (!res.destroyed) send(res, answer);
  };
};
