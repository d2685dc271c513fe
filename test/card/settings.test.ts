import { describe, expect, it } from "vitest";
import type { HelperSetting } from "../../custom_card/src/probe-view";
import { parseSettingInput } from "../../custom_card/src/settings";

const helper = (over: Partial<HelperSetting> = {}): HelperSetting => ({ value: null, entityId: "input_number.x", editable: true, min: 0, max: 600, step: 1, unit: "°F", ...over });

describe("parseSettingInput", () => {
  it("accepts dot and comma decimals and rounds to the helper's step", () => {
    expect(parseSettingInput("203", helper(), "°F")).toEqual({ ok: true, value: 203 });
    expect(parseSettingInput("93,6", helper({ step: 0.5, unit: "°C" }), "°C")).toEqual({ ok: true, value: 93.5 });
  });

  it("converts from the display unit to the helper's unit", () => {
    expect(parseSettingInput("203", helper({ unit: "°C", max: 300, step: 0.1 }), "°F")).toEqual({ ok: true, value: 95 });
  });

  it("clears the setting on an empty field (helper minimum = not set)", () => {
    expect(parseSettingInput("  ", helper({ min: 32 }), "°F")).toEqual({ ok: true, value: 32 });
  });

  it("reads the profile's number format: a decimal comma, a point too, and no thousands separator under \"none\"", () => {
    const decimalComma = { numberLocale: "de", useGrouping: true };
    expect(parseSettingInput("93,5", helper({ step: 0.5, unit: "°C" }), "°C", decimalComma)).toEqual({ ok: true, value: 93.5 });
    expect(parseSettingInput("93.5", helper({ step: 0.5, unit: "°C" }), "°C", decimalComma)).toEqual({ ok: true, value: 93.5 });
    expect(parseSettingInput("200,5", helper({ step: 0.1, unit: "°C" }), "°F", decimalComma)).toEqual({ ok: true, value: 93.6 });
    expect(parseSettingInput("1,500", helper({ step: 0.5, unit: "°C" }), "°C", { numberLocale: "en-US", useGrouping: false })).toEqual({ ok: true, value: 1.5 });
    expect(parseSettingInput("1,500", helper({ step: 0.5, unit: "°C" }), "°C", { numberLocale: "en-US", useGrouping: true })).toMatchObject({ ok: false, reason: "out_of_range" });
  });

  it("rejects text and values outside the helper's range", () => {
    for (const typo of ["abc", "1e2", "0x10", "93,5,1", "-"]) expect(parseSettingInput(typo, helper(), "°F"), typo).toMatchObject({ ok: false, reason: "not_a_number" });
    expect(parseSettingInput("700", helper(), "°F")).toMatchObject({ ok: false, reason: "out_of_range", min: 0, max: 600 });
    expect(parseSettingInput("0", helper(), "°F")).toMatchObject({ ok: false, reason: "out_of_range" });
    // Told in the unit typed in: a °C helper's 0–300 is 32–572 °F.
    expect(parseSettingInput("700", helper({ unit: "°C", max: 300, step: 0.5 }), "°F")).toMatchObject({ ok: false, reason: "out_of_range", min: 32, max: 572 });
  });
});
