/**
 * Smoke test of the benchmark suite: the store-only part in quick mode, in-process, folded into
 * the JSON `npm run bench -- --json` prints. Checks that every key is there and finite — not
 * how fast anything is (speed is the benchmark's business, not a test's).
 */
import { afterAll, describe, expect, it } from "vitest";
import { machineInfo } from "../../bench/lib/machine";
import { toJson, type JsonReport } from "../../bench/lib/report";
import { STORE_KEYS, runStoreSuite } from "../../bench/suites/store";
import { makeTempDir } from "../support/tmp";

describe("bench (store part, BENCH_QUICK)", () => {
  const tmp = makeTempDir("grill-stats-bench-smoke-");
  afterAll(() => tmp.cleanup());
  let json: JsonReport;

  it("runs and reports every store figure as a finite number", async () => {
    const log: string[] = [];
    const figures = await runStoreSuite({ quick: true, tmpDir: tmp.dir, log: (m) => log.push(m) });
    json = JSON.parse(JSON.stringify(toJson(figures, { ...machineInfo() }))) as JsonReport;
    for (const [key] of STORE_KEYS) {
      expect(json, `${key} missing; log:\n${log.join("\n")}`).toHaveProperty(key);
      expect(Number.isFinite(json[key]), `${key} = ${String(json[key])}; ${String((json._notes as Record<string, string>)[key])}`).toBe(true);
    }
  }, 60_000);

  it("marks each budgeted figure PASS or FAIL and explains every figure", () => {
    const status = json._status as Record<string, string>;
    const notes = json._notes as Record<string, string>;
    expect(status.ingest_ratio).toMatch(/^(PASS|FAIL)$/);
    expect(status.history_p95_ms).toMatch(/^(PASS|FAIL)$/);
    expect(status.history_scaling).toMatch(/^(PASS|FAIL)$/);
    expect(status.ingest_per_s).toBe("INFO");
    for (const [key] of STORE_KEYS) expect(notes[key]?.length ?? 0).toBeGreaterThan(10);
  });
});
