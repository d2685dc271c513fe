/**
 * The backtest CLI and its building blocks on a synthetic cook written to a temp dir (so these run
 * without the shared recordings): JSON-lines output, causality, default targets, the --all table.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { SampleBuffer } from "../../src/analytics";
import { baselineA, baselineB } from "../../src/analytics/backtest/baselines";
import { defaultTargetC, dropReadings, onChangeCook, parseCookCsv, thinCook, truthReachedS } from "../../src/analytics/backtest/csv";
import { probeIdOf, replayCook, type Moment } from "../../src/analytics/backtest/replay";
import { makeTempDir } from "../support/tmp";
import { newton } from "./helpers";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const tmp = makeTempDir("grill-stats-backtest-");
afterAll(() => tmp.cleanup());

/** A 3 h hot cook (no stall expected): pit at 160 °C every 60 s, meat Newton-heating every 45 s, one spike to 98 °C. */
const csv = (): string => {
  const rows: string[] = ["t_s,probe,temp_c,role"];
  const meat = newton(160, 10, 0.45);
  for (let t = 0; t <= 3 * 3600; t += 15) {
    if (t % 60 === 0) rows.push(`${t},pit1,${(160 + Math.sin(t / 500)).toFixed(2)},pit`);
    if (t % 45 === 0) rows.push(`${t},meat1,${(t === 2700 ? 98 : meat(t / 3600)).toFixed(2)},meat`);
  }
  return `${rows.join("\n")}\n`;
};
const file = join(tmp.dir, "synthetic.csv");
writeFileSync(file, csv());

const run = (...args: string[]): string =>
  execFileSync(process.execPath, ["--import", "tsx", "src/analytics/backtest/cli.ts", ...args], { cwd: repoRoot, encoding: "utf8" });

describe("backtest", () => {
  it("parses and validates the CSV format", () => {
    const parsed = parseCookCsv(csv(), "x.csv");
    expect([...parsed.probes]).toEqual([["pit1", "pit"], ["meat1", "meat"]]);
    expect(() => parseCookCsv("time,probe,temp\n1,a,2\n", "bad.csv")).toThrow(/header/);
    expect(() => parseCookCsv("t_s,probe,temp_c,role\n1,a,hot,meat\n", "bad.csv")).toThrow('bad.csv:2: temp_c: expected a temperature in °C, or empty for no reading (got "hot")');
    expect(() => parseCookCsv("t_s,probe,temp_c,role\n1,a,20,oven\n", "bad.csv")).toThrow('bad.csv:2: role: expected meat, pit, ambient or humidity (got "oven")');
    expect(() => parseCookCsv("t_s,probe,temp_c,role\n-5,a,20,meat\n", "bad.csv")).toThrow(/bad\.csv:2: t_s: expected seconds/);
    expect(() => parseCookCsv("t_s,probe,temp\n1,a,2\n", "bad.csv")).toThrow(/missing temp_c, role/);
    // Windows line ends, a byte-order mark and a capitalised role are read all the same.
    expect([...parseCookCsv("\uFEFFt_s,probe,temp_c,role\r\n0,a,20.5,Meat\r\n60,p,110,PIT\r\n", "win.csv").probes]).toEqual([["a", "meat"], ["p", "pit"]]);
    // Columns by name in any order, extra columns ignored, quoted commas kept; "nan" or empty is no reading.
    const loose = parseCookCsv('role,temp_c,note,t_s,probe\nmeat,20.5,"wrapped, paper",0,"Probe 1, brisket"\nmeat,NaN,,60,"Probe 1, brisket"\n', "loose.csv");
    expect(loose.rows).toEqual([
      { tS: 0, probe: "Probe 1, brisket", tempC: 20.5, role: "meat" },
      { tS: 60, probe: "Probe 1, brisket", tempC: null, role: "meat" },
    ]);
  });

  it("uses min(95, highest held meat temperature − 1) rounded to 0.5 °C as the default target; a spike does not count", () => {
    const parsed = parseCookCsv(csv(), "x.csv");
    const highest = newton(160, 10, 0.45)(3);
    expect(defaultTargetC(parsed)).toBe(Math.round(Math.min(95, highest - 1) * 2) / 2);
    // The real crossings, not the 98 °C spike at 2700 s.
    const crossS = (targetC: number): number => (Math.log(150 / (160 - targetC)) / 0.45) * 3600;
    expect(Math.abs((truthReachedS(parsed, "meat1", 95) as number) - crossS(95))).toBeLessThanOrEqual(45);
    expect(Math.abs((truthReachedS(parsed, "meat1", 90) as number) - crossS(90))).toBeLessThanOrEqual(45);
  });

  it("does not take a one-reading spike for done in a log that samples every 5 minutes", () => {
    const rows = ["t_s,probe,temp_c,role"];
    for (let t = 0; t <= 6 * 3600; t += 300) rows.push(`${t},meat,${(t === 3600 ? 99 : 20 + (70 * t) / (6 * 3600)).toFixed(2)},meat`);
    const sparse = parseCookCsv(rows.join("\n"), "sparse.csv");
    expect(truthReachedS(sparse, "meat", 89)).toBe(6 * 3600 - 300);
    expect(defaultTargetC(sparse)).toBe(89);
    // --every: the dense log thinned to one reading per probe per 5 minutes is that log again.
    const dense = ["t_s,probe,temp_c,role"];
    for (let t = 0; t <= 6 * 3600; t += 60) dense.push(`${t},meat,${(t === 3600 ? 99 : 20 + (70 * t) / (6 * 3600)).toFixed(2)},meat`);
    expect(thinCook(parseCookCsv(dense.join("\n"), "dense.csv"), 300).rows).toEqual(sparse.rows);
  });

  it("--drop replays single-reading dropouts, and the ETAs ride them out", () => {
    const parsed = parseCookCsv(csv(), "x.csv");
    const dropped = dropReadings(parsed, 0.05);
    expect(dropped.rows.map((r) => [r.tS, r.probe])).toEqual(parsed.rows.map((r) => [r.tS, r.probe]));
    const nulls = dropped.rows.filter((r) => r.tempC === null).length;
    expect(nulls / parsed.rows.length).toBeGreaterThan(0.02); // 422 rows: 5 % ± 1 %
    expect(nulls / parsed.rows.length).toBeLessThan(0.09);
    expect(dropReadings(parsed, 0.05)).toEqual(dropped);
    const eta = (lines: string): Map<number, number | null> =>
      new Map(lines.trim().split("\n").map((l) => JSON.parse(l) as { t_s: number; eta_s: number | null }).map((l) => [l.t_s, l.eta_s]));
    const clean = eta(run(file, "--target", "90"));
    const withDrops = eta(run(file, "--target", "90", "--drop", "0.05"));
    // From the second hour on every moment has an ETA, within 5 min of the one without dropouts.
    let compared = 0;
    for (const [t, e] of withDrops) {
      if (t < 3600 || clean.get(t) === undefined) continue;
      expect(e, `t ${t}`).not.toBeNull();
      expect(Math.abs((e as number) - (clean.get(t) as number)), `t ${t}`).toBeLessThan(5 * 60);
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
    expect(() => run(file, "--target", "90", "--drop", "0.9")).toThrow(/--drop must be/);
  });

  it("--report-delta replays the meat probes as RFX Meat probes: a report per step, the reading held once a minute between", () => {
    const parsed = parseCookCsv(csv(), "x.csv");
    const stepC = (2 * 5) / 9;
    const rfx = onChangeCook(parsed, stepC);
    expect(rfx.rows.filter((r) => r.role === "pit")).toEqual(parsed.rows.filter((r) => r.role === "pit"));
    const meat = rfx.rows.filter((r) => r.role === "meat");
    let reported = meat[0]?.tempC as number;
    let lastS = meat[0]?.tS as number;
    let reports = 0;
    for (const r of meat.slice(1)) {
      expect(r.tS - lastS, `t ${r.tS}`).toBeGreaterThanOrEqual(45);
      if (r.tempC !== reported) {
        // A new report: a step or more from the last one, at a time the probe really read it.
        expect(Math.abs((r.tempC as number) - reported), `t ${r.tS}`).toBeGreaterThanOrEqual(stepC);
        expect(parsed.rows.some((p) => p.probe === r.probe && p.tS === r.tS && p.tempC === r.tempC)).toBe(true);
        reported = r.tempC as number;
        reports++;
      } else expect(r.tS - lastS, `t ${r.tS}`).toBeGreaterThanOrEqual(60);
      lastS = r.tS;
    }
    // 10 → 149 °C over 3 h at 1.1 °C a step, the one-reading spike (98 °C, and back) two of them.
    expect(reports).toBeGreaterThan(60);
    expect(reports).toBeLessThan(140);
    const lines = run(file, "--target", "90", "--report-delta", "2").trim().split("\n");
    expect(lines.length).toBeGreaterThan(100);
    expect(() => run(file, "--target", "90", "--report-delta", "0")).toThrow(/--report-delta must be/);
  });

  it("gives no baseline estimate from a window of one held reading (no rise, not a slope of rounding error)", () => {
    // 71.67 °C read every 15 s for 20 min: the weighted line's slope comes out at 1.2e-28 °C/h.
    const held = SampleBuffer.of(Array.from({ length: 81 }, (_, i) => ({ tsMs: i * 15_000, tempC: 71.67 })));
    expect(baselineA(held, 20 * 60_000, 90)).toBeNull();
    expect(baselineB(held, 20 * 60_000, 90)).toBeNull();
    const rising = SampleBuffer.of(Array.from({ length: 21 }, (_, i) => ({ tsMs: i * 60_000, tempC: 60 + i / 6 })));
    expect((baselineA(rising, 20 * 60_000, 90) as number) / 3600).toBeCloseTo(8 / 3, 2);
  });

  it("prints one JSON line per evaluated moment and meat probe, at most one per 60 s, ETA in seconds from t_s", () => {
    const lines = run(file, "--target", "90").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(100);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(["probe", "t_s", "temp_c", "eta_s", "eta_p10_s", "eta_p90_s", "stalled"]);
      expect(l.probe).toBe("meat1");
      if (l.eta_s !== null) expect(l.eta_s as number).toBeGreaterThanOrEqual(0);
    }
    const ts = lines.map((l) => l.t_s as number);
    for (let i = 1; i < ts.length; i++) expect((ts[i] as number) - (ts[i - 1] as number)).toBeGreaterThanOrEqual(60);
    // Somewhere in the middle the ETA agrees with Newton's law within a few minutes.
    const mid = lines.find((l) => (l.t_s as number) >= 3600) as { t_s: number; eta_s: number };
    const truth = (Math.log((160 - 10) / (160 - 90)) / 0.45) * 3600;
    expect(Math.abs(mid.t_s + mid.eta_s - truth)).toBeLessThan(6 * 60);
  });

  it("evaluates a probe once at a second that holds two of its readings (a log of about one a second, rounded to seconds)", () => {
    const rows = ["t_s,probe,temp_c,role"];
    const meat = newton(130, 20, 0.6);
    // 1.2 readings a second: every sixth second has two of the meat probe's.
    for (let n = 0, t = 0; t <= 2 * 3600; n++, t = Math.floor(n / 1.2)) {
      rows.push(`${t},meat1,${meat(n / 1.2 / 3600).toFixed(2)},meat`);
      if (n % 60 === 0) rows.push(`${t},pit1,130.00,pit`);
    }
    const sorted = [rows[0] as string, ...rows.slice(1).sort((a, b) => Number(a.split(",")[0]) - Number(b.split(",")[0]) || a.localeCompare(b))];
    const moments = replayCook(parseCookCsv(`${sorted.join("\n")}\n`, "dense.csv"), 70);
    const seconds = moments.map((m) => m.t_s);
    expect(seconds.length).toBeGreaterThan(100);
    expect(new Set(seconds).size).toBe(seconds.length);
    // The temperature of a moment is the one the engine kept: the first of that second.
    const twice = moments.find((m) => sorted.filter((r) => r.startsWith(`${m.t_s},meat1,`)).length === 2) as Moment;
    expect(twice).toBeDefined();
    expect(twice.temp_c).toBe(Number((sorted.find((r) => r.startsWith(`${twice.t_s},meat1,`)) as string).split(",")[2]));
  });

  it("stops quietly when its reader closes early (`… | head -1`)", () => {
    const res = spawnSync("sh", ["-c", `"${process.execPath}" --import tsx src/analytics/backtest/cli.ts "${file}" --target 90 | head -1`], { cwd: repoRoot, encoding: "utf8" });
    expect(res.stdout.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).not.toMatch(/EPIPE|Unhandled/);
  });

  it("is strictly causal: the moments up to t do not change when later data is removed", () => {
    const full = parseCookCsv(csv(), "x.csv");
    const cut = { ...full, rows: full.rows.filter((r) => r.tS <= 4000) };
    const a = replayCook(full, 90).filter((m) => m.t_s <= 4000);
    const b = replayCook(cut, 90);
    expect(b).toEqual(a);
  });

  it("hands every evaluated moment to the inspect hook with the engine as it was at that moment", () => {
    const parsed = parseCookCsv(csv(), "x.csv");
    const seen: { m: Moment; lastMs: number | undefined; pitLastMs: number | undefined }[] = [];
    const moments = replayCook(parsed, 90, {}, (m, engine) => {
      const lastMsOf = (id: string): number | undefined => {
        const s = engine.series(id);
        return s.length > 0 ? s.tsAt(s.length - 1) : undefined;
      };
      seen.push({ m, lastMs: lastMsOf(probeIdOf(m.probe)), pitLastMs: lastMsOf(probeIdOf("pit1")) });
    });
    expect(seen.map((s) => s.m)).toEqual(moments);
    // Nothing after the moment is visible; the moment's own reading is (unless held as a spike).
    for (const s of seen) {
      expect(s.lastMs).toBeLessThanOrEqual(s.m.t_s * 1000);
      if (s.pitLastMs !== undefined) expect(s.pitLastMs).toBeLessThanOrEqual(s.m.t_s * 1000);
    }
    expect(seen.filter((s) => s.lastMs === s.m.t_s * 1000).length).toBeGreaterThan(seen.length * 0.9);
  });

  it("--all prints the table and, with --json, the summary as one JSON object on the last line", () => {
    const out = run("--all", "--dir", tmp.dir, "--json").trim().split("\n");
    const summary = JSON.parse(out[out.length - 1] as string) as { checkpoints: { beforeS: number; oursPct: number | null }[]; coverage: number | null };
    expect(summary.checkpoints.map((c) => c.beforeS)).toEqual([14400, 7200, 3600, 1800]);
    expect(out.join("\n")).toMatch(/synthetic\.csv\s+target/);
    expect(out.join("\n")).toMatch(/P10–P90 coverage/);
  });

  it("--all scores the readable cooks of a folder, names each file it could not read, and exits 1", () => {
    const dir = makeTempDir("grill-stats-bt-bad-");
    try {
      writeFileSync(join(dir.dir, "good.csv"), csv());
      writeFileSync(join(dir.dir, "bad.csv"), "t_s,probe,temp_c,role\n0,a,20,meat\n60,a,hot,meat\n");
      const res = spawnSync(process.execPath, ["--import", "tsx", "src/analytics/backtest/cli.ts", "--all", "--dir", dir.dir], { cwd: repoRoot, encoding: "utf8" });
      expect(res.status).toBe(1);
      expect(res.stdout).toMatch(/good\.csv\s+target/);
      expect(res.stdout).not.toMatch(/bad\.csv\s+target/);
      expect(res.stderr).toContain('backtest: skipped bad.csv:3: temp_c: expected a temperature in °C, or empty for no reading (got "hot")');
    } finally {
      dir.cleanup();
    }
  });

  it("exits with a clear message on bad arguments", () => {
    expect(() => execFileSync(process.execPath, ["--import", "tsx", "src/analytics/backtest/cli.ts", file], { cwd: repoRoot, encoding: "utf8", stdio: "pipe" })).toThrow(/--target is required/);
  });
});
