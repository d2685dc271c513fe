import { describe, expect, it } from "vitest";
import { DEFAULTS, PALETTE, probeColor, validateConfig } from "../../custom_card/src/config";

describe("validateConfig", () => {
  it("fills defaults so that an empty config shows every probe", () => {
    const c = validateConfig({ type: "custom:grill-stats-card" });
    expect(c.probes).toBeUndefined();
    expect(c.window).toBe(DEFAULTS.window);
    expect(c.show_chart && c.show_forecast && c.show_alarm_lines && c.show_device).toBe(true);
  });

  it("normalizes probes given as ids, entity ids or objects", () => {
    const c = validateConfig({ probes: ["aa_1", "sensor.grill_stats_aa_2_temperature", { probe: "aa_3", color: "blue", name: "Pit" }] });
    expect(c.probes).toEqual([{ probe: "aa_1" }, { probe: "aa_2" }, { probe: "aa_3", color: "blue", name: "Pit" }]);
  });

  it.each([
    [null, /must be a mapping/],
    [{ window: "2h" }, /"window" must be one of 1h, 4h, 12h, cook/],
    [{ probes: "aa_1" }, /"probes" must be a list/],
    [{ probes: [{ color: "red" }] }, /probes\[0\]\.probe is missing/],
    [{ probes: ["light.kitchen"] }, /neither a probe id/],
    [{ probes: ["aa_1", "aa_1"] }, /listed twice/],
    [{ probes: [{ probe: "aa_1", color: "red; background:url(x)" }] }, /color must be a palette name/],
    [{ show_chart: "yes" }, /"show_chart" must be true or false/],
    [{ chart_height: 5 }, /"chart_height" must be a number from 80 to 800/],
    [{ title: 3 }, /"title" must be text/],
  ])("rejects %j with a message the user can act on", (raw, msg) => {
    expect(() => validateConfig(raw)).toThrow(msg);
  });
});

describe("probeColor", () => {
  it("uses palette names, raw CSS colours, or an overridable automatic palette", () => {
    expect(probeColor("blue", 0)).toBe(PALETTE.find((p) => p.name === "blue")?.css);
    expect(probeColor("#ff0000", 0)).toBe("#ff0000");
    expect(probeColor(undefined, 1)).toMatch(/^var\(--grill-stats-probe-2-color, var\(--blue-color/);
    expect(probeColor(undefined, PALETTE.length)).toContain(PALETTE[0]?.css);
  });
});
