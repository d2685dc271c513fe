import { describe, expect, it } from "vitest";
import { EventBus, type BusEvents, type Clock, type PollResult } from "../../src/shared";
import { computeBackoffMs, createPoller, defaultWorld, parseRetryAfterMs, type PollerDeps } from "../../src/thermoworks";
import { docsUrl, makeClient, manualClock, requestsPerSnapshot, RFX_MEAT, SIGNALS, signIn, startSim } from "./helpers";
import type { SimulatorHandle } from "../../src/thermoworks";

const setup = (sim: SimulatorHandle, opts: Partial<PollerDeps> & { clock?: Clock } = {}) => {
  const { client, logger } = makeClient(sim, { clock: opts.clock });
  const bus = new EventBus();
  const results: PollResult[] = [];
  const statuses: BusEvents["status:thermoworks"][] = [];
  bus.on("poll:result", (r) => results.push(r));
  bus.on("status:thermoworks", (s) => statuses.push(s));
  const poller = createPoller({ client, bus, logger: logger.child("poller"), intervalMs: 30_000, ...opts });
  return { poller, results, statuses, logger, client };
};

describe("backoff arithmetic", () => {
  it("full jitter stays within [0, min(cap, base·2^(n−1))]", () => {
    const policy = { baseMs: 2_000, capMs: 300_000 };
    expect([1, 2, 3, 4].map((n) => computeBackoffMs(n, policy, () => 0.999999))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(computeBackoffMs(20, policy, () => 0.999999)).toBe(300_000);
    expect(computeBackoffMs(5, policy, () => 0)).toBe(0);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfterMs("7", now)).toBe(7_000);
    expect(parseRetryAfterMs(new Date(now + 42_000).toUTCString(), now)).toBe(42_000);
    expect(parseRetryAfterMs(new Date(now - 5_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfterMs("soon", now)).toBeNull();
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs("999999", now)).toBe(3_600_000);
  });
});

describe("poller", () => {
  it("emits every probe each poll but a reading only once per probe and device timestamp", async () => {
    const sim = await startSim();
    const { poller, results } = setup(sim);
    await poller.pollNow();
    await poller.pollNow(); // nothing moved: same timestamps
    sim.advance(10); // Signals uploads every 5 s; the RFX devices on their own triggers
    await poller.pollNow();
    expect(results).toHaveLength(3);
    expect(results.map((r) => r.probes.length)).toEqual([10, 10, 10]);
    expect(results[0]?.readings).toHaveLength(10);
    expect(results[1]?.readings).toHaveLength(0);
    const third = results[2]?.readings ?? [];
    expect(third.filter((r) => r.probeId.startsWith("a4cf123b5e01_"))).toHaveLength(4);
    const keys = results.flatMap((r) => r.readings.map((x) => `${x.probeId}@${x.tsMs}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("signs in once across many polls and reports the state change once", async () => {
    const sim = await startSim();
    const { poller, statuses } = setup(sim);
    for (let i = 0; i < 10; i++) await poller.pollNow();
    expect(sim.requestCounts().signIn).toBe(1);
    expect(statuses).toEqual([{ ok: true, message: "connected: 3 devices, 10 probes" }]);
    expect(poller.status()).toMatchObject({ ok: true, consecutiveFailures: 0, devices: 3, probes: 10, lastError: null });
  });

  it("honours Retry-After through a 429 storm, then returns to the poll interval", async () => {
    const clock = manualClock();
    const sim = await startSim({ clock });
    const { poller, statuses } = setup(sim, { clock, random: () => 0 });
    await poller.pollNow();
    sim.faults.rateLimit(3, { retryAfter: 7, scope: "firestore" });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await poller.pollNow();
      const s = poller.status();
      expect(s.ok).toBe(false);
      expect(s.consecutiveFailures).toBe(attempt);
      expect((s.nextPollMs ?? 0) - clock.now()).toBe(7_000);
      expect(s.lastError).toContain("429");
      clock.advance(7_000);
    }
    await poller.pollNow();
    expect(poller.status()).toMatchObject({ ok: true, consecutiveFailures: 0, nextPollMs: clock.now() + 30_000 });
    expect(statuses.map((s) => s.ok)).toEqual([true, false, true]);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const clock = manualClock();
    const sim = await startSim({ clock });
    const { poller } = setup(sim, { clock, random: () => 0 });
    sim.faults.rateLimit(1, { retryAfter: new Date(clock.now() + 20_000).toUTCString() });
    await poller.pollNow();
    expect((poller.status().nextPollMs ?? 0) - clock.now()).toBe(20_000);
  });

  it("backs off exponentially on 429 without Retry-After, capped", async () => {
    const clock = manualClock();
    const sim = await startSim({ clock });
    const { poller } = setup(sim, { clock, random: () => 0.999999, backoff: { baseMs: 2_000, capMs: 10_000 } });
    await poller.pollNow();
    sim.faults.rateLimit(5, { scope: "firestore" });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      await poller.pollNow();
      delays.push((poller.status().nextPollMs ?? 0) - clock.now());
    }
    expect(delays).toEqual([2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it("recovers by itself after a 503 storm (real timers, small delays)", async () => {
    const sim = await startSim();
    const { poller, statuses, logger } = setup(sim, { intervalMs: 40, minIntervalMs: 10, backoff: { baseMs: 10, capMs: 50 } });
    const recovered = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (statuses.some((s) => s.ok)) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    sim.faults.unavailable(4, { scope: "all" });
    await poller.start();
    await recovered;
    await poller.stop();
    expect(statuses.map((s) => s.ok)).toEqual([false, true]);
    expect(sim.requestLog.filter((e) => e.status === 503)).toHaveLength(4);
    expect(logger.lines.some((l) => l.includes("reachable again after 4 failed polls"))).toBe(true);
    expect(poller.status().nextPollMs).toBeNull();
  });

  it("waits the long way after wrong credentials and says what to fix", async () => {
    const clock = manualClock();
    const sim = await startSim({ clock });
    const { client, logger } = makeClient(sim, { clock, account: { email: sim.credentials.email, password: "nope-nope" } });
    const bus = new EventBus();
    const poller = createPoller({ client, bus, logger, intervalMs: 30_000, clock });
    await poller.pollNow();
    expect((poller.status().nextPollMs ?? 0) - clock.now()).toBe(300_000);
    expect(logger.lines.find((l) => l.includes("ERROR"))).toContain("thermoworks_password");
  });

  it("logs the cloud requests of the last hour once an hour", async () => {
    const clock = manualClock();
    const sim = await startSim({ clock });
    const { poller, logger } = setup(sim, { clock });
    await poller.start();
    await poller.stop(); // the first poll ran; keep driving by hand
    for (let i = 0; i < 3; i++) {
      clock.advance(30_000);
      await poller.pollNow();
    }
    expect(logger.lines.filter((l) => l.includes("cloud requests in the last hour"))).toHaveLength(0);
    clock.advance(3_600_000 - 90_000);
    await poller.pollNow();
    const line = logger.lines.find((l) => l.includes("cloud requests in the last hour"));
    expect(line).toContain("INFO");
    // Everything the 5 polls sent (sign-in + 5 × 14) is still within the hour.
    expect(line).toContain(`"requests":${sim.requestCount}`);
    expect(poller.status().requestsLastHour).toBe(sim.requestCount);
  });

  it("at the 30 s interval a token lifetime costs one snapshot per poll, one sign-in and one refresh", async () => {
    // Same arithmetic as a real hour (120 polls, 3600 s token), scaled to 20 polls and a 600 s token to stay fast.
    const clock = manualClock();
    const sim = await startSim({ clock, tokenTtlSec: 600 });
    const { poller } = setup(sim, { clock });
    for (let i = 0; i < 20; i++) {
      await poller.pollNow();
      clock.advance(30_000);
    }
    expect(sim.requestCounts()).toMatchObject({ signIn: 1, refresh: 1, webConfig: 0 });
    expect(poller.status().requestsLastHour).toBe(20 * requestsPerSnapshot([4, 1, 4]) + 2);
    expect(poller.status().requestsLastHour).toBe(sim.requestCount);
  });

  it("an RFX Meat probe whose reading holds uploads nothing, and its reading repeats each time the gateway hears it", async () => {
    // The turkey rests in the fridge: its readings move far less than the probe's 1 °C trigger.
    const world = defaultWorld();
    for (const d of world.accounts.flatMap((a) => a.devices)) if (d.serial === RFX_MEAT) d.cooker = "fridge";
    const sim = await startSim({ world });
    const { poller, results } = setup(sim);
    const rfx = (r: PollResult | undefined) => (r?.readings ?? []).filter((x) => x.probeId.startsWith("m100081209_"));
    // What the cloud holds as each sensor's last upload, read over the wire.
    const { idToken } = await signIn(sim);
    const uploadedAt = async () =>
      Promise.all(["1", "2", "3", "4"].map(async (n) => {
        const res = await fetch(`${docsUrl(sim)}/devices/${RFX_MEAT}/channels/${n}?key=${sim.config.apiKey}`, { headers: { authorization: `Bearer ${idToken}` } });
        return ((await res.json()) as { fields: { lastSeen: { timestampValue: string } } }).fields.lastSeen.timestampValue;
      }));
    await poller.pollNow();
    const first = rfx(results[0]);
    const before = await uploadedAt();
    sim.advance(61); // the scenario's heartbeat is 60 s
    await poller.pollNow();
    const second = rfx(results[1]);
    expect(await uploadedAt()).toEqual(before);
    expect(second.map((r) => r.probeId)).toEqual(first.map((r) => r.probeId));
    expect(second.map((r) => r.tempC)).toEqual(first.map((r) => r.tempC));
    for (const [i, r] of second.entries()) expect(r.tsMs).toBeGreaterThanOrEqual((first[i]?.tsMs ?? 0) + 60_000);
    // The RFX Meat device is as fresh as its last heartbeat, not its last upload.
    const device = results[1]?.devices.find((d) => d.serial === RFX_MEAT);
    expect(device).toMatchObject({ reportDeltaC: 1, transmitIntervalSec: 60 });
    expect(device?.lastSeenMs).toBe(second[0]?.tsMs);
  });

  it("a set channel value shows up as a new reading on the next poll", async () => {
    const sim = await startSim();
    const { poller, results } = setup(sim);
    await poller.pollNow();
    sim.setChannel(SIGNALS, "3", null);
    await poller.pollNow();
    expect(results[1]?.readings.find((r) => r.probeId === "a4cf123b5e01_3")?.tempC).toBeNull();
  });
});
