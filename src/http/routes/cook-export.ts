import { Router } from "express";
import { z } from "zod";
import type { Clock, Cook } from "../../shared";
import { exportFileName, toCookCsv, toCookJson, type ProbeReadings } from "../cooks/export";
import { collectProbeInfo, infoFor } from "../cooks/probe-info";
import type { HttpDeps } from "../types";
import { parseQuery } from "../validate";

const exportQuery = z.object({ format: z.enum(["csv", "json"], { error: "must be csv or json" }).default("csv") });

/** `GET /cooks/:id/export?format=csv|json` as a download. CSV replays in `npm run backtest`. */
export const cookExportRouter = (deps: HttpDeps, clock: Clock, getCook: (raw: unknown) => Cook): Router => {
  const router = Router();
  router.get("/cooks/:id/export", (req, res) => {
    const cook = getCook(req.params.id);
    const { format } = parseQuery(exportQuery, req);
    const info = collectProbeInfo(deps.store, deps.getProbeStates());
    const endMs = cook.endMs ?? clock.now();
    const probes: ProbeReadings[] = cook.probeIds.map((id) => ({
      info: infoFor(info, id),
      readings: deps.store.readingsBetween(id, cook.startMs, endMs),
    }));
    res.setHeader("Cache-Control", "no-store");
    res.attachment(exportFileName(cook, format));
    if (format === "csv") {
      res.type("text/csv; charset=utf-8").send(toCookCsv(probes));
      return;
    }
    res.type("application/json; charset=utf-8").send(JSON.stringify(toCookJson(cook, deps.store.listCookEvents(cook.id), probes, clock.now())));
  });
  return router;
};
