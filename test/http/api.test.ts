import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProbeSettings, ProbeState } from "../../src/shared";
import { DEVICE_KEY, MEAT, PIT, T0, request, seedCook, startHarness, type Harness } from "./harness";

describe("HTTP API: probes, devices, settings, health", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    seedCook(h.store);
  });
  afterEach(async () => h.close());

  it("serves the current probe states with every ProbeState field", async () => {
    const res = await request<ProbeState[]>(`${h.url}/api/probes`);
    expect(res.status).toBe(200);
    const meat = res.body.find((p) => p.id === MEAT);
    expect(meat).toMatchObject({ deviceSerial: "10:06:1C:6F:47:70", channel: "1", name: "Brisket", role: "meat", status: "ok" });
    expect(meat?.tempC).toBeCloseTo(5 + 0.3 * 240, 5);
    expect(Object.keys(meat ?? {})).toEqual(expect.arrayContaining(["eta", "stall", "forecast", "lidOpen", "targetC"]));
  });

  it("serves the devices from the store", async () => {
    const res = await request<Array<{ key: string; batteryPct: number }>>(`${h.url}/api/devices`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ key: DEVICE_KEY, batteryPct: 80 })]);
  });

  it("saves settings, merges partial updates, and tells the bus the API changed them", async () => {
    const seen: Array<{ settings: ProbeSettings; source: string }> = [];
    h.bus.on("settings:changed", (e) => seen.push(e));
    const put = await request<ProbeSettings>(`${h.url}/api/probes/${PIT}/settings`, { method: "PUT", json: { highC: 135, lowC: 100 } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ probeId: PIT, targetC: null, highC: 135, lowC: 100 });
    const second = await request<ProbeSettings>(`${h.url}/api/probes/${PIT}/settings`, { method: "PUT", json: { lowC: null } });
    expect(second.body).toEqual({ probeId: PIT, targetC: null, highC: 135, lowC: null });
    expect(h.store.getSettings(PIT)).toEqual(second.body);
    expect(seen.map((e) => e.source)).toEqual(["api", "api"]);
    const get = await request<ProbeSettings>(`${h.url}/api/probes/${PIT}/settings`);
    expect(get.body).toEqual(second.body);
  });

  it("rejects settings out of range, low above high, unknown fields and unknown probes", async () => {
    const put = (id: string, json: unknown) => request<{ error: { code: string; message: string } }>(`${h.url}/api/probes/${id}/settings`, { method: "PUT", json });
    const tooHot = await put(MEAT, { targetC: 500 });
    expect(tooHot.status).toBe(400);
    expect(tooHot.body.error).toMatchObject({ code: "bad_request" });
    expect(tooHot.body.error.message).toContain("body.targetC");
    expect((await put(MEAT, { targetC: "95" })).status).toBe(400);
    const crossed = await put(PIT, { highC: 100, lowC: 120 });
    expect(crossed.status).toBe(400);
    expect(crossed.body.error.message).toMatch(/low alarm .* below the high alarm/);
    expect((await put(MEAT, { target: 95 })).status).toBe(400);
    const unknown = await put(`${DEVICE_KEY}_9`, { targetC: 95 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
    // What the caller sent is quoted, not echoed back whole.
    const huge = await put(`${DEVICE_KEY}_${"9".repeat(10_000)}`, { targetC: 95 });
    expect(huge.status).toBe(404);
    expect(huge.body.error.message).toMatch(/^Unknown probe "/);
    expect(huge.body.error.message.length).toBeLessThanOrEqual(500);
    expect(h.store.getSettings(PIT)).toEqual({ probeId: PIT, targetC: null, highC: null, lowC: null });
  });

  it("answers a malformed JSON body with a 400 JSON error, and a missing body with a clear message", async () => {
    const bad = await request<{ error: { code: string; message: string } }>(`${h.url}/api/probes/${MEAT}/settings`, {
      method: "PUT",
      body: "{ targetC: 95",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/json");
    expect(bad.body.error).toEqual({ code: "bad_request", message: "The request body is not valid JSON" });
    const none = await request<{ error: { message: string } }>(`${h.url}/api/probes/${MEAT}/settings`, { method: "PUT", body: "targetC=95" });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain("Content-Type: application/json");
  });

  it("refuses JSON bodies above 64 KB with 413", async () => {
    const res = await request<{ error: { code: string } }>(`${h.url}/api/cooks/1`, { method: "PATCH", json: { notes: "x".repeat(70_000) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("answers a broken path or a body that is not what its Content-Encoding says with a 400, not an internal error", async () => {
    for (const [path, method] of [["/api/cooks/%E0%A4%A", "GET"], ["/api/cooks/%", "GET"], ["/api/alarms/%ZZ/acknowledge", "POST"], ["/api/probes/%E0/settings", "GET"]] as const) {
      const res = await request<{ error: { code: string; message: string } }>(`${h.url}${path}`, { method });
      expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status: 400, error: { code: "bad_request", message: "The request path is not valid percent-encoding" } });
    }
    for (const encoding of ["gzip", "br", "deflate"]) {
      const res = await request<{ error: { code: string; message: string } }>(`${h.url}/api/cooks/1`, {
        method: "PATCH",
        body: JSON.stringify({ name: "x" }),
        headers: { "content-type": "application/json", "content-encoding": encoding },
      });
      expect({ encoding, status: res.status, code: res.body.error.code }).toEqual({ encoding, status: 400, code: "bad_request" });
    }
    // The caller's mistakes are not the add-on's errors: nothing at error level in its log.
    expect(h.logger.lines.filter((l) => l.includes("ERROR"))).toEqual([]);
  });

  it("answers unknown API paths with 404 JSON", async () => {
    const res = await request<{ error: { code: string } }>(`${h.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });

  it("answers a known API path with a method it does not take with 405 and the methods it does", async () => {
    const cases: Array<[string, string, string]> = [
      ["DELETE", "/api/alarms", "GET, HEAD"],
      ["GET", "/api/alarms/x/acknowledge", "POST"],
      ["POST", "/api/alarms/rules/", "GET, HEAD, PUT"],
      ["PUT", "/api/cooks/1", "DELETE, GET, HEAD, PATCH"],
      ["POST", "/api/history", "GET, HEAD"],
      ["PATCH", "/api/stream", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await request<{ error: { code: string; message: string } }>(`${h.url}${path}`, { method });
      expect({ method, path, status: res.status, allow: res.headers.get("allow"), code: res.body.error.code }).toEqual({ method, path, status: 405, allow, code: "method_not_allowed" });
    }
    // An unknown path under a known one is still unknown, whatever the method.
    expect((await request(`${h.url}/api/cooks/1/nope`, { method: "POST" })).status).toBe(404);
  });

  it("serves health without any secret, even when handed a config-like object", async () => {
    await h.close();
    const secret = "hunter2-very-secret-password";
    h = await startHarness({
      getHealth: () => ({
        status: "ok",
        version: "1.2.3",
        mode: "cloud",
        thermoworks: { ok: true, email: "pit@example.com", password: secret, url: `https://user:${secret}@example.com/x` },
        homeassistant: { connected: true, token: secret, hasToken: true },
        store: { path: "/data/grill-stats.db" },
        config: { options: { thermoworks_password: secret, nested: [{ apiKey: secret, refresh_token: secret }] }, SUPERVISOR_TOKEN: secret },
      }),
    });
    const res = await request<Record<string, unknown>>(`${h.url}/api/health`);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(secret);
    expect(res.body).toMatchObject({ status: "ok", version: "1.2.3", mode: "cloud", homeassistant: { connected: true, hasToken: true } });
    expect((res.body.thermoworks as Record<string, unknown>).password).toBe("***");
  });

  it("sets security headers and no x-powered-by", async () => {
    const res = await request(`${h.url}/api/health`);
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
  });

  it("uses the injected clock for default windows", async () => {
    h.clock.set(T0 + 1000);
    const res = await request<{ from: number; to: number }>(`${h.url}/api/history`);
    expect(res.body.to).toBe(T0 + 1000);
    expect(res.body.from).toBe(T0 + 1000 - 4 * 3600_000);
  });
});
