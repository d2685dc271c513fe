import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import { hostFilter, hostNameOf, isCrossSiteWrite, LOOPBACK_HOSTS, normalizeAddress } from "../../src/http/guard";
import { injectBase } from "../../src/http/static";
import { makeTempDir } from "../support/tmp";
import { MEAT, request, seedCook, startHarness, type Harness } from "./harness";

describe("ingress guard", () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it("refuses every other address with 403 JSON when only the Supervisor may connect", async () => {
    h = await startHarness({ allowedAddresses: ["172.30.32.2"] });
    for (const path of ["/api/health", "/api/probes", "/", "/panel.js", "/api/stream"]) {
      const res = await request<{ error: { code: string } }>(`${h.url}${path}`, { headers: { "x-forwarded-for": "172.30.32.2" } });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
  });

  it("lets the allowed address in", async () => {
    h = await startHarness({ allowedAddresses: ["127.0.0.1"] });
    expect((await request(`${h.url}/api/health`)).status).toBe(200);
  });

  it("lets everyone in when no list is set (outside the Supervisor)", async () => {
    h = await startHarness({ allowedAddresses: null });
    expect((await request(`${h.url}/api/health`)).status).toBe(200);
  });

  /** A raw request, so that Host and Origin are what a browser on a rebound name would send. */
  const raw = (url: string, method: string, headers: Record<string, string>): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(url, { method, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });

  it("outside the Supervisor, on loopback: answers only to loopback names (no DNS rebinding)", async () => {
    h = await startHarness({ allowedHosts: LOOPBACK_HOSTS });
    const port = new URL(h.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LocalHost.:${port}`, `grill.localhost:${port}`]) {
      expect({ host, status: (await raw(`${h.url}/api/health`, "GET", { host })).status }).toEqual({ host, status: 200 });
    }
    for (const path of ["/api/health", "/api/probes", "/api/history", "/"]) {
      const res = await raw(`${h.url}${path}`, "GET", { host: `evil.example:${port}` });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: "forbidden", message: expect.stringContaining("GRILL_STATS_HOST") } });
    }
  });

  it("outside the Supervisor: refuses a write sent by another site's page, not the panel's own", async () => {
    h = await startHarness({ sameOriginWrites: true });
    seedCook(h.store);
    const host = new URL(h.url).host;
    const path = `/api/probes/${MEAT}/settings`;
    const put = (origin: string | null) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${h?.url}${path}`, { method: "PUT", headers: { host, "content-type": "application/json", ...(origin === null ? {} : { origin }) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(JSON.stringify({ targetC: 90 }));
      });
    expect(await put("https://evil.example")).toBe(403);
    expect(await put("null")).toBe(403);
    expect(h.store.getSettings(MEAT).targetC).not.toBe(90);
    expect(await put(`http://${host}`)).toBe(200);
    expect(await put(null)).toBe(200);
    // Behind a reverse proxy that rewrites Host, the name the browser used is X-Forwarded-Host.
    expect(isCrossSiteWrite("PUT", { origin: "https://grill.example.com", host: "127.0.0.1:8099", "x-forwarded-host": "grill.example.com" })).toBe(false);
    expect(isCrossSiteWrite("PUT", { origin: "https://evil.example", host: "127.0.0.1:8099", "x-forwarded-host": "grill.example.com" })).toBe(true);
    // nginx's "$host:$server_port": the default port written out is the same site.
    expect(isCrossSiteWrite("PUT", { origin: "https://grill.example.com", host: "127.0.0.1:8099", "x-forwarded-host": "grill.example.com:443" })).toBe(false);
    expect(isCrossSiteWrite("PUT", { origin: "http://grill.example.com", host: "grill.example.com:80" })).toBe(false);
    expect(isCrossSiteWrite("PUT", { origin: "http://grill.example.com", host: "grill.example.com:443" })).toBe(true);
    // Reads are not writes: another site cannot see the answer anyway.
    expect((await raw(`${h.url}/api/health`, "GET", { host, origin: "https://evil.example" })).status).toBe(200);
    expect((await raw(`${h.url}/api/alarms/x:high/acknowledge`, "POST", { host, origin: "https://evil.example" })).status).toBe(403);
  });

  it("normalizes IPv4-mapped IPv6 peer addresses", () => {
    expect(normalizeAddress("::ffff:172.30.32.2")).toBe("172.30.32.2");
    expect(normalizeAddress("172.30.32.2")).toBe("172.30.32.2");
    expect(normalizeAddress("::1")).toBe("::1");
    expect(normalizeAddress(undefined)).toBe("");
  });

  it("reads the host name out of a Host header", () => {
    expect(["[::1]:8099", "::1", "LOCALHOST:8099", "localhost.", "127.0.0.1", "x.localhost:1"].map(hostNameOf)).toEqual(["::1", "::1", "localhost", "localhost", "127.0.0.1", "x.localhost"]);
    expect(hostNameOf(undefined)).toBeNull();
    // An IPv6 address as a browser writes it, whichever way it was configured.
    expect(["::ffff:127.0.0.1", "[::ffff:7f00:1]:8099", "0:0:0:0:0:0:0:1", "[0::1]:80"].map(hostNameOf)).toEqual(["::ffff:7f00:1", "::ffff:7f00:1", "::1", "::1"]);
    const bound = hostFilter([...LOOPBACK_HOSTS, "::ffff:127.0.0.1"]);
    expect(bound("[::ffff:7f00:1]:8099")).toBe(true);
    expect(bound("evil.example:8099")).toBe(false);
  });
});

describe("static files", () => {
  let h: Harness | null = null;
  const tmp = makeTempDir("grill-stats-static-");
  const panelDir = join(tmp.dir, "panel");
  mkdirSync(panelDir, { recursive: true });
  writeFileSync(join(panelDir, "index.html"), '<!doctype html><html><head><script type="module" src="panel.js"></script></head><body></body></html>');
  writeFileSync(join(panelDir, "panel.js"), "console.log('panel')");
  writeFileSync(join(tmp.dir, "grill-stats-card.js"), "console.log('card')");
  afterEach(async () => {
    await h?.close();
    h = null;
  });
  afterAll(() => tmp.cleanup());

  it("serves the panel page without caching, with a CSP that allows only its own scripts", async () => {
    h = await startHarness({ panelDir, cardPath: join(tmp.dir, "grill-stats-card.js") });
    const res = await request<string>(`${h.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'(;|$)/);
    expect(res.body).toContain('src="panel.js"');
    const js = await request<string>(`${h.url}/panel.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    const card = await request<string>(`${h.url}/grill-stats-card.js`);
    expect(card.status).toBe(200);
    expect(card.body).toBe("console.log('card')");
    expect(card.headers.get("content-type")).toContain("javascript");
  });

  it("adds a <base> for a genuine ingress path only", async () => {
    h = await startHarness({ panelDir });
    const ingress = await request<string>(`${h.url}/`, { headers: { "x-ingress-path": "/api/hassio_ingress/AbC-123_x" } });
    expect(ingress.body).toContain('<head><base href="/api/hassio_ingress/AbC-123_x/">');
    for (const evil of ['"><script>alert(1)</script>', "//evil.example", "/api/hassio_ingress/a/../b", "https://evil.example/api/hassio_ingress/x"]) {
      const res = await request<string>(`${h.url}/`, { headers: { "x-ingress-path": evil } });
      expect(res.body, evil).not.toContain("<base");
    }
    expect(injectBase("<html><head></head></html>", "/api/hassio_ingress/tok")).toContain('<base href="/api/hassio_ingress/tok/">');
  });

  it("answers a missing panel build and unknown files with JSON errors", async () => {
    h = await startHarness({ panelDir: join(tmp.dir, "nowhere"), cardPath: join(tmp.dir, "nope.js") });
    const page = await request<{ error: { message: string } }>(`${h.url}/`);
    expect(page.status).toBe(503);
    expect(page.body.error.message).toContain("npm run build");
    expect((await request(`${h.url}/grill-stats-card.js`)).status).toBe(404);
    expect((await request(`${h.url}/missing.js`)).status).toBe(404);
    expect((await request(`${h.url}/../../etc/passwd`)).status).toBe(404);
  });
});
