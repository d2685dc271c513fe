/**
 * One device the cloud cannot answer for costs that device's readings, not the account's: the
 * others keep flowing, and the failing one is named in the poller's status (/api/health).
 */
import { describe, expect, it } from "vitest";
import { EventBus, type PollResult } from "../../src/shared";
import { createPoller } from "../../src/thermoworks";
import { makeClient, RFX_GATEWAY, RFX_MEAT, SIGNALS, startSim } from "./helpers";

const serialOfProbe = (id: string): string => id.split("_")[0] ?? "";
const keyOf = (serial: string): string => serial.replace(/:/g, "").toLowerCase();

describe("a device whose channels fail", () => {
  it("HTTP 500 on one device's channel: the other devices' readings still flow and the failing one is reported", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    const bus = new EventBus();
    const results: PollResult[] = [];
    bus.on("poll:result", (r) => results.push(r));
    const poller = createPoller({ client, bus, logger: logger.child("poller"), intervalMs: 30_000 });

    sim.faults.failDevice(SIGNALS);
    await poller.pollNow();
    sim.advance(60);
    await poller.pollNow();
    expect(results).toHaveLength(2);
    const devicesRead = new Set(results.flatMap((r) => r.readings.map((x) => serialOfProbe(x.probeId))));
    expect([...devicesRead].sort()).toEqual([keyOf(RFX_GATEWAY), keyOf(RFX_MEAT)].sort());
    expect(results[0]?.devices.map((d) => d.serial)).toContain(SIGNALS);
    const status = poller.status();
    expect(status).toMatchObject({ ok: true, lastError: null, consecutiveFailures: 0 });
    expect(status.deviceErrors).toEqual([{ serial: SIGNALS, error: expect.stringContaining(`of device ${SIGNALS}: HTTP 500`) }]);
    // Said once, not every poll.
    expect(logger.lines.filter((l) => l.includes(" WARN ") && l.includes("could not read a device's channels"))).toHaveLength(1);

    sim.faults.reset();
    sim.advance(60);
    await poller.pollNow();
    expect(results[2]?.readings.some((r) => serialOfProbe(r.probeId) === keyOf(SIGNALS))).toBe(true);
    expect(poller.status().deviceErrors).toEqual([]);
    expect(logger.lines.some((l) => l.includes("can be read again") && l.includes(SIGNALS))).toBe(true);
  });

  it("a device the cloud refuses (403) is skipped, and said once an hour, not every poll", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    sim.faults.failDevice(SIGNALS, { status: 403 });
    for (let i = 0; i < 3; i++) {
      const snap = await client.fetchSnapshot();
      expect(snap.readings.some((r) => serialOfProbe(r.probeId) === keyOf(SIGNALS))).toBe(false);
      expect(snap.readings.some((r) => serialOfProbe(r.probeId) === keyOf(RFX_GATEWAY))).toBe(true);
      sim.advance(60);
    }
    expect(logger.lines.filter((l) => l.includes(" WARN ") && l.includes("refused a channel"))).toHaveLength(1);
  });

  it("when every device fails, the poll fails and backs off as before", async () => {
    const sim = await startSim();
    const { client } = makeClient(sim);
    for (const serial of [SIGNALS, RFX_GATEWAY, RFX_MEAT]) sim.faults.failDevice(serial, { status: 503 });
    const err = await client.fetchSnapshot().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/HTTP 503/);
  });
});
