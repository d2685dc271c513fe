/**
 * Settings helpers in Home Assistant: per probe `input_number` (target / high / low) and
 * `input_button` (acknowledge / snooze / wrapped), created over WebSocket when missing.
 * Idempotent across restarts: an existing helper is found by the id stored in KV, else by the id
 * we ask for (`grill_stats_<devicekey>_<channel>_<kind>`), else by its name in any language —
 * never created twice, even when our KV was lost or Home Assistant's language changed since.
 *
 * Which helpers: meat probes get target + high, pit probes high + low, every meat/pit probe an
 * acknowledge and a snooze button, and a meat probe a "wrapped" button (a wrap note on its
 * cook). Ambient and humidity probes get none, nor do the sensors of an RFX Meat probe (its core
 * has them).
 */
import { errorMessage, everyProbeName, isRfxSensor, probeNameIn, unitSymbol, type DeviceKind, type ProbeAutoName, type KvRepo, type Logger, type ProbeRole, type TemperatureUnit } from "../shared";
import { entityId, objectIdOf, type HelperKind } from "./entities";
import { inputButtonItemSchema, inputNumberItemSchema, toHaError, type InputButtonItem, type InputNumberItem } from "./messages";
import { everyFriendlyName, friendlyName } from "./names";

export type HelperDomain = "input_number" | "input_button";
export type SettingField = "targetC" | "highC" | "lowC";

export interface HelperSpec {
  /** `${probeId}:${kind}`, the KV key. */
  key: string;
  probeId: string;
  kind: HelperKind;
  domain: HelperDomain;
  /** The object id we ask for (= slug of `createName`). */
  objectId: string;
  /** Name used at creation (its slug is `objectId`, whatever the language); renamed to `name` right after. */
  createName: string;
  /** Friendly name, from the probe label, in Home Assistant's language. */
  name: string;
  /** `name` in every language there is a table for: names we may have given it before a language change. */
  names: string[];
  icon: string;
  number: { min: number; max: number; step: number; unit: string } | null;
}

export interface BoundHelper {
  spec: HelperSpec;
  id: string;
  entityId: string;
  /** Created just now (at its minimum): whatever was agreed with an earlier helper is void. */
  created?: boolean;
}

export const FIELD_OF: Partial<Record<HelperKind, SettingField>> = { target: "targetC", high: "highC", low: "lowC" };

/** Helper range per display unit; 0 (the minimum) means "not set". */
export const NUMBER_RANGE: Record<TemperatureUnit, { min: number; max: number; step: number }> = {
  C: { min: 0, max: 350, step: 0.5 },
  F: { min: 0, max: 660, step: 1 },
};

const KINDS_BY_ROLE: Record<ProbeRole, HelperKind[]> = {
  meat: ["target", "high", "acknowledge", "snooze", "wrapped"],
  pit: ["high", "low", "acknowledge", "snooze"],
  ambient: [],
  humidity: [],
};
const ICON: Record<HelperKind, string> = {
  target: "mdi:thermometer-check",
  high: "mdi:thermometer-alert",
  low: "mdi:thermometer-low",
  acknowledge: "mdi:bell-check",
  snooze: "mdi:bell-sleep",
  wrapped: "mdi:package-variant-closed",
};

/** Settings helpers of a probe, named in `language` (a tag); none for an RFX Meat probe's sensors (their core has them). */
export const helperSpecsFor = (
  p: { id: string; deviceKey: string; deviceKind: DeviceKind; channel: string; name: string; autoName: ProbeAutoName | null; role: ProbeRole },
  unit: TemperatureUnit,
  language: string,
): HelperSpec[] =>
  (isRfxSensor(p.deviceKind, p.channel) ? [] : KINDS_BY_ROLE[p.role]).map((kind) => {
    const id = entityId(kind, { deviceKey: p.deviceKey, channel: p.channel });
    const objectId = objectIdOf(id);
    const isNumber = FIELD_OF[kind] !== undefined;
    return {
      key: `${p.id}:${kind}`,
      probeId: p.id,
      kind,
      domain: isNumber ? "input_number" : "input_button",
      objectId,
      createName: objectId.replace(/_/g, " "),
      name: friendlyName(language, kind, probeNameIn(language, p)),
      names: everyProbeName(p).flatMap((name) => everyFriendlyName(kind, name)),
      icon: ICON[kind],
      number: isNumber ? { ...NUMBER_RANGE[unit], unit: unitSymbol(unit) } : null,
    };
  });

type Call = (msg: { type: string; [k: string]: unknown }) => Promise<unknown>;
interface StoredHelper {
  id: string;
  /** The friendly name we last gave it (a different current name = the user renamed it). */
  name: string;
}
const KV_KEY = "homeassistant.helpers";

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");

const numberFields = (spec: HelperSpec, name: string): Record<string, unknown> => ({
  name,
  min: spec.number?.min,
  max: spec.number?.max,
  step: spec.number?.step,
  mode: "box",
  unit_of_measurement: spec.number?.unit,
  icon: spec.icon,
});

/**
 * The entity ids of our helpers as the entity registry has them, `${domain}.${itemId}` → entity id.
 * A storage helper gets the entity id of its item id when it is created, but a user may rename the
 * entity id in Settings → Entities (the item keeps its id: `unique_id` in the registry). Empty
 * when the registry cannot be read: the item id then stands for the entity id, as before.
 */
const registryEntityIds = async (call: Call, log: Logger): Promise<Map<string, string>> => {
  const out = new Map<string, string>();
  try {
    const raw = await call({ type: "config/entity_registry/list" });
    for (const e of Array.isArray(raw) ? raw : []) {
      const r = e as { entity_id?: unknown; unique_id?: unknown; platform?: unknown };
      if ((r.platform === "input_number" || r.platform === "input_button") && typeof r.unique_id === "string" && typeof r.entity_id === "string") out.set(`${r.platform}.${r.unique_id}`, r.entity_id);
    }
  } catch (err) {
    const e = toHaError(err);
    if (e.code === "connection_lost") throw err;
    log.debug(`entity registry not read (${e.code || errorMessage(err)}); helper entity ids taken from their item ids`);
  }
  return out;
};

/**
 * Finds or creates every helper in `specs`. Returns the bindings, and which number helpers had
 * their unit changed (their values must be pushed again). Domains an old core lacks are skipped
 * with one log line.
 */
export const reconcileHelpers = async (deps: { call: Call; kv: KvRepo; logger: Logger; specs: HelperSpec[]; coreStarting?: boolean }): Promise<{ bound: BoundHelper[]; unitChanged: Set<string> }> => {
  const { call, kv, logger: log } = deps;
  const stored = kv.getKv<Record<string, StoredHelper>>(KV_KEY) ?? {};
  const bound: BoundHelper[] = [];
  /** Read once, after the first helper exists (a helper created just now is in it). */
  let registry: Map<string, string> | undefined;
  const unitChanged = new Set<string>();
  const lists: Partial<Record<HelperDomain, (InputNumberItem | InputButtonItem)[]>> = {};
  for (const domain of ["input_number", "input_button"] as const) {
    if (!deps.specs.some((s) => s.domain === domain)) continue;
    try {
      const raw = await call({ type: `${domain}/list` });
      const schema = domain === "input_number" ? inputNumberItemSchema : inputButtonItemSchema;
      lists[domain] = (Array.isArray(raw) ? raw : []).flatMap((x) => {
        const r = schema.safeParse(x);
        return r.success ? [r.data] : [];
      });
    } catch (err) {
      const e = toHaError(err);
      if (e.code !== "unknown_command") throw err;
      if (deps.coreStarting) log.info(`${domain} is not loaded yet (Home Assistant is starting); its helpers are set up once it has started`);
      else log.warn(`this Home Assistant has no ${domain} helpers (${domain}/list: unknown_command); settings of that kind stay in the add-on only`);
    }
  }
  for (const spec of deps.specs) {
    const list = lists[spec.domain];
    if (!list) continue;
    const mine = stored[spec.key];
    let item =
      list.find((i) => mine && i.id === mine.id) ??
      list.find((i) => i.id === spec.objectId) ??
      list.find((i) => slug(i.name) === spec.objectId || spec.names.includes(i.name));
    let lastName = mine?.name ?? spec.createName;
    let created = false;
    try {
      if (!item) {
        const answer = await call(
          spec.domain === "input_number"
            ? { type: "input_number/create", ...numberFields(spec, spec.createName) }
            : { type: "input_button/create", name: spec.createName, icon: spec.icon },
        );
        item = (spec.domain === "input_number" ? inputNumberItemSchema : inputButtonItemSchema).parse(answer);
        list.push(item);
        lastName = spec.createName;
        created = true;
        log.info(`created helper ${spec.domain}.${item.id}`, { probeId: spec.probeId, kind: spec.kind });
      }
      // The user renamed it: keep theirs. Without our record (KV lost) a name we give it in any language is ours.
      const renamed = item.name !== lastName && item.name !== spec.createName && !(mine === undefined && spec.names.includes(item.name));
      const name = renamed ? item.name : spec.name;
      const n = spec.number && "min" in item ? (item as InputNumberItem) : null;
      const unitDiffers = n !== null && spec.number !== null && (n.unit_of_measurement !== spec.number.unit || n.max !== spec.number.max || n.min !== spec.number.min || n.step !== spec.number.step);
      if (item.name !== name || unitDiffers) {
        // Core replaces the whole item on update, so every field is sent.
        const updated = await call(
          spec.domain === "input_number"
            ? { type: "input_number/update", input_number_id: item.id, ...numberFields(spec, name) }
            : { type: "input_button/update", input_button_id: item.id, name, icon: spec.icon },
        );
        const parsed = (spec.domain === "input_number" ? inputNumberItemSchema : inputButtonItemSchema).safeParse(updated);
        if (parsed.success) item = parsed.data;
        if (unitDiffers) unitChanged.add(`${spec.domain}.${item.id}`);
      }
      // What we gave it, not the user's name: else the next run would take theirs for ours and rename it.
      stored[spec.key] = { id: item.id, name: renamed ? lastName : name };
      registry ??= await registryEntityIds(call, log);
      const actual = registry.get(`${spec.domain}.${item.id}`) ?? `${spec.domain}.${item.id}`;
      if (actual !== `${spec.domain}.${spec.objectId}`) log.info(`helper for ${spec.probeId} ${spec.kind} is ${actual}`);
      bound.push({ spec, id: item.id, entityId: actual, ...(created ? { created } : {}) });
    } catch (err) {
      const e = toHaError(err);
      if (e.code === "connection_lost") throw err;
      log.warn(`could not set up helper for ${spec.probeId} ${spec.kind}: ${e.message || errorMessage(err)}`, { code: e.code });
    }
  }
  kv.setKv(KV_KEY, stored);
  return { bound, unitChanged };
};
