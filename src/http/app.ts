import express from "express";
import { systemClock } from "../shared";
import { allowedMethods, apiNotFound, errorMiddleware, sendError } from "./errors";
import { createFastPath, type NodeHandler, type ReadRoute } from "./fast-path";
import { ingressGuard, securityHeaders, standaloneGuard } from "./guard";
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
 * The REST API, the live stream, the ingress panel and the card bundle, as a node request
 * listener that does not listen (main listens on the ingress port; tests on port 0): the hot
 * read-only routes answered by the fast path, everything else by express. All paths are
 * relative, so everything works under `/api/hassio_ingress/<token>/`. `closeStreams()` (shutdown)
 * ends every live-stream client and stops every bus listener of the app (the answer caches of
 * /api/probes and /api/history).
 */
export const createApp = (deps: HttpDeps): { handler: NodeHandler; closeStreams(): void } => {
  const clock = deps.clock ?? systemClock;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", "weak");
  app.use(securityHeaders, ingressGuard(deps.allowedAddresses), standaloneGuard(deps.allowedHosts ?? null, deps.sameOriginWrites ?? false));

  const stream = createStreamHub({
    bus: deps.bus,
    logger: deps.logger,
    snapshot: () => ({ probes: deps.getProbeStates(), alarms: deps.alarms?.list() ?? [], cook: deps.store.activeCook() }),
  });

  const disposers: Array<() => void> = [];
  const onClose = (dispose: () => void): void => {
    disposers.push(dispose);
  };

  // The hot read-only routes, answered from caches: by the fast path for their exact paths, and
  // here, ahead of the API router (no body parser), for any other spelling express accepts.
  const hot = new Map<string, ReadRoute>([
    ["/api/probes", probeStatesRoute(deps, onClose)],
    ["/api/history", historyRoute(deps, clock, onClose)],
  ]);
  for (const [path, route] of hot) app.get(path, (req, res) => route(req, res));

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
  // Looked up from the app's own stack: the hot routes are the app's, outside this router.
  api.use(apiNotFound((path) => allowedMethods(app.router.stack, `/api${path}`)));

  app.use("/api", api);
  app.use(staticRouter(deps.panelDir, deps.cardPath));
  app.use((req, res) => sendError(res, 404, "not_found", `Not found: ${(req.originalUrl.split("?")[0] ?? "").slice(0, 200)}`));
  app.use(errorMiddleware(deps.logger));

  const closeStreams = (): void => {
    stream.closeAll();
    for (const dispose of disposers.splice(0)) dispose();
  };
  const handler = createFastPath({ routes: hot, allowedAddresses: deps.allowedAddresses, allowedHosts: deps.allowedHosts ?? null, logger: deps.logger, fallback: app });
  return { handler, closeStreams };
};
