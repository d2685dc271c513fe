/**
 * Polls the cloud on an interval, emits only new readings, and backs off on trouble:
 * full-jitter exponential back-off (2 s base, 5 min cap) on 429/5xx/timeouts/network errors,
 * Retry-After honoured, the normal interval again from the first good answer.
 */
import { AppError, UpstreamError, errorMessage, systemClock, type Clock, type EventBus, type Logger, type Reading, type Service } from "../shared";
import { computeBackoffMs, DEFAULT_BACKOFF, MAX_RETRY_AFTER_MS, type BackoffPolicy } from "./backoff";
import type { DeviceError, Snapshot, ThermoworksClient } from "./client";

export interface PollerStatus {
  ok: boolean;
  lastPollMs: number | null;
  lastSuccessMs: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextPollMs: number | null;
  requestsLastHour: number;
  devices: number;
  probes: number;
  /** Devices whose channels the last good poll could not read (the others' readings flowed). */
  deviceErrors: DeviceError[];
}

export interface PollerDeps {
  client: ThermoworksClient;
  bus: EventBus;
  logger: Logger;
  intervalMs: number;
  clock?: Clock;
  /** Back-off policy; tests pass small numbers. Default 2 s base, 5 min cap. */
  backoff?: Partial<BackoffPolicy>;
  /** Floor of the poll interval. Default 5 s (the add-on option's minimum); tests lower it. */
  minIntervalMs?: number;
  /** Random source for the jitter (tests make it deterministic). */
  random?: () => number;
}

export type Poller = Service & { pollNow(): Promise<void>; status(): PollerStatus };

const HOUR_MS = 3_600_000;

export const createPoller = (deps: PollerDeps): Poller => {
  const { client, bus, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...deps.backoff };
  const intervalMs = Math.max(deps.intervalMs, deps.minIntervalMs ?? 5_000);
  const random = deps.random ?? Math.random;

  /** Device timestamp of the last reading emitted per probe: a repeat is not emitted again. */
  const lastTsByProbe = new Map<string, number>();
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let connected: boolean | null = null;
  let lastHourLogMs = clock.now();
  const st = { lastPollMs: null as number | null, lastSuccessMs: null as number | null, lastError: null as string | null, consecutiveFailures: 0, nextPollMs: null as number | null, devices: 0, probes: 0, deviceErrors: [] as DeviceError[] };

  const schedule = (delayMs: number): void => {
    st.nextPollMs = clock.now() + delayMs;
    if (timer) clearTimeout(timer);
    timer = null;
    if (!running) return;
    timer = setTimeout(() => {
      timer = null;
      void pollNow();
    }, delayMs);
  };

  const newReadings = (readings: Reading[]): Reading[] =>
    readings.filter((r) => {
      if (lastTsByProbe.get(r.probeId) === r.tsMs) return false;
      lastTsByProbe.set(r.probeId, r.tsMs);
      return true;
    });

  /** A device that starts or stops failing is logged once, not every poll. */
  const logDeviceErrors = (now: readonly DeviceError[]): void => {
    const before = new Set(st.deviceErrors.map((d) => d.serial));
    const after = new Set(now.map((d) => d.serial));
    for (const d of now) {
      if (!before.has(d.serial)) logger.warn("could not read a device's channels; its readings are missing until it answers, the other devices' still flow", { ...d });
    }
    for (const serial of before) if (!after.has(serial)) logger.info("a device's channels can be read again", { serial });
  };

  const onSuccess = (snap: Snapshot, atMs: number): number => {
    const readings = newReadings(snap.readings);
    const recoveredAfter = st.consecutiveFailures;
    logDeviceErrors(snap.deviceErrors);
    Object.assign(st, { lastSuccessMs: atMs, lastError: null, consecutiveFailures: 0, devices: snap.devices.length, probes: snap.probes.length, deviceErrors: snap.deviceErrors });
    bus.emit("poll:result", { atMs, devices: snap.devices, probes: snap.probes, readings });
    logger.debug("poll ok", { devices: snap.devices.length, probes: snap.probes.length, newReadings: readings.length });
    if (connected !== true) {
      connected = true;
      const message = `connected: ${snap.devices.length} devices, ${snap.probes.length} probes`;
      logger.info(recoveredAfter > 0 ? `ThermoWorks Cloud reachable again after ${recoveredAfter} failed polls` : "ThermoWorks Cloud connected", { devices: snap.devices.length, probes: snap.probes.length });
      bus.emit("status:thermoworks", { ok: true, message });
    }
    return intervalMs;
  };

  const failureDelayMs = (err: unknown, attempt: number): number => {
    // Wrong credentials, a disabled account, a sign-in lockout: hammering will not help.
    if (err instanceof AppError && err.code === "auth_failed") return Math.max(policy.capMs, intervalMs);
    const backoffMs = computeBackoffMs(attempt, policy, random);
    if (err instanceof UpstreamError) {
      const floorMs = err.retryable ? 0 : intervalMs;
      return Math.min(MAX_RETRY_AFTER_MS, Math.max(backoffMs, floorMs, err.retryAfterMs ?? 0));
    }
    return Math.max(backoffMs, intervalMs);
  };

  const onFailure = (err: unknown): number => {
    st.consecutiveFailures += 1;
    st.lastError = errorMessage(err);
    const delayMs = failureDelayMs(err, st.consecutiveFailures);
    const fields = {
      attempt: st.consecutiveFailures,
      delayMs,
      status: err instanceof UpstreamError ? err.status : null,
      code: err instanceof AppError ? err.code : "internal",
      error: st.lastError,
    };
    const isBug = !(err instanceof AppError);
    if (isBug) logger.error("poll failed unexpectedly", { ...fields, stack: err instanceof Error ? err.stack : undefined });
    else if (err.code === "auth_failed") logger.error("poll failed", fields);
    else if (connected !== false || st.consecutiveFailures % 10 === 0) logger.warn("poll failed; backing off", fields);
    else logger.debug("poll failed again", fields);
    if (connected !== false) {
      connected = false;
      bus.emit("status:thermoworks", { ok: false, message: `${st.lastError} (retrying in ${Math.round(delayMs / 1000)} s)` });
    }
    return delayMs;
  };

  const logHourly = (): void => {
    const now = clock.now();
    if (now - lastHourLogMs < HOUR_MS) return;
    lastHourLogMs = now;
    logger.info("cloud requests in the last hour", { requests: client.requestsLastHour(), intervalMs });
  };

  const runPoll = async (): Promise<void> => {
    const atMs = clock.now();
    st.lastPollMs = atMs;
    let delayMs: number;
    try {
      const snap = await client.fetchSnapshot();
      delayMs = onSuccess(snap, clock.now());
    } catch (err) {
      delayMs = onFailure(err);
    }
    logHourly();
    schedule(delayMs);
  };

  function pollNow(): Promise<void> {
    inFlight ??= runPoll().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    async start() {
      if (running) return;
      running = true;
      lastHourLogMs = clock.now();
      logger.info("polling ThermoWorks Cloud", { intervalMs });
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      if (inFlight) await inFlight;
      st.nextPollMs = null;
    },
    pollNow,
    status: () => ({ ok: connected === true, ...st, requestsLastHour: client.requestsLastHour() }),
  };
};
