/**
 * card_render_ms / card_render_ratio (issue #5): the real card bundle (dist/grill-stats-card.js,
 * through its `benchmarkCard` hook) renders a 12 h × 6 probe history at 5 s in headless Chromium,
 * then live updates; the baseline draws the same data with a bare uPlot, every row, no
 * downsampling (bench/browser/uplot-baseline.ts). Each run in a fresh page; medians reported.
 */
import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { hasChromium, launchBrowser } from "../../test/support/browser";
import { workDir, type BenchContext } from "../lib/context";
import { figure, type Figure } from "../lib/report";
import { median, round } from "../lib/stats";
import { DIST_DIR } from "./sizes";

const PROBES = 6;
const HOURS = 12;
const STEP_S = 5;
const UPDATES = 5;

interface CardRun {
  renderMs: number;
  hookRenderMs: number;
  rows: number;
  shownRows: number;
  width: number;
  height: number;
  updates: Array<{ outer: number; inner: number }>;
}
interface BaselineRun {
  renderMs: number;
  updateMs: number;
  rows: number;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;font-family:sans-serif"><div id="host" style="width:500px"></div></body></html>`;

const serve = async (files: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> => {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://bench").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(PAGE);
      return;
    }
    const file = files[path];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
};

// Page scripts as strings: functions compiled by tsx may reference helpers the page lacks.
const cardScript = `(async () => {
  const m = await import("/grill-stats-card.js");
  const host = document.getElementById("host");
  const t0 = performance.now();
  const b = await m.benchmarkCard(host, { probes: ${PROBES}, hours: ${HOURS}, stepS: ${STEP_S} });
  const renderMs = performance.now() - t0;
  const chart = host.querySelector("grill-stats-card")?.shadowRoot?.querySelector("grill-stats-chart");
  const updates = [];
  for (let i = 0; i < ${UPDATES}; i++) {
    await new Promise((r) => requestAnimationFrame(() => r()));
    const t = performance.now();
    const inner = await b.update();
    updates.push({ outer: performance.now() - t, inner });
  }
  const out = { renderMs, hookRenderMs: b.renderMs, rows: b.rows, shownRows: b.shownRows,
    width: chart?.plot?.width ?? 468, height: chart?.plot?.height ?? 220, updates };
  b.dispose();
  return out;
})()`;

const baselineScript = (width: number, height: number): string => `(async () => {
  await import("/baseline.js");
  return window.runBaseline(document.getElementById("host"), { probes: ${PROBES}, hours: ${HOURS}, stepS: ${STEP_S}, width: ${width}, height: ${height} });
})()`;

const inFreshPage = async <T>(browser: Browser, url: string, script: string): Promise<T> => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  try {
    await page.goto(url);
    return (await page.evaluate(script)) as T;
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}${errors.length ? ` (page errors: ${errors.join("; ")})` : ""}`, { cause: err });
  } finally {
    await page.close();
  }
};

export const runCardRender = async (ctx: BenchContext): Promise<Figure[]> => {
  const cardPath = join(DIST_DIR, "grill-stats-card.js");
  if (!existsSync(cardPath)) throw new Error("dist/grill-stats-card.js is missing: run npm run build");
  if (!hasChromium()) throw new Error("no Chromium at /usr/bin/chromium (set CHROMIUM_PATH)");
  const baselinePath = join(workDir(ctx, "card"), "baseline.js");
  await build({
    entryPoints: [fileURLToPath(new URL("../browser/uplot-baseline.ts", import.meta.url))],
    bundle: true, format: "esm", platform: "browser", target: "es2022", minify: true, outfile: baselinePath, logLevel: "warning",
  });
  const server = await serve({ "/grill-stats-card.js": cardPath, "/baseline.js": baselinePath });
  const browser = await launchBrowser();
  try {
    const rounds = ctx.quick ? 1 : 3;
    const cards: CardRun[] = [];
    const bases: BaselineRun[] = [];
    for (let i = 0; i < rounds; i++) {
      const card = await inFreshPage<CardRun>(browser, server.url, cardScript);
      cards.push(card);
      bases.push(await inFreshPage<BaselineRun>(browser, server.url, baselineScript(card.width, card.height)));
    }
    const c = median(cards.map((r) => r.renderMs));
    const b = median(bases.map((r) => r.renderMs));
    const cu = median(cards.flatMap((r) => r.updates.map((u) => u.outer)));
    const bu = median(bases.map((r) => r.updateMs));
    const first = cards[0]!;
    return [
      figure(
        "card_render_ms",
        c,
        "ms",
        `card: ${PROBES} probes × ${HOURS} h @ ${STEP_S} s = ${first.rows} rows merged, ${first.shownRows} drawn at ${first.width}×${first.height}; ` +
          `the hook's own renderMs (stops before uPlot's commit) ${round(median(cards.map((r) => r.hookRenderMs)))} ms; median of ${rounds} fresh pages`,
      ),
      figure("card_render_ratio", c / b, "×", `card ${round(c)} ms ÷ bare uPlot with all ${bases[0]!.rows} rows ${round(b)} ms`),
      figure("card_update_ms", cu, "ms", `one live update (new hass, 1 reading per probe) until drawn; median of ${rounds}×${UPDATES}`),
      figure("card_update_ratio", cu / bu, "×", `card update ${round(cu)} ms ÷ bare uPlot append + setData of all rows ${round(bu)} ms`),
    ];
  } finally {
    await browser.close();
    await server.close();
  }
};
