/**
 * Entity mapping (pure): which Home Assistant states the add-on posts for each probe and device,
 * and the one function that builds every entity id. Ids come from the device key and the
 * channel only, never from labels, so renaming a probe in the ThermoWorks app keeps its history;
 * nor from the language the names are written in (names.ts).
 */
import { deltaToUnit, heardEverySec, isRfxSensor, probeNameIn, round1, toUnit, unitSymbol, type AlarmKind, type AlarmState, type Device, type Eta, type ProbeState, type TemperatureUnit } from "../shared";
import { friendlyName } from "./names";

export type ProbeEntityKind = "temperature" | "humidity" | "eta" | "stall";
export type DeviceEntityKind = "battery" | "signal" | "online";
export type HelperKind = "target" | "high" | "low" | "acknowledge" | "snooze" | "wrapped";
export type EntityKind = ProbeEntityKind | DeviceEntityKind | HelperKind | "status";

const DOMAIN_OF: Record<EntityKind, string> = {
  temperature: "sensor",
  humidity: "sensor",
  eta: "sensor",
  stall: "binary_sensor",
  battery: "sensor",
  signal: "sensor",
  online: "binary_sensor",
  status: "sensor",
  target: "input_number",
  high: "input_number",
  low: "input_number",
  acknowledge: "input_button",
  snooze: "input_button",
  wrapped: "input_button",
};

/** Lower-case `[a-z0-9_]` without doubled or edge underscores (what HA accepts in an object id). */
const idPart = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "x";

/**
 * THE entity id function. `sensor.grill_stats_<devicekey>_<channel>_temperature`,
 * `binary_sensor.grill_stats_<devicekey>_online`, `input_number.grill_stats_<devicekey>_<channel>_target`,
 * `sensor.grill_stats_status`. For helpers this is the id we ask for; HA may have given another.
 */
export const entityId = (kind: EntityKind, ref: { deviceKey: string; channel?: string } | null = null): string => {
  const parts = ["grill_stats"];
  if (ref) {
    parts.push(idPart(ref.deviceKey));
    if (ref.channel !== undefined) parts.push(idPart(ref.channel));
  }
  parts.push(kind);
  return `${DOMAIN_OF[kind]}.${parts.join("_")}`;
};

/** The object id part of an entity id (`sensor.x` → `x`): helper item ids equal it. */
export const objectIdOf = (id: string): string => id.slice(id.indexOf(".") + 1);

export interface EntityPost {
  entityId: string;
  state: string;
  attributes: Record<string, unknown>;
  /**
   * Attributes that move with nearly every reading while nothing a person reads from them does
   * (when the probe was last heard, its rate, its low and high; a done time's range and forecast).
   * Every post whose attributes differ is a new row in Home Assistant's recorder, so the values of
   * `keys` last sent are sent again instead while `standing` and the other attributes stand, for
   * at most `everyMs`; then, or at once when one of those changes, the new ones go out.
   */
  hold?: { keys: readonly string[]; everyMs: number; standing: string };
}

/**
 * How long the held attributes (EntityPost.hold) stand at most: a temperature's last seen, rate,
 * min and max and a done time's range and forecast, 720 new recorder rows an hour per probe at 5 s
 * polls before.
 */
export const HOLD_MS = 60_000;

export interface MapContext {
  unit: TemperatureUnit;
  nowMs: number;
  device: Device | undefined;
  /** The probe's most urgent alarm, if any. */
  alarm?: Pick<AlarmState, "kind" | "phase" | "message" | "sinceMs" | "valueC" | "thresholdC"> | null;
  /** Home Assistant's language tag ("de-CH"): the friendly names are written in it. */
  language: string;
  /** The probe's helpers whose entity id is not the one we gave them (a user renamed it). */
  helpers?: Partial<Record<HelperKind, string>>;
  /** The done time the eta entity says (steadyDoneMs); without, the forecast's own. */
  shownDoneMs?: number | null;
}

/** A done time moves in Home Assistant when the forecast moved by more than this share of the time left (and a minute). */
export const DONE_TIME_TOLERANCE = 0.05;

/**
 * The done time Home Assistant is told, given the one it was last told (`shownMs`): the
 * forecast's when it moved by more than max(1 min, 5 % of the time left), left its own P10–P90
 * range or the time told has passed, else the one told. A sensor without a unit is in Home Assistant's logbook with every
 * change of state, and the P50 jitters by a minute with nearly every reading: 300 lines an hour
 * early in a cook, for a move no pitmaster acts on three hours out.
 */
export const steadyDoneMs = (shownMs: number | null, eta: Eta | null, nowMs: number): number | null => {
  if (eta === null || eta.doneMs === null || shownMs === null || eta.method === "done") return eta?.doneMs ?? null;
  const doneMs = eta.doneMs;
  const toleranceMs = Math.max(60_000, DONE_TIME_TOLERANCE * Math.max(0, doneMs - nowMs));
  // A time told that has passed while the meat still heats is no done time any more.
  const outside = (eta.p10Ms !== null && shownMs < eta.p10Ms) || (eta.p90Ms !== null && shownMs > eta.p90Ms) || shownMs <= nowMs;
  return outside || Math.abs(doneMs - shownMs) > toleranceMs ? doneMs : shownMs;
};

const PHASE_URGENCY: Record<AlarmState["phase"], number> = { firing: 4, pre_alarm: 3, snoozed: 2, acknowledged: 1, armed: 0 };

/** The alarm a person should see first for this probe: firing before pre-alarm before snoozed… */
export const mostUrgentAlarm = (alarms: readonly AlarmState[], probeId: string): AlarmState | null => {
  let best: AlarmState | null = null;
  for (const a of alarms) {
    if (a.probeId !== probeId) continue;
    if (!best || PHASE_URGENCY[a.phase] > PHASE_URGENCY[best.phase]) best = a;
  }
  return best;
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
/**
 * A done time to the minute: a forecast moves by seconds with every reading, and each new state
 * is a row in Home Assistant's recorder (a done time is read in minutes anyway). A forecast to
 * the nearest minute; a time that has been (`past`: the target reached) never rounded up.
 */
const isoMinute = (ms: number | null, past = false): string | null => (ms === null ? null : iso((past ? Math.floor : Math.round)(ms / 60_000) * 60_000));
const temp = (c: number | null, unit: TemperatureUnit): number | null => (c === null ? null : round1(toUnit(c, unit)));
const UNAVAILABLE_HEALTH = new Set(["unplugged", "stale", "offline"]);
/**
 * Alarms whose value and threshold are temperatures (AlarmState.valueC/thresholdC). An unplugged
 * or stale alarm has neither; a device's offline or battery alarm is no probe's alarm.
 */
const TEMPERATURE_ALARMS: ReadonlySet<AlarmKind> = new Set(["target", "pre_alarm", "high", "low"]);

/**
 * The facts of the probe's most urgent alarm, for a viewer that writes its text in its own
 * language (the card): null, as `alarm_message`, when there is none or it is only armed.
 */
const alarmAttributes = (a: MapContext["alarm"], inUnit: (c: number | null) => number | null): Record<string, unknown> => {
  const shown = a && a.phase !== "armed" ? a : null;
  const temperature = shown !== null && TEMPERATURE_ALARMS.has(shown.kind);
  return {
    alarm_message: shown?.message ?? null,
    alarm_kind: shown?.kind ?? null,
    alarm_since: shown ? iso(shown.sinceMs) : null,
    alarm_value: temperature ? inUnit(shown.valueC) : null,
    alarm_threshold: temperature ? inUnit(shown.thresholdC) : null,
  };
};

/**
 * Does the probe get an ETA and a stall entity? Only meat probes have a done time, and of an RFX
 * Meat probe only its core (its sensors post their temperature only).
 */
export const hasEta = (p: Pick<ProbeState, "role" | "channel" | "deviceKind">): boolean => p.role === "meat" && !isRfxSensor(p.deviceKind, p.channel);

const probeTemperature = (p: ProbeState, ctx: MapContext): EntityPost => {
  const u = ctx.unit;
  const unavailable = p.tempC === null || UNAVAILABLE_HEALTH.has(p.status);
  const humidity = p.role === "humidity";
  const ref = { deviceKey: p.deviceKey, channel: p.channel };
  // A humidity channel's values are percent, as its state.
  const inUnit = (c: number | null): number | null => (humidity ? c : temp(c, u));
  const attributes: Record<string, unknown> = {
    unit_of_measurement: humidity ? "%" : unitSymbol(u),
    device_class: humidity ? "humidity" : "temperature",
    state_class: "measurement",
    friendly_name: probeNameIn(ctx.language, p),
    icon: p.role === "pit" ? "mdi:grill" : humidity ? "mdi:water-percent" : "mdi:thermometer",
    probe_id: p.id,
    device: ctx.device?.label ?? null,
    device_serial: p.deviceSerial,
    // The card decides with it which probes are an RFX Meat probe's sensors (isRfxSensor, as here).
    device_kind: p.deviceKind,
    channel: p.channel,
    label: probeNameIn(ctx.language, p),
    role: p.role,
    min: inUnit(p.minC),
    max: inUnit(p.maxC),
    last_seen: iso(p.tsMs),
    rate_of_rise: p.rateCPerHour === null ? null : round1(deltaToUnit(p.rateCPerHour, u)),
    rate_of_rise_unit: `${unitSymbol(u)}/h`,
    status: p.status,
    target: temp(p.targetC, u),
    high: temp(p.highC, u),
    low: temp(p.lowC, u),
    stall: p.stall?.stalled ?? false,
    lid_open: p.lidOpen,
    // Phase of the most urgent alarm (armed | pre_alarm | firing | snoozed | acknowledged), its text and its facts.
    alarm: ctx.alarm?.phase ?? null,
    ...alarmAttributes(ctx.alarm, inUnit),
  };
  // Only where a user renamed one: the card finds the others by their ids (probeEntityIds).
  if (ctx.helpers && Object.keys(ctx.helpers).length > 0) attributes.helper_entity_ids = ctx.helpers;
  if (hasEta(p)) {
    attributes.eta_entity_id = entityId("eta", ref);
    attributes.stall_entity_id = entityId("stall", ref);
    // When the meat was wrapped (a wrap note from any source: the panel, the card, the button).
    attributes.wrapped = iso(p.wrappedMs);
  }
  const value = inUnit(p.tempC);
  return {
    entityId: entityId(humidity ? "humidity" : "temperature", ref),
    state: unavailable || value === null ? "unavailable" : String(value),
    attributes,
    // A new temperature goes out with the last sent ones while the rest stands (one attributes row a minute, not one a reading).
    hold: { keys: ["last_seen", "rate_of_rise", "min", "max"], everyMs: HOLD_MS, standing: "" },
  };
};

const probeEta = (p: ProbeState, ctx: MapContext): EntityPost => {
  const eta = p.eta;
  const doneMs = ctx.shownDoneMs === undefined ? (eta?.doneMs ?? null) : ctx.shownDoneMs;
  const past = eta?.method === "done";
  const state = isoMinute(doneMs, past) ?? "unknown";
  return {
    entityId: entityId("eta", { deviceKey: p.deviceKey, channel: p.channel }),
    state,
    hold: { keys: ["p10", "p90", "remaining_minutes", "forecast"], everyMs: HOLD_MS, standing: state },
    attributes: {
      device_class: "timestamp",
      friendly_name: friendlyName(ctx.language, "eta", probeNameIn(ctx.language, p)),
      icon: "mdi:timer-sand",
      probe_id: p.id,
      p10: isoMinute(eta?.p10Ms ?? null, past),
      p90: isoMinute(eta?.p90Ms ?? null, past),
      method: eta?.method ?? "none",
      reason: eta?.reason ?? null,
      remaining_minutes: doneMs === null ? null : Math.max(0, Math.round((doneMs - ctx.nowMs) / 60_000)),
      target: temp(p.targetC, ctx.unit),
      forecast_unit: unitSymbol(ctx.unit),
      // Compact for the card: [epoch seconds, temperature, low, high] in the display unit.
      forecast: p.forecast.map((f) => [Math.round(f.tsMs / 60_000) * 60, round1(toUnit(f.tempC, ctx.unit)), round1(toUnit(f.lowC, ctx.unit)), round1(toUnit(f.highC, ctx.unit))]),
    },
  };
};

const probeStall = (p: ProbeState, ctx: MapContext): EntityPost => {
  const s = p.stall;
  return {
    entityId: entityId("stall", { deviceKey: p.deviceKey, channel: p.channel }),
    state: s?.stalled ? "on" : "off",
    attributes: {
      friendly_name: friendlyName(ctx.language, "stall", probeNameIn(ctx.language, p)),
      icon: "mdi:chart-bell-curve-cumulative",
      probe_id: p.id,
      since: s?.stalled ? iso(s.sinceMs) : null,
      duration_minutes: s ? Math.round(s.durationMs / 60_000) : 0,
      last_stall_started: iso(s?.sinceMs ?? null),
      last_stall_ended: iso(s?.endedMs ?? null),
    },
  };
};

/** Every state the add-on posts for one probe. */
export const toProbeEntities = (p: ProbeState, ctx: MapContext): EntityPost[] =>
  hasEta(p) ? [probeTemperature(p, ctx), probeEta(p, ctx), probeStall(p, ctx)] : [probeTemperature(p, ctx)];

const OFFLINE_FLOOR_MS = 5 * 60_000;

/** A device is offline when its last contact is older than two of its periods (heardEverySec) + 1 min (at least 5 min). */
export const offlineAfterMs = (d: Pick<Device, "transmitIntervalSec" | "reportDeltaC">): number => {
  const periodSec = heardEverySec(d);
  return Math.max(OFFLINE_FLOOR_MS, periodSec ? 2 * periodSec * 1000 + 60_000 : 0);
};

export const isDeviceOnline = (d: Pick<Device, "lastSeenMs" | "transmitIntervalSec" | "reportDeltaC">, nowMs: number): boolean =>
  d.lastSeenMs !== null && nowMs - d.lastSeenMs <= offlineAfterMs(d);

/** Battery (when reported), signal (when reported) and online states of one device, named in `language` (a tag). */
export const toDeviceEntities = (d: Device, nowMs: number, language: string, unit: TemperatureUnit = "C"): EntityPost[] => {
  const ref = { deviceKey: d.key };
  const name = d.label || d.serial;
  const common = { device: d.label, device_serial: d.serial, model: d.model };
  const out: EntityPost[] = [];
  if (d.batteryPct !== null) {
    out.push({
      entityId: entityId("battery", ref),
      state: String(Math.round(d.batteryPct)),
      attributes: { unit_of_measurement: "%", device_class: "battery", state_class: "measurement", friendly_name: friendlyName(language, "battery", name), battery_state: d.batteryState, ...common },
    });
  }
  if (d.signalDbm !== null) {
    out.push({
      entityId: entityId("signal", ref),
      state: String(Math.round(d.signalDbm)),
      attributes: { unit_of_measurement: "dBm", device_class: "signal_strength", state_class: "measurement", friendly_name: friendlyName(language, "signal", name), ...common },
    });
  }
  const online = isDeviceOnline(d, nowMs) ? "on" : "off";
  out.push({
    entityId: entityId("online", ref),
    state: online,
    // Its last contact, exact when it goes off line.
    hold: { keys: ["last_seen"], everyMs: HOLD_MS, standing: online },
    attributes: {
      device_class: "connectivity",
      friendly_name: friendlyName(language, "online", name),
      last_seen: iso(d.lastSeenMs),
      transmit_interval_s: d.transmitIntervalSec,
      offline_after_s: Math.round(offlineAfterMs(d) / 1000),
      // An RFX Meat probe uploads when its reading moved this much (°C or °F, as the probes):
      // 1° is quick but drains the probe in hours, 3° lasts a long cook.
      ...(d.reportDeltaC === null ? {} : { delta_trigger: round1(deltaToUnit(d.reportDeltaC, unit)) }),
      firmware: d.firmware,
      ...common,
    },
  });
  return out;
};

export interface StatusInfo {
  mode: "demo" | "cloud";
  version: string;
  unit: TemperatureUnit;
  thermoworks: { ok: boolean; message: string } | null;
  activeCook: { id: number; name: string; startMs: number } | null;
  probes: number;
  devices: number;
}

/** `sensor.grill_stats_status`: ok / error / starting, with mode, version and the active cook; named in `language` (a tag). */
export const toStatusEntity = (s: StatusInfo, language: string): EntityPost => ({
  entityId: entityId("status"),
  state: s.thermoworks === null ? "starting" : s.thermoworks.ok ? "ok" : "error",
  attributes: {
    friendly_name: friendlyName(language, "status"),
    icon: "mdi:grill",
    mode: s.mode,
    version: s.version,
    unit: unitSymbol(s.unit),
    thermoworks: s.thermoworks?.message ?? null,
    active_cook: s.activeCook?.name ?? null,
    active_cook_id: s.activeCook?.id ?? null,
    active_cook_started: iso(s.activeCook?.startMs ?? null),
    probes: s.probes,
    devices: s.devices,
  },
});
