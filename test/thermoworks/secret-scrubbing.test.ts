/**
 * A misbehaving auth endpoint that echoes the request it failed on must not carry the password
 * or a token into the log, the poller's status (/api/health) or Home Assistant's status entity.
 */
import { describe, expect, it } from "vitest";
import { EventBus, type BusEvents } from "../../src/shared";
import { createPoller, type SimulatorHandle } from "../../src/thermoworks";
import { makeClient, manualClock, startSim, type ManualClock } from "./helpers";

/** The secret, or a 16-character piece of its start (a body quoted up to a length cuts a token short). */
const expectNoSecret = (text: string, secret: string): void => {
  expect(text).not.toContain(secret);
  if (secret.length >= 24) expect(text).not.toContain(secret.slice(0, 16));
};

const watch = (sim: SimulatorHandle, clock?: ManualClock) => {
  const { client, logger, config } = makeClient(sim, { clock });
  const bus = new EventBus();
  const statuses: BusEvents["status:thermoworks"][] = [];
  bus.on("status:thermoworks", (s) => statuses.push(s));
  const poller = createPoller({ client, bus, logger: logger.child("poller"), intervalMs: 30_000, clock });
  /** Everything an operator or Home Assistant could read. */
  const visible = (): string => [...logger.lines, JSON.stringify(poller.status()), JSON.stringify(statuses)].join("\n");
  return { poller, logger, config, visible };
};

describe("secrets in echoed error bodies", () => {
  for (const shape of ["text", "envelope"] as const) {
    it(`sign-in answering HTTP 500 with the request body (${shape}) puts no password in the status, the log or Home Assistant`, async () => {
      const sim = await startSim();
      const { poller, config, visible } = watch(sim);
      sim.faults.echoAuthRequest("signIn", { status: 500, shape });
      await poller.pollNow();
      const status = poller.status();
      expect(status.ok).toBe(false);
      expect(status.lastError).toMatch(/ThermoWorks sign-in: HTTP 500/);
      expect(config.password.length).toBeGreaterThanOrEqual(4);
      expectNoSecret(visible(), config.password);
      // The next sign-in works: nothing stuck.
      await poller.pollNow();
      expect(poller.status()).toMatchObject({ ok: true, lastError: null });
    });

    it(`the token endpoint answering 400 with the request body (${shape}) puts no refresh token in the log`, async () => {
      const clock = manualClock();
      const sim = await startSim({ clock, tokenTtlSec: 10 });
      const { poller, config, visible, logger } = watch(sim, clock);
      await poller.pollNow();
      sim.faults.echoAuthRequest("refresh", { status: 400, shape });
      clock.advance(9_000);
      await poller.pollNow(); // refresh fails → signs in again
      expect(sim.requestCounts()).toMatchObject({ refresh: 1, signIn: 2 });
      expect(logger.lines.some((l) => l.includes("token refresh failed"))).toBe(true);
      const text = visible();
      for (const secret of [config.password, ...sim.issuedTokens()]) expectNoSecret(text, secret);
    });
  }
});
