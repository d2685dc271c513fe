import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { z } from "zod";
import { ConfigError, maskUrlCredentials, type LogLevel } from "../shared";
import { envSchema, optionsSchema, pairedOptionIssues, type Options } from "./schema";

export type CloudVariant = "thermoworks" | "eti";

/** Firebase constants of the two cloud variants (public identifiers, not secrets). */
export const CLOUDS: Record<CloudVariant, { apiKey: string; appId: string; projectId: string; referer: string }> = {
  thermoworks: {
    apiKey: "AIzaSyCf079iccUFc1k7VHdGXng22zXDy8Y3KEY",
    appId: "1:78998049458:web:b41e9d405d8c7de95eefab",
    projectId: "thermoworks-cloud-production",
    referer: "https://cloud.thermoworks.com/",
  },
  eti: {
    apiKey: "AIzaSyBD4snlT2LllO4k0NywX5qYjJ7M7WfU4_I",
    appId: "1:701566661301:web:7a9bc711c05985ead144fc",
    // Only known via webConfig; the client asks webConfig when the project id is null.
    projectId: "",
    referer: "https://cloud.etiltd.com/",
  },
};

export const DEFAULT_HOSTS = {
  identityUrl: "https://identitytoolkit.googleapis.com",
  tokenUrl: "https://securetoken.googleapis.com",
  firestoreUrl: "https://firestore.googleapis.com",
  firebaseUrl: "https://firebase.googleapis.com",
};

export interface Config {
  readonly options: Readonly<Options>;
  readonly mode: "demo" | "cloud";
  /** Why demo mode was chosen (for the first log lines and /api/health). */
  readonly demoReason: string | null;
  readonly demoSpeed: number;
  readonly thermoworks: {
    readonly email: string;
    readonly password: string;
    readonly cloud: CloudVariant;
    readonly apiKey: string;
    readonly appId: string;
    readonly projectId: string;
    readonly referer: string;
    /** null = the real Google host, or the in-process simulator in demo mode. */
    readonly identityUrl: string | null;
    readonly tokenUrl: string | null;
    readonly firestoreUrl: string | null;
    readonly pollIntervalMs: number;
  };
  readonly homeassistant: { readonly url: string; readonly token: string; readonly viaSupervisor: boolean } | null;
  /** True when running under the Supervisor (SUPERVISOR_TOKEN set): ingress guard on. */
  readonly underSupervisor: boolean;
  readonly dataDir: string;
  /** Home Assistant's config folder (card bundle and blueprints go there). */
  readonly haConfigDir: string;
  readonly port: number;
  /**
   * Address to listen on: every interface under the Supervisor (its ingress reaches the
   * container from 172.30.32.2, and the guard lets only that in); outside it, loopback unless
   * GRILL_STATS_HOST says otherwise: the API has no login of its own.
   */
  readonly host: string | undefined;
  readonly optionsPath: string | null;
  readonly logLevel: LogLevel;
  readonly temperatureUnit: "auto" | "F" | "C";
  /** What was ignored (an option name nobody reads), as `path: message`, for the first log lines. */
  readonly warnings: readonly string[];
}

/** One edit apart or less per 4 letters: a typo of a known option's name. */
const closeTo = (a: string, b: string): boolean => {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = d[0] as number;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = d[j] as number;
      d[j] = Math.min(up + 1, (d[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return (d[b.length] as number) <= Math.max(1, Math.floor(b.length / 4));
};

/**
 * Option names the add-on does not know. The Supervisor checks options against config.yaml, but a
 * hand-written options file outside it is not: a misspelt `notify_target` would silently never push.
 */
const unknownOptionWarnings = (raw: Record<string, unknown>): string[] => {
  const known = Object.keys(optionsSchema.shape);
  return Object.keys(raw)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const like = known.find((k) => closeTo(key, k));
      return `${key}: not an option of this add-on, ignored${like ? ` (did you mean ${like}?)` : ""}`;
    });
};

/**
 * Why the options file could not be read, without quoting it: V8's JSON errors quote the text
 * around the fault (`..."assword": hunter2"...`), which may be the password. Its position stays.
 */
const optionsReadError = (err: unknown): string => {
  if (!(err instanceof SyntaxError)) return err instanceof Error ? err.message : String(err);
  const at = /at position \d+(?: \(line \d+ column \d+\))?/.exec(err.message)?.[0];
  return at ? `not valid JSON ${at}` : "not valid JSON";
};

const formatIssues = (prefix: string, issues: z.core.$ZodIssue[]): string[] =>
  issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join(".") || "(root)"}: ${i.message}`);

const LOG_LEVELS: Record<Options["log_level"], LogLevel> = {
  trace: "trace", debug: "debug", info: "info", notice: "info", warning: "warn", error: "error", fatal: "fatal",
};

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === "object") {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
};

/**
 * Parse the options file and the environment into one frozen Config.
 * Throws ConfigError listing every problem as `path: message`.
 */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env, fileExists = existsSync): Config => {
  const issues: string[] = [];
  const envParsed = envSchema.safeParse(env);
  if (!envParsed.success) issues.push(...formatIssues("", envParsed.error.issues));
  const e = envParsed.success ? envParsed.data : envSchema.parse({});

  const optionsPath = e.GRILL_STATS_OPTIONS ?? (fileExists("/data/options.json") ? "/data/options.json" : null);
  let raw: unknown = {};
  if (optionsPath) {
    try {
      raw = JSON.parse(readFileSync(optionsPath, "utf8"));
    } catch (err) {
      issues.push(`${optionsPath}: cannot read options JSON (${optionsReadError(err)})`);
    }
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    issues.push(`${optionsPath ?? "options"}: must be a JSON object`);
    raw = {};
  }
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) issues.push(...formatIssues("", parsed.error.issues));
  issues.push(...pairedOptionIssues(raw as Record<string, unknown>));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);
  const o = parsed.data;

  const hasCredentials = o.thermoworks_email !== "" && o.thermoworks_password !== "";
  const mode = o.demo_mode || !hasCredentials ? "demo" : "cloud";
  const demoReason = mode === "cloud" ? null : o.demo_mode ? "demo_mode option is on" : "no ThermoWorks credentials configured";
  const cloud = CLOUDS[o.thermoworks_cloud];

  const supervisorToken = e.SUPERVISOR_TOKEN ?? e.HASSIO_TOKEN;
  let homeassistant: Config["homeassistant"] = null;
  if (e.GRILL_STATS_HA_URL && e.GRILL_STATS_HA_TOKEN) {
    homeassistant = { url: e.GRILL_STATS_HA_URL.replace(/\/+$/, ""), token: e.GRILL_STATS_HA_TOKEN, viaSupervisor: false };
  } else if (e.GRILL_STATS_HA_URL && !e.GRILL_STATS_HA_TOKEN) {
    throw new ConfigError(["GRILL_STATS_HA_TOKEN: is required when GRILL_STATS_HA_URL is set (a long-lived access token)"]);
  } else if (supervisorToken) {
    homeassistant = { url: "http://supervisor/core", token: supervisorToken, viaSupervisor: true };
  }

  const dataDir = resolve(e.GRILL_STATS_DATA_DIR ?? (fileExists("/data") ? "/data" : "./data"));
  return deepFreeze({
    warnings: unknownOptionWarnings(raw as Record<string, unknown>),
    options: o,
    mode,
    demoReason,
    // 20× cooks a 12 h brisket in 36 minutes: visibly moving, yet with a reading every 100 s of
    // cook time at the 5 s demo poll, enough for rates, the stall and the ETA.
    demoSpeed: e.GRILL_STATS_DEMO_SPEED ?? 20,
    thermoworks: {
      email: o.thermoworks_email,
      password: o.thermoworks_password,
      cloud: o.thermoworks_cloud,
      apiKey: cloud.apiKey,
      appId: cloud.appId,
      projectId: cloud.projectId,
      referer: cloud.referer,
      identityUrl: e.GRILL_STATS_TW_IDENTITY_URL ?? null,
      tokenUrl: e.GRILL_STATS_TW_TOKEN_URL ?? null,
      firestoreUrl: e.GRILL_STATS_TW_FIRESTORE_URL ?? null,
      // The demo should look alive within seconds: its simulated cook runs fast, so poll it
      // every 5 s unless a shorter interval was asked for.
      pollIntervalMs: (mode === "demo" ? Math.min(o.poll_interval_seconds, 5) : o.poll_interval_seconds) * 1000,
    },
    homeassistant,
    underSupervisor: Boolean(supervisorToken),
    dataDir,
    haConfigDir: resolve(e.GRILL_STATS_HA_CONFIG_DIR ?? "/config"),
    port: e.GRILL_STATS_PORT ?? 8099,
    host: e.GRILL_STATS_HOST ?? (supervisorToken ? undefined : "127.0.0.1"),
    optionsPath,
    logLevel: LOG_LEVELS[o.log_level],
    temperatureUnit: o.temperature_unit,
  });
};

/** The config as it may be logged or returned: secrets replaced. */
export const redactConfig = (c: Config): Record<string, unknown> => ({
  mode: c.mode,
  demoReason: c.demoReason,
  dataDir: c.dataDir,
  port: c.port,
  host: c.host ?? "*",
  optionsPath: c.optionsPath,
  underSupervisor: c.underSupervisor,
  homeassistant: c.homeassistant ? { url: maskUrlCredentials(c.homeassistant.url), viaSupervisor: c.homeassistant.viaSupervisor, token: "***" } : null,
  options: { ...c.options, thermoworks_password: c.options.thermoworks_password ? "***" : "" },
});
