import { Router } from "express";
import { z } from "zod";
import { BadRequestError, type ProbeSettings, type ProbeState } from "../../shared";
import type { ReadRoute } from "../fast-path";
import { sendJsonEntry, toJsonEntry, type JsonEntry } from "../json-cache";
import type { HttpDeps } from "../types";
import { knownProbeIds, parseBody, requireProbe, tempC } from "../validate";

const settingsBody = z
  .object({
    targetC: tempC.nullable().optional(),
    highC: tempC.nullable().optional(),
    lowC: tempC.nullable().optional(),
  })
  .strict();

/** A probe's settings changed through the API: stored, and announced (alarms, analytics, Home Assistant's helpers follow). */
export const saveProbeSettings = (deps: Pick<HttpDeps, "store" | "bus">, next: ProbeSettings): void => {
  deps.store.saveSettings(next);
  deps.bus.emit("settings:changed", { settings: next, source: "api" });
};

/** Devices and per-probe settings (target / high / low in °C). */
export const probesRouter = (deps: HttpDeps): Router => {
  const { store } = deps;
  const router = Router();
  const probeIds = (): Set<string> => knownProbeIds(store, deps.getProbeStates().map((p) => p.id));

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
    saveProbeSettings(deps, next);
    res.json(next);
  });

  return router;
};

/**
 * `GET /api/probes`: the current probe states, serialised once per `probes:state` (analytics
 * emits it after every poll, settings change and refresh) — lazily, so at most one
 * JSON.stringify per emission and none while nobody asks.
 */
export const probeStatesRoute = (deps: HttpDeps, onClose: (dispose: () => void) => void): ReadRoute => {
  const { bus } = deps;
  let latest: ProbeState[] | null = null;
  let probesJson: JsonEntry | null = null;
  let listening = true;
  const offs = [
    bus.on("probes:state", (states) => {
      latest = states;
      probesJson = null;
    }),
    // Settings are part of the states; drop the answer even if nothing re-emits (tests, tools).
    bus.on("settings:changed", () => {
      latest = null;
      probesJson = null;
    }),
  ];
  onClose(() => {
    for (const off of offs) off();
    listening = false;
    latest = null;
    probesJson = null;
  });
  return (req, res) => {
    const entry = probesJson ?? toJsonEntry(latest ?? deps.getProbeStates());
    if (listening) probesJson = entry;
    sendJsonEntry(req, res, entry);
  };
};
