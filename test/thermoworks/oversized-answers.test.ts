/**
 * A cloud endpoint that answers more than any real answer holds (a broken proxy, a hostile host)
 * is cut off at the cap, not read into memory whole: the poll fails with a clear error and the
 * poller keeps polling.
 */
import { describe, expect, it } from "vitest";
import { EventBus, UpstreamError, type BusEvents } from "../../src/shared";
import { createPoller } from "../../src/thermoworks";
import { makeClient, startSim } from "./helpers";

const MB = 1 << 20;

describe("an oversized cloud answer", () => {
  it("streamed by Firestore without a length, is cut off at 8 MB; the poller keeps polling and recovers", async () => {
    const sim = await startSim();
    const { client, logger, config } = makeClient(sim);
    const bus = new EventBus();
    const statuses: BusEvents["status:thermoworks"][] = [];
    bus.on("status:thermoworks", (s) => statuses.push(s));
    const poller = createPoller({ client, bus, logger: logger.child("poller"), intervalMs: 40, minIntervalMs: 10, backoff: { baseMs: 10, capMs: 50 } });
    const recovered = new Promise<void>((resolve) => bus.on("status:thermoworks", (s) => s.ok && resolve()));
    sim.faults.oversizedAnswer(2, { bytes: 16 * MB, scope: "firestore" });
    await poller.start();
    await recovered;
    await poller.stop();
    expect(statuses.map((s) => s.ok)).toEqual([false, true]);
    expect(statuses[0]?.message).toContain("the answer is larger than 8 MB; not read");
    const text = logger.lines.join("\n");
    expect(text).toContain("the answer is larger than 8 MB; not read");
    for (const secret of [config.password, ...sim.issuedTokens()]) expect(text).not.toContain(secret);
    expect(poller.status()).toMatchObject({ ok: true, consecutiveFailures: 0 });
  });

  it("declared by its Content-Length on sign-in, is refused at 64 KB before it is read, with no secret in the error", async () => {
    const sim = await startSim();
    const { client, config } = makeClient(sim);
    sim.faults.oversizedAnswer(1, { bytes: 100 * 1024, scope: "auth", declareLength: true });
    const err = await client.fetchSnapshot().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).message).toBe("ThermoWorks sign-in: the answer is larger than 64 KB; not read");
    expect((err as UpstreamError).retryable).toBe(true);
    expect((err as UpstreamError).message).not.toContain(config.password);
    // The next poll signs in and reads as before.
    expect((await client.fetchSnapshot()).probes.length).toBeGreaterThan(0);
  });
});
