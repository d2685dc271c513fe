/**
 * Wire types of the Home Assistant frames we consume (WebSocket results and events), parsed with
 * zod at the edge. These are the only places HA's field names appear; extra fields are accepted
 * (newer cores add them).
 */
import { z } from "zod";

/** Auth-phase frames (`auth_required`, `auth_ok`, `auth_invalid`). */
export const authFrameSchema = z.looseObject({
  type: z.string(),
  ha_version: z.string().optional(),
  message: z.string().optional(),
});

/** `get_config` result: only what we use. */
export const haConfigSchema = z.looseObject({
  unit_system: z.looseObject({ temperature: z.string() }),
  time_zone: z.string().optional(),
  version: z.string().optional(),
  /** "en", "de", "de-CH"; older cores do not send it. */
  language: z.string().optional(),
  /** "RUNNING"; "STARTING" (or "NOT_RUNNING") while Core still loads its integrations. */
  state: z.string().optional(),
});
export type HaConfig = z.infer<typeof haConfigSchema>;

/** A compressed state in `subscribe_entities` events (`s` state, `a` attributes). */
const compressedStateSchema = z.looseObject({
  s: z.string(),
  a: z.record(z.string(), z.unknown()).optional(),
  /** The context: its id alone when no user or automation made the change, else an object. */
  c: z.union([z.string(), z.looseObject({})]).optional(),
});
const compressedDiffSchema = z.looseObject({
  "+": z.looseObject({ s: z.string().optional(), a: z.record(z.string(), z.unknown()).optional() }).optional(),
  "-": z.looseObject({ a: z.array(z.string()).optional() }).optional(),
});

/** `subscribe_entities` event: `a` added/initial, `c` changed, `r` removed. */
export const entitiesEventSchema = z.looseObject({
  a: z.record(z.string(), compressedStateSchema).optional(),
  c: z.record(z.string(), compressedDiffSchema).optional(),
  r: z.array(z.string()).optional(),
});
export type EntitiesEvent = z.infer<typeof entitiesEventSchema>;

/** An item of `input_number/list` / the result of `input_number/create`. */
export const inputNumberItemSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  min: z.number(),
  max: z.number(),
  step: z.number().optional(),
  mode: z.string().optional(),
  unit_of_measurement: z.string().optional(),
});
export type InputNumberItem = z.infer<typeof inputNumberItemSchema>;

/** An item of `input_button/list` / the result of `input_button/create`. */
export const inputButtonItemSchema = z.looseObject({ id: z.string(), name: z.string() });
export type InputButtonItem = z.infer<typeof inputButtonItemSchema>;

/** An item of `lovelace/resources`. */
/** A dashboard resource; one declared in YAML mode has no `id` (Core lists configuration.yaml's entries as written). */
export const lovelaceResourceSchema = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String).optional(), url: z.string(), type: z.string().optional() });
export type LovelaceResource = z.infer<typeof lovelaceResourceSchema>;

/** A fired event as it arrives on a `subscribe_events` subscription. */
export const haEventSchema = z.looseObject({
  event_type: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
});

/** `mobile_app_notification_action` (`action`) and the legacy iOS `ios.notification_action_fired` (`actionName`). */
export const notificationActionDataSchema = z.looseObject({
  action: z.string().optional(),
  actionName: z.string().optional(),
});

/** The error object of a failed result (`{code, message}`); HAWS also rejects with bare numbers. */
const haErrorSchema = z.looseObject({ code: z.union([z.string(), z.number()]), message: z.string().optional() });

/** HAWS connection errors (numbers) in words. */
const HAWS_CODES: Record<number, string> = { 1: "cannot_connect", 2: "invalid_auth", 3: "connection_lost", 4: "host_required" };

/** Normalises whatever a HAWS call rejected with to `{code, message}`. */
export const toHaError = (err: unknown): { code: string; message: string } => {
  if (typeof err === "number") return { code: HAWS_CODES[err] ?? `haws_${err}`, message: HAWS_CODES[err] ?? `error ${err}` };
  const parsed = haErrorSchema.safeParse(err);
  if (parsed.success) {
    const code = typeof parsed.data.code === "number" ? (HAWS_CODES[parsed.data.code] ?? String(parsed.data.code)) : parsed.data.code;
    return { code, message: parsed.data.message ?? code };
  }
  const nested = z.looseObject({ error: haErrorSchema }).safeParse(err);
  if (nested.success) return toHaError(nested.data.error);
  return { code: "unknown_error", message: err instanceof Error ? err.message : String(err) };
};
