/**
 * Firestore REST encoding of the simulated world: values, documents, error envelopes.
 * Numbers that are whole become `integerValue` strings, like the real cloud sends them.
 */
import type { AccountSpec } from "./scenario";
import type { ChannelRuntime, DeviceRuntime } from "./world";

export class Timestamp {
  constructor(readonly ms: number) {}
}
export type Plain = string | number | boolean | null | Timestamp | Plain[] | { [key: string]: Plain };
export type WireValue = Record<string, unknown>;

export const iso = (ms: number): string => new Date(ms).toISOString();

export const encodeValue = (v: Plain): WireValue => {
  if (v === null) return { nullValue: null };
  if (v instanceof Timestamp) return { timestampValue: iso(v.ms) };
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { booleanValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { integerValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: v.length > 0 ? { values: v.map(encodeValue) } : {} };
  const entries = Object.entries(v);
  return { mapValue: entries.length > 0 ? { fields: encodeFields(v) } : {} };
};

export const encodeFields = (fields: Record<string, Plain>): Record<string, WireValue> =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, encodeValue(v)]));

export interface WireDocument {
  name: string;
  fields: Record<string, WireValue>;
  createTime: string;
  updateTime: string;
}

export const toDocument = (name: string, fields: Record<string, Plain>, createMs: number, updateMs: number): WireDocument => ({
  name,
  fields: encodeFields(fields),
  createTime: iso(createMs),
  updateTime: iso(Math.max(createMs, updateMs)),
});

export const googleError = (code: number, status: string, message: string): { error: { code: number; message: string; status: string } } => ({
  error: { code, message, status },
});

/** Identity Toolkit's error shape (sign-in). */
export const identityError = (message: string): unknown => ({
  error: { code: 400, message, errors: [{ message, domain: "global", reason: "invalid" }] },
});

const ts = (ms: number | null): Timestamp | null => (ms === null ? null : new Timestamp(ms));

export const userFields = (a: AccountSpec, lastLoginMs: number): Record<string, Plain> => ({
  uid: a.uid,
  accountId: a.accountId,
  email: a.email,
  displayName: a.displayName,
  photoURL: "",
  provider: "firebase",
  preferredUnits: "F",
  timeZone: "America/Chicago",
  locale: "en-US",
  appVersion: "1.61.6",
  use24Time: false,
  lastLogin: new Timestamp(lastLoginMs),
  lastSeenInApp: null,
  exportVersion: 0.6,
  roles: { DataReader: true },
  accountRoles: { accountAdmin: true },
  deviceOrder: {
    [a.accountId]: a.devices.map((d, i) => ({ deviceId: d.deviceId ?? d.serial, order: i })),
  },
});

export const deviceFields = (d: DeviceRuntime): Record<string, Plain> => {
  const s = d.spec;
  const seen = d.published.lastSeenMs;
  const fields: Record<string, Plain> = {
    serial: s.serial,
    accountId: d.accountId,
    label: s.label,
    type: s.type,
    device: s.device,
    status: "NORMAL",
    battery: d.published.battery,
    batteryState: s.batteryDrainPerHour > 0 ? "discharging" : "charging",
    batteryAlertSent: false,
    firmware: s.firmware,
    lastSeen: ts(seen),
    lastTelemetrySaved: ts(seen),
    transmitIntervalInSeconds: s.transmitIntervalSec,
    recordingIntervalInSeconds: s.recordingIntervalSec,
    deviceDisplayUnits: s.displayUnits,
    iotDeviceId: s.radio === "rfx" ? s.serial : `T${s.serial.replace(/:/g, "")}`,
    color: "3f90ca",
    exportVersion: 0.5,
    bigQuery: { datasetId: d.accountId, tableId: s.serial.replace(/:/g, "_") },
  };
  if (s.deviceId !== undefined) fields.deviceId = s.deviceId;
  if (s.cadence.kind === "delta") {
    fields.temperatureDeltaTrigger = s.cadence.deltaTrigger;
    fields.heartbeatInterval = s.cadence.heartbeatSec;
  }
  if (s.radio === "wifi") {
    // Misspelt on the real wire.
    fields.wifi_stength = d.published.rssiDbm;
  } else {
    // The real cloud sends this as an integer or, at times, as a string.
    fields.gatewayRSSI = d.published.rssiDbm % 2 === 0 ? d.published.rssiDbm : String(d.published.rssiDbm);
    fields.gatewayLastSeen = ts(d.published.heardMs ?? seen);
  }
  return fields;
};

const alarm = (value: number | undefined, alarming: boolean, units: string): Plain => ({
  enabled: value !== undefined,
  alarming,
  muted: false,
  value: value ?? 0,
  units,
});

export const channelFields = (ch: ChannelRuntime): Record<string, Plain> => {
  const p = ch.published;
  const units = ch.spec.units;
  // Quirk seen on the real cloud: a humidity channel's alarm units say "F".
  const alarmUnits = units === "H" ? "F" : units;
  const minMax = (m: { value: number; atMs: number } | null): Plain =>
    m === null ? {} : { reading: { value: m.value, units }, dateReading: new Timestamp(m.atMs) };
  return {
    number: ch.number,
    value: p.value,
    units,
    label: ch.spec.label,
    type: ch.spec.type,
    status: p.status,
    lastSeen: ts(p.lastSeenMs),
    lastTelemetrySaved: ts(p.lastSeenMs),
    alarmHigh: alarm(ch.spec.alarmHigh, p.alarmingHigh, alarmUnits),
    alarmLow: alarm(ch.spec.alarmLow, p.alarmingLow, alarmUnits),
    minimum: minMax(p.min),
    maximum: minMax(p.max),
    showAvgTemp: false,
    enabled: true,
    showRateOfChange: true,
    color: "none",
    calibration: 0,
    estimatedAlarmStatus: "Alarm needs to be set to calculate estimated time",
  };
};
