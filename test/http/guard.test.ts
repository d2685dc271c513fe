import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { normalizeAddress } from "../../src/http/guard";
import { injectBase } from "../../src/http/static";
import { makeTempDir } from "../support/tmp";
import { request, startHarness, type Harness } from "./harness";

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

  it("normalizes IPv4-mapped IPv6 peer addresses", () => {
    expect(normalizeAddress("::ffff:172.30.32.2")).toBe("172.30.32.2");
    expect(normalizeAddress("172.30.32.2")).toBe("172.30.32.2");
    expect(normalizeAddress("::1")).toBe("::1");
    expect(normalizeAddress(undefined)).toBe("");
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
