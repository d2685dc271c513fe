/**
 * Who may drive a service on this machine without a login: the names it answers to (against DNS
 * rebinding) and whether a write comes from another site's page. Pure, for every server of ours
 * (the app in http/, the cloud simulator's control endpoints).
 */

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

/**
 * Bound to this machine only: any of 127.0.0.0/8 (also IPv4-mapped), ::1 and localhost, not just
 * 127.0.0.1.
 */
export const isLoopback = (host: string | undefined): boolean =>
  host !== undefined && (host === "localhost" || /^(?:::ffff:)?127(?:\.\d{1,3}){3}$/i.test(host) || /^(?:0{0,4}:){2,7}0{0,3}1$/.test(host));

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
