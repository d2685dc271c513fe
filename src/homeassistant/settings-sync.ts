/**
 * Keeps the settings helpers and SettingsRepo in step, both ways, without echo loops.
 *
 * - HA → add-on: `subscribe_entities` diffs of our input_numbers are converted to °C, saved and
 *   announced on the bus (`settings:changed`, source "homeassistant"); input_button presses become
 *   `alarm:command`.
 * - add-on → HA: settings changed elsewhere are pushed with `input_number.set_value`.
 * - Values are compared at the helper's own precision (display unit, step), so our own pushes
 *   coming back as diffs are recognised and ignored.
 * - After a (re)connect the first snapshot is merged three ways against the last value both sides
 *   agreed on (kept in KV): only HA changed → HA wins; otherwise the add-on's value is pushed.
 *   A value set by nobody that is the one agreed before the last is Core's stale restore after a
 *   crash, not a change: the add-on's value is pushed.
 *   With no agreed value yet, a value only HA has is kept (a fresh database must not wipe helpers).
 */
import { DEFAULT_SNOOZE_MINUTES, fromUnit, toUnit, type EventBus, type KvRepo, type Logger, type ProbeSettings, type SettingsRepo, type TemperatureUnit } from "../shared";
import { FIELD_OF, NUMBER_RANGE, type BoundHelper } from "./helpers";
import { toHaError, type EntitiesEvent } from "./messages";

const KV_SYNCED = "homeassistant.helperSynced";
/** The value agreed before the last one, per helper (see `merge`). */
const KV_SYNCED_BEFORE = "homeassistant.helperSyncedBefore";
/** Minutes a snooze button press snoozes for. */
export const BUTTON_SNOOZE_MINUTES = DEFAULT_SNOOZE_MINUTES;

type Call = (msg: { type: string; [k: string]: unknown }) => Promise<unknown>;

export interface SettingsSyncDeps {
  settings: SettingsRepo;
  bus: EventBus;
  kv: KvRepo;
  logger: Logger;
  displayUnit: () => TemperatureUnit;
}

const unitOfAttr = (u: unknown, fallback: TemperatureUnit): TemperatureUnit => (u === "°F" ? "F" : u === "°C" ? "C" : fallback);
const round2 = (x: number): number => Math.round(x * 100) / 100;

export class SettingsSync {
  private bindings = new Map<string, BoundHelper>();
  /** entity id → {state, unit} as HA last told us. */
  private readonly ha = new Map<string, { value: string; unit: TemperatureUnit }>();
  private readonly synced: Record<string, number | null>;
  private readonly syncedBefore: Record<string, number | null>;
  /**
   * Values we pushed per entity whose state change has not come back yet. HA applies calls in
   * order, so an echo of an older push can arrive after a newer local change: it must not be
   * taken for a user's edit.
   */
  private readonly echoes = new Map<string, number[]>();
  /**
   * This process has had the helpers' values from Home Assistant before: a snapshot now is after
   * a reconnect it saw coming (Core restarted under it), not the first one after the add-on's
   * own start, when a value set by nobody may well be a person's, restored by a clean restart.
   */
  private seenLive = false;

  constructor(private readonly deps: SettingsSyncDeps) {
    this.synced = deps.kv.getKv<Record<string, number | null>>(KV_SYNCED) ?? {};
    this.syncedBefore = deps.kv.getKv<Record<string, number | null>>(KV_SYNCED_BEFORE) ?? {};
  }

  setBindings(bound: BoundHelper[]): void {
    this.bindings = new Map(bound.map((b) => [b.entityId, b]));
    // A helper created anew (a deleted one, or Home Assistant's storage lost) starts at its minimum:
    // that is no change made in Home Assistant. The add-on's value goes to it.
    this.forget(bound.filter((b) => b.created).map((b) => b.entityId));
    this.ha.clear();
    this.echoes.clear();
  }

  entityIds(): string[] {
    return [...this.bindings.keys()];
  }

  /** Helper value (display unit) for a temperature in °C: rounded to the step; null → the minimum. */
  private toHelperValue(tempC: number | null, unit: TemperatureUnit): number {
    const r = NUMBER_RANGE[unit];
    if (tempC === null) return r.min;
    const v = Math.round(toUnit(tempC, unit) / r.step) * r.step;
    return Math.min(r.max, Math.max(r.min + r.step, Number(v.toFixed(2))));
  }

  /** Temperature in °C for a helper value; 0 / the minimum / not a number → null (not set). */
  private fromHelperValue(state: string, unit: TemperatureUnit): number | null | undefined {
    const v = Number(state);
    if (state === "unknown" || state === "unavailable" || !Number.isFinite(v)) return undefined;
    if (v <= NUMBER_RANGE[unit].min) return null;
    return round2(fromUnit(v, unit));
  }

  private same(aC: number | null | undefined, bC: number | null | undefined, unit: TemperatureUnit): boolean {
    if (aC === undefined || bC === undefined) return aC === bC;
    return this.toHelperValue(aC, unit) === this.toHelperValue(bC, unit);
  }

  private remember(entityId: string, valueC: number | null): void {
    if (this.synced[entityId] === valueC) return;
    if (entityId in this.synced) {
      this.syncedBefore[entityId] = this.synced[entityId] ?? null;
      this.deps.kv.setKv(KV_SYNCED_BEFORE, this.syncedBefore);
    }
    this.synced[entityId] = valueC;
    this.deps.kv.setKv(KV_SYNCED, this.synced);
  }

  /**
   * Handles a `subscribe_entities` event (snapshot `a`, diffs `c`, removals `r`). Returns the
   * bound helpers that are gone (deleted, or their entity id renamed): the caller sets them up
   * again, as it would after the next reconnect.
   */
  onEntities(ev: EntitiesEvent, call: Call): string[] {
    for (const [id, s] of Object.entries(ev.a ?? {})) {
      const unit = unitOfAttr(s.a?.unit_of_measurement, this.deps.displayUnit());
      this.ha.set(id, { value: s.s, unit });
      this.merge(id, s.s, unit, call, this.seenLive && typeof s.c === "string");
    }
    if (ev.a && Object.keys(ev.a).length > 0) this.seenLive = true;
    for (const [id, d] of Object.entries(ev.c ?? {})) {
      const next = d["+"]?.s;
      const prev = this.ha.get(id);
      const unit = unitOfAttr(d["+"]?.a?.unit_of_measurement, prev?.unit ?? this.deps.displayUnit());
      if (next === undefined) {
        if (prev) prev.unit = unit;
        continue;
      }
      this.ha.set(id, { value: next, unit });
      // The unit changed with it: Core rewrote the helper for its new range (clamping a value
      // out of it, 392 °F to 350 °C), no person did. The add-on's value, converted, goes to it.
      if (prev && prev.unit !== unit) continue;
      this.changedInHa(id, next, unit);
    }
    const gone: string[] = [];
    for (const id of ev.r ?? []) {
      this.ha.delete(id);
      if (this.bindings.delete(id)) gone.push(id);
    }
    this.forget(gone);
    return gone;
  }

  /** Drops what was agreed with these helpers (they are gone, or new). */
  private forget(entityIds: readonly string[]): void {
    const known = entityIds.filter((id) => id in this.synced || id in this.syncedBefore);
    if (known.length === 0) return;
    for (const id of known) {
      delete this.synced[id];
      delete this.syncedBefore[id];
    }
    this.deps.kv.setKv(KV_SYNCED, this.synced);
    this.deps.kv.setKv(KV_SYNCED_BEFORE, this.syncedBefore);
  }

  private changedInHa(entityId: string, state: string, unit: TemperatureUnit): void {
    const b = this.bindings.get(entityId);
    if (!b) return;
    if (b.spec.kind === "wrapped") {
      this.deps.logger.info("wrapped pressed in Home Assistant", { probeId: b.spec.probeId });
      this.deps.bus.emit("cook:mark", { probeId: b.spec.probeId, kind: "wrap", source: "homeassistant" });
      return;
    }
    if (b.spec.domain === "input_button") {
      const action = b.spec.kind === "snooze" ? "snooze" : "acknowledge";
      this.deps.logger.info(`${action} pressed in Home Assistant`, { probeId: b.spec.probeId });
      this.deps.bus.emit("alarm:command", {
        alarmId: null,
        probeId: b.spec.probeId,
        action,
        ...(action === "snooze" ? { snoozeMinutes: BUTTON_SNOOZE_MINUTES } : {}),
        source: "homeassistant",
      });
      return;
    }
    const field = FIELD_OF[b.spec.kind];
    const valueC = this.fromHelperValue(state, unit);
    if (!field || valueC === undefined) return;
    const current = this.deps.settings.getSettings(b.spec.probeId);
    if (this.isEcho(entityId, state)) {
      // Our push landed: agreed, unless a newer local change is still on its way.
      if (this.same(current[field], valueC, unit)) this.remember(entityId, current[field]);
      return;
    }
    this.remember(entityId, valueC);
    if (this.same(current[field], valueC, unit)) return; // our own push coming back
    this.apply(current, field, valueC);
  }

  /** True (and consumed) when this state is the echo of one of our pushes. */
  private isEcho(entityId: string, state: string): boolean {
    const pending = this.echoes.get(entityId);
    if (!pending || pending.length === 0) return false;
    const i = pending.indexOf(Number(state));
    if (i < 0) {
      this.echoes.delete(entityId); // HA moved on: older pushes will not come back any more
      return false;
    }
    pending.splice(0, i + 1);
    return true;
  }

  private apply(current: ProbeSettings, field: keyof ProbeSettings & string, valueC: number | null): void {
    const next: ProbeSettings = { ...current, [field]: valueC };
    this.deps.settings.saveSettings(next);
    this.deps.logger.info("setting changed in Home Assistant", { probeId: next.probeId, field, valueC });
    this.deps.bus.emit("settings:changed", { settings: next, source: "homeassistant" });
  }

  /**
   * First sight of a helper after a (re)connect: decide who changed while the other was away.
   * `bare`: no user and no automation set the value (its context is an id alone), as when Core
   * restored it at start, and this process had the values live before (see `seenLive`).
   */
  private merge(entityId: string, state: string, unit: TemperatureUnit, call: Call, bare: boolean): void {
    const b = this.bindings.get(entityId);
    const field = b ? FIELD_OF[b.spec.kind] : undefined;
    if (!b || !field) return;
    const haC = this.fromHelperValue(state, unit);
    if (haC === undefined) return;
    const current = this.deps.settings.getSettings(b.spec.probeId);
    const ours = current[field];
    if (this.same(haC, ours, unit)) return this.remember(entityId, ours);
    const last = this.synced[entityId];
    // Only HA changed since we last agreed — or we never agreed and the add-on has nothing (its
    // database is new): take HA's value.
    if ((last !== undefined && this.same(ours, last, unit)) || (last === undefined && ours === null)) {
      // Core saves what it restores at start only every 15 min (and at a clean stop): after a
      // crash a helper comes back with the value agreed before the last one, set by nobody.
      // That is no change made in Home Assistant; the add-on's newer value stands.
      const before = this.syncedBefore[entityId];
      if (bare && last !== undefined && before !== undefined && this.same(haC, before, unit)) {
        this.deps.logger.info("Home Assistant came back with an older value of a helper (restored after a restart); the add-on's value is set again", { entityId, restoredC: haC, valueC: ours });
        return this.push(entityId, ours, call);
      }
      this.remember(entityId, haC);
      return this.apply(current, field, haC);
    }
    this.push(entityId, ours, call);
  }

  /** Pushes the add-on's value of every bound number helper of this probe that differs in HA. */
  pushSettings(s: ProbeSettings, call: Call): void {
    for (const [entityId, b] of this.bindings) {
      const field = FIELD_OF[b.spec.kind];
      if (b.spec.probeId !== s.probeId || !field) continue;
      const ha = this.ha.get(entityId);
      if (ha && this.same(this.fromHelperValue(ha.value, ha.unit), s[field], ha.unit)) {
        this.remember(entityId, s[field]);
        continue;
      }
      this.push(entityId, s[field], call);
    }
  }

  /** Pushes the current settings to these helpers (after their unit changed). */
  pushEntities(entityIds: Iterable<string>, call: Call): void {
    for (const entityId of entityIds) {
      const b = this.bindings.get(entityId);
      const field = b ? FIELD_OF[b.spec.kind] : undefined;
      if (b && field) this.push(entityId, this.deps.settings.getSettings(b.spec.probeId)[field], call);
    }
  }

  private push(entityId: string, valueC: number | null, call: Call): void {
    const unit = this.deps.displayUnit();
    const value = this.toHelperValue(valueC, unit);
    this.ha.set(entityId, { value: String(value), unit });
    const pending = this.echoes.get(entityId) ?? [];
    pending.push(value);
    this.echoes.set(entityId, pending);
    call({ type: "call_service", domain: "input_number", service: "set_value", service_data: { entity_id: entityId, value } }).then(
      // Only a value HA accepted counts as agreed (the next merge relies on it).
      () => this.remember(entityId, valueC),
      (err: unknown) => {
        const i = this.echoes.get(entityId)?.indexOf(value) ?? -1;
        if (i >= 0) this.echoes.get(entityId)?.splice(i, 1);
        this.deps.logger.warn("could not update a helper in Home Assistant", { entityId, error: toHaError(err).message });
      },
    );
  }
}
