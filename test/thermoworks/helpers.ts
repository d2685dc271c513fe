import { afterEach } from "vitest";
import { createMemoryLogger, type Clock } from "../../src/shared";
import { clientConfigForSimulator, createThermoworksClient, defaultWorld, startSimulator, type SimulatorHandle, type SimulatorOptions, type ThermoworksClientConfig } from "../../src/thermoworks";

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export const manualClock = (startMs = Date.UTC(2026, 5, 6, 14, 0, 0)): ManualClock => {
  let t = startMs;
  return { now: () => t, advance: (ms) => { t += ms; } };
};

const running: SimulatorHandle[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** A simulator on 127.0.0.1 port 0, frozen (speed 0) unless told otherwise; stopped after the test. */
export const startSim = async (opts: SimulatorOptions = {}): Promise<SimulatorHandle> => {
  const sim = await startSimulator({ speed: 0, seed: 7, ...opts });
  running.push(sim);
  return sim;
};

export const makeClient = (sim: SimulatorHandle, opts: { clock?: Clock; account?: { email: string; password: string }; config?: Partial<ThermoworksClientConfig> } = {}) => {
  const logger = createMemoryLogger("debug");
  const config = { ...clientConfigForSimulator(sim, opts.account), ...opts.config };
  // A child logger, as main passes: it has no addSecret, so redaction cannot hide a leak.
  const client = createThermoworksClient({ config, logger: logger.child("thermoworks"), clock: opts.clock });
  return { client, logger, config };
};

/** Firestore document root of the simulator. */
export const docsUrl = (sim: SimulatorHandle): string => `${sim.url}/v1/projects/${sim.config.projectId}/databases/(default)/documents`;

/** Sign in over the wire and return the tokens. */
export const signIn = async (sim: SimulatorHandle, account = sim.credentials): Promise<{ idToken: string; refreshToken: string; localId: string }> => {
  const res = await fetch(`${sim.url}/v1/accounts:signInWithPassword?key=${sim.config.apiKey}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...account, returnSecureToken: true }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { idToken: string; refreshToken: string; localId: string };
};

const serialOf = (model: string): string => {
  const d = defaultWorld().accounts.flatMap((a) => a.devices).find((x) => x.device === model);
  if (!d) throw new Error(`no ${model} in the default world`);
  return d.serial;
};
export const SIGNALS = serialOf("signals");
export const RFX_GATEWAY = serialOf("rfx gateway");
export const RFX_MEAT = serialOf("rfx meat");
export const NODE = serialOf("node");

/** Cloud requests one snapshot needs: user + runQuery + Σ over devices of (channels + the final 404, none at the cap). */
export const requestsPerSnapshot = (channelCounts: number[]): number => 2 + channelCounts.reduce((n, c) => n + Math.min(c, 9) + (c >= 9 ? 0 : 1), 0);
