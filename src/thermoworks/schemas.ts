/**
 * Wire schemas of the ThermoWorks Cloud (Firebase Auth + Firestore REST). The only place the
 * cloud's field names appear. Parsing is lenient where the real cloud is inconsistent:
 * `integerValue` as string or number, numbers that flip between integer and double, the
 * misspelt `wifi_stength`, `gatewayRSSI` as number or string, absent optional fields.
 */
import { z } from "zod";

/** A Firestore REST `Value`. Unknown kinds (bytes, geoPoint) pass and decode to undefined. */
export interface FirestoreValue {
  stringValue?: string;
  integerValue?: string | number;
  doubleValue?: number | string;
  booleanValue?: boolean;
  timestampValue?: string;
  nullValue?: null | string;
  mapValue?: { fields?: Record<string, FirestoreValue> };
  arrayValue?: { values?: FirestoreValue[] };
  referenceValue?: string;
}

/**
 * Firestore nests maps and arrays at most 20 levels deep, so a deeper value is malformed. The
 * cap is built into the schema (one schema per level, not a recursive lazy one): a document
 * nested thousands of levels deep would otherwise overflow the stack in the parser and the
 * decoder, which fails the whole poll instead of that one document.
 */
export const MAX_VALUE_DEPTH = 20;
const TOO_DEEP = `nested deeper than ${MAX_VALUE_DEPTH} levels of maps/arrays`;

const valueSchemaAt = (depth: number): z.ZodType<FirestoreValue> => {
  const inner = depth < MAX_VALUE_DEPTH ? valueSchemaAt(depth + 1) : null;
  return z
    .object({
      stringValue: z.string().optional(),
      integerValue: z.union([z.string(), z.number()]).optional(),
      doubleValue: z.union([z.number(), z.string()]).optional(),
      booleanValue: z.boolean().optional(),
      timestampValue: z.string().optional(),
      nullValue: z.union([z.null(), z.string()]).optional(),
      mapValue: inner ? z.object({ fields: z.record(z.string(), inner).optional() }).optional() : z.never({ error: TOO_DEEP }).optional(),
      arrayValue: inner ? z.object({ values: z.array(inner).optional() }).optional() : z.never({ error: TOO_DEEP }).optional(),
      referenceValue: z.string().optional(),
    })
    .loose();
};

/** A field's value: depth 0; the values inside a map or array one level deeper each. */
export const firestoreValueSchema: z.ZodType<FirestoreValue> = valueSchemaAt(0);

export const documentSchema = z.object({
  name: z.string().min(1),
  fields: z.record(z.string(), firestoreValueSchema).optional(),
  createTime: z.string().optional(),
  updateTime: z.string().optional(),
});
export type FirestoreDocument = z.infer<typeof documentSchema>;

/**
 * runQuery answers an array. Only the array is checked as a whole; each row is checked alone
 * (`runQueryRowSchema`), so one that is not an object costs that row, not the device list.
 */
export const runQueryResponseSchema = z.array(z.unknown());

/** One runQuery row; rows without `document` (the empty result, progress rows) are skipped. */
export const runQueryRowSchema = z.object({ document: z.unknown().optional(), readTime: z.string().optional() }).loose();

export type Decoded = string | number | boolean | null | Date | undefined | Decoded[] | { [key: string]: Decoded };

/**
 * Firestore value → plain JS (only for values `firestoreValueSchema` accepted, so the recursion
 * is at most MAX_VALUE_DEPTH deep). Timestamps become Date (invalid text → Invalid Date, which the
 * field schemas reject with a path); NaN/Infinity doubles become null (no reading).
 */
export const decodeValue = (v: FirestoreValue): Decoded => {
  if (v.integerValue !== undefined) return typeof v.integerValue === "number" ? v.integerValue : Number(v.integerValue);
  if (v.doubleValue !== undefined) {
    const n = typeof v.doubleValue === "number" ? v.doubleValue : Number(v.doubleValue);
    return Number.isFinite(n) ? n : null;
  }
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.booleanValue !== undefined) return v.booleanValue;
  if (v.timestampValue !== undefined) return new Date(v.timestampValue);
  if (Object.hasOwn(v, "nullValue")) return null;
  if (v.mapValue !== undefined) return decodeFields(v.mapValue.fields ?? {});
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(decodeValue);
  if (v.referenceValue !== undefined) return v.referenceValue;
  return undefined;
};

export const decodeFields = (fields: Record<string, FirestoreValue>): { [key: string]: Decoded } =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, decodeValue(v)]));

/** A number sent as a number, or as decimal text (integerValue strings, `gatewayRSSI` as stringValue). */
const looseNumber = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^[-+]?\d+(\.\d+)?$/, "expected a number")
    .transform(Number),
]);
const epochMs = z.date().transform((d) => d.getTime());

export const userFieldsSchema = z.object({ accountId: z.string().min(1, "is empty") });

export const deviceFieldsSchema = z.object({
  // An identifier, not text: too long or without a letter or digit it would make no usable id
  // (toDeviceKey keeps only those), so the document is malformed rather than shortened.
  serial: z.string().min(1).max(64, "is longer than 64 characters").regex(/[A-Za-z0-9]/, "has no letter or digit").nullish(),
  /** Absent on RFX meat probes. */
  deviceId: z.string().nullish(),
  accountId: z.string().nullish(),
  label: z.string().nullish(),
  /** Device family: "signals", "rfx", "bbq", "datalogger", … */
  type: z.string().nullish(),
  /** Model: "signals", "rfx gateway", "rfx meat", "node", … */
  device: z.string().nullish(),
  firmware: z.string().nullish(),
  /** Percent. */
  battery: looseNumber.nullish(),
  batteryState: z.string().nullish(),
  /** Wi-Fi RSSI in dBm; the misspelling is the cloud's. */
  wifi_stength: looseNumber.nullish(),
  wifi_strength: looseNumber.nullish(),
  /** RFX radio RSSI to the gateway in dBm; integer or string. */
  gatewayRSSI: looseNumber.nullish(),
  lastSeen: epochMs.nullish(),
  /** RFX Meat: when its gateway last heard it (a reading that did not move is not uploaded). */
  gatewayLastSeen: epochMs.nullish().catch(null),
  transmitIntervalInSeconds: looseNumber.nullish(),
  /** RFX Meat: degrees (display unit) a reading must move before it is uploaded, 1–3. */
  temperatureDeltaTrigger: looseNumber.nullish().catch(null),
  /** Seconds between a device's signs of life (JSDK only; RFX). */
  heartbeatInterval: looseNumber.nullish().catch(null),
  /** "F" or "C": the fallback unit for channels that do not say. */
  deviceDisplayUnits: z.string().nullish(),
});
export type DeviceFields = z.infer<typeof deviceFieldsSchema>;

const channelAlarmSchema = z.object({
  enabled: z.boolean().nullish(),
  value: looseNumber.nullish(),
  units: z.string().nullish(),
});

export const channelFieldsSchema = z.object({
  number: z.union([z.string().max(16, "is longer than 16 characters").regex(/[A-Za-z0-9]/, "has no letter or digit"), z.number().int().min(0).max(999).transform(String)]).nullish(),
  /** Current reading in `units`; null = no reading (unplugged, RFX sensor without a value). */
  value: looseNumber.nullish(),
  /** "F", "C" or "H" (%RH). */
  units: z.string().nullish(),
  label: z.string().nullish(),
  type: z.string().nullish(),
  status: z.string().nullish(),
  lastSeen: epochMs.nullish(),
  /** `{enabled, alarming, value, units}`; a malformed alarm map is ignored, never fatal. */
  alarmHigh: channelAlarmSchema.nullish().catch(null),
  alarmLow: channelAlarmSchema.nullish().catch(null),
});
export type ChannelFields = z.infer<typeof channelFieldsSchema>;

export const signInResponseSchema = z.object({
  localId: z.string().min(1),
  idToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresIn: looseNumber.pipe(z.number().positive()),
});

export const refreshResponseSchema = z
  .object({
    id_token: z.string().min(1).optional(),
    access_token: z.string().min(1).optional(),
    refresh_token: z.string().min(1),
    expires_in: looseNumber.pipe(z.number().positive()),
    user_id: z.string().optional(),
  })
  .refine((r) => r.id_token !== undefined || r.access_token !== undefined, { message: "has neither id_token nor access_token" });

export const webConfigSchema = z.object({ projectId: z.string().min(1) }).loose();

/** Google's error envelope (Identity Toolkit, Secure Token, Firestore all use variants of it). */
export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.number().optional(), message: z.string().optional(), status: z.string().optional() }).loose(),
});

/** `a.b.c: message` for the first few issues, for log lines. */
export const formatZodIssues = (err: z.ZodError, prefix = ""): string =>
  err.issues
    .slice(0, 3)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join(".") || "(root)"}: ${i.message}`)
    .join("; ");
