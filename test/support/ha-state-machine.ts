/**
 * The state machine and event bus of the Home Assistant stand-in, with the exact frame shapes of
 * a real Core (recorded in /work/shared/data/home-assistant/ws-rest-transcript.jsonl):
 * full states for REST/get_states/state_changed, compressed states and diffs for
 * `subscribe_entities`. No assertions here: tests read the records.
 */
import { randomBytes } from "node:crypto";

export interface HaContext {
  id: string;
  parent_id: string | null;
  user_id: string | null;
}

export interface HaState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
  context: HaContext;
}

export interface HaEvent {
  event_type: string;
  data: Record<string, unknown>;
  origin: "LOCAL" | "REMOTE";
  time_fired: string;
  context: HaContext;
}

/** The user every authenticated call acts as (the Supervisor's admin user through the proxy). */
export const OWNER_USER_ID = "eaba42f239c8413c88b1c7b3b6fc87e9";

/** Valid entity id, as Core's `valid_entity_id`: `domain.object`, lower-case, no double or edge underscores. */
export const VALID_ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** A ULID-shaped id like Core's context ids. */
export const newContextId = (): string => {
  const bytes = randomBytes(26);
  let out = "";
  for (let i = 0; i < 26; i++) out += CROCKFORD[(bytes[i] ?? 0) % 32];
  return out;
};

export const newContext = (userId: string | null = OWNER_USER_ID): HaContext => ({ id: newContextId(), parent_id: null, user_id: userId });

/** Core's timestamp format: microseconds and an explicit +00:00 offset. */
export const haIso = (ms: number): string => new Date(ms).toISOString().replace("Z", "000+00:00");
const isoToEpochSec = (iso: string): number => Date.parse(iso.replace("000+00:00", "Z")) / 1000;

/** Python's `str(float)` for the values helpers show ("95.0", "107.5"). */
export const pyFloat = (n: number): string => (Number.isInteger(n) ? n.toFixed(1) : String(n));

/** Core's `slugify` for helper ids (ASCII-folded, lower-case, `_` separated). */
export const slugify = (text: string): string =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "") || "unknown";

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const compressContext = (c: HaContext): string | HaContext => (c.parent_id === null && c.user_id === null ? c.id : c);

/** `{s, a, c, lc, lu?}` as in the first `subscribe_entities` event. */
export const compressState = (s: HaState): Record<string, unknown> => {
  const out: Record<string, unknown> = { s: s.state, a: s.attributes, c: compressContext(s.context), lc: isoToEpochSec(s.last_changed) };
  if (s.last_updated !== s.last_changed) out.lu = isoToEpochSec(s.last_updated);
  return out;
};

/** `{"+": {...}, "-": {a: [...]}}` as in later `subscribe_entities` events. */
export const diffStates = (prev: HaState, next: HaState): Record<string, unknown> => {
  const plus: Record<string, unknown> = {};
  if (prev.state !== next.state) plus.s = next.state;
  if (prev.last_changed !== next.last_changed) plus.lc = isoToEpochSec(next.last_changed);
  else if (prev.last_updated !== next.last_updated) plus.lu = isoToEpochSec(next.last_updated);
  if (prev.context.id !== next.context.id) {
    const sameOwner = prev.context.user_id === next.context.user_id && prev.context.parent_id === next.context.parent_id;
    if (sameOwner) plus.c = next.context.id;
    else {
      const c: Record<string, unknown> = {};
      if (prev.context.user_id !== next.context.user_id) c.user_id = next.context.user_id;
      if (prev.context.parent_id !== next.context.parent_id) c.parent_id = next.context.parent_id;
      c.id = next.context.id;
      plus.c = c;
    }
  }
  const changedAttrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next.attributes)) if (!sameJson(prev.attributes[k], v)) changedAttrs[k] = v;
  if (Object.keys(changedAttrs).length > 0) plus.a = changedAttrs;
  const removed = Object.keys(prev.attributes).filter((k) => !(k in next.attributes));
  const out: Record<string, unknown> = { "+": plus };
  if (removed.length > 0) out["-"] = { a: removed };
  return out;
};

interface EntitySubscriber {
  entityIds: Set<string> | null;
  send: (event: Record<string, unknown>) => void;
}
interface EventSubscriber {
  eventType: string | null;
  send: (event: HaEvent) => void;
}

/** States + event bus + subscriptions. One per stand-in; `clear()` is what a Core restart does. */
export class StandInStateMachine {
  readonly states = new Map<string, HaState>();
  private readonly entitySubs = new Map<string, EntitySubscriber>();
  private readonly eventSubs = new Map<string, EventSubscriber>();

  constructor(private readonly now: () => number = Date.now) {}

  get(entityId: string): HaState | undefined {
    return this.states.get(entityId);
  }

  /** `hass.states.async_set`: no event when nothing changed (unless forced). Returns whether it was new. */
  set(
    entityId: string,
    state: string,
    attributes: Record<string, unknown>,
    context: HaContext,
    forceUpdate = false,
  ): { created: boolean; state: HaState } {
    const prev = this.states.get(entityId);
    if (prev && prev.state === state && sameJson(prev.attributes, attributes) && !forceUpdate) return { created: false, state: prev };
    const nowIso = haIso(this.now());
    const next: HaState = {
      entity_id: entityId,
      state,
      attributes: { ...attributes },
      last_changed: prev && prev.state === state ? prev.last_changed : nowIso,
      last_updated: nowIso,
      context,
    };
    this.states.set(entityId, next);
    for (const sub of this.entitySubs.values()) {
      if (sub.entityIds && !sub.entityIds.has(entityId)) continue;
      sub.send(prev ? { c: { [entityId]: diffStates(prev, next) } } : { a: { [entityId]: compressState(next) } });
    }
    this.fire("state_changed", { entity_id: entityId, old_state: prev ?? null, new_state: next }, context);
    return { created: !prev, state: next };
  }

  remove(entityId: string, context: HaContext = newContext()): boolean {
    const prev = this.states.get(entityId);
    if (!prev) return false;
    this.states.delete(entityId);
    for (const sub of this.entitySubs.values()) {
      if (!sub.entityIds || sub.entityIds.has(entityId)) sub.send({ r: [entityId] });
    }
    this.fire("state_changed", { entity_id: entityId, old_state: prev, new_state: null }, context);
    return true;
  }

  fire(eventType: string, data: Record<string, unknown>, context: HaContext = newContext()): HaEvent {
    const event: HaEvent = { event_type: eventType, data, origin: "LOCAL", time_fired: haIso(this.now()), context };
    for (const sub of this.eventSubs.values()) {
      if (sub.eventType === null || sub.eventType === eventType) sub.send(event);
    }
    return event;
  }

  /** Registers an entity subscription and returns the initial `{a: …}` event. */
  subscribeEntities(key: string, entityIds: string[] | null, send: EntitySubscriber["send"]): Record<string, unknown> {
    const filter = entityIds ? new Set(entityIds) : null;
    this.entitySubs.set(key, { entityIds: filter, send });
    const a: Record<string, unknown> = {};
    for (const [id, s] of this.states) if (!filter || filter.has(id)) a[id] = compressState(s);
    return { a };
  }

  subscribeEvents(key: string, eventType: string | null, send: EventSubscriber["send"]): void {
    this.eventSubs.set(key, { eventType, send });
  }

  unsubscribe(key: string): boolean {
    return this.entitySubs.delete(key) || this.eventSubs.delete(key);
  }

  /** Drops every subscription whose key starts with `prefix` (a closed connection). */
  dropSubscriptions(prefix: string): void {
    for (const k of [...this.entitySubs.keys()]) if (k.startsWith(prefix)) this.entitySubs.delete(k);
    for (const k of [...this.eventSubs.keys()]) if (k.startsWith(prefix)) this.eventSubs.delete(k);
  }

  /** A Core restart: the in-memory state machine and all subscriptions are gone. */
  clear(): void {
    this.states.clear();
    this.entitySubs.clear();
    this.eventSubs.clear();
  }

  all(): HaState[] {
    return [...this.states.values()];
  }
}
