import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../shared";
import { respondToError } from "./errors";
import { addressFilter, hostFilter, sendForbidden, sendWrongHost, setSecurityHeaders } from "./guard";

/** What a read-only route needs of a request: express's `Request` has it, and so does the fast path's. */
export interface ReadRequest {
  method?: string | undefined;
  headers: IncomingHttpHeaders;
  /** `key → value`, or `key → [values]` when the key is repeated (express's "simple" parser shape). */
  query: unknown;
  /**
   * The raw query string (after `?`), when the caller has it: a route may key what it derived
   * from a query by it and skip parsing the same query again.
   */
  search?: string;
}

/** A GET/HEAD route answered from memory; throws AppError for a caller's mistake. */
export type ReadRoute = (req: ReadRequest, res: ServerResponse) => void;

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** `a=1&b=2&b=3` → `{ a: "1", b: ["2", "3"] }`, decoded as express's default query parser does. */
export const parseQueryString = (search: string): Record<string, string | string[]> => {
  const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (search === "") return query;
  for (const [key, value] of new URLSearchParams(search)) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
};

export interface FastPathOptions {
  /** Exact paths (`/api/probes`) → route. Any other path, method or spelling goes to `fallback`. */
  routes: ReadonlyMap<string, ReadRoute>;
  allowedAddresses: string[] | null;
  /** Host names answered (see hostFilter); null = any. */
  allowedHosts?: readonly string[] | null;
  logger: Logger;
  /** The express app: everything the fast path does not answer. */
  fallback: NodeHandler;
}

/**
 * The node request listener: GET/HEAD of the hot read-only routes (what the card and panel poll,
 * and what every open panel asks after each reading) answered straight from their caches, the
 * rest handed to express. Same guarantees as the express app — security headers, the ingress
 * guard, the `{ error: { code, message } }` shape — without express's per-request work (its
 * request/response prototypes, middleware stack and router), which was most of the cost of a
 * cached answer under load. The same routes are also mounted in express, so other spellings
 * (`/api/probes/`, `/API/probes`) give the same answer.
 */
export const createFastPath = ({ routes, allowedAddresses, allowedHosts, logger, fallback }: FastPathOptions): NodeHandler => {
  const allowed = addressFilter(allowedAddresses);
  const hostOk = hostFilter(allowedHosts ?? null);
  return (req, res) => {
    const method = req.method;
    if (method !== "GET" && method !== "HEAD") return fallback(req, res);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const route = routes.get(path);
    if (route === undefined) return fallback(req, res);
    setSecurityHeaders(res);
    if (!allowed(req.socket.remoteAddress)) return sendForbidden(res);
    if (!hostOk(req.headers.host)) return sendWrongHost(res);
    try {
      const search = q === -1 ? "" : url.slice(q + 1);
      let query: unknown;
      // Parsed when the route asks for it: a route that knows this query string already does not.
      const read: ReadRequest = { method, headers: req.headers, search, get query() { return (query ??= parseQueryString(search)); } };
      route(read, res);
    } catch (err) {
      respondToError(logger, err, method, path, res);
    }
  };
};
