import { copyFileSync, mkdirSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { build } from "esbuild";
import { browserBundleOptions } from "../../scripts/build-options.mjs";

/** Builds the panel exactly like scripts/build.mjs does (browser bundle + index.html) into `outDir`. */
export const buildPanel = async (outDir: string): Promise<void> => {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: ["addon/panel/src/main.ts"],
    outfile: join(outDir, "panel.js"),
    ...browserBundleOptions("test"),
  });
  copyFileSync("addon/panel/index.html", join(outDir, "index.html"));
};

export interface IngressProxy {
  url: string;
  /** Requests the proxy forwarded (method + path as the add-on saw it). */
  forwarded: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

/**
 * What the Supervisor does for ingress: `/api/hassio_ingress/<token>/<path>` → `<addon>/<path>`,
 * with X-Ingress-Path set, streaming the response back (SSE included).
 */
export const startIngressProxy = async (target: string, token: string): Promise<IngressProxy> => {
  const prefix = `/api/hassio_ingress/${token}`;
  const upstream = new URL(target);
  const forwarded: IngressProxy["forwarded"] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith(prefix)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not an ingress path");
      return;
    }
    const path = url.slice(prefix.length) || "/";
    forwarded.push({ method: req.method ?? "GET", path });
    const headers = { ...req.headers, host: upstream.host, "x-ingress-path": prefix, "x-hass-source": "core.ingress" };
    delete headers["accept-encoding"];
    const out = httpRequest({ hostname: upstream.hostname, port: upstream.port, path, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
};
