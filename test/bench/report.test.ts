/** The benchmark's own arithmetic and bookkeeping: percentiles, budgets, JSON, first-load walk. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { failedFigure, figure, formatLine, statusOf, toJson } from "../../bench/lib/report";
import { median, percentile, seededRandom } from "../../bench/lib/stats";
import { readingBatches, readingCount, benchProbes } from "../../bench/lib/synthetic";
import { panelFirstLoad } from "../../bench/suites/sizes";
import { makeTempDir } from "../support/tmp";

describe("percentile", () => {
  it("uses the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([7], 95)).toBe(7);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
});

describe("figures against budgets", () => {
  it("passes at the limit and fails beyond it, in the budget's direction", () => {
    expect(statusOf(figure("history_p95_ms", 25, "ms", "x"))).toBe("PASS");
    expect(statusOf(figure("history_p95_ms", 25.01, "ms", "x"))).toBe("FAIL");
    expect(statusOf(figure("history_ratio", 9.99, "×", "x"))).toBe("FAIL");
    expect(statusOf(figure("history_ratio", 10, "×", "x"))).toBe("PASS");
    expect(statusOf(figure("api_errors", 1, "", "x"))).toBe("FAIL");
    expect(statusOf(figure("card_render_ms", 5000, "ms", "x"))).toBe("INFO");
  });

  it("turns a non-finite measurement or a crash into ERROR with the reason, and null in JSON", () => {
    const nan = figure("freshness_ms", Number.NaN, "ms", "x");
    const crashed = failedFigure("startup_ms", "ms", "dist/main.js is missing");
    expect(statusOf(nan)).toBe("ERROR");
    expect(formatLine(crashed)).toMatch(/^ERROR\s+startup_ms .*dist\/main\.js is missing/);
    const json = toJson([nan, crashed, figure("rss_idle_mb", 61.23456, "MB", "VmRSS")], { cpus: 2 });
    expect(json).toMatchObject({ freshness_ms: null, startup_ms: null, rss_idle_mb: 61.23, _status: { rss_idle_mb: "PASS", startup_ms: "ERROR" }, _machine: { cpus: 2 } });
  });
});

describe("synthetic history", () => {
  it("yields one reading per probe per step, in time order, as many as announced", () => {
    const spec = { probes: benchProbes(3), fromMs: 0, toMs: 60_000, stepMs: 5_000 };
    const batches = [...readingBatches(spec, 5)];
    const all = batches.flat();
    expect(all).toHaveLength(readingCount(spec));
    expect(batches[0]).toHaveLength(15);
    expect(all.every((r, i) => i === 0 || r.tsMs >= all[i - 1]!.tsMs)).toBe(true);
    expect(new Set(all.map((r) => r.probeId))).toEqual(new Set(spec.probes.map((p) => p.id)));
  });

  it("is deterministic per seed", () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe("panel first load", () => {
  let cleanup = (): void => undefined;
  afterEach(() => cleanup());

  it("follows index.html's scripts and their static imports, not remote or dynamic ones", () => {
    const tmp = makeTempDir("grill-stats-bench-panel-");
    cleanup = tmp.cleanup;
    mkdirSync(join(tmp.dir, "chunks"));
    writeFileSync(join(tmp.dir, "index.html"), `<html><head><script type="module" src="panel.js?v=1"></script><link rel="stylesheet" href="https://cdn.example/x.css"></head></html>`);
    writeFileSync(join(tmp.dir, "panel.js"), `import{a}from"./chunks/a.js";import "./chunks/b.js";const l=()=>import("./lazy.js");`);
    writeFileSync(join(tmp.dir, "chunks", "a.js"), `export const a=1;import"../panel.js";`);
    writeFileSync(join(tmp.dir, "chunks", "b.js"), `console.log(1)`);
    const files = panelFirstLoad(tmp.dir).map((f) => f.slice(tmp.dir.length + 1)).sort();
    expect(files).toEqual(["chunks/a.js", "chunks/b.js", "index.html", "panel.js"]);
  });

  it("says which referenced file is missing", () => {
    const tmp = makeTempDir("grill-stats-bench-panel-");
    cleanup = tmp.cleanup;
    writeFileSync(join(tmp.dir, "index.html"), `<script src="gone.js"></script>`);
    expect(() => panelFirstLoad(tmp.dir)).toThrow(/gone\.js, which does not exist/);
  });
});
