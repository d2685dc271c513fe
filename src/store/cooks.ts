/** Cooks and their timeline events, including split and merge. */
import { BadRequestError, ConflictError, COOK_EVENT_KINDS, NotFoundError, nextPartName, partBase, type Clock, type Cook, type CookEvent, type CookEventKind } from "../shared";
import type { Db } from "./db";

const EVENT_KINDS: ReadonlySet<string> = new Set<CookEventKind>(COOK_EVENT_KINDS);

interface CookRow {
  id: number;
  name: string;
  start_ms: number;
  end_ms: number | null;
  notes: string;
  probe_ids: string;
  targets: string;
}

interface EventRow {
  id: number;
  cook_id: number;
  ts_ms: number;
  kind: string;
  text: string;
  probe_id: string | null;
}

type CookPatch = Partial<Pick<Cook, "name" | "notes" | "endMs" | "probeIds" | "targets" | "startMs">>;

const toCook = (r: CookRow): Cook => ({
  id: r.id,
  name: r.name,
  startMs: r.start_ms,
  endMs: r.end_ms,
  notes: r.notes,
  probeIds: JSON.parse(r.probe_ids) as string[],
  targets: JSON.parse(r.targets) as Record<string, number>,
});

const toEvent = (r: EventRow): CookEvent => ({ id: r.id, cookId: r.cook_id, tsMs: r.ts_ms, kind: r.kind as CookEventKind, text: r.text, probeId: r.probe_id });

const checkCook = (c: Omit<Cook, "id">): void => {
  if (typeof c.name !== "string" || c.name.trim() === "") throw new BadRequestError("a cook needs a name");
  if (!Number.isSafeInteger(c.startMs)) throw new BadRequestError("startMs must be epoch milliseconds");
  if (c.endMs !== null && (!Number.isSafeInteger(c.endMs) || c.endMs < c.startMs)) throw new BadRequestError("endMs must be epoch milliseconds, not before startMs");
  if (!Array.isArray(c.probeIds) || c.probeIds.some((p) => typeof p !== "string")) throw new BadRequestError("probeIds must be a list of probe ids");
  for (const [probeId, t] of Object.entries(c.targets)) {
    if (typeof t !== "number" || !Number.isFinite(t)) throw new BadRequestError(`target of ${probeId} must be a temperature in °C`);
  }
};

export const createCooks = (db: Db, clock: Clock) => {
  const insert = db.prepare(`INSERT INTO cooks (name, start_ms, end_ms, notes, probe_ids, targets, created_ms, updated_ms)
    VALUES (@name, @startMs, @endMs, @notes, @probeIds, @targets, @now, @now)`);
  const update = db.prepare(`UPDATE cooks SET name = @name, start_ms = @startMs, end_ms = @endMs, notes = @notes,
    probe_ids = @probeIds, targets = @targets, updated_ms = @now WHERE id = @id`);
  const select = db.prepare("SELECT * FROM cooks WHERE id = ?");
  const list = db.prepare("SELECT * FROM cooks WHERE start_ms < ? ORDER BY start_ms DESC, id DESC LIMIT ?");
  const active = db.prepare("SELECT * FROM cooks WHERE end_ms IS NULL ORDER BY start_ms DESC, id DESC LIMIT 1");
  // In the order the cook list has them (start, then id): the ones a merge may join without one between.
  const previous = db.prepare("SELECT * FROM cooks WHERE start_ms < @startMs OR (start_ms = @startMs AND id < @id) ORDER BY start_ms DESC, id DESC LIMIT 1");
  const next = db.prepare("SELECT * FROM cooks WHERE start_ms > @startMs OR (start_ms = @startMs AND id > @id) ORDER BY start_ms, id LIMIT 1");
  // A cook other than these two that overlaps [fromMs, toMs] (a running one reaches to the end of time).
  const overlapping = db.prepare("SELECT * FROM cooks WHERE id NOT IN (@id, @otherId) AND start_ms < @toMs AND (end_ms IS NULL OR end_ms > @fromMs) ORDER BY start_ms, id LIMIT 1");
  const del = db.prepare("DELETE FROM cooks WHERE id = ?");
  const insertEvent = db.prepare("INSERT INTO cook_events (cook_id, ts_ms, kind, text, probe_id) VALUES (?, ?, ?, ?, ?)");
  const selectEvent = db.prepare("SELECT * FROM cook_events WHERE id = ?");
  const listEvents = db.prepare("SELECT * FROM cook_events WHERE cook_id = ? ORDER BY ts_ms, id");
  const deleteEvent = db.prepare("DELETE FROM cook_events WHERE id = ?");
  const moveEventsFrom = db.prepare("UPDATE cook_events SET cook_id = ? WHERE cook_id = ? AND ts_ms >= ?");
  const moveAllEvents = db.prepare("UPDATE cook_events SET cook_id = ? WHERE cook_id = ?");

  const getCook = (id: number): Cook | null => {
    const row = select.get(id) as CookRow | undefined;
    return row ? toCook(row) : null;
  };
  const mustGet = (id: number): Cook => {
    const cook = getCook(id);
    if (!cook) throw new NotFoundError(`cook ${id} does not exist`);
    return cook;
  };
  const params = (c: Omit<Cook, "id">) => ({
    name: c.name.trim(),
    startMs: c.startMs,
    endMs: c.endMs,
    notes: c.notes,
    probeIds: JSON.stringify(c.probeIds),
    targets: JSON.stringify(c.targets),
    now: clock.now(),
  });
  const create = (c: Omit<Cook, "id">): Cook => {
    checkCook(c);
    return mustGet(Number(insert.run(params(c)).lastInsertRowid));
  };
  const save = (c: Cook): Cook => {
    checkCook(c);
    update.run({ ...params(c), id: c.id });
    return mustGet(c.id);
  };

  return {
    createCook(input: { name: string; startMs: number; probeIds: string[]; targets?: Record<string, number> }): Cook {
      return create({ name: input.name, startMs: input.startMs, endMs: null, notes: "", probeIds: [...input.probeIds], targets: { ...input.targets } });
    },
    updateCook(id: number, patch: CookPatch): Cook {
      const cook = mustGet(id);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as CookPatch;
      return save({ ...cook, ...defined, id });
    },
    getCook,
    listCooks(opts: { limit?: number; beforeMs?: number } = {}): Cook[] {
      const limit = opts.limit === undefined ? -1 : Math.max(0, Math.floor(opts.limit));
      return (list.all(opts.beforeMs ?? Number.MAX_SAFE_INTEGER, limit) as CookRow[]).map(toCook);
    },
    /** The cooks just before and after cook `id` (by start): the two it can be merged with. */
    cookNeighbours(id: number): { previous: Cook | null; next: Cook | null } {
      const { startMs } = mustGet(id);
      const one = (row: unknown): Cook | null => (row ? toCook(row as CookRow) : null);
      return { previous: one(previous.get({ startMs, id })), next: one(next.get({ startMs, id })) };
    },
    activeCook(): Cook | null {
      const row = active.get() as CookRow | undefined;
      return row ? toCook(row) : null;
    },
    deleteCook(id: number): void {
      if (del.run(id).changes === 0) throw new NotFoundError(`cook ${id} does not exist`);
    },
    addCookEvent(input: { cookId: number; tsMs: number; kind: CookEventKind; text: string; probeId?: string | null }): CookEvent {
      if (!EVENT_KINDS.has(input.kind)) throw new BadRequestError(`unknown cook event kind "${String(input.kind)}"`);
      if (!Number.isSafeInteger(input.tsMs)) throw new BadRequestError("tsMs must be epoch milliseconds");
      mustGet(input.cookId);
      const id = Number(insertEvent.run(input.cookId, input.tsMs, input.kind, input.text, input.probeId ?? null).lastInsertRowid);
      return toEvent(selectEvent.get(id) as EventRow);
    },
    listCookEvents: (cookId: number): CookEvent[] => (listEvents.all(cookId) as EventRow[]).map(toEvent),
    deleteCookEvent(id: number): void {
      if (deleteEvent.run(id).changes === 0) throw new NotFoundError(`cook event ${id} does not exist`);
    },
    splitCook: db.transaction((id: number, atMs: number, name?: string): Cook => {
      const cook = mustGet(id);
      if (!(atMs > cook.startMs) || (cook.endMs !== null && !(atMs < cook.endMs))) {
        throw new BadRequestError(`cook ${id} can only be split strictly inside its span`);
      }
      const part = create({ ...cook, name: name ?? nextPartName(cook.name), startMs: atMs, notes: "" });
      save({ ...cook, endMs: atMs });
      moveEventsFrom.run(part.id, id, atMs);
      return part;
    }),
    mergeCooks: db.transaction((id: number, otherId: number): Cook => {
      if (id === otherId) throw new BadRequestError("a cook cannot be merged into itself");
      const cook = mustGet(id);
      const other = mustGet(otherId);
      // A cook in between would lie inside the merged one: two cooks owning the same readings.
      const fromMs = Math.min(cook.startMs, other.startMs);
      const toMs = cook.endMs === null || other.endMs === null ? Number.MAX_SAFE_INTEGER : Math.max(cook.endMs, other.endMs);
      const row = overlapping.get({ id, otherId, fromMs, toMs }) as CookRow | undefined;
      const between = row ? toCook(row) : null;
      if (between) throw new ConflictError(`cook ${between.id} ("${between.name}") lies between cooks ${id} and ${otherId}: merge it in first, or delete it`);
      const base = partBase(cook.name);
      const merged: Cook = {
        ...cook,
        // Parts of one cook merged back are that cook again.
        name: base === partBase(other.name) ? base : cook.name,
        startMs: Math.min(cook.startMs, other.startMs),
        endMs: cook.endMs === null || other.endMs === null ? null : Math.max(cook.endMs, other.endMs),
        notes: [cook.notes, other.notes].filter((n) => n.trim() !== "").join("\n\n"),
        probeIds: [...new Set([...cook.probeIds, ...other.probeIds])],
        targets: { ...other.targets, ...cook.targets },
      };
      moveAllEvents.run(id, otherId);
      del.run(otherId);
      return save(merged);
    }),
  };
};
