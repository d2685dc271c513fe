/**
 * Cloud documents are untrusted input: whatever one of them holds (a bare row, a date in year
 * 9999, a temperature of 1e300, a thousand nested maps, a megabyte of label), it costs at most
 * that one document or reading, never the snapshot.
 */
import { describe, expect, it } from "vitest";
import { makeClient, startSim } from "./helpers";

const warnings = (lines: string[]): string[] => lines.filter((l) => l.includes(" WARN "));

describe("untrusted cloud documents", () => {
  it("skips a runQuery row that is not an object (a bare 5, null) with a warning and keeps every device", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    sim.faults.junkQueryRows([5, null, "row"]);
    const snap = await client.fetchSnapshot();
    expect(snap.devices).toHaveLength(3);
    expect(snap.readings).toHaveLength(10);
    const warned = warnings(logger.lines).filter((l) => l.includes("device query result"));
    expect(warned).toHaveLength(3);
    // Every poll meets the same rows: one warning each, then debug.
    await client.fetchSnapshot();
    expect(warnings(logger.lines).filter((l) => l.includes("device query result"))).toHaveLength(3);
  });
});
