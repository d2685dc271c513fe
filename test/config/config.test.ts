import { spawn, spawnSync } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, redactConfig } from "../../src/config";
import { ConfigError } from "../../src/shared";
import { makeTempDir } from "../support/tmp";

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

const withOptions = (options: unknown, extraEnv: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const tmp = makeTempDir();
  cleanups.push(tmp.cleanup);
  const path = join(tmp.dir, "options.json");
  writeFileSync(path, typeof options === "string" ? options : JSON.stringify(options));
  return { GRILL_STATS_OPTIONS: path, GRILL_STATS_DATA_DIR: join(tmp.dir, "data"), ...extraEnv };
};

const issuesOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env, () => false);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected the config to be rejected");
};

describe("configuration", () => {
  it("runs in demo mode with defaults when there are no options and no credentials", () => {
    const config = loadConfig({}, () => false);
    expect(config.mode).toBe("demo");
    expect(config.demoReason).toMatch(/no ThermoWorks credentials/);
    expect(config.thermoworks.pollIntervalMs).toBe(5_000); // the demo polls its fast simulator often
    expect(config.port).toBe(8099);
    expect(config.homeassistant).toBeNull();
    expect(Object.isFrozen(config.thermoworks)).toBe(true);
  });

  it("uses the cloud when credentials are given, and the Supervisor proxy when SUPERVISOR_TOKEN is set", () => {
    const config = loadConfig(withOptions({ thermoworks_email: "pit@example.com", thermoworks_password: "hunter22" }, { SUPERVISOR_TOKEN: "sup-token" }), () => false);
    expect(config.mode).toBe("cloud");
    expect(config.thermoworks.pollIntervalMs).toBe(30_000);
    expect(config.homeassistant).toEqual({ url: "http://supervisor/core", token: "sup-token", viaSupervisor: true });
    expect(config.underSupervisor).toBe(true);
    // Under the Supervisor it listens everywhere (the ingress guard lets only 172.30.32.2 in).
    expect(config.host).toBeUndefined();
  });

  it("outside the Supervisor listens on loopback only, unless GRILL_STATS_HOST says otherwise", () => {
    expect(loadConfig({}, () => false).host).toBe("127.0.0.1");
    expect(loadConfig({ GRILL_STATS_HOST: "0.0.0.0" }, () => false).host).toBe("0.0.0.0");
    expect(issuesOf({ GRILL_STATS_HOST: "my laptop" })).toEqual(["GRILL_STATS_HOST: must be an IP address such as 127.0.0.1 or 0.0.0.0"]);
  });

  it("prefers GRILL_STATS_HA_URL/TOKEN and honours the cloud host overrides", () => {
    const config = loadConfig({
      GRILL_STATS_HA_URL: "http://ha.local:8123/",
      GRILL_STATS_HA_TOKEN: "llt",
      GRILL_STATS_TW_IDENTITY_URL: "http://127.0.0.1:9000",
      GRILL_STATS_PORT: "9123",
    }, () => false);
    expect(config.homeassistant).toEqual({ url: "http://ha.local:8123", token: "llt", viaSupervisor: false });
    expect(config.thermoworks.identityUrl).toBe("http://127.0.0.1:9000");
    expect(config.port).toBe(9123);
  });

  it.each([
    [{ poll_interval_seconds: 2 }, "poll_interval_seconds: must be at least 5 seconds"],
    [{ poll_interval_seconds: "fast" }, "poll_interval_seconds:"],
    [{ thermoworks_cloud: "moon" }, "thermoworks_cloud:"],
    [{ temperature_unit: "K" }, "temperature_unit:"],
    [{ notify_targets: ["Not A Service!"] }, "notify_targets.0: must be a notify service"],
    [{ history_retention_days: -1 }, "history_retention_days:"],
    [{ thermoworks_email: "pit@example.com" }, "thermoworks_password: is required when thermoworks_email is set"],
    [{ thermoworks_email: "nope", thermoworks_password: "x" }, "thermoworks_email: is not an e-mail address"],
    [{ quiet_hours_start: "25:00", quiet_hours_end: "07:00" }, "quiet_hours_start:"],
    [{ log_level: "loud" }, "log_level:"],
    [{ battery_low_percent: 100 }, "battery_low_percent: must be at most 99 %"],
    [{ battery_low_percent: 0 }, "battery_low_percent: must be at least 1 %"],
  ])("rejects %j with its own path: message", (options, expected) => {
    const issues = issuesOf(withOptions(options));
    expect(issues.some((i) => i.startsWith(expected))).toBe(true);
  });

  it("reports every problem at once", () => {
    const issues = issuesOf(withOptions({ poll_interval_seconds: 1, temperature_unit: "K", thermoworks_cloud: "x" }));
    expect(issues.length).toBeGreaterThanOrEqual(3);
    // A wrong type elsewhere does not hide the e-mail's problem, nor a missing half of a pair.
    expect(issuesOf(withOptions({ thermoworks_email: "notanemail", thermoworks_password: 12345, quiet_hours_start: "22:00" }))).toEqual([
      expect.stringMatching(/^thermoworks_email: is not an e-mail address$/),
      expect.stringMatching(/^thermoworks_password: /),
      "quiet_hours_end: quiet_hours_start and quiet_hours_end go together",
    ]);
  });

  it("names option keys it does not know, with the option meant when it is a typo", () => {
    const config = loadConfig(withOptions({ notify_target: ["notify.mobile_app_phone"], pol_interval_seconds: 10, colour: "red", alarm_repeat_minutes: 3 }), () => false);
    expect(config.warnings).toEqual([
      "notify_target: not an option of this add-on, ignored (did you mean notify_targets?)",
      "pol_interval_seconds: not an option of this add-on, ignored (did you mean poll_interval_seconds?)",
      "colour: not an option of this add-on, ignored",
    ]);
    expect(config.options.alarm_repeat_minutes).toBe(3);
    expect(loadConfig({}, () => false).warnings).toEqual([]);
  });

  it("refuses a password without an e-mail rather than quietly running the demo", () => {
    expect(issuesOf(withOptions({ thermoworks_password: "hunter22" }))).toEqual(["thermoworks_email: is required when thermoworks_password is set"]);
  });

  it("rejects an options file that is not JSON, and bad environment values", () => {
    expect(issuesOf(withOptions("{not json"))[0]).toMatch(/cannot read options JSON/);
    expect(issuesOf({ GRILL_STATS_PORT: "eighty" }).some((i) => i.startsWith("GRILL_STATS_PORT:"))).toBe(true);
    expect(issuesOf({ GRILL_STATS_HA_URL: "http://ha:8123" })[0]).toMatch(/^GRILL_STATS_HA_TOKEN:/);
  });

  it("does not quote a malformed options file: the text around the fault may be the password", () => {
    // V8 quotes the text around an unexpected token ("…assword": Sup3rS3cre"…): the password itself.
    const issues = issuesOf(withOptions('{"thermoworks_email": "pit@example.com", "thermoworks_password": Sup3rS3cretPassw0rd}'));
    expect(issues.join("\n")).not.toMatch(/Sup3r|S3cret|Passw0rd/);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/cannot read options JSON \(not valid JSON/);
  });

  it("never shows the password or tokens when the config is logged", () => {
    const config = loadConfig(withOptions({ thermoworks_email: "pit@example.com", thermoworks_password: "s3cret-pw" }, { GRILL_STATS_HA_URL: "http://ha:8123", GRILL_STATS_HA_TOKEN: "tok-abc-123" }), () => false);
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toContain("s3cret-pw");
    expect(text).not.toContain("tok-abc-123");
    expect(text).toContain("pit@example.com");
    // A Home Assistant address written with a user and password (behind a proxy) is logged without them.
    const behindProxy = loadConfig(withOptions({}, { GRILL_STATS_HA_URL: "https://grill:pr0xy-pw@ha.example:8123", GRILL_STATS_HA_TOKEN: "tok-abc-123" }), () => false);
    const logged = JSON.stringify(redactConfig(behindProxy));
    expect(logged).not.toContain("pr0xy-pw");
    expect(logged).toContain("https://***@ha.example:8123");
  });
});

describe("the service process with invalid options", () => {
  const bundle = join(process.cwd(), "dist", "main.js");
  it("prints every problem as path: message and exits 1 without starting", () => {
    expect(existsSync(bundle), "run `npm run build` first (npm test does)").toBe(true);
    const env = withOptions({ poll_interval_seconds: 1, temperature_unit: "K" }, { GRILL_STATS_PORT: "0" });
    const run = spawnSync(process.execPath, [bundle], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("poll_interval_seconds: must be at least 5 seconds");
    expect(run.stderr).toMatch(/^temperature_unit: /m);
    expect(run.stdout).not.toMatch(/HTTP listening/);
  });
});

describe("the service process at start: a port taken, a data folder or database it cannot use", () => {
  const bundle = join(process.cwd(), "dist", "main.js");
  const tmp: { cleanup: () => void }[] = [];
  afterEach(() => tmp.splice(0).forEach((t) => t.cleanup()));
  /** Runs the bundle in demo mode on a fresh data folder (prepared by `prepare`) until it exits. */
  const run = async (port: number, prepare: (dataDir: string) => string | void = () => {}): Promise<{ code: number | null; stderr: string }> => {
    const data = makeTempDir("grill-stats-start-");
    tmp.push(data);
    const dataDir = prepare(data.dir) ?? data.dir;
    const child = spawn(process.execPath, [bundle], { env: { ...process.env, GRILL_STATS_DATA_DIR: dataDir, GRILL_STATS_PORT: String(port), GRILL_STATS_OPTIONS: "" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    return { code, stderr };
  };

  it("says in one line that the port is taken and what to do, without a stack", async () => {
    expect(existsSync(bundle), "run `npm run build` first (npm test does)").toBe(true);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const { code, stderr } = await run((taken.address() as AddressInfo).port);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^Grill Stats failed to start: listen EADDRINUSE.*set GRILL_STATS_PORT\n$/);
    } finally {
      taken.close();
    }
  }, 30_000);

  /**
   * Starts the bundle in demo mode on a data folder prepared by `prepare` and returns its health
   * once it answers (the process is stopped afterwards).
   */
  const healthOf = async (prepare: (dataDir: string) => string | void): Promise<{ health: { status: string; store: { path: string; problem: string | null } }; dataDir: string }> => {
    const data = makeTempDir("grill-stats-start-");
    tmp.push(data);
    const dataDir = prepare(data.dir) ?? data.dir;
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, "127.0.0.1", resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const child = spawn(process.execPath, [bundle], { env: { ...process.env, GRILL_STATS_DATA_DIR: dataDir, GRILL_STATS_PORT: String(port), GRILL_STATS_OPTIONS: "" }, stdio: "ignore" });
    try {
      for (let i = 0; i < 200; i++) {
        if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
        const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
        if (res?.ok) return { health: (await res.json()) as never, dataDir };
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("no health answer within 20 s");
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on("exit", resolve)));
    }
  };

  it("runs on a database in memory when the data folder cannot hold one, and says so", async () => {
    const { health } = await healthOf((dir) => {
      writeFileSync(join(dir, "options.json"), "{}");
      return join(dir, "options.json", "data");
    });
    expect(health.status).toBe("degraded");
    expect(health.store.path).toBe(":memory:");
    expect(health.store.problem).toMatch(/GRILL_STATS_DATA_DIR must name a folder.*history is kept in memory only/);
  }, 30_000);

  it("sets a damaged database aside, starts a new one, and says so", async () => {
    const junk = "this is not a database, ".repeat(400);
    const { health, dataDir } = await healthOf((dir) => writeFileSync(join(dir, "grill-stats.db"), junk));
    expect(health.status).toBe("degraded");
    expect(health.store.path).toBe(join(dataDir, "grill-stats.db"));
    expect(health.store.problem).toMatch(/the database was damaged \(.*\): it was set aside as .*grill-stats\.db\.damaged-.* and a new one started/);
    const aside = readdirSync(dataDir).filter((f) => f.startsWith("grill-stats.db.damaged-"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir, aside[0] as string), "utf8")).toBe(junk);
  }, 30_000);
});
