/**
 * Plain domain types shared by every module. No logic here beyond tiny type guards.
 * Units are in the names: temperatures in °C (`tempC`), times in epoch milliseconds (`tsMs`).
 */

import type { ProbeAutoName } from "./probe-name";

/** What a probe measures. `pit` = cooker air, `meat` = in the food, `ambient` = outdoor/room air. */
export type ProbeRole = "meat" | "pit" | "ambient" | "humidity";

/** Device family as we model it (mapped from the cloud's `type`/`device` strings). */
export type DeviceKind = "signals" | "rfx_gateway" | "rfx_meat" | "node" | "bluedot" | "smoke" | "unknown";

/**
 * Channel of an RFX Meat probe's core: the lowest of its four sensors, as the ThermoWorks app
 * shows it (added by the cloud mapping; entity ids derive from it).
 */
export const RFX_CORE_CHANNEL = "core";

/**
 * An RFX Meat sensor other than the core. The core watches the same meat, so what concerns the
 * meat as a whole (unplugged / stale alarms, the stall) is the core's: one, not five.
 */
export const isRfxSensor = (deviceKind: DeviceKind | undefined, channel: string): boolean => deviceKind === "rfx_meat" && channel !== RFX_CORE_CHANNEL;

/** A ThermoWorks device (one Firestore `devices/{serial}` document). */
export interface Device {
  /** Serial as the cloud spells it: a MAC with colons, or `M1000…` for RFX meat probes. */
  serial: string;
  /** Stable, lower-case, alphanumeric form of the serial: safe in URLs and entity ids. */
  key: string;
  label: string;
  kind: DeviceKind;
  /** Model string from the cloud (`device` field), e.g. "signals", "rfx meat". */
  model: string;
  firmware: string | null;
  /** Battery in percent 0–100, or null when the device does not report one. */
  batteryPct: number | null;
  batteryState: string | null;
  /** Wi-Fi RSSI (`wifi_stength`) or RFX RSSI (`gatewayRSSI`) in dBm; null when absent. */
  signalDbm: number | null;
  /**
   * The device's last contact, epoch ms: `lastSeen`, or for an RFX Meat probe the later of that
   * and `gatewayLastSeen` (when its gateway last heard it, which an unchanged reading does not
   * upload).
   */
  lastSeenMs: number | null;
  /**
   * How often a live device is heard from, seconds; null if unknown: the upload period it
   * promises (`transmitIntervalInSeconds`), or for one that uploads on change its
   * `heartbeatInterval` (an RFX Meat probe's own `transmitIntervalInSeconds`, always 60, means
   * nothing: cloud doc §7).
   */
  transmitIntervalSec: number | null;
  /**
   * For a device that uploads when a reading has moved rather than on a clock (an RFX Meat probe:
   * `temperatureDeltaTrigger`, 1–3° in its display unit), that step in °C; null for devices on a
   * clock. Between uploads its reading is the last one, give or take this.
   */
  reportDeltaC: number | null;
}

/**
 * An RFX Meat probe that does not say its trigger is taken to use the smallest one (1°): the
 * most often it can upload.
 */
export const DEFAULT_REPORT_DELTA_F = 1;

/**
 * How long a device that uploads on change and names no heartbeat may stay silent and still be
 * live, seconds. Meat in a stall can hold a reading within a 1 °F trigger for an hour, so
 * nothing short tells a quiet probe from a dead one; this only spares the stall a "stale" flag
 * and an offline alarm every few minutes.
 */
export const CHANGE_ONLY_SILENCE_SEC = 900;

/** How often a live device is heard from, seconds (null if unknown): see `Device.transmitIntervalSec`. */
export const heardEverySec = (d: Pick<Device, "transmitIntervalSec" | "reportDeltaC">): number | null =>
  d.transmitIntervalSec ?? (d.reportDeltaC === null ? null : CHANGE_ONLY_SILENCE_SEC);

/** A device or probe counts as silent after this many missed upload periods. */
const MISSED_PERIODS = 3;

/** Minutes without contact after which a device is silent: the rule's minutes, or 3 of its periods (heardEverySec) if longer. */
export const silentAfterMinutes = (ruleMinutes: number, device: Pick<Device, "transmitIntervalSec" | "reportDeltaC"> | undefined): number =>
  Math.max(ruleMinutes, (MISSED_PERIODS * (device ? (heardEverySec(device) ?? 0) : 0)) / 60);

/** One channel of a device. */
export interface Probe {
  /** `${device.key}_${channel}`: stable, derived from serial and channel, never from labels. */
  id: string;
  deviceSerial: string;
  deviceKey: string;
  /** Channel number as the cloud has it ("1", "2", …). */
  channel: string;
  /** Probe label from the cloud (untrusted text; may be empty). */
  label: string;
  /** Cloud probe type string, e.g. "Pro-Series", "rfx meat sensor". */
  type: string;
  role: ProbeRole;
  /**
   * The alarm thresholds set on this channel in the ThermoWorks app (°C), when enabled: on a meat
   * probe the high alarm is the done temperature, on the pit the high/low bounds. Used once, as
   * the starting settings of a probe we have never seen.
   */
  cloudAlarmHighC?: number | null;
  cloudAlarmLowC?: number | null;
}

/** One reading, keyed by probe and the device's own timestamp. `tempC: null` = no reading (unplugged). */
export interface Reading {
  probeId: string;
  tsMs: number;
  tempC: number | null;
}

/** Everything one poll of the cloud produced. */
export interface PollResult {
  atMs: number;
  devices: Device[];
  probes: Probe[];
  /** Only readings that are new since the previous poll (deduplicated by probe + device timestamp). */
  readings: Reading[];
}

/** Health of a probe as analytics sees it. */
export type ProbeHealth = "ok" | "unplugged" | "stale" | "offline" | "glitch" | "unknown";

/** Done-time estimate for a meat probe with a target. Times are epoch ms. */
export interface Eta {
  /** P50 done time, or null when unknown (then `reason` says why). */
  doneMs: number | null;
  p10Ms: number | null;
  p90Ms: number | null;
  /** Why the estimate is unknown, or a short note on how it was made. */
  reason: string | null;
  /** "newton" | "stall" | "linear" | "done" | "none" */
  method: string;
}

export interface StallState {
  stalled: boolean;
  /** When the current (or last) stall began, epoch ms. */
  sinceMs: number | null;
  /** When the last stall ended, epoch ms (null while stalled or never stalled). */
  endedMs: number | null;
  durationMs: number;
}

export interface ForecastPoint {
  tsMs: number;
  tempC: number;
  /** Range of the forecast temperature at that time. */
  lowC: number;
  highC: number;
}

/** Per-probe settings, stored in SQLite and mirrored to Home Assistant helpers. */
export interface ProbeSettings {
  probeId: string;
  targetC: number | null;
  highC: number | null;
  lowC: number | null;
}

/** The current view of one probe: what `/api/probes`, the stream and Home Assistant publish. */
export interface ProbeState {
  id: string;
  deviceSerial: string;
  deviceKey: string;
  /** The device's kind ("unknown" before it was reported): an RFX Meat probe's sensors defer to its core. */
  deviceKind: DeviceKind;
  channel: string;
  /** Display name: the probe label, else "<device label> probe <channel>". */
  name: string;
  /** Without a label of its own: the device label and channel it is named after (to say it in another language); else null. */
  autoName: ProbeAutoName | null;
  role: ProbeRole;
  tempC: number | null;
  /** Device timestamp of the last reading (null before the first). */
  tsMs: number | null;
  status: ProbeHealth;
  minC: number | null;
  maxC: number | null;
  /** Smoothed rate of rise in °C per hour, null when not enough data. */
  rateCPerHour: number | null;
  targetC: number | null;
  highC: number | null;
  lowC: number | null;
  eta: Eta | null;
  stall: StallState | null;
  /** A few points from now to the predicted done time, for the chart. */
  forecast: ForecastPoint[];
  /** For the pit: true while a lid opening is in progress. */
  lidOpen: boolean;
  /** For meat: when it was wrapped (the running cook's latest wrap note for it), else null. */
  wrappedMs: number | null;
}

/** What a cook's timeline event is: the user's notes, or what the service marked by itself (lid, stall, reinsertion). */
export const COOK_EVENT_KINDS = ["note", "wrap", "spritz", "wood", "lid_open", "lid_closed", "stall_start", "stall_end", "probe_reinserted", "other"] as const;
export type CookEventKind = (typeof COOK_EVENT_KINDS)[number];
/** A timed note may sit this far past a cook's end (or now, while it runs): the device's clock vs ours. */
export const COOK_EVENT_SLACK_MS = 5 * 60_000;

export interface CookEvent {
  id: number;
  cookId: number;
  tsMs: number;
  kind: CookEventKind;
  text: string;
  probeId: string | null;
}

export interface Cook {
  id: number;
  name: string;
  startMs: number;
  /** null while the cook is running. */
  endMs: number | null;
  notes: string;
  probeIds: string[];
  /** Target per probe id, °C. */
  targets: Record<string, number>;
}

export type AlarmKind = "target" | "high" | "low" | "pre_alarm" | "unplugged" | "offline" | "stale" | "battery_low";
export type AlarmPhase = "armed" | "pre_alarm" | "firing" | "snoozed" | "acknowledged";

export interface AlarmState {
  /** `${probeId or deviceKey}:${kind}` */
  id: string;
  kind: AlarmKind;
  probeId: string | null;
  deviceKey: string | null;
  phase: AlarmPhase;
  /** The message a person sees ("Brisket reached 96 °C (target 95 °C) at 18:42"). */
  message: string;
  valueC: number | null;
  thresholdC: number | null;
  sinceMs: number;
  snoozedUntilMs: number | null;
  repeatCount: number;
  critical: boolean;
}

export type TemperatureUnit = "C" | "F";

export const isMeat = (p: { role: ProbeRole }): boolean => p.role === "meat";
