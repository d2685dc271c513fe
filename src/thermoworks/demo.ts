import { errorMessage, RFX_CORE_CHANNEL, type Clock, type CookRepo, type EventBus, type Logger, type ReadingsRepo } from "../shared";
import type { ThermoworksClientConfig } from "./client-config";
import { startSimulator, type SimulatorHandle } from "./simulator";

export interface DemoCloud {
  simulator: SimulatorHandle;
  /** Points the real client at the simulator, with its demo credentials and Firebase constants. */
  clientConfig: ThermoworksClientConfig;
}

/** Client config that talks to a running simulator (all hosts on its one origin). */
export const clientConfigForSimulator = (simulator: SimulatorHandle, account = simulator.credentials): ThermoworksClientConfig => ({
  email: account.email,
  password: account.password,
  apiKey: simulator.config.apiKey,
  appId: simulator.config.appId,
  projectId: simulator.config.projectId,
  referer: "https://cloud.thermoworks.com/",
  identityUrl: simulator.url,
  tokenUrl: simulator.url,
  firestoreUrl: simulator.url,
  firebaseUrl: simulator.url,
});

/**
 * Demo mode: the simulator in-process on 127.0.0.1 (any free port) at `speed` simulated seconds
 * per real second (default 60: a 12 h brisket in 12 minutes). The cook has been running for a
 * while already, so the pit is hot and the meat rising from the first poll on. Stop it with
 * `simulator.stop()`.
 */
export const createDemoCloud = async (opts: { speed?: number; seed?: number; clock?: Clock } = {}): Promise<DemoCloud> => {
  const simulator = await startSimulator({ host: "127.0.0.1", port: 0, speed: opts.speed ?? 60, seed: opts.seed, clock: opts.clock });
  return { simulator, clientConfig: clientConfigForSimulator(simulator) };
};

/**
 * Demo mode only: a wrap noted on the running cook (the panel's or the card's Wrapped button)
 * wraps the simulated meat too, so its stall ends as the forecast now expects. A note for the
 * whole cook wraps every meat probe of it; an RFX Meat probe's core wraps its four sensors.
 * Returns the unsubscribe.
 */
export const wrapSimulatedMeat = (deps: { simulator: SimulatorHandle; bus: EventBus; cooks: CookRepo; readings: ReadingsRepo; logger: Logger }): (() => void) =>
  deps.bus.on("cook:event", (event) => {
    if (event.kind !== "wrap") return;
    const ids = event.probeId !== null ? [event.probeId] : (deps.cooks.getCook(event.cookId)?.probeIds ?? []);
    for (const probe of deps.readings.listProbes()) {
      if (!ids.includes(probe.id) || probe.role !== "meat") continue;
      try {
        deps.simulator.wrap(probe.deviceSerial, probe.channel === RFX_CORE_CHANNEL ? undefined : probe.channel);
      } catch (err) {
        deps.logger.warn("could not wrap the simulated meat", { probeId: probe.id, error: errorMessage(err) });
      }
    }
  });
