/**
 * THE mapping between Grill Stats probes and Home Assistant entity ids (published by the
 * add-on's bridge). Nothing else in the card builds an entity id.
 *
 * Probe key `<p>` = `<devicekey>_<channel>` (device key: lower-case alphanumerics of the serial).
 */
import { isRfxSensor, RFX_CORE_CHANNEL, type DeviceKind } from "../../src/shared/model";
import type { HomeAssistant } from "./ha-types";

const PREFIX = "grill_stats_";
const TEMPERATURE_RE = /^sensor\.grill_stats_([a-z0-9]+_[a-z0-9]+)_temperature$/;

export interface ProbeEntityIds {
  temperature: string;
  eta: string;
  stall: string;
  target: string;
  high: string;
  low: string;
  acknowledge: string;
  snooze: string;
  wrapped: string;
}

export interface DeviceEntityIds {
  battery: string;
  signal: string;
  online: string;
}

/** The add-on's own status sensor (its `active_cook_started` says when the running cook began). */
export const STATUS_ENTITY_ID = `sensor.${PREFIX}status`;

/** When the add-on's running cook started (epoch s), or null when none runs or the add-on does not say. */
export const activeCookStartS = (states: HomeAssistant["states"]): number | null => {
  const iso = states[STATUS_ENTITY_ID]?.attributes["active_cook_started"];
  const ms = typeof iso === "string" ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(ms) ? ms / 1000 : null;
};

/** Every entity id of one probe. */
export const probeEntityIds = (probeKey: string): ProbeEntityIds => ({
  temperature: `sensor.${PREFIX}${probeKey}_temperature`,
  eta: `sensor.${PREFIX}${probeKey}_eta`,
  stall: `binary_sensor.${PREFIX}${probeKey}_stall`,
  target: `input_number.${PREFIX}${probeKey}_target`,
  high: `input_number.${PREFIX}${probeKey}_high`,
  low: `input_number.${PREFIX}${probeKey}_low`,
  acknowledge: `input_button.${PREFIX}${probeKey}_acknowledge`,
  snooze: `input_button.${PREFIX}${probeKey}_snooze`,
  wrapped: `input_button.${PREFIX}${probeKey}_wrapped`,
});

const HELPER_KINDS = ["target", "high", "low", "acknowledge", "snooze", "wrapped"] as const;
const HELPER_ID_RE = /^input_(number|button)\.[a-z0-9_]+$/;

/**
 * Every entity id of one probe as Home Assistant has them now: the add-on names a helper whose
 * entity id a user renamed (Settings → Entities) in the temperature sensor's `helper_entity_ids`;
 * the others keep the ids it gave them.
 */
export const resolvedProbeEntityIds = (states: Readonly<Record<string, { attributes: Record<string, unknown> } | undefined>>, probeKey: string): ProbeEntityIds => {
  const ids = probeEntityIds(probeKey);
  const renamed = states[ids.temperature]?.attributes["helper_entity_ids"];
  if (typeof renamed !== "object" || renamed === null) return ids;
  for (const kind of HELPER_KINDS) {
    const id = (renamed as Record<string, unknown>)[kind];
    if (typeof id === "string" && HELPER_ID_RE.test(id)) ids[kind] = id;
  }
  return ids;
};

/** Every entity id of one device. */
export const deviceEntityIds = (deviceKey: string): DeviceEntityIds => ({
  battery: `sensor.${PREFIX}${deviceKey}_battery`,
  signal: `sensor.${PREFIX}${deviceKey}_signal`,
  online: `binary_sensor.${PREFIX}${deviceKey}_online`,
});

/** Device key of a probe key (`1234567890ab_2` → `1234567890ab`). */
export const deviceKeyOf = (probeKey: string): string => probeKey.slice(0, Math.max(0, probeKey.indexOf("_")));

/** Probe key from a temperature entity id, or null when it is not one of ours. */
export const probeKeyFromEntityId = (entityId: string): string | null => TEMPERATURE_RE.exec(entityId)?.[1] ?? null;

/** Accepts a probe key or any of its entity ids (as users may paste either into YAML). */
export const normalizeProbeRef = (ref: string): string | null => {
  const trimmed = ref.trim().toLowerCase();
  if (/^[a-z0-9]+_[a-z0-9]+$/.test(trimmed)) return trimmed;
  const m = /^[a-z_]+\.grill_stats_([a-z0-9]+_[a-z0-9]+)_(temperature|eta|stall|target|high|low|acknowledge|snooze|wrapped)$/.exec(trimmed);
  return m?.[1] ?? null;
};

/**
 * Probe keys of every Grill Stats temperature sensor in `states`, ordered by device name, then
 * channel number (so probes of one thermometer stay together and "2" sorts before "10"). An RFX
 * Meat probe shows as its core only, as in the ThermoWorks app; `all` lists its sensors too
 * (after the core), for the editor. Which probes are its sensors follows the add-on's rule
 * (`isRfxSensor` of the `device_kind` attribute and the channel).
 */
export const discoverProbeKeys = (states: Record<string, { attributes: Record<string, unknown> }>, opts: { all?: boolean } = {}): string[] => {
  // `kind` is null when the add-on posts no `device_kind` (one older than the attribute).
  const found: Array<{ key: string; device: string; channel: number; raw: string; kind: DeviceKind | null }> = [];
  for (const [entityId, st] of Object.entries(states)) {
    const key = probeKeyFromEntityId(entityId);
    if (!key) continue;
    const ch = key.slice(key.indexOf("_") + 1);
    const device = typeof st.attributes["device"] === "string" ? st.attributes["device"] : deviceKeyOf(key);
    const posted = st.attributes["device_kind"];
    const kind = !("device_kind" in st.attributes) ? null : typeof posted === "string" ? (posted as DeviceKind) : "unknown";
    found.push({ key, device, channel: ch === RFX_CORE_CHANNEL ? 0 : Number.parseInt(ch, 10), raw: ch, kind });
  }
  // Fallback only for an add-on without `device_kind`: a device with a core channel is taken for
  // an RFX Meat probe (which misses one whose core is not posted, and misreads any other device
  // with a channel named like the core).
  const withCore = new Set(found.filter((f) => f.raw === RFX_CORE_CHANNEL).map((f) => deviceKeyOf(f.key)));
  const kindOf = (f: (typeof found)[number]): DeviceKind => f.kind ?? (withCore.has(deviceKeyOf(f.key)) ? "rfx_meat" : "unknown");
  const shown = opts.all ? found : found.filter((f) => !isRfxSensor(kindOf(f), f.raw));
  shown.sort(
    (a, b) =>
      a.device.localeCompare(b.device) ||
      (Number.isFinite(a.channel) && Number.isFinite(b.channel) ? a.channel - b.channel : a.raw.localeCompare(b.raw)) ||
      a.key.localeCompare(b.key),
  );
  return shown.map((f) => f.key);
};

/**
 * Entity ids the card watches for a set of probes (to decide whether a new `hass` matters),
 * renamed helpers under the ids they have in `states`.
 */
export const watchedEntityIds = (probeKeys: readonly string[], states: Parameters<typeof resolvedProbeEntityIds>[0] = {}): string[] => {
  // The add-on's status: a cook starting moves the "cook" window.
  const ids = new Set<string>([STATUS_ENTITY_ID]);
  for (const key of probeKeys) {
    for (const id of Object.values(resolvedProbeEntityIds(states, key))) ids.add(id);
    for (const id of Object.values(deviceEntityIds(deviceKeyOf(key)))) ids.add(id);
  }
  return [...ids];
};
