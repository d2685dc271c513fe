/**
 * config.yaml against the zod options schema (src/config/schema.ts), the Supervisor's own
 * option rules (./supervisor.ts), the translations, package.json and the runtime contract.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { envSchema, loadConfig, optionsSchema } from "../../src/config";
import { makeTempDir } from "../support/tmp";
import {
  parseElement,
  readAddonConfig,
  readText,
  readYaml,
  validateOptions,
  type SchemaElement,
} from "./supervisor";

const config = readAddonConfig();
const pkg = z.object({ version: z.string() }).parse(JSON.parse(readText("package.json")));
const zodShape = optionsSchema.shape;
const optionKeys = Object.keys(zodShape).sort();
const zodDefaults = optionsSchema.parse({});
const schemaOf = (key: string): SchemaElement => {
  const el = config.schema[key];
  if (el === undefined) throw new Error(`${key} missing from config.yaml schema`);
  return el;
};

/** What the Supervisor writes to /data/options.json when the user changed nothing. */
const supervisorDefaults = (): Record<string, unknown> => {
  const { errors, options } = validateOptions(config.schema, config.options);
  expect(errors).toEqual([]);
  return options;
};

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = makeTempDir("grill-stats-packaging-");
});
afterEach(() => tmp.cleanup());

const loadWithOptions = (options: Record<string, unknown>, env: Record<string, string> = {}) => {
  const file = join(tmp.dir, "options.json");
  writeFileSync(file, JSON.stringify(options));
  return loadConfig(
    { GRILL_STATS_OPTIONS: file, GRILL_STATS_DATA_DIR: join(tmp.dir, "data"), ...env },
    () => false,
  );
};

describe("config.yaml identity and runtime contract", () => {
  it("matches package.json and the store rules", () => {
    expect(config.version).toBe(pkg.version);
    expect(config.slug).toBe("grill_stats");
    expect(config.name).toBe("Grill Stats");
    expect([...config.arch].sort()).toEqual(["aarch64", "amd64"]);
    expect(config.startup).toBe("application");
    expect(config.boot).toBe("auto");
    const [major = 0, minor = 0] = config.homeassistant.split(".").map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(2023 * 100 + 5);
    expect(config.url).toBe(z.object({ url: z.string() }).parse(readYaml("repository.yaml")).url);
  });

  it("serves ingress on the service's default port, with a watchdog on /api/health", () => {
    const defaultPort = loadWithOptions({}).port;
    expect(envSchema.parse({}).GRILL_STATS_PORT).toBeUndefined();
    expect(config.ingress).toBe(true);
    expect(config.ingress_port).toBe(defaultPort);
    expect(config.watchdog).toBe(`http://[HOST]:[PORT:${config.ingress_port}]/api/health`);
    expect(config.panel_icon).toBe("mdi:grill");
    expect(config.panel_title).toBe("Grill Stats");
    // Published on no host port: reachable through ingress only.
    expect(config.ports).toEqual({ [`${config.ingress_port}/tcp`]: null });
    expect(config.timeout).toBeGreaterThanOrEqual(10);
    expect(config.timeout).toBeLessThanOrEqual(300);
  });

  it("maps Home Assistant's config folder read-write at /config and may use the Core API", () => {
    expect(config.homeassistant_api).toBe(true);
    expect(config.map).toContainEqual({
      type: "homeassistant_config",
      read_only: false,
      path: "/config",
    });
    // The service installs the card and blueprints below the same folder by default.
    expect(loadConfig({}, () => false).haConfigDir).toBe("/config");
  });
});

describe("options and schema against src/config/schema.ts", () => {
  it("declares every zod option in the schema, and nothing else", () => {
    expect(Object.keys(config.schema).sort()).toEqual(optionKeys);
    for (const key of Object.keys(config.options)) expect(optionKeys).toContain(key);
  });

  it("uses a Supervisor type that matches each zod type", () => {
    for (const key of optionKeys) {
      const el = parseElement(schemaOf(key));
      const inner = zodShape[key as keyof typeof zodShape].unwrap();
      if (inner instanceof z.ZodEnum) {
        expect(el.type, key).toBe("list");
        expect(el.choices, key).toEqual(inner.options);
      } else if (inner instanceof z.ZodNumber) {
        expect(el.type, key).toBe("int");
        expect(inner.isInt, key).toBe(true);
        expect([el.min, el.max], key).toEqual([inner.minValue, inner.maxValue]);
      } else if (inner instanceof z.ZodBoolean) {
        expect(el.type, key).toBe("bool");
      } else if (inner instanceof z.ZodArray) {
        expect(el.isList, key).toBe(true);
        // A list of strings; one with a pattern (notify services) is refused by the Supervisor when saved.
        expect(["str", "match"], key).toContain(el.type);
      } else {
        // Strings: all default to "" and are truly optional.
        expect(zodDefaults[key as keyof typeof zodDefaults], key).toBe("");
        expect(el.optional, key).toBe(true);
      }
    }
    expect(parseElement(schemaOf("thermoworks_email")).type).toBe("email");
    expect(parseElement(schemaOf("thermoworks_password")).type).toBe("password");
  });

  it("has defaults equal to the zod defaults; optional keys are absent from options", () => {
    for (const key of optionKeys) {
      const optional = parseElement(schemaOf(key)).optional;
      if (optional) expect(config.options, key).not.toHaveProperty(key);
      else expect(config.options[key], key).toEqual(zodDefaults[key as keyof typeof zodDefaults]);
    }
  });

  it("agrees with zod on accepting and refusing values at every bound", () => {
    const companions: Record<string, Record<string, unknown>> = {
      thermoworks_email: { thermoworks_password: "hunter2" },
      quiet_hours_start: { quiet_hours_end: "06:00" },
      quiet_hours_end: { quiet_hours_start: "22:00" },
    };
    const samples = (key: string): unknown[] => {
      const inner = zodShape[key as keyof typeof zodShape].unwrap();
      if (inner instanceof z.ZodEnum) return [...inner.options, "bogus", ""];
      if (inner instanceof z.ZodNumber) {
        const lo = inner.minValue ?? 0;
        const hi = inner.maxValue ?? 0;
        return [lo - 1, lo, hi, hi + 1, "12x"];
      }
      if (inner instanceof z.ZodBoolean) return [true, false, "maybe"];
      if (key === "thermoworks_email") return ["pit@example.com", "not-an-email"];
      if (key === "notify_targets")
        return [[], ["notify.mobile_app_pixel_8", "persistent_notification"], ["notify.Phone"], ["notify.phone 2"], ["notify."], ["mobile_app_x", ""]];
      if (key.startsWith("quiet_hours"))
        return ["00:00", "07:30", "23:59", "7:30", "24:00", "12:60", "noon"];
      return [];
    };
    let compared = 0;
    for (const key of optionKeys) {
      for (const value of samples(key)) {
        const options = { ...supervisorDefaults(), ...companions[key], [key]: value };
        const supervisorOk = validateOptions(config.schema, options).errors.length === 0;
        const zodOk = optionsSchema.safeParse(options).success;
        expect({ key, value, supervisorOk }).toEqual({ key, value, supervisorOk: zodOk });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it("starts the service in demo mode from the options the Supervisor writes by default", () => {
    const cfg = loadWithOptions(supervisorDefaults(), { SUPERVISOR_TOKEN: "supervisor-token" });
    expect(cfg.mode).toBe("demo");
    expect(cfg.demoReason).toMatch(/credentials/);
    expect(cfg.underSupervisor).toBe(true);
    expect(cfg.homeassistant?.url).toBe("http://supervisor/core");
    expect(cfg.port).toBe(config.ingress_port);
    expect({ ...cfg.options }).toEqual(zodDefaults);
  });

  it("starts in cloud mode when the user fills in the optional credentials", () => {
    const options = {
      ...supervisorDefaults(),
      thermoworks_email: "pit@example.com",
      thermoworks_password: "hunter2",
      thermoworks_cloud: "eti",
    };
    expect(validateOptions(config.schema, options).errors).toEqual([]);
    const cfg = loadWithOptions(options);
    expect(cfg.mode).toBe("cloud");
    expect(cfg.thermoworks.cloud).toBe("eti");
  });

  it("is refused by the Supervisor when a required option is removed", () => {
    const { log_level: _dropped, ...rest } = supervisorDefaults();
    expect(validateOptions(config.schema, rest).errors).toEqual(["Missing option 'log_level'"]);
  });
});

describe("translations", () => {
  const translation = z
    .object({
      configuration: z.record(
        z.string(),
        z.object({ name: z.string().min(1), description: z.string().min(1) }).strict(),
      ),
      network: z.record(z.string(), z.string().min(1)),
    })
    .strict();

  for (const lang of ["en", "de", "fr", "nl"]) {
    it(`${lang}.yaml names and describes exactly the schema options and ports`, () => {
      const t = translation.parse(readYaml(`translations/${lang}.yaml`));
      expect(Object.keys(t.configuration).sort()).toEqual(optionKeys);
      expect(Object.keys(t.network)).toEqual(Object.keys(config.ports ?? {}));
    });
  }

  it("DOCS.md documents every option", () => {
    const docs = readText("DOCS.md");
    for (const key of optionKeys) expect(docs, key).toContain(`| \`${key}\` |`);
  });
});
