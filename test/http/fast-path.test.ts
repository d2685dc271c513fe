import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQs } from "node:querystring";
import { afterEach, describe, expect, it } from "vitest";
import { createFastPath, parseQueryString } from "../../src/http/fast-path";
import { BadRequestError } from "../../src/shared";
import { createMemoryLogger } from "../../src/shared/logger";
import { MEAT, PIT, T0, request, startHarness, SEED_START, withSeededHarness, type Harness } from "./harness";

type ErrorBody = { error: { code: string; message: string } };

/** Headers that must not depend on which of the two paths answered. */
const SAME_HEADERS = ["content-type", "cache-control", "content-security-policy", "x-content-type-options", "referrer-policy", "vary"];

describe("the fast path in front of express", () => {
  let h: Harness;
  const start = SEED_START;
  withSeededHarness((harness) => {
    h = harness;
  });

  it("answers /api/probes and /api/history exactly as the express mount does", async () => {
    const q = `?probe=${MEAT}&probe=${PIT}&from=${start}&to=${T0}&points=50`;
    // The exact path goes through the fast path; a trailing slash only matches in express.
    for (const [fast, slow] of [["/api/probes", "/api/probes/"], [`/api/history${q}`, `/api/history/${q}`]] as const) {
      const a = await request<string>(`${h.url}${fast}`);
      const b = await request<string>(`${h.url}${slow}`);
      expect(a.status, fast).toBe(200);
      expect(b.status, slow).toBe(200);
      expect(a.body, fast).toEqual(b.body);
      for (const name of SAME_HEADERS) expect(a.headers.get(name), `${fast} ${name}`).toBe(b.headers.get(name));
      expect(a.headers.get("content-security-policy")).toContain("default-src 'self'");
    }
  });

  it("gives the same 400 and 404 errors, in the one error shape", async () => {
    for (const path of ["/api/history", "/api/history/"]) {
      const bad = await request<ErrorBody>(`${h.url}${path}?points=0&from=abc`);
      expect(bad.status, path).toBe(400);
      expect(bad.body.error.code).toBe("bad_request");
      expect(bad.body.error.message).toContain("query.points: must be at least 1");
      expect(bad.body.error.message).toContain("query.from: must be a whole number");
      const unknown = await request<ErrorBody>(`${h.url}${path}?probe=nope`);
      expect(unknown.status, path).toBe(404);
      expect(unknown.body).toEqual({ error: { code: "not_found", message: 'Unknown probe "nope"' } });
      const backwards = await request<ErrorBody>(`${h.url}${path}?from=${T0}&to=${start}`);
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.message).toMatch(/^query\.from: must be before query\.to/);
    }
  });

  it("answers HEAD with the headers only and a matching If-None-Match with 304", async () => {
    const get = await fetch(`${h.url}/api/probes`);
    const body = await get.text();
    const etag = get.headers.get("etag");
    expect(etag).toMatch(/^W\/"/);
    const head = await fetch(`${h.url}/api/probes`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    expect(await head.text()).toBe("");
    const again = await fetch(`${h.url}/api/probes`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
  });

  it("hands other methods on the same paths to express", async () => {
    const post = await request<ErrorBody>(`${h.url}/api/probes`, { method: "POST", json: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect(post.body.error).toEqual({ code: "method_not_allowed", message: "/api/probes does not take POST; it takes GET, HEAD" });
  });

  it("applies the ingress guard to both hot routes", async () => {
    const guarded = await startHarness({ allowedAddresses: ["172.30.32.2"] });
    try {
      for (const path of ["/api/probes", "/api/history", "/api/history?probe=x"]) {
        const res = await request<ErrorBody>(`${guarded.url}${path}`);
        expect(res.status, path).toBe(403);
        expect(res.body.error.code).toBe("forbidden");
        expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      }
    } finally {
      await guarded.close();
    }
  });
});

describe("createFastPath", () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  it("turns a caller mistake into a 4xx and anything else into a logged 500 without details", async () => {
    const logger = createMemoryLogger("debug");
    const handler = createFastPath({
      routes: new Map([
        ["/bad", () => { throw new BadRequestError("query.x: nope"); }],
        ["/boom", () => { throw new Error("secret internals"); }],
      ]),
      allowedAddresses: null,
      logger,
      fallback: (_req, res) => res.end("fallback"),
    });
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bad = await request<ErrorBody>(`${url}/bad`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("query.x: nope");
    const boom = await request<ErrorBody>(`${url}/boom?x=1`);
    expect(boom.status).toBe(500);
    expect(boom.body).toEqual({ error: { code: "internal", message: "Internal error; see the add-on log" } });
    expect(logger.lines.some((l) => l.includes("request failed unexpectedly") && l.includes("secret internals"))).toBe(true);
    expect((await request<string>(`${url}/other`)).body).toBe("fallback");
    expect((await request<string>(`${url}/bad/`)).body).toBe("fallback");
  });

  it("parses query strings as express's default parser (node:querystring) does", () => {
    for (const qs of ["", "a=1", "a=1&b=2&a=3", "a=1&a=2&a=3", "p=x%2Cy&p=z", "s=a+b%20c", "e=&f", "k=%E2%82%AC", "x=1&&y=2"]) {
      expect({ ...parseQueryString(qs) }, qs).toEqual({ ...parseQs(qs) });
    }
  });
});
