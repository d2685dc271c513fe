/**
 * Regression tests on the real recorded cooks (GRILL_STATS_COOKS_DIR, default ../shared/data/cooks
 * next to the repo). The thresholds are the measured levels with a little headroom, so a change
 * that makes the predictor worse on real cooks fails here.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { readCookCsv, truthReachedS, withoutPit } from "../../src/analytics/backtest/csv";
import { WRAP_REFERENCE } from "../../src/analytics/backtest/metrics";
import { replayCook } from "../../src/analytics/backtest/replay";
import { evaluateAll, listCookFiles, type BacktestSummary, type CookResult } from "../../src/analytics/backtest/run";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const dir = resolve(repoRoot, process.env.GRILL_STATS_COOKS_DIR ?? "../shared/data/cooks");
const available = existsSync(dir) && listCookFiles(dir).length > 0;
if (!available) process.stderr.write(`analytics backtest regression tests skipped: no recorded cooks in ${dir} (set GRILL_STATS_COOKS_DIR)\n`);

const BRISKET = "brisket-brisket-tracking-1.csv";
const HOT_COOKS = ["unknown-meat-inkbird-bbq-data-2.csv", "roast-chicken-heatledger-1.csv"];

describe.skipIf(!available)(`predictor on the recorded cooks in ${dir}`, () => {
  let cooks: CookResult[] = [];
  let summary: BacktestSummary;
  beforeAll(() => {
    ({ cooks, summary } = evaluateAll(dir, null));
  }, 120_000);

  const at = (hours: number) => summary.checkpoints.find((c) => c.beforeS === hours * 3600);

  it("scores every meat probe that reached its target, at the checkpoints that exist", () => {
    expect(cooks.length).toBeGreaterThanOrEqual(6);
    for (const c of summary.checkpoints) expect(c.n).toBeGreaterThanOrEqual(4);
  });

  it("is within 15 % of the time remaining 4 h out, and far better than both baselines there", () => {
    const cp = at(4);
    expect(cp?.oursPct as number).toBeLessThanOrEqual(15);
    expect(cp?.oursPct as number).toBeLessThanOrEqual(Math.min(cp?.aPct ?? Infinity, cp?.bPct ?? Infinity) / 2);
  });

  it("beats the better baseline at every checkpoint, and by 2× at 2 h", () => {
    for (const cp of summary.checkpoints) {
      const better = Math.min(cp.aPct ?? Infinity, cp.bPct ?? Infinity);
      expect(cp.oursPct as number, `${cp.beforeS / 3600} h`).toBeLessThan(better);
    }
    const two = at(2);
    expect(two?.oursPct as number).toBeLessThanOrEqual(Math.min(two?.aPct ?? Infinity, two?.bPct ?? Infinity) / 2);
  });

  it("is within 15 % at 4 h and 30 min, and within 30 % of the time remaining at every checkpoint", () => {
    expect(at(4)?.oursPct as number).toBeLessThanOrEqual(15);
    expect(at(0.5)?.oursPct as number).toBeLessThanOrEqual(15);
    for (const cp of summary.checkpoints) expect(cp.oursPct as number, `${cp.beforeS / 3600} h`).toBeLessThanOrEqual(30);
  });

  it("puts the truth inside P10–P90 70–90 % of the time, with ranges that are not huge", () => {
    expect(summary.coverage as number).toBeGreaterThanOrEqual(70);
    expect(summary.coverage as number).toBeLessThanOrEqual(90);
    expect(summary.withRangeShare as number).toBeGreaterThanOrEqual(90);
    expect(summary.meanRelWidth as number).toBeLessThan(1.5);
  });

  it("finds every documented stall within 20 minutes of its start", () => {
    const documented = summary.stalls.filter((s) => s.expected === true);
    expect(documented.length).toBeGreaterThanOrEqual(4);
    for (const s of documented) {
      expect(s.detectedS, s.file).not.toBeNull();
      // Within 20 minutes either way: a stall called while the meat still crawls up is a false alarm.
      expect(Math.abs(s.delayS as number), s.file).toBeLessThanOrEqual(20 * 60);
    }
  });

  it.skipIf(!existsSync(resolve(dir, BRISKET)))("forecasts the brisket's end much better in the 90 min after its documented wrap, once told of it", () => {
    const file = readCookCsv(resolve(dir, BRISKET));
    const wrapS = WRAP_REFERENCE[BRISKET] as number;
    const truthS = truthReachedS(file, "internal", 91) as number;
    const medianErr = (wrapAtS: number | null): number => {
      const errs = replayCook(file, 91, { wrapAtS })
        .filter((m) => m.probe === "internal" && m.t_s >= wrapS && m.t_s <= wrapS + 90 * 60 && m.eta_s !== null)
        .map((m) => Math.abs((m.eta_s as number) - (truthS - m.t_s)) / (truthS - m.t_s))
        .sort((a, b) => a - b);
      return errs[Math.floor(errs.length / 2)] as number;
    };
    const told = medianErr(wrapS);
    expect(told).toBeLessThanOrEqual(0.15);
    expect(told).toBeLessThan(medianErr(null) / 2);
  });

  it("reports no stall on the hot cooks", () => {
    for (const name of HOT_COOKS) {
      const s = summary.stalls.find((x) => x.file === name);
      expect(s, name).toBeDefined();
      expect(s?.detectedS, name).toBeNull();
    }
  });
});

describe.skipIf(!available)(`predictor on the recorded cooks in ${dir}, without their pit probes`, () => {
  let summary: BacktestSummary;
  beforeAll(() => {
    ({ summary } = evaluateAll(dir, null, {}, withoutPit));
  }, 120_000);

  // A thermometer with meat probes only sees no pit: the forecast must still beat both baselines
  // (which never use one) at every checkpoint, and keep an honest range.
  it("beats the better baseline at every checkpoint", () => {
    for (const cp of summary.checkpoints) {
      const better = Math.min(cp.aPct ?? Infinity, cp.bPct ?? Infinity);
      expect(cp.oursPct as number, `${cp.beforeS / 3600} h`).toBeLessThan(better);
    }
  });

  it("puts the truth inside P10–P90 70–90 % of the time", () => {
    expect(summary.coverage as number).toBeGreaterThanOrEqual(70);
    expect(summary.coverage as number).toBeLessThanOrEqual(90);
  });
});
