/**
 * What the Home Assistant stand-in "is": config, helpers (input_number / input_button storage
 * collections), Lovelace resources, services, and the records tests read. Transport-free; the
 * WebSocket and REST layers in ha-standin-ws.ts / ha-standin.ts call into it.
 */
import { randomBytes } from "node:crypto";
import { StandInStateMachine, newContext, pyFloat, slugify, haIso, type HaContext } from "./ha-state-machine";

/** A WebSocket/command error with Core's error code (`not_found`, `invalid_format`, …). */
export class HaCommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface InputNumberItem {
  id: string;
  name: string;
  min: number;
  max: number;
  step: number;
  mode: "slider" | "box";
  unit_of_measurement?: string;
  icon?: string;
  initial?: number | null;
}
export interface InputButtonItem {
  id: string;
  name: string;
  icon?: string;
}
export interface LovelaceResource {
  id: string;
  type: string;
  url: string;
}
export interface ServiceCallRecord {
  domain: string;
  service: string;
  data: Record<string, unknown>;
  target: Record<string, unknown> | null;
  tsMs: number;
  ok: boolean;
}
export interface FiredEventRecord {
  eventType: string;
  data: Record<string, unknown>;
  tsMs: number;
  /** "ws" = fired by a client with `fire_event`; "control" = by the test through `fireEvent()`. */
  via: "ws" | "control";
}

const num = (v: unknown, field: string, fallback?: number): number => {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new HaCommandError("invalid_format", `expected float for dictionary value @ data['${field}']`);
  return v;
};
const str = (v: unknown, field: string): string => {
  if (typeof v !== "string" || v === "") throw new HaCommandError("invalid_format", `required key not provided @ data['${field}']`);
  return v;
};

export class StandInCore {
  readonly machine: StandInStateMachine;
  readonly inputNumbers = new Map<string, InputNumberItem>();
  readonly inputButtons = new Map<string, InputButtonItem>();
  /**
   * The entity registry's ids of helpers, `${domain}.${itemId}` → entity id, where a user renamed
   * one (Core gives a storage helper the entity id of its item id at creation; Settings →
   * Entities can change it, the item keeps its id).
   */
  private readonly renamed = new Map<string, string>();
  /** Helper values kept across `restart()` (Core's RestoreEntity). */
  private readonly restoredValues = new Map<string, string>();
  readonly lovelaceResources: LovelaceResource[] = [];
  /**
   * Resources that a YAML-mode dashboard declares (what `lovelace/resources` lists in YAML mode):
   * configuration.yaml's entries as written, `url` and `type` and no `id`
   * (`ResourceYAMLCollection.async_items` in `components/lovelace/resources.py`).
   */
  readonly yamlResources: Array<Omit<LovelaceResource, "id">> = [];
  lovelaceMode: "storage" | "yaml" = "storage";
  unitSystem: "°C" | "°F" = "°C";
  /** `get_config`'s `language` ("en" as recorded); null leaves it out, as older cores did. */
  language: string | null = "en";
  haVersion: string;
  timeZone = "UTC";
  /** Services of integrations that have not loaded yet (Core starting): `not_found`. */
  readonly unloadedServices = new Set<string>();
  /** `get_config`'s `state`: "STARTING" while Core is still loading its integrations. */
  state: "RUNNING" | "STARTING" = "RUNNING";
  readonly notifyServices: Set<string>;
  readonly extraServices = new Set<string>();
  readonly serviceCalls: ServiceCallRecord[] = [];
  readonly firedEvents: FiredEventRecord[] = [];

  constructor(opts: { haVersion: string; notifyServices: string[]; now: () => number }) {
    this.haVersion = opts.haVersion;
    this.notifyServices = new Set(opts.notifyServices);
    this.machine = new StandInStateMachine(opts.now);
    this.now = opts.now;
  }
  private readonly now: () => number;

  config(): Record<string, unknown> {
    const metric = this.unitSystem === "°C";
    return {
      latitude: 52.37,
      longitude: 4.89,
      elevation: 0,
      unit_system: {
        length: metric ? "km" : "mi",
        accumulated_precipitation: metric ? "mm" : "in",
        mass: metric ? "g" : "lb",
        pressure: metric ? "Pa" : "psi",
        temperature: this.unitSystem,
        volume: metric ? "L" : "gal",
        wind_speed: metric ? "m/s" : "mph",
      },
      location_name: "Grill Stats Stand-in",
      time_zone: this.timeZone,
      components: ["api", "websocket_api", "input_number", "input_button", "lovelace", "notify", "persistent_notification", "mobile_app"],
      config_dir: "/config",
      allowlist_external_dirs: ["/media", "/config/www"],
      allowlist_external_urls: [],
      version: this.haVersion,
      config_source: "storage",
      safe_mode: false,
      state: this.state,
      external_url: null,
      internal_url: null,
      currency: "EUR",
      country: "NL",
      ...(this.language === null ? {} : { language: this.language }),
    };
  }

  /**
   * A Core restart: states and subscriptions gone; helpers come back with their last values, or
   * with `staleValues` (Core saves restore state every 15 min and at a clean stop
   * (`STATE_DUMP_INTERVAL`, helpers/restore_state.py): after a crash a helper comes back older).
   */
  restart(staleValues: Record<string, string> = {}): void {
    for (const [id, s] of this.machine.states) if (id.startsWith("input_number.") || id.startsWith("input_button.")) this.restoredValues.set(id, staleValues[id] ?? s.state);
    this.machine.clear();
    for (const item of this.inputNumbers.values()) this.publishInputNumber(item, newContext(null));
    for (const item of this.inputButtons.values()) this.publishInputButton(item, newContext(null));
  }

  // ---- entity registry (helpers only) --------------------------------------------------------

  entityIdOf(domain: "input_number" | "input_button", itemId: string): string {
    return this.renamed.get(`${domain}.${itemId}`) ?? `${domain}.${itemId}`;
  }

  private itemIdOf(domain: "input_number" | "input_button", entityId: string): string | undefined {
    const items: Map<string, unknown> = domain === "input_number" ? this.inputNumbers : this.inputButtons;
    for (const id of items.keys()) if (this.entityIdOf(domain, id) === entityId) return id;
    return undefined;
  }

  /** What `config/entity_registry/list` answers for the helpers (the fields the add-on reads, and a few more). */
  entityRegistry(): Array<Record<string, unknown>> {
    const entries = (domain: "input_number" | "input_button", items: Iterable<{ id: string; name: string }>) =>
      [...items].map((i) => ({ entity_id: this.entityIdOf(domain, i.id), unique_id: i.id, platform: domain, name: null, original_name: i.name, disabled_by: null, hidden_by: null, config_entry_id: null }));
    return [...entries("input_number", this.inputNumbers.values()), ...entries("input_button", this.inputButtons.values())];
  }

  /** A user renames a helper's entity id in Settings → Entities: its state moves, the item stays. */
  renameEntity(fromId: string, toId: string): void {
    const domain = fromId.startsWith("input_number.") ? "input_number" : "input_button";
    const itemId = this.itemIdOf(domain, fromId);
    if (itemId === undefined) throw new Error(`no helper ${fromId}`);
    const state = this.machine.get(fromId);
    this.machine.remove(fromId);
    this.renamed.set(`${domain}.${itemId}`, toId);
    if (state) this.machine.set(toId, state.state, state.attributes, newContext(null));
  }

  // ---- storage collections -------------------------------------------------------------

  private uniqueId(name: string, taken: Map<string, unknown>): string {
    const base = slugify(name);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    return id;
  }

  private validateNumber(raw: Record<string, unknown>, id: string): InputNumberItem {
    const item: InputNumberItem = {
      id,
      name: str(raw.name, "name"),
      min: num(raw.min, "min"),
      max: num(raw.max, "max"),
      step: num(raw.step, "step", 1),
      mode: raw.mode === "box" ? "box" : "slider",
    };
    if (raw.mode !== undefined && raw.mode !== "box" && raw.mode !== "slider") throw new HaCommandError("invalid_format", `value must be one of ['box', 'slider'] for dictionary value @ data['mode']`);
    if (item.step <= 0) throw new HaCommandError("invalid_format", "value must be at least 0.001 for dictionary value @ data['step']");
    if (item.max <= item.min) {
      // Core's own message names the values the other way round; kept as recorded.
      throw new HaCommandError("invalid_format", `Maximum (${pyFloat(item.min)}) is not greater than minimum (${pyFloat(item.max)}). Got ${JSON.stringify(raw)}`);
    }
    if (typeof raw.unit_of_measurement === "string") item.unit_of_measurement = raw.unit_of_measurement;
    if (typeof raw.icon === "string") item.icon = raw.icon;
    if (typeof raw.initial === "number") item.initial = raw.initial;
    return item;
  }

  private publishInputNumber(item: InputNumberItem, context: HaContext, value?: number): void {
    const entityId = this.entityIdOf("input_number", item.id);
    const restored = this.restoredValues.get(entityId);
    this.restoredValues.delete(entityId);
    const current = this.machine.get(entityId)?.state ?? restored;
    let v = value ?? (current !== undefined ? Number(current) : (item.initial ?? item.min));
    if (!Number.isFinite(v)) v = item.min;
    v = Math.min(item.max, Math.max(item.min, v));
    const attributes: Record<string, unknown> = { initial: item.initial ?? null, editable: true, min: item.min, max: item.max, step: item.step, mode: item.mode };
    if (item.unit_of_measurement !== undefined) attributes.unit_of_measurement = item.unit_of_measurement;
    if (item.icon !== undefined) attributes.icon = item.icon;
    attributes.friendly_name = item.name;
    this.machine.set(entityId, pyFloat(v), attributes, context);
  }

  private publishInputButton(item: InputButtonItem, context: HaContext): void {
    const entityId = this.entityIdOf("input_button", item.id);
    const restored = this.restoredValues.get(entityId);
    this.restoredValues.delete(entityId);
    const attributes: Record<string, unknown> = { editable: true };
    if (item.icon !== undefined) attributes.icon = item.icon;
    attributes.friendly_name = item.name;
    this.machine.set(entityId, this.machine.get(entityId)?.state ?? restored ?? "unknown", attributes, context);
  }

  createInputNumber(raw: Record<string, unknown>): InputNumberItem {
    const item = this.validateNumber(raw, "pending");
    item.id = this.uniqueId(item.name, this.inputNumbers);
    this.inputNumbers.set(item.id, item);
    this.publishInputNumber(item, newContext(null));
    return item;
  }

  updateInputNumber(id: string, patch: Record<string, unknown>): InputNumberItem {
    const old = this.inputNumbers.get(id);
    if (!old) throw new HaCommandError("not_found", `Unable to find input_number_id ${id}`);
    // Core replaces the whole item (name, min and max are required again; left-out fields are dropped).
    const item = this.validateNumber(patch, id);
    this.inputNumbers.set(id, item);
    this.publishInputNumber(item, newContext(null));
    return item;
  }

  deleteItem(domain: "input_number" | "input_button", id: string): void {
    const map: Map<string, unknown> = domain === "input_number" ? this.inputNumbers : this.inputButtons;
    const entityId = this.entityIdOf(domain, id);
    if (!map.delete(id)) throw new HaCommandError("not_found", `Unable to find ${domain}_id ${id}`);
    this.renamed.delete(`${domain}.${id}`);
    this.machine.remove(entityId);
  }

  createInputButton(raw: Record<string, unknown>): InputButtonItem {
    const item: InputButtonItem = { id: "pending", name: str(raw.name, "name") };
    if (typeof raw.icon === "string") item.icon = raw.icon;
    item.id = this.uniqueId(item.name, this.inputButtons);
    this.inputButtons.set(item.id, item);
    this.publishInputButton(item, newContext(null));
    return item;
  }

  updateInputButton(id: string, patch: Record<string, unknown>): InputButtonItem {
    const old = this.inputButtons.get(id);
    if (!old) throw new HaCommandError("not_found", `Unable to find input_button_id ${id}`);
    const item: InputButtonItem = { id, name: str(patch.name, "name") };
    if (typeof patch.icon === "string") item.icon = patch.icon;
    this.inputButtons.set(id, item);
    this.publishInputButton(item, newContext(null));
    return item;
  }

  // ---- lovelace resources ----------------------------------------------------------------

  listResources(): Array<Omit<LovelaceResource, "id"> & { id?: string }> {
    return (this.lovelaceMode === "yaml" ? this.yamlResources : this.lovelaceResources).map((r) => ({ ...r }));
  }

  private requireStorageMode(): void {
    if (this.lovelaceMode === "yaml") throw new HaCommandError("unknown_command", "Unknown command.");
  }

  createResource(raw: Record<string, unknown>): LovelaceResource {
    this.requireStorageMode();
    const type = str(raw.res_type, "res_type");
    if (!["module", "js", "css", "html"].includes(type)) throw new HaCommandError("invalid_format", `value must be one of ['css', 'html', 'js', 'module'] for dictionary value @ data['res_type']`);
    const item: LovelaceResource = { id: randomBytes(16).toString("hex"), url: str(raw.url, "url"), type };
    this.lovelaceResources.push(item);
    return { ...item };
  }

  updateResource(raw: Record<string, unknown>): LovelaceResource {
    this.requireStorageMode();
    const item = this.lovelaceResources.find((r) => r.id === raw.resource_id);
    if (!item) throw new HaCommandError("not_found", `Unable to find resource_id ${String(raw.resource_id)}`);
    if (raw.url !== undefined) item.url = str(raw.url, "url");
    if (raw.res_type !== undefined) item.type = str(raw.res_type, "res_type");
    return { ...item };
  }

  deleteResource(raw: Record<string, unknown>): void {
    this.requireStorageMode();
    const i = this.lovelaceResources.findIndex((r) => r.id === raw.resource_id);
    if (i < 0) throw new HaCommandError("not_found", `Unable to find resource_id ${String(raw.resource_id)}`);
    this.lovelaceResources.splice(i, 1);
  }

  // ---- services and events ---------------------------------------------------------------

  fireEvent(eventType: string, data: Record<string, unknown>, via: FiredEventRecord["via"], context = newContext()): HaContext {
    this.firedEvents.push({ eventType, data, tsMs: this.now(), via });
    this.machine.fire(eventType, data, context);
    return context;
  }

  private entityIdsOf(data: Record<string, unknown>, target: Record<string, unknown> | null): string[] {
    const raw = data.entity_id ?? target?.entity_id;
    const list = Array.isArray(raw) ? raw : [raw];
    const ids = list.filter((x): x is string => typeof x === "string");
    if (ids.length === 0) throw new HaCommandError("invalid_format", "required key not provided @ data['entity_id']");
    return ids;
  }

  callService(domain: string, service: string, data: Record<string, unknown>, target: Record<string, unknown> | null): HaContext {
    const context = newContext();
    const record: ServiceCallRecord = { domain, service, data, target, tsMs: this.now(), ok: false };
    this.serviceCalls.push(record);
    const key = `${domain}.${service}`;
    if (this.unloadedServices.has(key)) throw new HaCommandError("not_found", "Service not found.");
    if (key === "input_number.set_value") {
      const value = num(data.value, "value");
      for (const entityId of this.entityIdsOf(data, target)) {
        const item = this.inputNumbers.get(this.itemIdOf("input_number", entityId) ?? "");
        if (!item) continue; // Core ignores targets that do not exist
        if (value < item.min || value > item.max) {
          throw new HaCommandError("invalid_format", `Invalid value for ${entityId}: ${value} (range ${pyFloat(item.min)} - ${pyFloat(item.max)})`);
        }
        this.publishInputNumberValue(item, value, context);
      }
    } else if (key === "input_button.press") {
      for (const entityId of this.entityIdsOf(data, target)) {
        const item = this.inputButtons.get(this.itemIdOf("input_button", entityId) ?? "");
        if (item) this.machine.set(entityId, haIso(this.now()), this.machine.get(entityId)?.attributes ?? {}, context);
      }
    } else if (key === "persistent_notification.create") {
      const message = str(data.message, "message");
      const id = typeof data.notification_id === "string" ? data.notification_id : randomBytes(8).toString("hex");
      const title = typeof data.title === "string" ? data.title : undefined;
      this.machine.set(`persistent_notification.${slugify(id)}`, "notifying", { message, title, friendly_name: title }, context);
    } else if (key === "persistent_notification.dismiss") {
      this.machine.remove(`persistent_notification.${slugify(str(data.notification_id, "notification_id"))}`, context);
    } else if (!(domain === "notify" && this.notifyServices.has(service)) && !this.extraServices.has(key)) {
      throw new HaCommandError("not_found", "Service not found.");
    } else if (domain === "notify") {
      // Core's legacy notify renders title and message as Jinja templates: text with a template
      // delimiter would be evaluated, or fail to render. The stand-in cannot evaluate; it fails.
      for (const field of ["title", "message"] as const) {
        if (typeof data[field] === "string" && /\{[{%#]/.test(data[field])) throw new HaCommandError("home_assistant_error", `Error rendering ${field}: template syntax in ${JSON.stringify(data[field])}`);
      }
    }
    record.ok = true;
    return context;
  }

  private publishInputNumberValue(item: InputNumberItem, value: number, context: HaContext): void {
    const entityId = this.entityIdOf("input_number", item.id);
    const prev = this.machine.get(entityId);
    this.machine.set(entityId, pyFloat(value), prev?.attributes ?? {}, context);
  }
}
