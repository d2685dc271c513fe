import { describe, expect, it } from "vitest";
import { AppError, fToC, UpstreamError } from "../../src/shared";
import { AuthFailedError, defaultWorld, type WorldSpec } from "../../src/thermoworks";
import { makeClient, manualClock, NODE, requestsPerSnapshot, RFX_GATEWAY, RFX_MEAT, SIGNALS, startSim } from "./helpers";

const defaultChannelCounts = (): number[] => (defaultWorld().accounts[0]?.devices ?? []).map((d) => d.channels.length);

describe("ThermoWorks client against the simulator", () => {
  it("signs in once and discovers every device and channel, with readings in °C", async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    const snap = await client.fetchSnapshot();

    expect(snap.devices.map((d) => [d.serial, d.kind])).toEqual([
      [SIGNALS, "signals"],
      [RFX_GATEWAY, "rfx_gateway"],
      [RFX_MEAT, "rfx_meat"],
    ]);
    // 4 + 1 + 4 channels, and the RFX Meat probe's core.
    expect(snap.probes).toHaveLength(10);
    const roles = Object.fromEntries(snap.probes.map((p) => [p.id, p.role]));
    expect(roles).toMatchObject({ a4cf123b5e01_1: "pit", a4cf123b5e01_2: "meat", c82b964a107e_1: "pit", m100081209_1: "meat", m100081209_4: "meat" });
    expect(snap.probes.find((p) => p.id === "a4cf123b5e01_2")?.label).toBe("Brisket");

    // Signals reports °F on the wire (uploads every 5 s); we store °C. Compare with the simulator's true temperature.
    expect(snap.readings).toHaveLength(10);
    for (const r of snap.readings.filter((x) => x.probeId.startsWith("a4cf123b5e01_"))) {
      const truth = sim.trueTempC(SIGNALS, r.probeId.split("_")[1] ?? "");
      expect(Math.abs((r.tempC ?? NaN) - (truth ?? NaN))).toBeLessThan(0.3);
    }
    const meat = snap.devices.find((d) => d.kind === "rfx_meat");
    expect(meat?.signalDbm).toBeLessThan(-30); // from gatewayRSSI (number or string on the wire)
    expect(snap.devices.find((d) => d.kind === "signals")?.signalDbm).toBeLessThan(-30); // from wifi_stength
    expect(sim.requestCounts().signIn).toBe(1);
    expect(sim.requestCounts().webConfig).toBe(0); // the ThermoWorks project id is known
  });

  it("gives an RFX Meat probe a core probe: its lowest sensor, as the ThermoWorks app shows it", async () => {
    const sim = await startSim();
    // The sensor nearest the tip is not always the coldest (a probe pushed through a thin cut).
    sim.setChannel(RFX_MEAT, "3", 3.5);
    const { client } = makeClient(sim);
    const snap = await client.fetchSnapshot();
    const core = snap.probes.find((p) => p.id === "m100081209_core");
    expect(core).toMatchObject({ channel: "core", role: "meat", label: "Turkey Breast", deviceSerial: RFX_MEAT });
    const sensors = snap.readings.filter((r) => /^m100081209_\d$/.test(r.probeId));
    expect(sensors).toHaveLength(4);
    const reading = snap.readings.find((r) => r.probeId === "m100081209_core");
    expect(reading?.tempC).toBeCloseTo(3.5, 1);
    expect(reading?.tempC).toBe(Math.min(...sensors.map((r) => r.tempC as number)));
    expect(reading?.tsMs).toBe(Math.max(...sensors.map((r) => r.tsMs)));
    // The alarm set in the app on sensor 1 (71 °C) is the core's now, so the cook rings once.
    expect(core?.cloudAlarmHighC).toBeCloseTo(71, 1);
    expect(snap.probes.filter((p) => p.cloudAlarmHighC != null && p.deviceSerial === RFX_MEAT).map((p) => p.id)).toEqual(["m100081209_core"]);
  });

  it("reads a °F channel as °C exactly as the wire value converts", async () => {
    const sim = await startSim();
    sim.setChannel(SIGNALS, "2", fToC(160.7));
    const { client } = makeClient(sim);
    const snap = await client.fetchSnapshot();
    const r = snap.readings.find((x) => x.probeId === "a4cf123b5e01_2");
    expect(r?.tempC).toBeCloseTo(fToC(160.7), 2);
  });

  it("needs 2 + Σ(channels + 1) requests per snapshot and counts them for the last hour", async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    await client.fetchSnapshot();
    const first = sim.requestCount;
    await client.fetchSnapshot();
    const perSnapshot = sim.requestCount - first;
    expect(perSnapshot).toBe(requestsPerSnapshot(defaultChannelCounts()));
    expect(perSnapshot).toBe(14);
    expect(client.requestsLastHour()).toBe(sim.requestCount);
    const firestore = sim.requestLog.filter((e) => e.path.includes("/databases/"));
    expect(firestore.length).toBe(2 * perSnapshot);
    expect(firestore.every((e) => e.hasBearer && e.hasKey)).toBe(true);
  });

  it("refreshes the token before it expires and never signs in again for it", async () => {
    const clock = manualClock();
    const sim = await startSim({ clock, tokenTtlSec: 2 });
    const { client } = makeClient(sim, { clock });
    await client.fetchSnapshot();
    for (let i = 0; i < 3; i++) {
      clock.advance(1_500);
      await client.fetchSnapshot();
    }
    expect(sim.requestCounts()).toMatchObject({ signIn: 1, refresh: 3 });
    expect(sim.requestLog.filter((e) => e.status === 401)).toHaveLength(0);
  });

  it("refreshes a one-hour token 60 s before expiry, not earlier", async () => {
    const clock = manualClock();
    const sim = await startSim({ clock, tokenTtlSec: 3600 });
    const { client } = makeClient(sim, { clock });
    await client.fetchSnapshot();
    clock.advance(3_539_000);
    await client.fetchSnapshot();
    expect(sim.requestCounts().refresh).toBe(0);
    clock.advance(2_000);
    await client.fetchSnapshot();
    expect(sim.requestCounts()).toMatchObject({ signIn: 1, refresh: 1 });
  });

  it("when the cloud revokes the token (401 before expiry) it signs in again and the snapshot still succeeds", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    await client.fetchSnapshot();
    sim.faults.revokeAllTokens();
    const snap = await client.fetchSnapshot();
    expect(snap.probes).toHaveLength(10);
    expect(sim.requestCounts().signIn).toBe(2);
    expect(sim.requestLog.filter((e) => e.status === 401).length).toBeGreaterThanOrEqual(1);
    expect(logger.lines.some((l) => l.includes("401"))).toBe(true);
  });

  it("when the refresh endpoint fails it falls back to a full sign-in", async () => {
    const clock = manualClock();
    const sim = await startSim({ clock, tokenTtlSec: 10 });
    const { client, logger } = makeClient(sim, { clock });
    await client.fetchSnapshot();
    sim.faults.failRefresh(1, { status: 500, reason: "INTERNAL" });
    clock.advance(9_000);
    const snap = await client.fetchSnapshot();
    expect(snap.devices).toHaveLength(3);
    expect(sim.requestCounts()).toMatchObject({ signIn: 2, refresh: 1 });
    expect(logger.lines.some((l) => l.includes("WARN") && l.includes("token refresh failed"))).toBe(true);
  });

  it("skips a channel whose body is not JSON, logs it, and still reads the others", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    sim.faults.malformedJson(1, "channel");
    const snap = await client.fetchSnapshot();
    expect(snap.probes).toHaveLength(9);
    const warn = logger.lines.find((l) => l.includes("WARN") && l.includes("malformed cloud document"));
    expect(warn).toBeDefined();
    const expected = ["a4cf123b5e01_1", "a4cf123b5e01_2", "a4cf123b5e01_3", "a4cf123b5e01_4", "c82b964a107e_1", "m100081209_1", "m100081209_2", "m100081209_3", "m100081209_4"];
    const missing = expected.filter((id) => !snap.probes.some((p) => p.id === id));
    expect(missing).toHaveLength(1);
    const [key, n] = (missing[0] ?? "").split("_");
    const serial = [SIGNALS, RFX_GATEWAY, RFX_MEAT].find((s) => s.replace(/:/g, "").toLowerCase() === key);
    expect(warn).toContain(`devices/${serial}/channels/${n}`);
  });

  it("skips a channel that fails the schema and names the zod path", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    sim.faults.invalidDocument(1, "channel");
    const snap = await client.fetchSnapshot();
    expect(snap.probes).toHaveLength(9);
    const warn = logger.lines.find((l) => l.includes("malformed cloud document"));
    expect(warn).toContain("fields.value");
    expect(warn).toMatch(/documents\/devices\/[^"]+\/channels\/\d/);
  });

  it("skips a device that fails the schema and keeps the other devices", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    sim.faults.invalidDocument(1, "device");
    const snap = await client.fetchSnapshot();
    expect(snap.devices).toHaveLength(2);
    expect(logger.lines.find((l) => l.includes("malformed cloud document"))).toContain("fields.lastSeen");
  });

  it("reads at most 9 channels per device (no 404 request at the cap)", async () => {
    const world: WorldSpec = defaultWorld();
    const account = world.accounts[0];
    const template = account?.devices[0];
    if (!account || !template) throw new Error("default world changed");
    account.devices.push({ ...template, serial: "AA:BB:CC:00:11:22", deviceId: "AA:BB:CC:00:11:22", label: "Many", channels: Array.from({ length: 11 }, () => template.channels[1]!) });
    const sim = await startSim({ world });
    const { client } = makeClient(sim);
    await client.fetchSnapshot();
    const before = sim.requestCount;
    const snap = await client.fetchSnapshot();
    expect(snap.probes.filter((p) => p.deviceSerial === "AA:BB:CC:00:11:22").map((p) => p.channel)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(sim.requestCount - before).toBe(requestsPerSnapshot([...defaultChannelCounts(), 11]));
  });

  it("asks webConfig for the project id when it is not configured (ETI Cloud), once", async () => {
    const sim = await startSim({ firebase: { apiKey: "eti-test-key", appId: "1:701566661301:web:7a9bc711c05985ead144fc", projectId: "eti-sim-project" } });
    const { client } = makeClient(sim, { config: { projectId: "" } });
    await client.fetchSnapshot();
    const snap = await client.fetchSnapshot();
    expect(snap.devices).toHaveLength(3);
    expect(sim.requestCounts().webConfig).toBe(1);
  });

  it("shows another account only its own devices; humidity stays %RH, a Node's air probe is ambient", async () => {
    const sim = await startSim();
    const other = sim.accounts[1];
    if (!other) throw new Error("no second account");
    const { client } = makeClient(sim, { account: other });
    sim.setChannel(NODE, "2", 55.5);
    const snap = await client.fetchSnapshot();
    expect(snap.devices.map((d) => d.serial)).toEqual([NODE]);
    expect(snap.probes.map((p) => p.role)).toEqual(["ambient", "humidity"]);
    expect(snap.readings.find((r) => r.probeId.endsWith("_2"))?.tempC).toBe(55.5);
  });

  it("turns wrong credentials into an auth error that says what to fix", async () => {
    const sim = await startSim();
    const { client } = makeClient(sim, { account: { email: sim.credentials.email, password: "not-it" } });
    const err = await client.fetchSnapshot().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthFailedError);
    expect((err as AppError).code).toBe("auth_failed");
    expect((err as Error).message).toMatch(/INVALID_PASSWORD.*thermoworks_password/);
    sim.faults.enumerationProtection = true;
    const err2 = await client.fetchSnapshot().catch((e: unknown) => e);
    expect((err2 as Error).message).toContain("INVALID_LOGIN_CREDENTIALS");
    expect(client.signedIn).toBe(false);
  });

  it("takes a sign-in refused for no known reason (a proxy's page, a Google-side error) for a retryable failure, not bad credentials", async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    sim.faults.echoAuthRequest("signIn", { status: 400, shape: "envelope", count: 1 });
    const err = await client.fetchSnapshot().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ retryable: true, status: 400, code: "upstream" });
    expect((err as Error).message).toMatch(/^ThermoWorks sign-in failed \(HTTP 400: /);
    expect((err as Error).message).not.toContain(sim.credentials.password);
    // The next poll signs in.
    expect((await client.fetchSnapshot()).devices.length).toBeGreaterThan(0);
  });

  it("gives up on a request after the timeout with a retryable error", async () => {
    const sim = await startSim();
    const { client } = makeClient(sim, { config: { requestTimeoutMs: 150 } });
    sim.faults.delay(1_000, 1);
    const err = await client.fetchSnapshot().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).retryable).toBe(true);
    expect((err as Error).message).toContain("no answer within 150 ms");
  });

  it("never writes the password or any token into a log line", async () => {
    const clock = manualClock();
    const sim = await startSim({ clock, tokenTtlSec: 5, rotateRefreshTokens: true });
    const { client, logger, config } = makeClient(sim, { clock });
    await client.fetchSnapshot();
    clock.advance(4_000); // refresh
    await client.fetchSnapshot();
    sim.faults.revokeAllTokens(); // 401 → sign-in
    await client.fetchSnapshot();
    sim.faults.failRefresh(1);
    clock.advance(4_000); // refresh fails → sign-in
    await client.fetchSnapshot();
    sim.faults.invalidDocument(1, "channel");
    await client.fetchSnapshot();
    const bad = makeClient(sim, { account: { email: sim.credentials.email, password: "Wr0ng-secret-pw" } });
    await bad.client.fetchSnapshot().catch(() => undefined);

    const lines = [...logger.lines, ...bad.logger.lines].join("");
    expect(lines.length).toBeGreaterThan(0);
    expect(sim.issuedTokens().length).toBeGreaterThanOrEqual(6);
    for (const secret of [config.password, "Wr0ng-secret-pw", ...sim.issuedTokens()]) expect(lines).not.toContain(secret);
  });
});
