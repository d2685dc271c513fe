import { z } from "zod";

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * The add-on options (snake_case, as in config.yaml and /data/options.json).
 * Every field has a default so a dev run with no options file works. Checks that pair two options
 * are `pairedOptionIssues`: a refinement of this object would only run once every field is valid,
 * and "every problem at once" would become one problem per restart.
 */
export const optionsSchema = z.object({
  thermoworks_email: z.string().trim().refine((v) => v === "" || EMAIL.test(v), "is not an e-mail address").default(""),
  thermoworks_password: z.string().default(""),
  thermoworks_cloud: z.enum(["thermoworks", "eti"]).default("thermoworks"),
  poll_interval_seconds: z.number().int().min(5, "must be at least 5 seconds").max(3600, "must be at most 3600 seconds").default(30),
  demo_mode: z.boolean().default(false),
  temperature_unit: z.enum(["auto", "F", "C"]).default("auto"),
  notify_targets: z
    .array(z.string().trim().regex(/^(notify\.)?[a-z0-9_]+$/, "must be a notify service such as notify.mobile_app_phone"))
    .default([]),
  history_retention_days: z.number().int().min(0, "must be 0 (keep forever) or more").max(3650).default(365),
  log_level: z.enum(["trace", "debug", "info", "notice", "warning", "error", "fatal"]).default("info"),
  install_card: z.boolean().default(true),
  alarm_repeat_minutes: z.number().int().min(1).max(120).default(5),
  pre_alarm_minutes: z.number().int().min(0).max(120).default(15),
  battery_low_percent: z.number().int().min(1, "must be at least 1 %").max(99, "must be at most 99 % (at 100 every battery would be low)").default(15),
  critical_alerts: z.boolean().default(false),
  quiet_hours_start: z.string().regex(HH_MM, "must be HH:MM").or(z.literal("")).default(""),
  quiet_hours_end: z.string().regex(HH_MM, "must be HH:MM").or(z.literal("")).default(""),
});

/** Options that only make sense together, checked on the raw options whatever else is wrong. */
export const pairedOptionIssues = (raw: Record<string, unknown>): string[] => {
  // Given at all: a value of the wrong type has its own message already.
  const given = (key: string): boolean => raw[key] !== undefined && raw[key] !== null && (typeof raw[key] !== "string" || (raw[key] as string).trim() !== "");
  const issues: string[] = [];
  if (given("thermoworks_email") && !given("thermoworks_password")) issues.push("thermoworks_password: is required when thermoworks_email is set");
  // Without this a password alone quietly ran the demo.
  if (given("thermoworks_password") && !given("thermoworks_email")) issues.push("thermoworks_email: is required when thermoworks_password is set");
  if (given("quiet_hours_start") !== given("quiet_hours_end")) issues.push("quiet_hours_end: quiet_hours_start and quiet_hours_end go together");
  return issues;
};

export type Options = z.infer<typeof optionsSchema>;

const url = z.string().url("must be a URL such as http://host:8123");
const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), url.optional());

/** Environment variables from the architecture contract (all optional). */
export const envSchema = z.object({
  GRILL_STATS_OPTIONS: z.string().optional(),
  GRILL_STATS_DATA_DIR: z.string().optional(),
  GRILL_STATS_PORT: z.preprocess((v) => (v === "" || v === undefined ? undefined : Number(v)), z.number().int().min(0).max(65535).optional()),
  /** Address the HTTP server listens on outside the Supervisor (it has no login). */
  GRILL_STATS_HOST: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^[0-9a-fA-F.:]+$|^localhost$/, "must be an IP address such as 127.0.0.1 or 0.0.0.0").optional()),
  GRILL_STATS_HA_URL: optionalUrl,
  GRILL_STATS_HA_TOKEN: z.string().optional(),
  GRILL_STATS_TW_IDENTITY_URL: optionalUrl,
  GRILL_STATS_TW_TOKEN_URL: optionalUrl,
  GRILL_STATS_TW_FIRESTORE_URL: optionalUrl,
  /** Demo simulator speed (simulated seconds per real second). */
  GRILL_STATS_DEMO_SPEED: z.preprocess((v) => (v === "" || v === undefined ? undefined : Number(v)), z.number().positive().max(10000).optional()),
  /** Home Assistant's config folder, where the card and blueprints are installed (add-on: /config). */
  GRILL_STATS_HA_CONFIG_DIR: z.string().optional(),
  SUPERVISOR_TOKEN: z.string().optional(),
  HASSIO_TOKEN: z.string().optional(),
});
export type Env = z.infer<typeof envSchema>;
