import type { ServerResponse } from "node:http";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { z } from "zod";
import { AppError, BadRequestError, isDatabaseError, type ErrorCode, type Logger } from "../shared";

/** HTTP status for each stable error code. */
const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  auth_failed: 401,
  unavailable: 503,
  upstream: 502,
  config_invalid: 500,
  internal: 500,
};

/**
 * The one error body shape: `{ error: { code, message } }`. Plain node `ServerResponse`, so the
 * express app and the fast path in front of it (`fast-path.ts`) answer errors alike.
 */
/** Messages quote what the caller sent ("Unknown probe …"): a 10 kB id is not echoed back whole. */
const MAX_MESSAGE_CHARS = 500;
const clip = (message: string): string => (message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…`);

export const sendError = (res: ServerResponse, status: number, code: string, message: string): void => {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = Buffer.from(JSON.stringify({ error: { code, message: clip(message) } }), "utf8");
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", body.length);
  res.end(body);
};

/** An alarm service (or another optional part) is not running. */
export class UnavailableError extends AppError {
  constructor(message: string) {
    super("unavailable", message);
  }
}

/** Parses `value` with `schema`; failures become a 400 listing every `path: message`. */
export const parseWith = <S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = [where, ...issue.path.map(String)].join(".");
    return `${path}: ${issue.message}`;
  });
  throw new BadRequestError(issues.join("; "));
};

/** body-parser errors carry `type`, `status` and the raw `body`; zlib's a `Z_…` code; the router's a `status`. */
interface CallerErrorShape {
  type?: unknown;
  status?: unknown;
  code?: unknown;
  body?: unknown;
}

/** JSON, but not an object or array (`null`, `5`, `"x"`): body-parser's strict mode refuses it as a parse error. */
const isJsonScalar = (body: unknown): boolean => {
  if (typeof body !== "string") return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false; // not JSON at all: the parse error stands
  }
};

/**
 * The database refused a write (SQLite's result code, as better-sqlite3 names it): the service is
 * fine and the request was, the disk or the file is not. 503 with what to do, not a bare 500.
 */
const databaseError = (err: unknown, method: string | undefined): string | null => {
  if (!isDatabaseError(err)) return null;
  const code = String((err as CallerErrorShape).code);
  const why = code.startsWith("SQLITE_FULL")
    ? "the disk is full"
    : code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_PERM")
      ? "the database file or its folder is read-only"
      : code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")
        ? "another program holds a lock on it"
        : code.startsWith("SQLITE_IOERR")
          ? "the disk reported an error"
          : null;
  if (why === null) return null;
  return method === "GET" || method === "HEAD"
    ? `The database cannot be read now (${why}); try again once that is fixed`
    : `The database cannot be written (${why}), so nothing was changed; try again once that is fixed`;
};

/** Errors the caller caused below the routes (body, encoding, path): a 4xx, not logged as ours. */
const callerError = (err: unknown): { status: number; code: string; message: string } | null => {
  if (typeof err !== "object" || err === null) return null;
  // A path parameter with broken percent-encoding ("/api/cooks/%E0%A4%A").
  if (err instanceof URIError) return { status: 400, code: "bad_request", message: "The request path is not valid percent-encoding" };
  const { type, status, code } = err as CallerErrorShape;
  // A body sent as gzip/deflate/br that is not.
  if (typeof code === "string" && code.startsWith("Z_")) return { status: 400, code: "bad_request", message: "The request body could not be decompressed (check Content-Encoding)" };
  if (type === "entity.parse.failed") {
    const { body } = err as CallerErrorShape;
    return { status: 400, code: "bad_request", message: isJsonScalar(body) ? "The request body must be a JSON object" : "The request body is not valid JSON" };
  }
  if (type === "entity.too.large") return { status: 413, code: "payload_too_large", message: "The request body is larger than 64 KB" };
  if (type === "encoding.unsupported" || type === "charset.unsupported") {
    return { status: 415, code: "unsupported_media_type", message: "The request body must be UTF-8 JSON" };
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    return { status, code: "bad_request", message: typeof type === "string" ? "The request body could not be read" : "The request could not be read" };
  }
  return null;
};

/**
 * What an error thrown by a route answers: AppError code → status, caller mistakes → 4xx, the
 * rest → 500 without details (logged, with the stack, for the add-on log).
 */
export const respondToError = (logger: Logger, err: unknown, method: string | undefined, path: string, res: ServerResponse): void => {
  if (err instanceof AppError) {
    const status = STATUS[err.code];
    if (status >= 500) logger.warn("request failed", { method, path, code: err.code, error: err.message });
    sendError(res, status, err.code, err.message);
    return;
  }
  const parsed = callerError(err);
  if (parsed) {
    sendError(res, parsed.status, parsed.code, parsed.message);
    return;
  }
  const database = databaseError(err, method);
  if (database) {
    logger.warn("request failed: the database refused it", { method, path, error: err instanceof Error ? err.message : String(err) });
    // Its own code: "unavailable" says a service of the add-on is off (the panel shows that instead).
    sendError(res, 503, "database", database);
    return;
  }
  logger.error("request failed unexpectedly", {
    method,
    path,
    error: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  sendError(res, 500, "internal", "Internal error; see the add-on log");
};

/** The one error middleware of the express app. */
export const errorMiddleware = (logger: Logger): ErrorRequestHandler => (err: unknown, req, res, _next) => {
  respondToError(logger, err, req.method, req.path, res);
};

/**
 * Unknown /api paths: JSON instead of express's HTML page. A path that exists with other methods
 * is a 405 with an `Allow` header (`allowed` lists them, empty when the path is unknown), else 404.
 */
export const apiNotFound = (allowed: (path: string) => string[]): RequestHandler => (req, res) => {
  const path = (req.originalUrl.split("?")[0] ?? "").slice(0, 200);
  const methods = allowed(req.path);
  if (methods.length === 0) {
    sendError(res, 404, "not_found", `No such API endpoint: ${req.method} ${path}`);
    return;
  }
  res.setHeader("Allow", methods.join(", "));
  sendError(res, 405, "method_not_allowed", `${path} does not take ${req.method}; it takes ${methods.join(", ")}`);
};

/** What of an express router's layers `allowedMethods` reads (express's `router.stack`). */
interface RouterLayer {
  match(path: string): { path: string } | false;
  route?: { methods: Record<string, boolean | undefined> };
  handle?: { stack?: RouterLayer[] };
}

/**
 * The methods routes of `stack` (and of the routers mounted in it) answer at `path`: GET
 * brings HEAD, as express answers HEAD with the GET handler.
 */
export const allowedMethods = (stack: readonly unknown[], path: string): string[] => {
  const found = new Set<string>();
  const walk = (layers: readonly RouterLayer[], at: string): void => {
    for (const layer of layers) {
      const matched = layer.match(at);
      if (!matched) continue;
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== "_all") found.add(method.toUpperCase());
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, at.slice(matched.path.length) || "/");
      }
    }
  };
  walk(stack as RouterLayer[], path);
  if (found.has("GET")) found.add("HEAD");
  return [...found].sort();
};
