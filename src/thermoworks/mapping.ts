/**
 * Pure mapping from parsed cloud documents to our domain types (Device, Probe, Reading).
 * Temperatures are converted to °C here, once; humidity (%RH) is kept as it is.
 */
import type { z } from "zod";
import { DEFAULT_REPORT_DELTA_F, fToC, RFX_CORE_CHANNEL, toDeviceKey, toProbeId, type Device, type DeviceKind, type Probe, type ProbeRole, type Reading } from "../shared";
import { textProblem, timeProblem, toCloudText, valueProblem, type MappingProblem } from "./sanity";
import { decodeFields, documentSchema, formatZodIssues, type ChannelFields, type DeviceFields } from "./schemas";

export type Parsed<T> = { ok: true; id: string; name: string; fields: T } | { ok: false; name: string; error: string };

const lastSegment = (name: string): string => {
  const raw = name.slice(name.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/** Validate a Firestore document and its decoded fields; a failure names the zod path. */
export const parseDocument = <S extends z.ZodType>(raw: unknown, schema: S, fallbackName: string): Parsed<z.output<S>> => {
  const doc = documentSchema.safeParse(raw);
  if (!doc.success) return { ok: false, name: fallbackName, error: formatZodIssues(doc.error) };
  const fields = schema.safeParse(decodeFields(doc.data.fields ?? {}));
  if (!fields.success) return { ok: false, name: doc.data.name, error: formatZodIssues(fields.error, "fields") };
  return { ok: true, id: lastSegment(doc.data.name), name: doc.data.name, fields: fields.data };
};

export const toDeviceKind = (type: string, model: string, serial: string): DeviceKind => {
  const t = type.trim().toLowerCase();
  const d = model.trim().toLowerCase();
  if (d.includes("rfx") && d.includes("meat")) return "rfx_meat";
  if (d.includes("rfx") && d.includes("gateway")) return "rfx_gateway";
  // RFX meat probes have M… serials; their `type` was "bbq" for a while, later "rfx".
  if ((t === "rfx" || t === "bbq") && /^m\d/i.test(serial)) return "rfx_meat";
  if (t === "rfx") return "rfx_gateway";
  if (t === "signals" || d.startsWith("signals")) return "signals";
  if (t === "datalogger" || t === "node" || d.startsWith("node")) return "node";
  if (t.includes("bluedot") || d.includes("bluedot")) return "bluedot";
  if (t.includes("smoke") || d.includes("smoke")) return "smoke";
  return "unknown";
};

/** Words that mark a cooker-air probe, as whole words ("Pit", "Grill 2", "Dome"; not "Grilled"). */
const PIT_WORDS = /(?<![a-z])(pit|grill|smoker|ambient|air|dome|grate|oven)s?(?![a-z])/i;

export const toProbeRole = (kind: DeviceKind, units: string, label: string, type: string): ProbeRole => {
  if (units.toUpperCase() === "H" || /humidity/i.test(type)) return "humidity";
  if (PIT_WORDS.test(label) || PIT_WORDS.test(type)) return "pit";
  // The RFX gateway's single channel is its "Pro-Series" air probe.
  if (kind === "rfx_gateway") return "pit";
  // A Node is a room/fridge logger: its air temperature is not a meat probe.
  if (kind === "node") return "ambient";
  return "meat";
};

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** A device's times that are possible at `nowMs` (others null), and why the rest were not. */
const saneDeviceTimes = (f: DeviceFields, nowMs: number): { lastSeen: number | null; gatewayLastSeen: number | null; problems: MappingProblem[] } => {
  const problems: MappingProblem[] = [];
  const sane = (field: string, ms: number | null | undefined): number | null => {
    if (ms === null || ms === undefined) return null;
    const problem = timeProblem(field, ms, nowMs);
    if (problem) problems.push(problem);
    return problem ? null : ms;
  };
  return { lastSeen: sane("lastSeen", f.lastSeen), gatewayLastSeen: sane("gatewayLastSeen", f.gatewayLastSeen), problems };
};

/** Free text of a device or channel: shown and stored, never interpreted beyond its words. */
const DEVICE_TEXT = ["label", "device", "type", "firmware", "batteryState"] as const;
const CHANNEL_TEXT = ["label", "type"] as const;

const textProblems = <F extends Partial<Record<string, unknown>>>(f: F, keys: readonly (keyof F & string)[]): MappingProblem[] =>
  keys.flatMap((k) => {
    const v = f[k];
    const problem = typeof v === "string" ? textProblem(k, v) : null;
    return problem ? [problem] : [];
  });

/** Cloud text as we keep it (see toCloudText); null stays null. */
const text = <T extends string | null | undefined>(raw: T): T | string => (typeof raw === "string" ? toCloudText(raw) : raw);

/** What `toDevice` did not take at face value (for the log). */
export const deviceProblems = (f: DeviceFields, nowMs: number): MappingProblem[] => [...saneDeviceTimes(f, nowMs).problems, ...textProblems(f, DEVICE_TEXT)];

/** One device document → Device, as seen at `nowMs` (a last contact in the future is none). */
export const toDevice = (id: string, raw: DeviceFields, nowMs: number): Device => {
  const serial = raw.serial ?? id;
  const times = saneDeviceTimes(raw, nowMs);
  const f: DeviceFields = { ...raw, label: text(raw.label), device: text(raw.device), type: text(raw.type), firmware: text(raw.firmware), batteryState: text(raw.batteryState) };
  const kind = toDeviceKind(f.type ?? "", f.device ?? "", serial);
  const wifi = f.wifi_stength ?? f.wifi_strength ?? null;
  const rfx = f.gatewayRSSI ?? null;
  return {
    serial,
    key: toDeviceKey(serial),
    label: f.label ?? "",
    kind,
    model: f.device ?? f.type ?? "",
    firmware: f.firmware ?? null,
    batteryPct: f.battery === null || f.battery === undefined ? null : Math.max(0, Math.min(100, f.battery)),
    batteryState: f.batteryState ?? null,
    signalDbm: kind === "rfx_meat" ? (rfx ?? wifi) : (wifi ?? rfx),
    lastSeenMs: latest(times.lastSeen, kind === "rfx_meat" ? times.gatewayLastSeen : null),
    transmitIntervalSec: (kind === "rfx_meat" ? positive(f.heartbeatInterval) : f.transmitIntervalInSeconds) ?? null,
    reportDeltaC: kind === "rfx_meat" ? reportDeltaC(f) : null,
  };
};

const positive = (x: number | null | undefined): number | null => (x !== null && x !== undefined && x > 0 ? x : null);

const latest = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined ? (b ?? null) : b === null || b === undefined ? a : Math.max(a, b);

/** The RFX trigger in °C: degrees of the device's display unit (°F unless it says °C). */
const reportDeltaC = (f: DeviceFields): number => {
  const inC = (f.deviceDisplayUnits ?? "F").trim().toUpperCase() === "C";
  const degrees = positive(f.temperatureDeltaTrigger) ?? DEFAULT_REPORT_DELTA_F;
  return round3(inC ? degrees : (degrees * 5) / 9);
};

export interface ChannelMapping {
  probe: Probe;
  /** Null when the channel has no timestamp at all (nothing to key a reading by). */
  reading: Reading | null;
  /** What was not taken at face value (the client logs it). */
  problems: MappingProblem[];
}

/** An enabled channel alarm in °C (its own `units`, else the channel's); null when off or unreadable. */
const alarmC = (alarm: ChannelFields["alarmHigh"], channelUnits: string): number | null => {
  if (!alarm?.enabled || typeof alarm.value !== "number") return null;
  const units = (alarm.units ?? channelUnits).trim().toUpperCase();
  if (units === "F") return round3(fToC(alarm.value));
  return units === "C" ? round3(alarm.value) : null;
};

/**
 * One channel → Probe + Reading (°C; %RH for humidity), as seen at `nowMs`. Channels without
 * `units` use the device's display unit, else °F (the US cloud's default). A channel whose own
 * time is impossible (before 2015, or ahead of our clock) has no reading: its value is not
 * known to be of any time we could file it under.
 */
export const toChannel = (device: Device, deviceFields: DeviceFields, id: string, f: ChannelFields, nowMs: number): ChannelMapping => {
  const channel = f.number ?? id;
  const units = (f.units ?? deviceFields.deviceDisplayUnits ?? "F").trim().toUpperCase();
  const label = toCloudText(f.label ?? "");
  const type = toCloudText(f.type ?? "");
  const probe: Probe = {
    id: toProbeId(device.serial, channel),
    deviceSerial: device.serial,
    deviceKey: device.key,
    channel,
    label,
    type,
    role: toProbeRole(device.kind, units, label, type),
    cloudAlarmHighC: alarmC(f.alarmHigh, units),
    cloudAlarmLowC: alarmC(f.alarmLow, units),
  };
  const known = units === "F" || units === "C" || units === "H";
  const raw = f.value ?? null;
  const converted = raw === null || !known ? null : units === "F" ? round3(fToC(raw)) : round3(raw);
  const badValue = converted === null ? null : valueProblem(converted, units === "H");
  // An impossible value is no reading, as the probe's "no value" is: its time still counts.
  const value = badValue ? null : converted;
  // A device that uploads on change still reads what it last uploaded while it is heard from:
  // the reading holds until the device's last contact (an RFX Meat probe in a stall uploads
  // nothing for an hour, and is neither stale nor at some older time meanwhile).
  const badTime = f.lastSeen === null || f.lastSeen === undefined ? null : timeProblem("lastSeen", f.lastSeen, nowMs, "reading skipped");
  const tsMs = badTime ? null : device.reportDeltaC === null ? (f.lastSeen ?? device.lastSeenMs) : latest(f.lastSeen, device.lastSeenMs);
  const problems: MappingProblem[] = [];
  if (badTime) problems.push(badTime);
  if (badValue) problems.push(badValue);
  if (!known) problems.push({ field: "units", problem: "is not F, C or H; value ignored", value: toCloudText(units, 16) });
  problems.push(...textProblems(f, CHANNEL_TEXT));
  return {
    probe,
    reading: tsMs === null ? null : { probeId: probe.id, tsMs, tempC: value },
    problems,
  };
};

/**
 * An RFX Meat probe has 4 sensors along its shaft and the coldest is the centre of the meat: the
 * ThermoWorks app shows only that one. Here it becomes a probe of its own, channel "core" (the
 * lowest sensor reading, at the latest of their times), labelled like the device: the one to set
 * a target on, with its ETA, stall and alarms. The sensors stay probes (to see the gradient),
 * and an alarm set in the app moves from the sensor it is stored on to the core, so one cook does
 * not ring twice.
 */
export const withRfxCore = (device: Device, channels: readonly ChannelMapping[]): ChannelMapping[] => {
  const sensors = channels.filter((c) => c.probe.role === "meat");
  // Even for one sensor (the others not found): a sensor gets no ETA, stall or alarms of its own
  // (`isRfxSensor`), so without a core such a probe had none anywhere.
  if (device.kind !== "rfx_meat" || sensors.length === 0) return [...channels];
  let tsMs: number | null = null;
  let lowestC: number | null = null;
  for (const { reading } of sensors) {
    if (reading === null) continue;
    tsMs = Math.max(tsMs ?? reading.tsMs, reading.tsMs);
    if (reading.tempC !== null) lowestC = Math.min(lowestC ?? reading.tempC, reading.tempC);
  }
  const firstSet = (pick: (p: Probe) => number | null | undefined): number | null => sensors.map((c) => pick(c.probe) ?? null).find((v) => v !== null) ?? null;
  const probe: Probe = {
    id: toProbeId(device.serial, RFX_CORE_CHANNEL),
    deviceSerial: device.serial,
    deviceKey: device.key,
    channel: RFX_CORE_CHANNEL,
    label: device.label,
    type: "rfx meat core",
    role: "meat",
    cloudAlarmHighC: firstSet((p) => p.cloudAlarmHighC),
    cloudAlarmLowC: firstSet((p) => p.cloudAlarmLowC),
  };
  const core: ChannelMapping = { probe, reading: tsMs === null ? null : { probeId: probe.id, tsMs, tempC: lowestC }, problems: [] };
  const rest = channels.map((c) => (c.probe.role === "meat" ? { ...c, probe: { ...c.probe, cloudAlarmHighC: null, cloudAlarmLowC: null } } : c));
  return [core, ...rest];
};
