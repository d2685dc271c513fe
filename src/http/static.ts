import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import express, { Router, type Request } from "express";
import { sendError } from "./errors";

/** Only the Supervisor's own ingress path shape may go into the page (it is a request header). */
const INGRESS_PATH = /^\/api\/hassio_ingress\/[A-Za-z0-9_-]{1,128}$/;

/**
 * `<base href>` from X-Ingress-Path, so relative URLs also resolve when the page was opened
 * without the trailing slash (`…/hassio_ingress/<token>`). Anything not shaped like an ingress
 * path is ignored, and the page then relies on its relative URLs alone.
 */
export const injectBase = (html: string, ingressPath: string | undefined): string => {
  if (!ingressPath || !INGRESS_PATH.test(ingressPath)) return html;
  return html.replace(/<head>/i, `<head><base href="${ingressPath}/">`);
};

const isMissing = (err: unknown): boolean => typeof err === "object" && err !== null && (err as { code?: unknown }).code === "ENOENT";

/** The panel (`/`, `/panel.js` …) and the Lovelace card bundle (`/grill-stats-card.js`). */
export const staticRouter = (panelDir: string, cardPath: string): Router => {
  const router = Router();
  const indexPath = resolve(panelDir, "index.html");
  const card = resolve(cardPath);

  const sendIndex = async (req: Request, res: express.Response): Promise<void> => {
    let html: string;
    try {
      html = await readFile(indexPath, "utf8");
    } catch (err) {
      if (!isMissing(err)) throw err;
      sendError(res, 503, "unavailable", "The panel is not built; run npm run build");
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.type("html").send(injectBase(html, req.get("x-ingress-path")));
  };
  router.get(["/", "/index.html"], sendIndex);

  router.get("/grill-stats-card.js", (_req, res, next) => {
    res.sendFile(card, { headers: { "Cache-Control": "no-cache", "Content-Type": "text/javascript; charset=utf-8" } }, (err) => {
      if (!err) return;
      if (isMissing(err)) sendError(res, 404, "not_found", "The card is not built; run npm run build");
      else next(err);
    });
  });

  router.use(
    express.static(panelDir, {
      index: false,
      redirect: false,
      setHeaders: (res) => res.setHeader("Cache-Control", "no-cache"),
    }),
  );
  return router;
};
