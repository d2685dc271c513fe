// Bundles the service (dist/main.js, dist/simulator.js), the Lovelace card
// (dist/grill-stats-card.js, one self-contained ES module) and the ingress panel (dist/panel/).
import { build } from "esbuild";
import { browserBundleOptions } from "./build-options.mjs";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const watch = process.argv.includes("--watch");
const define = { __GRILL_STATS_VERSION__: JSON.stringify(pkg.version) };

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist/panel", { recursive: true });

const service = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  packages: "external",
  define,
  logLevel: "warning",
};

const browser = browserBundleOptions(pkg.version);

await Promise.all([
  build({ ...service, entryPoints: { main: "src/cli.ts" }, outdir: "dist" }),
  build({ ...service, entryPoints: { simulator: "src/thermoworks/simulator/cli.ts" }, outdir: "dist" }),
  existsSync("custom_card/src/index.ts") &&
    build({ ...browser, entryPoints: ["custom_card/src/index.ts"], outfile: "dist/grill-stats-card.js" }),
  existsSync("addon/panel/src/main.ts") &&
    build({ ...browser, entryPoints: ["addon/panel/src/main.ts"], outfile: "dist/panel/panel.js" }),
]);
if (existsSync("addon/panel/index.html")) cpSync("addon/panel/index.html", "dist/panel/index.html");
if (watch) console.log("watch mode is not supported; run npm run build again");
