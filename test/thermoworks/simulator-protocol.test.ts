import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { docsUrl, NODE, RFX_MEAT, signIn, SIGNALS, startSim } from "./helpers";
import type { SimulatorHandle } from "../../src/thermoworks";

type Json = Record<string, unknown>;
const post = async (url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json; headers: Headers }> => {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json, headers: res.headers };
};
const get = async (url: string, token?: string): Promise<{ status: number; json: Json; text: string }> => {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Json, text };
};
/** A request with the headers a browser would send (node:http, so Host can be any name). */
const raw = (url: string, method: string, headers: Record<string, string>, body = ""): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
const errorOf = (j: Json): { code?: number; message?: string; status?: string } => j.error as { code?: number; message?: string; status?: string };
const signInUrl = (sim: SimulatorHandle, key = sim.config.apiKey): string => `${sim.url}/v1/accounts:signInWithPassword?key=${key}`;
const query = (accountId: string, extra: Json = {}): Json => ({
  structuredQuery: {
    from: [{ collectionId: "devices" }],
    where: { fieldFilter: { field: { fieldPath: "accountId" }, op: "EQUAL", value: { stringValue: accountId } } },
    orderBy: [{ field: { fieldPath: "__name__" }, direction: "ASCENDING" }],
    ...extra,
  },
});

describe("simulator: Firebase Auth", () => {
  it("serves webConfig only with the right x-goog-api-key", async () => {
    const sim = await startSim();
    const url = `${sim.url}/v1alpha/projects/-/apps/${sim.config.appId}/webConfig`;
    const good = await fetch(url, { headers: { "x-goog-api-key": sim.config.apiKey } });
    expect(good.status).toBe(200);
    const cfg = (await good.json()) as Json;
    expect(Object.keys(cfg).sort()).toEqual(["appId", "authDomain", "databaseURL", "locationId", "measurementId", "messagingSenderId", "projectId", "storageBucket"]);
    expect(cfg.projectId).toBe(sim.config.projectId);
    const bad = await fetch(url, { headers: { "x-goog-api-key": "wrong" } });
    expect(bad.status).toBe(403);
  });

  it("answers sign-in with the real success shape and the real error reasons", async () => {
    const sim = await startSim({ maxSignInFailures: 3, tokenTtlSec: 10 });
    const ok = await post(signInUrl(sim), { ...sim.credentials, returnSecureToken: true });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ kind: "identitytoolkit#VerifyPasswordResponse", registered: true, expiresIn: "10", email: sim.credentials.email });
    expect(typeof ok.json.idToken).toBe("string");

    const reason = async (body: Json, key?: string): Promise<string | undefined> => errorOf((await post(signInUrl(sim, key), body)).json).message;
    expect(await reason({ email: "not-an-email", password: "x" })).toBe("INVALID_EMAIL");
    expect(await reason({ email: "nobody@example.com", password: "x" })).toBe("EMAIL_NOT_FOUND");
    expect(await reason({ email: sim.accounts[1]?.email, password: "wrong" })).toBe("INVALID_PASSWORD");
    expect(await reason({ email: "disabled@example.com", password: sim.accounts[2]?.password })).toMatch(/^USER_DISABLED/);
    expect(await reason(sim.credentials, "bad-key")).toContain("API key not valid");
    sim.faults.enumerationProtection = true;
    expect(await reason({ email: "nobody@example.com", password: "x" })).toBe("INVALID_LOGIN_CREDENTIALS");
    expect(await reason({ email: sim.credentials.email, password: "wrong" })).toBe("INVALID_LOGIN_CREDENTIALS");

    const failed = await post(signInUrl(sim), { email: sim.credentials.email, password: "wrong" });
    expect(failed.json).toEqual({ error: { code: 400, message: "INVALID_LOGIN_CREDENTIALS", errors: [{ message: "INVALID_LOGIN_CREDENTIALS", domain: "global", reason: "invalid" }] } });
    expect(await reason({ email: sim.credentials.email, password: "wrong again" })).toBe("INVALID_LOGIN_CREDENTIALS");
    // Three failures for this e-mail: now even the right password is locked out.
    expect(await reason({ ...sim.credentials })).toMatch(/^TOO_MANY_ATTEMPTS_TRY_LATER/);
  });

  it("refreshes with a JSON or a form-encoded body, optionally rotating the refresh token", async () => {
    const sim = await startSim({ rotateRefreshTokens: true });
    const { refreshToken, localId } = await signIn(sim);
    const tokenUrl = `${sim.url}/v1/token?key=${sim.config.apiKey}`;
    const viaJson = await post(tokenUrl, { grant_type: "refresh_token", refresh_token: refreshToken });
    expect(viaJson.status).toBe(200);
    expect(viaJson.json).toMatchObject({ token_type: "Bearer", expires_in: "3600", user_id: localId });
    expect(viaJson.json.id_token).toBe(viaJson.json.access_token);
    expect(viaJson.json.refresh_token).not.toBe(refreshToken);

    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: String(viaJson.json.refresh_token) });
    const viaForm = await post(tokenUrl, form.toString(), { "content-type": "application/x-www-form-urlencoded" });
    expect(viaForm.status).toBe(200);

    expect(errorOf((await post(tokenUrl, { grant_type: "refresh_token", refresh_token: refreshToken })).json)).toEqual({ code: 400, message: "INVALID_REFRESH_TOKEN", status: "INVALID_ARGUMENT" });
    expect(errorOf((await post(tokenUrl, { grant_type: "password", refresh_token: "x" })).json).message).toBe("INVALID_GRANT_TYPE");
    sim.faults.revokeAllTokens();
    expect(errorOf((await post(tokenUrl, { grant_type: "refresh_token", refresh_token: String(viaForm.json.refresh_token) })).json).message).toBe("TOKEN_EXPIRED");
  });
});

describe("simulator: Firestore", () => {
  it("gates every document request with 401 UNAUTHENTICATED and 403 PERMISSION_DENIED envelopes", async () => {
    const sim = await startSim();
    const { idToken } = await signIn(sim);
    const key = `?key=${sim.config.apiKey}`;
    const noToken = await get(`${docsUrl(sim)}/devices/${SIGNALS}${key}`);
    expect(noToken.status).toBe(401);
    expect(errorOf(noToken.json)).toMatchObject({ code: 401, status: "UNAUTHENTICATED" });
    const foreign = await get(`${docsUrl(sim)}/devices/${NODE}${key}`, idToken);
    expect(foreign.status).toBe(403);
    expect(errorOf(foreign.json)).toEqual({ code: 403, message: "Missing or insufficient permissions.", status: "PERMISSION_DENIED" });
    const otherUser = await get(`${docsUrl(sim)}/users/${sim.accounts[1]?.uid}${key}`, idToken);
    expect(otherUser.status).toBe(403);
    sim.faults.revokeAllTokens();
    expect((await get(`${docsUrl(sim)}/devices/${SIGNALS}${key}`, idToken)).status).toBe(401);
  });

  it("serves documents for raw and %3A-encoded serials and a 404 envelope for the first missing channel", async () => {
    const sim = await startSim();
    const { idToken, localId } = await signIn(sim);
    const key = `?key=${sim.config.apiKey}`;
    const raw = await get(`${docsUrl(sim)}/devices/${SIGNALS}/channels/1${key}`, idToken);
    const encoded = await get(`${docsUrl(sim)}/devices/${encodeURIComponent(SIGNALS)}/channels/1${key}`, idToken);
    expect(raw.status).toBe(200);
    expect(encoded.text).toBe(raw.text);
    expect(raw.json.name).toBe(`projects/${sim.config.projectId}/databases/(default)/documents/devices/${SIGNALS}/channels/1`);
    const missing = await get(`${docsUrl(sim)}/devices/${SIGNALS}/channels/5${key}`, idToken);
    expect(missing.status).toBe(404);
    expect(errorOf(missing.json)).toEqual({ code: 404, status: "NOT_FOUND", message: `Document "projects/${sim.config.projectId}/databases/(default)/documents/devices/${SIGNALS}/channels/5" not found.` });

    const user = await get(`${docsUrl(sim)}/users/${localId}${key}`, idToken);
    expect((user.json.fields as Json).accountId).toEqual({ stringValue: sim.accounts[0]?.accountId });
    const meat = await get(`${docsUrl(sim)}/devices/${RFX_MEAT}${key}`, idToken);
    const fields = meat.json.fields as Json;
    expect(fields.deviceId).toBeUndefined();
    expect(fields.gatewayRSSI).toBeDefined();
    expect(typeof (fields.battery as Json).integerValue).toBe("string");
    const signals = (await get(`${docsUrl(sim)}/devices/${SIGNALS}${key}`, idToken)).json.fields as Json;
    expect(signals.wifi_stength).toBeDefined();
  });

  it("runQuery returns only the caller's devices, sorted, and denies queries that could see others", async () => {
    const sim = await startSim();
    const { idToken } = await signIn(sim);
    const url = `${docsUrl(sim)}:runQuery?key=${sim.config.apiKey}`;
    const auth = { authorization: `Bearer ${idToken}` };
    const own = await fetch(url, { method: "POST", headers: auth, body: JSON.stringify(query(sim.accounts[0]?.accountId ?? "")) });
    const rows = (await own.json()) as { document?: { name: string }; readTime: string }[];
    expect(rows.map((r) => r.document?.name.split("/").pop())).toEqual([SIGNALS, "C8:2B:96:4A:10:7E", RFX_MEAT].sort());
    expect(rows.every((r) => typeof r.readTime === "string")).toBe(true);

    const foreign = await fetch(url, { method: "POST", headers: auth, body: JSON.stringify(query(sim.accounts[1]?.accountId ?? "")) });
    expect(foreign.status).toBe(403);
    const unfiltered = await fetch(url, { method: "POST", headers: auth, body: JSON.stringify({ structuredQuery: { from: [{ collectionId: "devices" }] } }) });
    expect(unfiltered.status).toBe(403);

    const and = {
      structuredQuery: {
        from: [{ collectionId: "devices" }],
        where: {
          compositeFilter: {
            op: "AND",
            filters: [
              { fieldFilter: { field: { fieldPath: "accountId" }, op: "EQUAL", value: { stringValue: sim.accounts[0]?.accountId } } },
              { fieldFilter: { field: { fieldPath: "type" }, op: "EQUAL", value: { stringValue: "rfx" } } },
            ],
          },
        },
        orderBy: [{ field: { fieldPath: "__name__" }, direction: "DESCENDING" }],
        limit: 1,
      },
    };
    const limited = (await (await fetch(url, { method: "POST", headers: auth, body: JSON.stringify(and) })).json()) as { document?: { name: string } }[];
    expect(limited.map((r) => r.document?.name.split("/").pop())).toEqual([RFX_MEAT]);

    const none = structuredClone(and);
    none.structuredQuery.where.compositeFilter.filters[1] = { fieldFilter: { field: { fieldPath: "type" }, op: "EQUAL", value: { stringValue: "smoke" } } };
    const empty = (await (await fetch(url, { method: "POST", headers: auth, body: JSON.stringify(none) })).json()) as Json[];
    expect(empty).toHaveLength(1);
    expect(Object.keys(empty[0] ?? {})).toEqual(["readTime"]);
  });

  it("lists channels in pages with opaque tokens, rejects unknown tokens, and answers {} when empty", async () => {
    const sim = await startSim();
    const { idToken } = await signIn(sim);
    const base = `${docsUrl(sim)}/devices/${SIGNALS}/channels?key=${sim.config.apiKey}&pageSize=3`;
    const first = await get(base, idToken);
    expect((first.json.documents as Json[]).length).toBe(3);
    expect(typeof first.json.nextPageToken).toBe("string");
    const second = await get(`${base}&pageToken=${String(first.json.nextPageToken)}`, idToken);
    expect((second.json.documents as { name: string }[]).map((d) => d.name.split("/").pop())).toEqual(["4"]);
    expect(second.json.nextPageToken).toBeUndefined();
    const all = await get(`${docsUrl(sim)}/devices/${SIGNALS}/channels?key=${sim.config.apiKey}&pageSize=9`, idToken);
    expect((all.json.documents as Json[]).length).toBe(4);
    expect(all.json.nextPageToken).toBeUndefined();
    const bogus = await get(`${base}&pageToken=made-up`, idToken);
    expect(bogus.status).toBe(400);
    expect(errorOf(bogus.json).status).toBe("INVALID_ARGUMENT");
    const archive = await get(`${docsUrl(sim)}/devices/${SIGNALS}/archive?key=${sim.config.apiKey}&orderBy=createdOn%20desc&pageSize=5`, idToken);
    expect(archive.status).toBe(200);
    expect(archive.json).toEqual({});
  });
});

describe("simulator: control API for other processes", () => {
  it("scripts faults over POST /__control and rejects bad bodies", async () => {
    const sim = await startSim();
    const ctl = (action: string, body: Json) => post(`${sim.url}/__control/${action}`, body);
    expect((await ctl("rate-limit", { count: 1, retryAfter: 3 })).status).toBe(200);
    const limited = await post(signInUrl(sim), sim.credentials);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(errorOf(limited.json).status).toBe("RESOURCE_EXHAUSTED");
    expect((await post(signInUrl(sim), sim.credentials)).status).toBe(200);

    expect((await ctl("unavailable", { count: 1 })).status).toBe(200);
    const down = await post(signInUrl(sim), sim.credentials);
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBeNull();

    expect((await ctl("set-channel", { serial: SIGNALS, channel: 2, tempC: 100 })).status).toBe(200);
    expect(sim.trueTempC(SIGNALS, "2")).toBe(100);
    expect((await ctl("advance", { simSeconds: 60 })).json.simSeconds).toBe(sim.simSeconds());
    expect((await ctl("wrap", { serial: SIGNALS, channel: 2 })).status).toBe(200);
    const notMeat = await ctl("wrap", { serial: SIGNALS, channel: 1 });
    expect(notMeat.status).toBe(400);
    expect(errorOf(notMeat.json).message).toBe(`no meat channel 1 on device ${SIGNALS}`);
    const bad = await ctl("rate-limit", { count: -1 });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.json).message).toContain("count");
    expect((await ctl("no-such-thing", {})).status).toBe(400);
    const state = await get(`${sim.url}/__control/state`);
    expect(state.json.requestCount).toBe(sim.requestCount);
  });

  it("answers /__control only to loopback names and never to a page of another site (DNS rebinding, a cross-site POST)", async () => {
    const sim = await startSim();
    const port = new URL(sim.url).port;
    const before = sim.trueTempC(SIGNALS, "2");
    const setChannel = (headers: Record<string, string>) =>
      raw(`${sim.url}/__control/set-channel`, "POST", { "content-type": "text/plain", ...headers }, JSON.stringify({ serial: SIGNALS, channel: 2, tempC: 150 }));
    // A page of evil.example whose name now points at 127.0.0.1: its browser names evil.example.
    for (const res of [await setChannel({ host: `evil.example:${port}`, origin: `http://evil.example:${port}` }), await raw(`${sim.url}/__control/state`, "GET", { host: `evil.example:${port}` })]) {
      expect(res.status).toBe(403);
      expect(errorOf(JSON.parse(res.body) as Json)).toMatchObject({ code: 403, status: "PERMISSION_DENIED", message: expect.stringContaining("localhost") });
    }
    // Another site's page posting straight to 127.0.0.1 (a text/plain POST needs no preflight).
    const crossSite = await setChannel({ host: `127.0.0.1:${port}`, origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(errorOf(JSON.parse(crossSite.body) as Json).message).toContain("another site");
    expect(sim.trueTempC(SIGNALS, "2")).toBe(before);
    // The loopback names, a page of the simulator's own origin, and scripts (no Origin) may.
    expect((await setChannel({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
    expect((await setChannel({ host: `[::1]:${port}` })).status).toBe(200);
    expect((await raw(`${sim.url}/__control/state`, "GET", { host: `127.0.0.1:${port}` })).status).toBe(200);
    expect(sim.trueTempC(SIGNALS, "2")).toBe(150);
  });

  it("tampers with documents, fails one device, adds junk query rows and echoes auth requests on request", async () => {
    const sim = await startSim();
    const ctl = (action: string, body: Json) => post(`${sim.url}/__control/${action}`, body);
    const { idToken } = await signIn(sim);
    const key = `?key=${sim.config.apiKey}`;
    const channel = (serial: string, n: number) => get(`${docsUrl(sim)}/devices/${serial}/channels/${n}${key}`, idToken);

    expect((await ctl("override-fields", { serial: SIGNALS, channel: 2, fields: { value: { doubleValue: 1e300 } } })).status).toBe(200);
    expect(((await channel(SIGNALS, 2)).json.fields as Json).value).toEqual({ doubleValue: 1e300 });
    expect((await ctl("override-fields", { serial: SIGNALS, channel: 2, fields: null })).status).toBe(200);
    expect(((await channel(SIGNALS, 2)).json.fields as Json).value).not.toEqual({ doubleValue: 1e300 });

    expect((await ctl("fail-device", { serial: SIGNALS, count: 1 })).status).toBe(200);
    const failed = await channel(SIGNALS, 1);
    expect(failed.status).toBe(500);
    expect(errorOf(failed.json).status).toBe("INTERNAL");
    expect((await channel(SIGNALS, 1)).status).toBe(200);

    expect((await ctl("junk-query-rows", { rows: [5, null] })).status).toBe(200);
    const rows = (await post(`${docsUrl(sim)}:runQuery${key}`, query(sim.accounts[0]?.accountId ?? ""), { authorization: `Bearer ${idToken}` })).json as unknown as unknown[];
    expect(rows.slice(-2)).toEqual([5, null]);

    expect((await ctl("echo-auth-request", { endpoint: "signIn", status: 500 })).status).toBe(200);
    const echoed = await fetch(signInUrl(sim), { method: "POST", body: JSON.stringify(sim.credentials) });
    expect(echoed.status).toBe(500);
    expect(await echoed.text()).toContain(sim.credentials.password);
  });
});
