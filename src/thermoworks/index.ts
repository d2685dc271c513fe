/**
 * ThermoWorks Cloud: the client (Firebase Auth + Firestore REST), the poller, and a local
 * simulator of the cloud.
 *
 * Cloud mode:
 *   const client = createThermoworksClient({ config: clientConfigFromConfig(config), logger, clock });
 *   const poller = createPoller({ client, bus, logger, intervalMs: config.thermoworks.pollIntervalMs, clock });
 *   await poller.start(); // emits "poll:result" (new readings only) and "status:thermoworks"
 *
 * Demo mode (no credentials): run the simulator in-process and point the same client at it:
 *   const { simulator, clientConfig } = await createDemoCloud({ speed: config.demoSpeed });
 *   const client = createThermoworksClient({ config: clientConfig, logger });
 *   // … on shutdown: await poller.stop(); await simulator.stop();
 */
export { clientConfigFromConfig, type ThermoworksClientConfig } from "./client-config";
export { createThermoworksClient, MAX_CHANNELS, type DeviceError, type Snapshot, type ThermoworksClient } from "./client";
export { createPoller, type Poller, type PollerDeps, type PollerStatus } from "./poller";
export { AuthFailedError } from "./auth";
export { computeBackoffMs, parseRetryAfterMs, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
export { toDeviceKind, toProbeRole } from "./mapping";
export { createDemoCloud, clientConfigForSimulator, wrapSimulatedMeat, type DemoCloud } from "./demo";
export { startSimulator, defaultWorld, type SimulatorHandle, type SimulatorOptions, type WorldSpec } from "./simulator";
