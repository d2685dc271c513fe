/**
 * Pure: Home Assistant states → what the card shows for one probe. Wire names (attributes of
 * the add-on's entities) appear only here; the rest of the card uses `ProbeView`.
 */
import { ALL_KINDS } from "../../src/alarms/types";
import type { AlarmKind } from "../../src/shared/model";
import { deviceEntityIds, deviceKeyOf, resolvedProbeEntityIds, type ProbeEntityIds } from "./entities";
import type { HassEntities, HassEntity } from "./ha-types";
import { convertTemp, numAttr, parseNumericState, parseTempUnit, type TempUnit } from "./units";

export type ProbeStatus = "ok" | "unplugged" | "stale" | "offline" | "glitch" | "missing";
export type AlarmPhase = "armed" | "pre_alarm" | "firing" | "snoozed" | "acknowledged";
export type SettingKind = "target" | "high" | "low";

export interface HelperSetting {
  /** Current value in the probe's display unit; null = not set. */
  value: number | null;
  entityId: string;
  /** The helper exists in Home Assistant (it can be edited). */
  editable: boolean;
  min: number;
  max: number;
  step: number;
  /** Unit of the helper itself (values sent to set_value are in this unit). */
  unit: TempUnit | null;
}

export interface EtaView {
  p50Ms: number | null;
  p10Ms: number | null;
  p90Ms: number | null;
  reason: string | null;
  method: string | null;
  remainingMin: number | null;
  /** `[tsS, value, low, high]` in the display unit. */
  forecast: Array<[number, number, number, number]>;
}

/**
 * The probe's most urgent alarm: its phase, the add-on's text (Home Assistant's language) and the
 * facts the card writes its own text from; a fact is null when the add-on does not post it (one
 * older than the facts, or an alarm without that fact).
 */
export interface AlarmView {
  phase: AlarmPhase | null;
  message: string | null;
  kind: AlarmKind | null;
  sinceMs: number | null;
  /** The alarm's value and threshold in the probe's display unit. */
  value: number | null;
  threshold: number | null;
}

export interface DeviceView {
  key: string;
  name: string;
  batteryPct: number | null;
  signalDbm: number | null;
  /** null when the online sensor does not exist. */
  online: boolean | null;
}

export interface ProbeView {
  key: string;
  ids: ProbeEntityIds;
  name: string;
  role: string;
  unit: TempUnit | null;
  unitLabel: string;
  /** Current temperature in `unit`; null when unavailable. */
  temp: number | null;
  status: ProbeStatus;
  min: number | null;
  max: number | null;
  ratePerHour: number | null;
  settings: Record<SettingKind, HelperSetting>;
  stall: { active: boolean; sinceMs: number | null; durationMin: number | null };
  /**
   * When the meat was wrapped: the add-on's `wrapped` attribute (a wrap note from any source; a
   * deleted note clears it), or from an add-on without it the last press of the "wrapped" button
   * (an input_button's state is that time); else null.
   */
  wrappedMs: number | null;
  lidOpen: boolean;
  /** The device's time of the probe's last reading. */
  lastSeenMs: number | null;
  alarm: AlarmView;
  eta: EtaView;
  device: DeviceView;
  /** last_updated of the temperature entity, epoch seconds (ms precision). */
  updatedS: number | null;
}

const STATUSES: readonly ProbeStatus[] = ["ok", "unplugged", "stale", "offline", "glitch"];
const PHASES: readonly AlarmPhase[] = ["armed", "pre_alarm", "firing", "snoozed", "acknowledged"];

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const isoMs = (v: unknown): number | null => {
  if (typeof v !== "string") return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
};

/** Epoch seconds of an ISO time, floored to the millisecond (history rows use the same rule). */
export const isoToS = (iso: string | undefined): number | null => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms) / 1000 : null;
};

/** A friendly name without the redundant " Temperature" suffix the bridge may add. */
const probeName = (st: HassEntity | undefined, key: string): string => {
  const raw = str(st?.attributes["friendly_name"]);
  if (!raw) return key;
  return raw.replace(/\s+(temperature|temperatur)$/i, "");
};

const readSetting = (
  states: HassEntities,
  entityId: string,
  fallback: number | null,
  unit: TempUnit | null,
): HelperSetting => {
  const st = states[entityId];
  const helperUnit = parseTempUnit(st?.attributes["unit_of_measurement"]) ?? unit;
  const min = numAttr(st?.attributes, "min") ?? 0;
  const max = numAttr(st?.attributes, "max") ?? (unit === "°F" ? 600 : 320);
  const step = numAttr(st?.attributes, "step") ?? 1;
  if (!st) return { value: fallback, entityId, editable: false, min, max, step, unit: helperUnit };
  const raw = parseNumericState(st.state);
  // The bridge uses 0 or the helper's minimum for "not set".
  const helperValue = raw === null || raw === 0 || raw <= min ? null : convertTemp(raw, helperUnit, unit);
  // The helper holds the setting to its step (160 °F for a target of 71 °C): while it says the
  // same, the add-on's own value (159.8, the sensor's attribute) is shown, as alarms and the panel
  // write it. A helper just changed shows its new value until the add-on has taken it.
  const stepInUnit = helperUnit === unit ? step : unit === "°F" ? step * 1.8 : step / 1.8;
  const value = helperValue !== null && fallback !== null && Math.abs(helperValue - fallback) <= stepInUnit / 2 + 1e-9 ? fallback : helperValue;
  return { value, entityId, editable: st.state !== "unavailable", min, max, step, unit: helperUnit };
};

const readAlarm = (a: Record<string, unknown>): AlarmView => {
  const phase = str(a["alarm"]);
  const kind = str(a["alarm_kind"]);
  return {
    phase: PHASES.includes(phase as AlarmPhase) ? (phase as AlarmPhase) : null,
    message: str(a["alarm_message"]),
    kind: ALL_KINDS.includes(kind as AlarmKind) ? (kind as AlarmKind) : null,
    sinceMs: isoMs(a["alarm_since"]),
    value: numAttr(a, "alarm_value"),
    threshold: numAttr(a, "alarm_threshold"),
  };
};

const readEta = (st: HassEntity | undefined): EtaView => {
  const a = st?.attributes ?? {};
  const forecast: EtaView["forecast"] = [];
  if (Array.isArray(a["forecast"])) {
    for (const row of a["forecast"] as unknown[]) {
      if (!Array.isArray(row) || row.length < 4) continue;
      const nums = row.slice(0, 4).map((v) => parseNumericState(v));
      if (nums.every((n): n is number => n !== null)) forecast.push(nums as [number, number, number, number]);
    }
  }
  return {
    p50Ms: isoMs(st?.state),
    p10Ms: isoMs(a["p10"]),
    p90Ms: isoMs(a["p90"]),
    reason: str(a["reason"]),
    method: str(a["method"]),
    remainingMin: numAttr(a, "remaining_minutes"),
    forecast,
  };
};

/** The device a probe belongs to, from the device sensors (and the probe's attributes). */
export const readDevice = (states: HassEntities, deviceKey: string, nameHint: string | null): DeviceView => {
  const ids = deviceEntityIds(deviceKey);
  const online = states[ids.online];
  return {
    key: deviceKey,
    name: nameHint ?? deviceKey,
    batteryPct: parseNumericState(states[ids.battery]?.state),
    signalDbm: parseNumericState(states[ids.signal]?.state),
    online: online ? (online.state === "on" ? true : online.state === "off" ? false : null) : null,
  };
};

/** Everything the card shows for one probe, from the current states. */
export const readProbe = (states: HassEntities, key: string, nameOverride?: string): ProbeView => {
  const ids = resolvedProbeEntityIds(states, key);
  const t = states[ids.temperature];
  const a = t?.attributes ?? {};
  const unit = parseTempUnit(a["unit_of_measurement"]);
  const temp = parseNumericState(t?.state);
  const statusAttr = str(a["status"]);
  const status: ProbeStatus = !t
    ? "missing"
    : STATUSES.includes(statusAttr as ProbeStatus)
      ? (statusAttr as ProbeStatus)
      : temp === null
        ? "offline"
        : "ok";
  const stallSt = states[ids.stall];
  const stallActive = stallSt ? stallSt.state === "on" : a["stall"] === true;
  return {
    key,
    ids,
    name: nameOverride ?? probeName(t, key),
    role: str(a["role"]) ?? "meat",
    unit,
    unitLabel: str(a["unit_of_measurement"]) ?? "",
    temp,
    status,
    min: numAttr(a, "min"),
    max: numAttr(a, "max"),
    ratePerHour: numAttr(a, "rate_of_rise"),
    settings: {
      target: readSetting(states, ids.target, numAttr(a, "target"), unit),
      high: readSetting(states, ids.high, numAttr(a, "high"), unit),
      low: readSetting(states, ids.low, numAttr(a, "low"), unit),
    },
    stall: {
      active: stallActive,
      sinceMs: stallActive ? isoMs(stallSt?.attributes["since"]) : null,
      durationMin: stallActive ? numAttr(stallSt?.attributes, "duration_minutes") : null,
    },
    wrappedMs: "wrapped" in a ? isoMs(a["wrapped"]) : isoMs(states[ids.wrapped]?.state),
    lidOpen: a["lid_open"] === true,
    lastSeenMs: isoMs(a["last_seen"]),
    alarm: readAlarm(a),
    eta: readEta(states[ids.eta]),
    device: readDevice(states, deviceKeyOf(key), str(a["device"])),
    updatedS: isoToS(t?.last_updated),
  };
};
