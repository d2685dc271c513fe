import { describe, expect, it } from "vitest";
import { DEFAULTS, PALETTE, assignProbeColors, validateConfig } from "../../custom_card/src/config";
import { closestPair, deltaE2000 } from "./color-distance";

describe("validateConfig", () => {
  it("fills defaults so that an empty config shows every probe", () => {
    const c = validateConfig({ type: "custom:grill-stats-card" });
    expect(c.probes).toBeUndefined();
    expect(c.window).toBe(DEFAULTS.window);
    expect(c.show_chart && c.show_forecast && c.show_alarm_lines && c.show_device).toBe(true);
    // Every probe unticked in the editor is no choice either (it said "no probes found").
    expect(validateConfig({ type: "custom:grill-stats-card", probes: [] }).probes).toBeUndefined();
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

/** Home Assistant's default values of its palette variables (frontend, color.globals.ts). */
const HA_DEFAULTS: Record<string, string> = {
  "--red-color": "#f44336", "--pink-color": "#e91e63", "--purple-color": "#926bc7", "--indigo-color": "#3f51b5",
  "--blue-color": "#2196f3", "--teal-color": "#009688", "--green-color": "#4caf50", "--amber-color": "#ffc107",
  "--orange-color": "#ff9800", "--brown-color": "#795548",
};
/** The red of the high/low alarm lines (HA's --error-color) and the orange of the stall band and badge (--warning-color). */
const ALARM_LINE = "#db4437";
const STALL = "#ffa600";

/** What a colour like `var(--grill-stats-probe-1-color, var(--blue-color, #1e88e5))` shows: in HA's default theme, or without HA's variables. */
const resolve = (css: string, where: "ha" | "fallback"): string => {
  const m = /var\((--[a-z-]+-color), (#[0-9a-f]{6})\)/i.exec(css);
  if (!m) return css;
  return where === "ha" ? (HA_DEFAULTS[m[1] as string] ?? (m[2] as string)) : (m[2] as string);
};

describe("assignProbeColors", () => {
  const keys = ["pit_1", "brisket_2", "butt_3", "chicken_4", "kettle_1", "turkey_core", "fridge_1", "extra_1"];

  it.each(["ha", "fallback"] as const)(
    "gives up to eight probes shown together colours that stay apart, and none the red of the alarm lines (%s colours)",
    (where) => {
      for (let n = 2; n <= 8; n++) {
        const colors = assignProbeColors(keys.slice(0, n).map((probe) => ({ probe })));
        const shown = Object.values(colors).map((css) => resolve(css, where));
        expect(new Set(shown).size).toBe(n);
        // Orange next to amber (14) or red (the pit) next to its own red alarm line (5) read as one.
        const closest = closestPair(shown);
        expect(closest.deltaE, `${closest.a} vs ${closest.b}`).toBeGreaterThanOrEqual(15);
        for (const c of shown) expect(deltaE2000(c, ALARM_LINE), c).toBeGreaterThanOrEqual(15);
        // A usual cook (a pit and a few meats) has no probe in the stall's orange either.
        for (const c of shown.slice(0, 4)) expect(deltaE2000(c, STALL), c).toBeGreaterThanOrEqual(15);
      }
    },
  );

  it("hands out colours in the order shown, pits included, each overridable by a theme variable", () => {
    const colors = assignProbeColors([{ probe: "aa_1" }, { probe: "aa_2" }]);
    expect(colors["aa_1"]).toBe(`var(--grill-stats-probe-1-color, ${PALETTE[0]?.css})`);
    expect(colors["aa_2"]).toBe(`var(--grill-stats-probe-2-color, ${PALETTE[1]?.css})`);
  });

  it("keeps a configured colour and does not hand the same palette colour to another probe", () => {
    const colors = assignProbeColors([{ probe: "aa_1" }, { probe: "aa_2", color: "Blue" }, { probe: "aa_3" }, { probe: "aa_4", color: "#ff0000" }]);
    expect(colors["aa_2"]).toBe("var(--blue-color, #1e88e5)");
    expect(colors["aa_4"]).toBe("#ff0000");
    expect(colors["aa_1"]).toBe("var(--grill-stats-probe-1-color, var(--green-color, #43a047))");
    expect(colors["aa_3"]).toBe("var(--grill-stats-probe-3-color, var(--purple-color, #8e24aa))");
  });

  it("starts over when more probes than colours are shown", () => {
    const many = Array.from({ length: PALETTE.length + 1 }, (_, i) => ({ probe: `aa_${i}` }));
    expect(assignProbeColors(many)[`aa_${PALETTE.length}`]).toContain(PALETTE[0]?.css);
  });
});
