import type { Response } from "express";
import { Router } from "express";
import { setImmediate as nextTurn } from "node:timers/promises";
import { z } from "zod";
import { errorMessage, whenWritable, type Clock, type Cook, type Logger } from "../../shared";
import { cookCsvChunks, cookJsonChunks, exportFileName, type ReadSlice } from "../cooks/export";
import { collectProbeInfo, infoFor } from "../cooks/probe-info";
import type { HttpDeps } from "../types";
import { parseQuery } from "../validate";

const exportQuery = z.object({ format: z.enum(["csv", "json"], { error: "must be csv or json" }).default("csv") });

/**
 * Writes the chunks as they come, waiting while the client is slower than the database and
 * giving the event loop a turn after each (polls and alarms go on during a week-long export);
 * stops when the client goes away.
 */
const stream = async (res: Response, chunks: Iterable<string>, logger: Logger): Promise<void> => {
  try {
    for (const chunk of chunks) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await whenWritable(res);
      await nextTurn();
    }
    res.end();
  } catch (err) {
    if (!res.headersSent) throw err;
    // Part of the file is out: cut the connection, so the download fails instead of looking whole.
    logger.error("cook export failed part way; the download was cut off", { error: errorMessage(err) });
    res.destroy();
  }
};

/** `GET /cooks/:id/export?format=csv|json` as a download. CSV replays in `npm run backtest`. */
export const cookExportRouter = (deps: HttpDeps, clock: Clock, getCook: (raw: unknown) => Cook): Router => {
  const router = Router();
  router.get("/cooks/:id/export", async (req, res) => {
    const cook = getCook(req.params.id);
    const { format } = parseQuery(exportQuery, req);
    const info = collectProbeInfo(deps.store, deps.getProbeStates());
    const probes = cook.probeIds.map((id) => infoFor(info, id));
    const read: ReadSlice = (id, fromMs, toMs) => deps.store.readingsBetween(id, fromMs, toMs);
    const nowMs = clock.now();
    // The events before the first byte: a missing cook or a database error is still a clean error answer.
    const events = format === "json" ? deps.store.listCookEvents(cook.id) : [];
    res.setHeader("Cache-Control", "no-store");
    res.attachment(exportFileName(cook, format));
    if (format === "csv") {
      res.type("text/csv; charset=utf-8");
      await stream(res, cookCsvChunks(probes, cook.startMs, cook.endMs ?? nowMs, read), deps.logger);
      return;
    }
    res.type("application/json; charset=utf-8");
    await stream(res, cookJsonChunks(cook, events, probes, nowMs, read), deps.logger);
  });
  return router;
};
