/**
 * `npm run backtest -- FILE.csv --target C` — one JSON line per evaluated moment and meat probe.
 * `npm run backtest -- --all [--dir ../shared/data/cooks] [--target C] [--every S] [--json]` — the score
 *   table; `--every S` replays each cook as a device reporting every S seconds would have logged it;
 *   `--drop P` replaces a share P of the readings by "no probe" (single-reading dropouts);
 *   `--report-delta F` replays the meat probes as RFX Meat probes with a delta trigger of F °F
 *   (they report when they moved F °F; the add-on repeats the last reading every minute);
 *   `--wraps` replays the wraps documented for the cooks as "wrap" notes;
 *   `--no-pit` leaves the pit probes out (a thermometer with meat probes only).
 * Dev flag for experiments: `--param name=value` overrides a predictor parameter (repeatable).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { errorMessage } from "../../shared";
import type { PredictParams } from "../predict";
import { dropReadings, onChangeCook, readCookCsv, thinCook, withoutPit, type CookFile } from "./csv";
import { formatReport } from "./report";
import { toEvalLine } from "./replay";
import { evaluateAll, evaluateCook } from "./run";

interface Args {
  file: string | null;
  all: boolean;
  dir: string;
  targetC: number | null;
  json: boolean;
  everyS: number | null;
  dropShare: number | null;
  /** `--report-delta`: the meat probes report on change, by this step in °F. */
  reportDeltaF: number | null;
  wraps: boolean;
  /** `--no-pit`: the pit probes left out. */
  noPit: boolean;
  params: Partial<PredictParams>;
}

const USAGE = "usage: npm run backtest -- FILE.csv --target C [--every S] [--drop P] [--report-delta F] [--no-pit] | --all [--dir DIR] [--target C] [--every S] [--drop P] [--report-delta F] [--no-pit] [--wraps] [--json]";

const parseArgs = (argv: string[]): Args => {
  const args: Args = { file: null, all: false, dir: resolve(process.cwd(), "../shared/data/cooks"), targetC: null, json: false, everyS: null, dropShare: null, reportDeltaF: null, wraps: false, noPit: false, params: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--all") args.all = true;
    else if (a === "--json") args.json = true;
    else if (a === "--wraps") args.wraps = true;
    else if (a === "--no-pit") args.noPit = true;
    else if (a === "--dir") args.dir = resolve(process.cwd(), next());
    else if (a === "--target") {
      const v = Number(next());
      if (!Number.isFinite(v) || v < 20 || v > 150) throw new Error(`--target must be a temperature in °C between 20 and 150\n${USAGE}`);
      args.targetC = v;
    } else if (a === "--every") {
      const v = Number(next());
      if (!Number.isInteger(v) || v < 1 || v > 3600) throw new Error(`--every must be whole seconds between 1 and 3600\n${USAGE}`);
      args.everyS = v;
    } else if (a === "--drop") {
      const v = Number(next());
      if (!Number.isFinite(v) || v <= 0 || v > 0.5) throw new Error(`--drop must be a share of readings above 0 and at most 0.5\n${USAGE}`);
      args.dropShare = v;
    } else if (a === "--report-delta") {
      const v = Number(next());
      if (!Number.isFinite(v) || v < 0.1 || v > 10) throw new Error(`--report-delta must be a step in °F between 0.1 and 10 (an RFX Meat probe's trigger is 1–3)\n${USAGE}`);
      args.reportDeltaF = v;
    } else if (a === "--param") {
      const [k, v] = next().split("=");
      if (!k || v === undefined || !Number.isFinite(Number(v))) throw new Error(`--param expects name=number`);
      (args.params as Record<string, number>)[k] = Number(v);
    } else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else if (args.file === null) args.file = a;
    else throw new Error(`only one FILE.csv, got also ${a}\n${USAGE}`);
  }
  if (!args.all && args.file === null) throw new Error(USAGE);
  if (!args.all && args.targetC === null) throw new Error(`--target is required with a single file\n${USAGE}`);
  return args;
};

const main = (): void => {
  const args = parseArgs(process.argv.slice(2));
  const reportDeltaC = args.reportDeltaF === null ? null : (args.reportDeltaF * 5) / 9;
  const opts = { predictParams: args.params, documentedWraps: args.wraps, reportDeltaC };
  const prepare = (f: CookFile): CookFile => {
    const meatOnly = args.noPit ? withoutPit(f) : f;
    const thinned = args.everyS === null ? meatOnly : thinCook(meatOnly, args.everyS);
    const onChange = reportDeltaC === null ? thinned : onChangeCook(thinned, reportDeltaC);
    return args.dropShare === null ? onChange : dropReadings(onChange, args.dropShare);
  };
  if (!args.all) {
    const file = prepare(readCookCsv(resolve(process.cwd(), args.file as string)));
    const { moments } = evaluateCook(file, args.targetC, opts);
    if (![...file.probes.values()].includes("meat")) process.stderr.write(`backtest: ${file.name} has no meat probe (role "meat"): nothing to predict\n`);
    for (const m of moments) process.stdout.write(`${JSON.stringify(toEvalLine(m))}\n`);
    return;
  }
  if (!existsSync(args.dir)) throw new Error(`no such folder: ${args.dir} (use --dir)`);
  const { cooks, summary, failed } = evaluateAll(args.dir, args.targetC, opts, prepare);
  if (cooks.length === 0 && failed.length === 0) throw new Error(`no .csv files in ${args.dir}`);
  process.stdout.write(formatReport(cooks, summary));
  if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  // The others are scored; a file left out is reported, and the exit status says so.
  for (const f of failed) process.stderr.write(`backtest: skipped ${f.error.startsWith(f.file) ? f.error : `${f.file}: ${f.error}`}\n`);
  if (failed.length > 0) process.exitCode = 1;
};

// `npm run backtest -- FILE.csv … | head`: a reader that stops early is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(0);
});

try {
  main();
} catch (err) {
  process.stderr.write(`backtest: ${errorMessage(err)}\n`);
  process.exitCode = 1;
}
