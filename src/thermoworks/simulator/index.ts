/**
 * A local ThermoWorks Cloud: Firebase Auth + Firestore REST on one HTTP origin, a cooking
 * world behind it, and scripted faults. Used by tests, benchmarks and demo mode.
 *
 * Time: `speed` simulated seconds pass per real second of `clock`. Document timestamps follow
 * the clock (plus whatever `advance()` added), so a demo at speed 60 shows a 12 h brisket in
 * 12 minutes with timestamps that agree with the app's own "now". With speed 0 the world only
 * moves on `advance()`: deterministic given the seed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isLoopback, LOOPBACK_HOSTS, systemClock, type Clock } from "../../shared";
import { CLOUDS } from "../../config";
import { AuthService } from "./auth";
import { FirestoreApi } from "./firestore";
import { Faults } from "./faults";
import { defaultWorld, type WorldSpec } from "./scenario";
import { createRequestHandler, send, type FirebaseConstants, type RequestKind, type RequestLogEntry } from "./server";
import { World } from "./world";

export interface SimulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Simulated seconds per real second; 0 = only `advance()` moves the world. Default 1. */
  speed?: number;
  /** Seed of the world's randomness (wobble, lid openings, noise). Default 1. */
  seed?: number;
  /** ID token lifetime, s. Default 3600 like the real cloud. */
  tokenTtlSec?: number;
  /** Stamp (epoch ms) of the simulator's start. Default: clock.now(). */
  startMs?: number;
  clock?: Clock;
  /** Accounts, devices and cookers. Default: `defaultWorld()`. */
  world?: WorldSpec;
  /** Firebase constants to expect. Default: the real ThermoWorks ones (so an unmodified client works). */
  firebase?: Partial<FirebaseConstants>;
  rotateRefreshTokens?: boolean;
  /** Failed sign-ins before TOO_MANY_ATTEMPTS_TRY_LATER. Default 5. */
  maxSignInFailures?: number;
}

export interface SimulatorHandle {
  /** Origin, e.g. http://127.0.0.1:41234. Use it as identity, token, firebase and Firestore base URL. */
  readonly url: string;
  /** The demo account (owns a Signals, an RFX gateway and an RFX meat probe). */
  readonly credentials: { email: string; password: string };
  readonly accounts: ReadonlyArray<{ email: string; password: string; uid: string; accountId: string; disabled: boolean }>;
  readonly config: FirebaseConstants;
  readonly faults: Faults;
  /** Force a channel to `tempC` (°C; %RH for humidity) now, or unplug it with null (replug with a number). */
  setChannel(serial: string, channel: string, tempC: number | null): void;
  /** Open the lid of the cooker the device sits in. */
  openLid(serial: string): void;
  /** Wrap the meat of a channel (its stall ends), or of every meat channel of the device. */
  wrap(serial: string, channel?: string): void;
  /**
   * Step the world by this many simulated seconds (timestamps move by the same amount, so they run
   * ahead of the wall clock by all that was advanced: a cloud client on the real clock skips
   * readings stamped more than 5 min ahead of it, as it would a device's. Give it this clock.)
   */
  advance(simSeconds: number): void;
  /** Simulated seconds since the cook started (includes the warm-up preroll). */
  simSeconds(): number;
  /** The true temperature of a channel in °C (not the rounded, published value). */
  trueTempC(serial: string, channel: string): number | null;
  /** Cloud requests answered (control requests excluded). */
  readonly requestCount: number;
  requestCounts(): Record<RequestKind, number>;
  /** The last 2000 requests. */
  readonly requestLog: readonly RequestLogEntry[];
  /** Every ID and refresh token issued (for tests that check logs never contain them). */
  issuedTokens(): readonly string[];
  stop(): Promise<void>;
}

const LOG_LIMIT = 2000;

export const startSimulator = async (opts: SimulatorOptions = {}): Promise<SimulatorHandle> => {
  const clock = opts.clock ?? systemClock;
  const speed = opts.speed ?? 1;
  if (!(speed >= 0)) throw new Error(`simulator speed must be ≥ 0, got ${speed}`);
  const spec = opts.world ?? defaultWorld();
  const tw = CLOUDS.thermoworks;
  const projectId = opts.firebase?.projectId ?? tw.projectId;
  const firebase: FirebaseConstants = {
    apiKey: opts.firebase?.apiKey ?? tw.apiKey,
    appId: opts.firebase?.appId ?? tw.appId,
    projectId,
    storageBucket: opts.firebase?.storageBucket ?? `${projectId}.appspot.com`,
  };
  const t0 = clock.now();
  const startMs = opts.startMs ?? t0;
  let advancedSec = 0;
  const world = new World(spec, opts.seed ?? 1, startMs);
  const stampNow = (): number => startMs + (clock.now() - t0) + advancedSec * 1000;
  const sync = (): void => {
    world.advanceTo(spec.prerollSec + ((clock.now() - t0) / 1000) * speed + advancedSec, stampNow());
    world.stampMs = Math.max(world.stampMs, stampNow());
  };

  // The revoke switch reaches the auth service through this closure (they need each other).
  const faults: Faults = new Faults(() => auth.revokeAll());
  const auth: AuthService = new AuthService({
    accounts: spec.accounts,
    clock,
    tokenTtlSec: opts.tokenTtlSec ?? 3600,
    maxFailures: opts.maxSignInFailures ?? 5,
    lockoutMs: 5 * 60_000,
    rotateRefreshTokens: opts.rotateRefreshTokens ?? false,
    faults,
    projectNumber: firebase.appId.split(":")[1] ?? "0",
  });
  const firestore = new FirestoreApi({ world, faults, projectId });

  const log: RequestLogEntry[] = [];
  const counts: Record<RequestKind, number> = { webConfig: 0, signIn: 0, refresh: 0, getDocument: 0, listDocuments: 0, runQuery: 0, other: 0 };
  let requestCount = 0;
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const control = {
    faults,
    setChannel: (serial: string, channel: string, tempC: number | null): void => {
      sync();
      world.setChannel(serial, channel, tempC);
    },
    openLid: (serial: string): void => {
      sync();
      world.openLid(serial);
    },
    wrap: (serial: string, channel?: string): void => {
      sync();
      world.wrap(serial, channel);
    },
    advance: (simSeconds: number): void => {
      if (!(simSeconds >= 0)) throw new Error(`advance needs simSeconds ≥ 0, got ${simSeconds}`);
      advancedSec += simSeconds;
      sync();
    },
    state: () => ({ requestCount, requestCounts: counts, simSeconds: world.simSec, stampMs: world.stampMs, speed, faults: faults.snapshot() }),
  };

  const bindHost = opts.host ?? "127.0.0.1";
  const handler = createRequestHandler({
    firebase, auth, firestore, faults, control, sync, sleep,
    // Bound elsewhere (--host 0.0.0.0), it was opened to other names on purpose.
    controlHosts: isLoopback(bindHost) ? [...LOOPBACK_HOSTS, bindHost] : null,
    record: (entry) => {
      requestCount += 1;
      counts[entry.kind] += 1;
      log.push(entry);
      if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    },
  });
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: { code: 500, message: err instanceof Error ? err.message : String(err), status: "INTERNAL" } } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, bindHost, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const demo = spec.accounts[0];
  if (!demo) throw new Error("the simulated world needs at least one account");

  return {
    url: `http://${host}:${address.port}`,
    credentials: { email: demo.email, password: demo.password },
    accounts: spec.accounts.map((a) => ({ email: a.email, password: a.password, uid: a.uid, accountId: a.accountId, disabled: a.disabled ?? false })),
    config: firebase,
    faults,
    setChannel: control.setChannel,
    openLid: control.openLid,
    wrap: control.wrap,
    advance: control.advance,
    simSeconds: () => {
      sync();
      return world.simSec;
    },
    trueTempC: (serial, channel) => {
      sync();
      return world.trueTempC(serial, channel);
    },
    get requestCount() {
      return requestCount;
    },
    requestCounts: () => ({ ...counts }),
    get requestLog() {
      return log;
    },
    issuedTokens: () => [...auth.issued],
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};

export { defaultWorld, CUTS, type WorldSpec, type AccountSpec, type DeviceSpec, type ChannelSpec } from "./scenario";
export type { FirebaseConstants, RequestKind, RequestLogEntry } from "./server";
export type { Faults, FaultScope, DocTarget } from "./faults";
