import type { RequestHandler } from "express";
import { z } from "zod";
import { BadRequestError, type Clock } from "../../shared";
import { createHistoryCache } from "../history-cache";
import { sendJsonEntry, toJsonEntry, type JsonEntry } from "../json-cache";
import type { HttpDeps } from "../types";
import { knownProbeIds, parseQuery, requireProbe, wholeNumber } from "../validate";

export const DEFAULT_WINDOW_MS = 4 * 3600_000;
export const DEFAULT_POINTS = 500;
export const MAX_POINTS = 5000;

const historyQuery = z.object({
  probe: z.union([z.string(), z.array(z.string())]).optional(),
  from: wholeNumber("epoch milliseconds").optional(),
  to: wholeNumber("epoch milliseconds").optional(),
  points: wholeNumber("points per probe")
    .pipe(z.number().min(1, "must be at least 1").max(MAX_POINTS, `must be at most ${MAX_POINTS}`))
    .optional(),
});

/** `probe=a&probe=b` and `probe=a,b` both mean [a, b]; empty entries are ignored. */
export const toProbeList = (probe: string | string[] | undefined): string[] | null => {
  if (probe === undefined) return null;
  const ids = (Array.isArray(probe) ? probe : [probe]).flatMap((p) => p.split(",")).map((p) => p.trim()).filter(Boolean);
  return ids.length > 0 ? [...new Set(ids)] : null;
};

/**
 * Downsampled history per probe: peaks and troughs survive (the store keeps each bucket's min and
 * max). `from`/`to` are used exactly as given, so a caller that sends stable (bucket-aligned)
 * windows gets the cached answer until a reading lands inside its window.
 */
export const historyRoute = (deps: HttpDeps, clock: Clock, onClose: (dispose: () => void) => void): RequestHandler => {
  const cache = createHistoryCache(deps.bus, clock);
  onClose(cache.close);
  return (req, res) => {
    const q = parseQuery(historyQuery, req);
    const requested = toProbeList(q.probe);
    const live = new Set(deps.getProbeStates().map((p) => p.id));
    // The store's probe list (a query) only when the live states do not already vouch for every id.
    const known = requested?.every((id) => live.has(id)) ? live : knownProbeIds(deps.store, live);
    for (const id of requested ?? []) requireProbe(known, id);
    const ids = [...(requested ?? known)].sort();
    const to = q.to ?? clock.now();
    const from = q.from ?? to - DEFAULT_WINDOW_MS;
    if (from >= to) throw new BadRequestError(`query.from: must be before query.to (from=${from}, to=${to})`);
    const points = q.points ?? DEFAULT_POINTS;
    const compute = (): JsonEntry => {
      const probes = ids.length > 0 ? deps.store.history(ids, from, to, points) : {};
      for (const id of ids) probes[id] ??= [];
      return toJsonEntry({ probes, from, to, points });
    };
    // Without `to` the window ends "now": no later request asks for the same one, so not cached.
    const entry = q.to === undefined ? compute() : cache.get({ ids, fromMs: from, toMs: to, points }, compute);
    sendJsonEntry(req, res, entry);
  };
};
