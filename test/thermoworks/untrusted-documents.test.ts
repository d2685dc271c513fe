/**
 * Cloud documents are untrusted input: whatever one of them holds (a bare row, a date in year
 * 9999, a temperature of 1e300, a thousand nested maps, a megabyte of label), it costs at most
 * that one document or reading, never the snapshot.
 */
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../src/thermoworks/mapping";
import { toCloudText } from "../../src/thermoworks/sanity";
import { channelFieldsSchema, deviceFieldsSchema } from "../../src/thermoworks/schemas";
import { makeClient, SIGNALS, startSim } from "./helpers";

/** A Firestore value wrapped in `levels` maps. */
const nested = (levels: number): Record<string, unknown> => {
  let v: Record<string, unknown> = { stringValue: "core" };
  for (let i = 0; i < levels; i++) v = { mapValue: { fields: { inner: v } } };
  return v;
};

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

  it("rejects a channel nested a thousand maps deep as malformed (no stack overflow) and reads the rest", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    sim.faults.overrideFields({ serial: SIGNALS, channel: "2" }, { extra: nested(1000) });
    const snap = await client.fetchSnapshot();
    expect(snap.devices).toHaveLength(3);
    expect(snap.probes.map((p) => p.id)).not.toContain("a4cf123b5e01_2");
    expect(snap.probes).toHaveLength(9);
    const warned = warnings(logger.lines).find((l) => l.includes("malformed cloud document"));
    expect(warned).toContain(`devices/${SIGNALS}/channels/2`);
    expect(warned).toContain("nested deeper than 20");
  });

  it("refuses a channel number or serial that could make no usable id (100 000 digits, only punctuation)", () => {
    const doc = (fields: Record<string, unknown>) => ({ name: "projects/p/databases/(default)/documents/devices/X/channels/1", fields });
    expect(parseDocument(doc({ number: { stringValue: "1".repeat(100_000) } }), channelFieldsSchema, "x")).toMatchObject({ ok: false, error: expect.stringContaining("longer than 16") });
    expect(parseDocument(doc({ number: { stringValue: "!!" } }), channelFieldsSchema, "x")).toMatchObject({ ok: false, error: expect.stringContaining("no letter or digit") });
    expect(parseDocument(doc({ number: { integerValue: "12" } }), channelFieldsSchema, "x").ok).toBe(true);
    expect(parseDocument(doc({ serial: { stringValue: "::" } }), deviceFieldsSchema, "x")).toMatchObject({ ok: false, error: expect.stringContaining("no letter or digit") });
    expect(parseDocument(doc({ serial: { stringValue: "A4:CF:12:3B:5E:01" } }), deviceFieldsSchema, "x").ok).toBe(true);
  });

  it("accepts the 20 levels of maps Firestore allows and refuses the 21st", () => {
    const doc = (levels: number) => ({ name: "projects/p/databases/(default)/documents/devices/X/channels/1", fields: { number: { stringValue: "1" }, extra: nested(levels) } });
    expect(parseDocument(doc(20), channelFieldsSchema, "x").ok).toBe(true);
    expect(parseDocument(doc(21), channelFieldsSchema, "x")).toMatchObject({ ok: false, error: expect.stringContaining("nested deeper than 20") });
  });

  it("a channel stamped in year 9999 or 1900 gives no reading (one warning), and its next good reading flows", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    const probe = "a4cf123b5e01_2";
    for (const stamp of ["9999-12-31T23:59:59Z", "1900-01-01T00:00:00Z"]) {
      sim.faults.overrideFields({ serial: SIGNALS, channel: "2" }, { lastSeen: { timestampValue: stamp } });
      const snap = await client.fetchSnapshot();
      await client.fetchSnapshot();
      expect(snap.probes.map((p) => p.id)).toContain(probe);
      expect(snap.readings.map((r) => r.probeId)).not.toContain(probe);
      expect(snap.readings).toHaveLength(9);
      const warned = warnings(logger.lines).filter((l) => l.includes(`devices/${SIGNALS}/channels/2`) && l.includes(new Date(stamp).toISOString()));
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatch(/lastSeen.*(ahead of our clock|before 2015); reading skipped/);
    }
    sim.faults.overrideFields({ serial: SIGNALS, channel: "2" }, null);
    sim.advance(10);
    const good = (await client.fetchSnapshot()).readings.find((r) => r.probeId === probe);
    expect(good?.tempC).not.toBeNull();
    // The simulator's clock is 10 s ahead now (advance): well within the few minutes allowed.
    expect(Math.abs((good?.tsMs ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it("a device whose last contact is in the future has none, so it is not online forever", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    sim.faults.overrideFields({ serial: SIGNALS }, { lastSeen: { timestampValue: "9999-12-31T23:59:59Z" } });
    const snap = await client.fetchSnapshot();
    expect(snap.devices.find((d) => d.serial === SIGNALS)?.lastSeenMs).toBeNull();
    // Its channels have their own times and still read.
    expect(snap.readings.filter((r) => r.probeId.startsWith("a4cf123b5e01_"))).toHaveLength(4);
    expect(warnings(logger.lines).some((l) => l.includes(`devices/${SIGNALS}"`) && l.includes("ahead of our clock"))).toBe(true);
  });

  it("reads a temperature of ±1e300 as no reading, with a warning, but keeps ThermoWorks' −300 °C \"no probe\" value", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    const reading = async (value: Record<string, unknown>) => {
      sim.faults.overrideFields({ serial: SIGNALS, channel: "2" }, { value, units: { stringValue: "F" } });
      sim.advance(10);
      return (await client.fetchSnapshot()).readings.find((r) => r.probeId === "a4cf123b5e01_2");
    };
    expect((await reading({ doubleValue: 1e300 }))?.tempC).toBeNull();
    expect((await reading({ doubleValue: -1e300 }))?.tempC).toBeNull();
    expect((await reading({ integerValue: "1833" }))?.tempC).toBeNull(); // 1000.6 °C
    // One warning for the channel's impossible values; the repeats go to debug.
    const bad = warnings(logger.lines).filter((l) => l.includes(`devices/${SIGNALS}/channels/2`));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain("is outside -330…1000 °C; read as no reading");
    expect(bad[0]).toContain("5.555555555555556e+299");
    // -508 °F is -300 °C: the sentinel passes as it always did, and analytics reads it as unplugged.
    expect((await reading({ integerValue: "-508" }))?.tempC).toBe(-300);
    expect((await reading({ doubleValue: 165.2 }))?.tempC).toBe(74);
    expect(warnings(logger.lines).filter((l) => l.includes(`devices/${SIGNALS}/channels/2`))).toHaveLength(1);
  });

  it("shortens a megabyte label to 64 characters and drops its control characters", async () => {
    const sim = await startSim();
    const { client, logger } = makeClient(sim);
    const huge = `Brisket\u0000\u001b[2J\n\u202eflat ${"x".repeat(1_000_000)}`;
    sim.faults.overrideFields({ serial: SIGNALS, channel: "2" }, { label: { stringValue: huge }, type: { stringValue: huge } });
    sim.faults.overrideFields({ serial: SIGNALS }, { label: { stringValue: huge }, device: { stringValue: huge }, firmware: { stringValue: huge } });
    const snap = await client.fetchSnapshot();
    const probe = snap.probes.find((p) => p.id === "a4cf123b5e01_2");
    expect(probe?.label).toMatch(/^Brisket \[2J flat x+…$/);
    expect(Array.from(probe?.label ?? "")).toHaveLength(64);
    expect(Array.from(probe?.type ?? "")).toHaveLength(64);
    const device = snap.devices.find((d) => d.serial === SIGNALS);
    for (const text of [device?.label, device?.model, device?.firmware]) expect(Array.from(text ?? "").length).toBeLessThanOrEqual(64);
    expect(JSON.stringify(snap).length).toBeLessThan(20_000);
    const warned = warnings(logger.lines).filter((l) => l.includes("longer than 64 characters"));
    expect(warned.length).toBeGreaterThanOrEqual(2);
    expect(warned.join("").length).toBeLessThan(5_000);
  });

  it("cleans cloud text: controls to spaces, white space collapsed, emoji not cut in half", () => {
    expect(toCloudText("  Pit\t\r\n 2\u0007 ")).toBe("Pit 2");
    expect(toCloudText("\u202eRTL\u2066")).toBe("RTL");
    expect(toCloudText("🔥".repeat(70))).toBe(`${"🔥".repeat(63)}…`);
    expect(toCloudText("Short")).toBe("Short");
  });
});
