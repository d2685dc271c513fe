import type { ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { hostFilter, isCrossSiteWrite } from "../shared";
import { sendError } from "./errors";

export { hostFilter, hostNameOf, isCrossSiteWrite, LOOPBACK_HOSTS } from "../shared";

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

export const sendWrongHost = (res: ServerResponse): void =>
  sendError(res, 403, "forbidden", "This service answers only to localhost and the loopback address it listens on; to reach it by another name, set GRILL_STATS_HOST (for example 0.0.0.0)");

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
