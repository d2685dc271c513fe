/**
 * Browser-test support for the card: builds the bundle exactly as scripts/build.mjs does (into a
 * temp dir, so a concurrent `npm run build` cannot pull it away) and serves it with the fixture
 * pages from a loopback HTTP server on port 0. The benchmark can reuse both.
 */
import { build } from "esbuild";
import { browserBundleOptions } from "../../scripts/build-options.mjs";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir } from "../support/tmp";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURES = join(ROOT, "test/card/fixtures");

/** Bundles custom_card/src/index.ts → `<tmp>/grill-stats-card.js`; returns the file path. */
export const buildCardBundle = async (): Promise<{ file: string; cleanup: () => void }> => {
  const tmp = makeTempDir("grill-stats-card-");
  const file = join(tmp.dir, "grill-stats-card.js");
  await build({
    entryPoints: [join(ROOT, "custom_card/src/index.ts")],
    outfile: file,
    ...browserBundleOptions("test"),
  });
  return { file, cleanup: tmp.cleanup };
};

const ROUTES: Record<string, string> = {
  "/": "index.html",
  "/index.html": "index.html",
  "/bench.html": "bench.html",
  "/fake-hass.js": "fake-hass.js",
};

/** Serves the fixture pages and the bundle on 127.0.0.1:<random port>. */
export const startFixtureServer = async (bundleFile: string): Promise<{ url: string; close: () => Promise<void> }> => {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const file = path === "/grill-stats-card.js" ? bundleFile : ROUTES[path] ? join(FIXTURES, ROUTES[path]) : null;
    if (!file) {
      res.writeHead(404).end("not found");
      return;
    }
    const type = file.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8";
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
};

/** The real "course" smoker cook (pit + 2 meat) as history rows ending at `nowS`, cut at `cutS`. */
export const cookHistory = (nowS: number, cutS: number, ids: { pit: string; a: string; b: string }): Record<string, Array<[number, string]>> => {
  const path = join(ROOT, "../shared/data/cooks/unknown-meat-smart-smoker-course-1.csv");
  const csv = existsSync(path) ? readFileSync(path, "utf8") : syntheticCook(cutS);
  const map: Record<string, string> = { Channel1: ids.pit, Channel2: ids.a, Channel3: ids.b };
  const out: Record<string, Array<[number, string]>> = { [ids.pit]: [], [ids.a]: [], [ids.b]: [] };
  for (const line of csv.trim().split("\n").slice(1)) {
    const [t, probe, tempC] = line.split(",");
    const id = map[probe ?? ""];
    const ts = Number(t);
    if (!id || !(ts <= cutS)) continue;
    const f = Number(tempC) * 1.8 + 32;
    out[id]?.push([nowS - (cutS - ts), f.toFixed(1)]);
  }
  return out;
};

/** Same CSV shape as the recorded cook, for checkouts without the shared data folder. */
const syntheticCook = (cutS: number): string => {
  const lines = ["t_s,probe,temp_c,role"];
  for (let t = 0; t <= cutS; t += 60) {
    lines.push(`${t},Channel1,${(110 + 8 * Math.sin(t / 1500)).toFixed(2)},pit`);
    lines.push(`${t},Channel2,${Math.min(72, 5 + 67 * (1 - Math.exp(-t / 6000))).toFixed(2)},meat`);
    lines.push(`${t},Channel3,${Math.min(68, 4 + 64 * (1 - Math.exp(-t / 7000))).toFixed(2)},meat`);
  }
  return lines.join("\n");
};
