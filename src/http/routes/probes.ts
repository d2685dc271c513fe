import { Router } from "express";
import { z } from "zod";
import { BadRequestError, type ProbeSettings } from "../../shared";
import type { HttpDeps } from "../types";
import { knownProbeIds, parseBody, requireProbe, tempC } from "../validate";

const settingsBody = z
  .object({
    targetC: tempC.nullable().optional(),
    highC: tempC.nullable().optional(),
    lowC: tempC.nullable().optional(),
  })
  .strict();

/** Current probe states, devices, and per-probe settings (target / high / low in °C). */
export const probesRouter = (deps: HttpDeps): Router => {
  const { store, bus } = deps;
  const router = Router();
  const probeIds = (): Set<string> => knownProbeIds(store, deps.getProbeStates().map((p) => p.id));

  router.get("/probes", (_req, res) => {
    res.json(deps.getProbeStates());
  });

  router.get("/devices", (_req, res) => {
    res.json(store.listDevices());
  });

  router.get("/probes/:id/settings", (req, res) => {
    const id = String(req.params.id);
    requireProbe(probeIds(), id);
    res.json(store.getSettings(id));
  });

  router.put("/probes/:id/settings", (req, res) => {
    const id = String(req.params.id);
    requireProbe(probeIds(), id);
    const patch = parseBody(settingsBody, req);
    const current = store.getSettings(id);
    const next: ProbeSettings = {
      probeId: id,
      targetC: patch.targetC === undefined ? current.targetC : patch.targetC,
      highC: patch.highC === undefined ? current.highC : patch.highC,
      lowC: patch.lowC === undefined ? current.lowC : patch.lowC,
    };
    if (next.lowC !== null && next.highC !== null && next.lowC >= next.highC) {
      throw new BadRequestError(`body.lowC: the low alarm (${next.lowC} °C) must be below the high alarm (${next.highC} °C)`);
    }
    store.saveSettings(next);
    bus.emit("settings:changed", { settings: next, source: "api" });
    res.json(next);
  });

  return router;
};
