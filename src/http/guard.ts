import type { ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { sendError } from "./errors";

/** `::ffff:172.30.32.2` (IPv4 mapped into IPv6) → `172.30.32.2`. */
export const normalizeAddress = (address: string | undefined): string => {
  if (!address) return "";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address.toLowerCase();
};

/** Everyone may connect (null), or only these peer addresses. */
export const addressFilter = (allowedAddresses: string[] | null): ((address: string | undefined) => boolean) => {
  if (allowedAddresses === null) return () => true;
  const allowed = new Set(allowedAddresses.map(normalizeAddress));
  return (address) => allowed.has(normalizeAddress(address));
};

export const sendForbidden = (res: ServerResponse): void =>
  sendError(res, 403, "forbidden", "Only Home Assistant ingress may use this port; open Grill Stats from the Home Assistant sidebar");

/**
 * Ingress guard: under the Supervisor only its ingress address (172.30.32.2) may connect.
 * Uses the socket's peer address only — X-Forwarded-For is set by the client side of every hop
 * and proves nothing.
 */
export const ingressGuard = (allowedAddresses: string[] | null): RequestHandler => {
  if (allowedAddresses === null) return (_req, _res, next) => next();
  const allowed = addressFilter(allowedAddresses);
  return (req, res, next) => {
    if (allowed(req.socket.remoteAddress)) next();
    else sendForbidden(res);
  };
};

/** The names a service bound to loopback answers to (any port). */
export const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1"] as const;

/** An IPv6 address in the short form a browser writes it in (`::ffff:127.0.0.1` → `::ffff:7f00:1`); anything else as it is. */
const canonicalV6 = (name: string): string => {
  if (!name.includes(":")) return name;
  try {
    return new URL(`http://[${name}]/`).hostname.slice(1, -1);
  } catch {
    // Not an IPv6 address: compared as written.
    return name;
  }
};

/** `[::1]:8099` → `::1`, `LocalHost.:8099` → `localhost`; null without a Host header. */
export const hostNameOf = (host: string | undefined): string | null => {
  if (!host) return null;
  const h = host.trim().toLowerCase();
  // "[v6]:port", "name:port", or a bare v6 address (more than one colon: no port to take off).
  const name = h.startsWith("[") ? h.slice(1, h.indexOf("]") === -1 ? undefined : h.indexOf("]")) : h.indexOf(":") !== h.lastIndexOf(":") ? h : h.replace(/:\d*$/, "");
  return canonicalV6(name.replace(/\.$/, ""));
};

/**
 * DNS rebinding: a web page of any site can point its own name at 127.0.0.1 and then read and
 * write a service on loopback as its "own" origin. The browser still names the site in the Host
 * header, so a service bound to loopback answers only to its loopback names (null: to any).
 * A request without Host is no browser's, and passes.
 */
export const hostFilter = (allowedHosts: readonly string[] | null): ((host: string | undefined) => boolean) => {
  if (allowedHosts === null) return () => true;
  const allowed = new Set(allowedHosts.map((h) => hostNameOf(h) ?? h));
  return (host) => {
    const name = hostNameOf(host);
    return name === null || allowed.has(name) || name.endsWith(".localhost");
  };
};

export const sendWrongHost = (res: ServerResponse): void =>
  sendError(res, 403, "forbidden", "This service answers only to localhost and the loopback address it listens on; to reach it by another name, set GRILL_STATS_HOST (for example 0.0.0.0)");

/**
 * A write from another site's page: a browser sends a form POST or a plain fetch to any address
 * without asking, and names the page's origin in `Origin`. Writes whose Origin is not the host
 * they were sent to are refused (reads need no guard: the browser does not let the other site
 * see the answer). The host is `Host`, or `X-Forwarded-Host` behind a reverse proxy that rewrites
 * Host (a page cannot set that header on a request without a CORS preflight, which is never
 * granted). Requests without Origin (curl, scripts, Home Assistant) pass.
 */
export const isCrossSiteWrite = (
  method: string | undefined,
  headers: { origin?: string | undefined; host?: string | undefined; "x-forwarded-host"?: string | string[] | undefined },
): boolean => {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS" || headers.origin === undefined) return false;
  let origin: URL;
  try {
    origin = new URL(headers.origin);
  } catch {
    return true; // "null" (a sandboxed frame, a file) or garbage
  }
  // URL drops the scheme's default port from the origin; a Host may still carry it ("x:443").
  const defaultPort = origin.protocol === "https:" ? ":443" : ":80";
  const bare = (host: string): string => {
    const h = host.trim().toLowerCase();
    return h.endsWith(defaultPort) ? h.slice(0, -defaultPort.length) : h;
  };
  const forwarded = [headers["x-forwarded-host"] ?? []].flat().flatMap((h) => h.split(","));
  return ![headers.host ?? "", ...forwarded].some((h) => bare(h) === origin.host.toLowerCase());
};

/** Outside the Supervisor: loopback names only (when bound to loopback), and no cross-site writes. */
export const standaloneGuard = (allowedHosts: readonly string[] | null, sameOriginWrites: boolean): RequestHandler => {
  const hostOk = hostFilter(allowedHosts);
  return (req, res, next) => {
    if (!hostOk(req.headers.host)) sendWrongHost(res);
    else if (sameOriginWrites && isCrossSiteWrite(req.method, req.headers))
      sendError(res, 403, "forbidden", "A page of another site may not change Grill Stats (the Origin of this request is not this service)");
    else next();
  };
};

/**
 * The panel loads only its own script; styles may be inline (Lit and uPlot set them), data and
 * events come from the same origin, and only the same origin (Home Assistant's ingress iframe)
 * may frame it.
 */
export const PANEL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join("; ");

export const setSecurityHeaders = (res: ServerResponse): void => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Content-Security-Policy", PANEL_CSP);
};

export const securityHeaders: RequestHandler = (_req, res, next) => {
  setSecurityHeaders(res);
  next();
};
