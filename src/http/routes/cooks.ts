import { Router } from "express";
import { z } from "zod";
import { BadRequestError, COOK_EVENT_KINDS, COOK_NAME_MAX, COOK_EVENT_SLACK_MS, NotFoundError, type Clock, type Cook } from "../../shared";
import { collectProbeInfo } from "../cooks/probe-info";
import { computeCookSummary, SUMMARY_POINTS, type CookSummary } from "../cooks/summary";
import type { HttpDeps } from "../types";
import { epochMs, idParam, parseBody, parseQuery, tempC, typedText, wholeNumber } from "../validate";
import { cookExportRouter } from "./cook-export";
import { saveProbeSettings } from "./probes";

const listQuery = z.object({
  limit: wholeNumber("number of cooks").pipe(z.number().min(1, "must be at least 1").max(200, "must be at most 200")).optional(),
  before: epochMs().optional(),
});
const cookNameField = typedText().pipe(z.string().min(1, "must not be empty").max(COOK_NAME_MAX, `must be at most ${COOK_NAME_MAX} characters`));
const patchBody = z
  .object({
    name: cookNameField.optional(),
    notes: typedText({ multiline: true }).pipe(z.string().max(20_000, "must be at most 20000 characters")).optional(),
    // Merged into the cook's targets; null takes a probe's target away.
    targets: z.record(z.string(), tempC.nullable()).optional(),
  })
  .strict();
const eventBody = z
  .object({
    tsMs: z.number().int("must be whole epoch milliseconds"),
    kind: z.enum(COOK_EVENT_KINDS),
    text: typedText({ multiline: true }).pipe(z.string().max(500, "must be at most 500 characters")).default(""),
    probeId: z.string().min(1).nullable().optional(),
  })
  .strict();
/** `name`: of the part after the split (the panel names it in its language); default "<name> (part 2)". */
const splitBody = z.object({ atMs: z.number().int("must be whole epoch milliseconds"), name: cookNameField.optional() }).strict();
const mergeBody = z.object({ otherId: z.number().int().positive() }).strict();

/** Cooks: list, detail with summary, edits, annotations, split / merge, delete, export. */
export const cooksRouter = (deps: HttpDeps, clock: Clock): Router => {
  const { store, bus } = deps;
  const router = Router();

  const getCook = (raw: unknown): Cook => {
    const parsed = idParam.safeParse(raw);
    const cook = parsed.success ? store.getCook(parsed.data) : null;
    if (!cook) throw new NotFoundError(`Unknown cook "${String(raw)}"`);
    return cook;
  };
  const summarize = (cook: Cook, info = collectProbeInfo(store, deps.getProbeStates())): CookSummary => {
    const endMs = cook.endMs ?? clock.now();
    const history = cook.probeIds.length > 0 && endMs > cook.startMs ? store.history(cook.probeIds, cook.startMs, endMs, SUMMARY_POINTS) : {};
    return computeCookSummary(cook, history, info, clock.now());
  };
  const changed = (cook: Cook, change: "updated" | "deleted"): void => bus.emit("cook:changed", { cook, change });

  router.get("/cooks", (req, res) => {
    const q = parseQuery(listQuery, req);
    const limit = q.limit ?? 50;
    const cooks = store.listCooks({ limit, ...(q.before !== undefined ? { beforeMs: q.before } : {}) });
    const info = collectProbeInfo(store, deps.getProbeStates());
    const last = cooks.at(-1);
    res.json({
      cooks: cooks.map((cook) => ({ ...cook, summary: summarize(cook, info) })),
      nextBefore: cooks.length === limit && last ? last.startMs : null,
    });
  });

  router.get("/cooks/:id", (req, res) => {
    const cook = getCook(req.params.id);
    res.json({ cook, events: store.listCookEvents(cook.id), summary: summarize(cook), neighbours: store.cookNeighbours(cook.id) });
  });

  router.patch("/cooks/:id", (req, res) => {
    const cook = getCook(req.params.id);
    const { targets, ...patch } = parseBody(patchBody, req);
    // The keys as sent: a record parser leaves "__proto__" out, and this one would then be a no-op.
    const raw = (req.body as { targets?: unknown }).targets;
    for (const id of raw !== null && typeof raw === "object" ? Object.keys(raw) : []) {
      if (!cook.probeIds.includes(id)) throw new BadRequestError(`body.targets.${id.slice(0, 64)}: that probe is not part of this cook`);
    }
    const merged = targets === undefined ? undefined
      : Object.fromEntries(Object.entries({ ...cook.targets, ...targets }).filter((e): e is [string, number] => e[1] !== null));
    const updated = store.updateCook(cook.id, { ...patch, ...(merged ? { targets: merged } : {}) });
    // A running cook's targets are its probes' targets now (alarms, done time, Home Assistant's
    // helpers): they change with it. A past cook's are its record only.
    if (cook.endMs === null) {
      for (const [probeId, targetC] of Object.entries(targets ?? {})) saveProbeSettings(deps, { ...store.getSettings(probeId), targetC });
    }
    changed(updated, "updated");
    res.json(updated);
  });

  router.delete("/cooks/:id", (req, res) => {
    const cook = getCook(req.params.id);
    store.deleteCook(cook.id);
    changed(cook, "deleted");
    res.status(204).end();
  });

  router.post("/cooks/:id/events", (req, res) => {
    const cook = getCook(req.params.id);
    const body = parseBody(eventBody, req);
    const endMs = (cook.endMs ?? clock.now()) + COOK_EVENT_SLACK_MS;
    if (body.tsMs < cook.startMs || body.tsMs > endMs) {
      throw new BadRequestError(`body.tsMs: must be inside the cook (${new Date(cook.startMs).toISOString()} – ${new Date(endMs).toISOString()})`);
    }
    if (body.probeId && !cook.probeIds.includes(body.probeId)) throw new BadRequestError(`body.probeId: "${body.probeId}" is not part of this cook`);
    const event = store.addCookEvent({ cookId: cook.id, tsMs: body.tsMs, kind: body.kind, text: body.text, probeId: body.probeId ?? null });
    bus.emit("cook:event", event);
    res.status(201).json(event);
  });

  router.delete("/cooks/:id/events/:eventId", (req, res) => {
    const cook = getCook(req.params.id);
    const eventId = idParam.safeParse(req.params.eventId);
    const event = eventId.success ? store.listCookEvents(cook.id).find((e) => e.id === eventId.data) : undefined;
    if (!event) throw new NotFoundError(`Cook ${cook.id} has no event "${String(req.params.eventId)}"`);
    store.deleteCookEvent(event.id);
    changed(cook, "updated");
    res.status(204).end();
  });

  router.post("/cooks/:id/split", (req, res) => {
    const cook = getCook(req.params.id);
    const { atMs, name } = parseBody(splitBody, req);
    const endMs = cook.endMs ?? clock.now();
    if (atMs <= cook.startMs || atMs >= endMs) {
      throw new BadRequestError(`body.atMs: must be strictly inside the cook (${new Date(cook.startMs).toISOString()} – ${new Date(endMs).toISOString()})`);
    }
    const newCook = store.splitCook(cook.id, atMs, name);
    const original = store.getCook(cook.id) ?? cook;
    changed(original, "updated");
    changed(newCook, "updated");
    res.json({ cook: original, newCook });
  });

  router.post("/cooks/:id/merge", (req, res) => {
    const cook = getCook(req.params.id);
    const { otherId } = parseBody(mergeBody, req);
    if (otherId === cook.id) throw new BadRequestError("body.otherId: a cook cannot be merged with itself");
    const other = getCook(String(otherId));
    const merged = store.mergeCooks(cook.id, other.id);
    changed(other, "deleted");
    changed(merged, "updated");
    res.json({ cook: merged });
  });

  router.use(cookExportRouter(deps, clock, getCook));
  return router;
};
