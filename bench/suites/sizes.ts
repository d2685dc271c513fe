/**
 * card_gz_kb / panel_gz_kb: gzipped size (zlib default level 6, each file on its own, as a
 * compressing proxy would send it) of dist/grill-stats-card.js, and of the panel's first load:
 * dist/panel/index.html plus every local file it references (script src, link href) and every
 * file those scripts import statically, recursively.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { BenchContext } from "../lib/context";
import { errorMessage } from "../../src/shared";
import { failedFigure, figure, type Figure } from "../lib/report";

export const DIST_DIR = fileURLToPath(new URL("../../dist", import.meta.url));

const KB = 1024;

const gzKb = (path: string): { gz: number; raw: number } => {
  const data = readFileSync(path);
  return { gz: gzipSync(data).length / KB, raw: data.length / KB };
};

const isLocal = (ref: string): boolean => !/^(?:[a-z]+:)?\/\//i.test(ref) && !ref.startsWith("data:") && !ref.startsWith("#");

/** Local files referenced from an HTML page. */
const htmlRefs = (html: string): string[] => {
  const refs: string[] = [];
  for (const m of html.matchAll(/<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)) if (m[1] && isLocal(m[1])) refs.push(m[1]);
  return refs;
};

/** Relative modules a script imports statically (`import … from "./x.js"`, `import "./x.js"`). */
const jsRefs = (js: string): string[] => {
  const refs: string[] = [];
  for (const m of js.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[^"'`;]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)) if (m[1]) refs.push(m[1]);
  return refs;
};

/** Every file of the panel's first load, starting at index.html. */
export const panelFirstLoad = (panelDir: string): string[] => {
  const start = join(panelDir, "index.html");
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    if (!existsSync(file)) throw new Error(`the panel's first load references ${relative(DIST_DIR, file)}, which does not exist`);
    seen.add(file);
    const text = readFileSync(file, "utf8");
    const refs = file.endsWith(".html") ? htmlRefs(text) : file.endsWith(".js") || file.endsWith(".mjs") ? jsRefs(text) : [];
    for (const ref of refs) queue.push(normalize(join(dirname(file), ref.split(/[?#]/)[0]!)));
  }
  return [...seen];
};

const r = (v: number): string => v.toFixed(1);

const cardSize = (): Figure => {
  const cardPath = join(DIST_DIR, "grill-stats-card.js");
  if (!existsSync(cardPath)) return failedFigure("card_gz_kb", "KB", "dist/grill-stats-card.js is missing: run npm run build");
  const card = gzKb(cardPath);
  return figure("card_gz_kb", card.gz, "KB", `dist/grill-stats-card.js gzip -6, raw ${r(card.raw)} KB`);
};

const panelSize = (): Figure => {
  let files: string[];
  try {
    files = panelFirstLoad(join(DIST_DIR, "panel"));
  } catch (err) {
    return failedFigure("panel_gz_kb", "KB", `${errorMessage(err)} (run npm run build)`);
  }
  const sizes = files.map((f) => ({ f: relative(DIST_DIR, f), ...gzKb(f) }));
  const gz = sizes.reduce((a, s) => a + s.gz, 0);
  const raw = sizes.reduce((a, s) => a + s.raw, 0);
  return figure("panel_gz_kb", gz, "KB", `${sizes.map((s) => `${s.f} ${r(s.gz)}`).join(" + ")} KB gzip -6, raw ${r(raw)} KB`);
};

export const runSizes = async (_ctx: BenchContext): Promise<Figure[]> => [cardSize(), panelSize()];
