import express from "express";
import { systemClock } from "../shared";
import { apiNotFound, errorMiddleware, sendError } from "./errors";
import { ingressGuard, securityHeaders } from "./guard";
import { redactSecrets } from "./health";
import { alarmsRouter } from "./routes/alarms";
import { cooksRouter } from "./routes/cooks";
import { historyRoute } from "./routes/history";
import { probeStatesRoute, probesRouter } from "./routes/probes";
import { staticRouter } from "./static";
import { createStreamHub } from "./stream";
import type { HttpDeps } from "./types";

export const JSON_BODY_LIMIT = "64kb";

/**
 * The REST API, the live stream, the ingress panel and the card bundle, as an express app that
 * does not listen (main listens on the ingress port; tests on port 0). All paths are relative,
 * so everything works under `/api/hassio_ingress/<token>/`. `closeStreams()` (shutdown) ends every
 * live-stream client and stops every bus listener of the app (the answer caches of /api/probes
 * and /api/history).
 */
export const createApp = (deps: HttpDeps): { app: express.Express; closeStreams(): void } => {
  const clock = deps.clock ?? systemClock;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", "weak");
  app.use(securityHeaders, ingressGuard(deps.allowedAddresses));

  const stream = createStreamHub({
    bus: deps.bus,
    logger: deps.logger,
    snapshot: () => ({ probes: deps.getProbeStates(), alarms: deps.alarms?.list() ?? [], cook: deps.store.activeCook() }),
  });

  const disposers: Array<() => void> = [];
  const onClose = (dispose: () => void): void => {
    disposers.push(dispose);
  };

  // The hot read-only routes, answered from caches ahead of the API router: no body parser, no
  // further route matching.
  app.get("/api/probes", probeStatesRoute(deps, onClose));
  app.get("/api/history", historyRoute(deps, clock, onClose));

  const api = express.Router();
  api.use(express.json({ limit: JSON_BODY_LIMIT }));
  api.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  api.get("/health", (_req, res) => {
    res.json(redactSecrets(deps.getHealth()));
  });
  api.get("/stream", stream.handler);
  api.use(probesRouter(deps));
  api.use(cooksRouter(deps, clock));
  api.use(alarmsRouter(deps));
  api.use(apiNotFound);

  app.use("/api", api);
  app.use(staticRouter(deps.panelDir, deps.cardPath));
  app.use((req, res) => sendError(res, 404, "not_found", `Not found: ${(req.originalUrl.split("?")[0] ?? "").slice(0, 200)}`));
  app.use(errorMiddleware(deps.logger));

  const closeStreams = (): void => {
    stream.closeAll();
    for (const dispose of disposers.splice(0)) dispose();
  };
  return { app, closeStreams };
};
