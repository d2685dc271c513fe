import { describe, expect, it } from "vitest";
import { withoutFieldPath } from "../../addon/panel/src/api";
import { formatSetting, parseTempInput, toTempInput } from "../../addon/panel/src/format";
import { english } from "../../addon/panel/src/localize";
import { paramBounds, paramToInput, readParam, readSetting, SETTING_MAX_C, SETTING_MIN_C, type SettingContext } from "../../addon/panel/src/settings-input";
import { validateRule } from "../../src/alarms/rules";
import { ALL_KINDS } from "../../src/alarms/types";
import { TEMP_MAX_C, TEMP_MIN_C } from "../../src/http/validate";
import { BadRequestError } from "../../src/shared";

const pit = (unit: "C" | "F"): SettingContext => ({ label: "Low alarm", probe: { targetC: null, highC: 135, lowC: 100 }, unit, locale: "en", localize: english });

describe("probe settings as typed in a tile", () => {
  it("shows a setting as precisely as it was set, in the input and in text", () => {
    expect(toTempInput(62.5, "C")).toBe("62.5");
    expect(toTempInput(95, "F")).toBe("203");
    expect(toTempInput(96, "F")).toBe("204.8");
    expect(toTempInput(null, "C")).toBe("");
    expect(formatSetting(73.9, "C")).toBe("73.9\u00a0°C");
    expect(formatSetting(93.333, "C", "de")).toBe("93,3\u00a0°C");
    expect(formatSetting(93.333, "F")).toBe("200\u00a0°F");
  });

  it("reads a °F value with one decimal back as it was typed", () => {
    for (const typed of ["204", "203.5", "165", "-4", "752"]) {
      const c = parseTempInput(typed, "F") as number;
      expect(toTempInput(c, "F")).toBe(typed);
    }
    expect(parseTempInput("62.54", "C")).toBe(62.5);
  });

  it("never reads what is not a number as off; only an empty field is off", () => {
    const ctx = { ...pit("C"), label: "Target", probe: { targetC: 95, highC: null, lowC: null } };
    expect(readSetting("targetC", "abc", ctx)).toEqual({ error: "Target: not a number, still 95\u00a0°C. Enter a number, or leave the field empty to turn it off." });
    expect(readSetting("targetC", "", ctx)).toEqual({ value: null });
    expect(readSetting("targetC", "62.5", ctx)).toEqual({ value: 62.5 });
  });

  it("checks the range and low below high in the display unit", () => {
    expect(readSetting("lowC", "500", pit("C"))).toEqual({ error: "Low alarm must be between -20\u00a0°C and 400\u00a0°C." });
    expect(readSetting("lowC", "800", pit("F"))).toEqual({ error: "Low alarm must be between -4\u00a0°F and 752\u00a0°F." });
    expect(readSetting("lowC", "275", pit("F"))).toEqual({ error: "The low alarm must be below the high alarm (275\u00a0°F)." });
    expect(readSetting("highC", "212", { ...pit("F"), label: "High alarm" })).toEqual({ error: "The high alarm must be above the low alarm (212\u00a0°F)." });
    expect(readSetting("lowC", "257", pit("F"))).toEqual({ value: 125 });
  });

  it("shows and reads a setting in the profile's number format, a decimal comma or point", () => {
    const de = { ...pit("C"), locale: "de", label: "Ziel", probe: { targetC: 95, highC: null, lowC: null } };
    expect(toTempInput(93.5, "C", "de")).toBe("93,5");
    expect(toTempInput(96, "F", "fr")).toBe("204,8");
    expect(readSetting("targetC", "93,5", de)).toEqual({ value: 93.5 });
    expect(readSetting("targetC", "93.5", de)).toEqual({ value: 93.5 });
    expect(parseTempInput("204,8", "F", "nl")).toBe(96);
    expect(readSetting("targetC", "93,5,", de)).toEqual({ error: "Ziel: not a number, still 95\u00a0°C. Enter a number, or leave the field empty to turn it off." });
    expect(readSetting("targetC", "0x10", pit("C"))).toMatchObject({ error: expect.stringContaining("not a number") });
    expect(readSetting("targetC", "1e2", pit("C"))).toMatchObject({ error: expect.stringContaining("not a number") });
  });

  it("checks the bounds the add-on checks", () => {
    expect([SETTING_MIN_C, SETTING_MAX_C]).toEqual([TEMP_MIN_C, TEMP_MAX_C]);
  });
});

describe("alarm rule parameters as typed in the alarms view", () => {
  const ctx = { kind: "high", label: "Hysteresis (°F)", current: 2, unit: "F" as const, locale: "en", localize: english };

  it("shows and reads a temperature difference in the display unit", () => {
    expect(paramToInput("hysteresisC", 2, "F")).toBe("3.6");
    expect(paramToInput("repeatMinutes", 5, "F")).toBe("5");
    expect(readParam("hysteresisC", "5.4", ctx)).toEqual({ value: 3 });
    expect(readParam("hysteresisC", "40", ctx)).toEqual({ error: "Hysteresis (°F) must be between 0 and 36." });
    expect(readParam("hysteresisC", "1e", ctx)).toEqual({ error: "Hysteresis (°F): not a number, still 3.6." });
    expect(readParam("hysteresisC", "", ctx)).toEqual({ value: null });
    expect(readParam("repeatMinutes", "2.5", { ...ctx, label: "Repeat every (min)" })).toEqual({ error: "Repeat every (min) must be a whole number." });
  });

  it("shows and reads a parameter in the profile's number format", () => {
    expect(paramToInput("hysteresisC", 2, "F", "de")).toBe("3,6");
    expect(paramToInput("hysteresisPct", 2.5, "C", "fr")).toBe("2,5");
    expect(readParam("hysteresisC", "5,4", { ...ctx, locale: "de" })).toEqual({ value: 3 });
    expect(readParam("hysteresisC", "5.4", { ...ctx, locale: "de" })).toEqual({ value: 3 });
  });

  it("knows the add-on's bounds of every parameter it edits (the add-on takes the ends, refuses past them)", () => {
    const params: Record<string, string[]> = {
      target: ["repeatMinutes", "hysteresisC"], high: ["repeatMinutes", "hysteresisC"], low: ["repeatMinutes", "hysteresisC"],
      pre_alarm: ["minutes"], unplugged: ["repeatMinutes"], stale: ["minutes", "repeatMinutes"], offline: ["minutes", "repeatMinutes"],
      battery_low: ["percent", "hysteresisPct", "repeatMinutes"],
    };
    expect(Object.keys(params).sort()).toEqual([...ALL_KINDS].sort());
    const accepts = (kind: string, key: string, value: number): boolean => {
      try {
        validateRule({ probeId: null, deviceKey: null, kind, enabled: true, params: { [key]: value } }, []);
        return true;
      } catch (err) {
        if (err instanceof BadRequestError) return false;
        throw err;
      }
    };
    for (const [kind, keys] of Object.entries(params)) {
      for (const key of keys) {
        const b = paramBounds(kind, key);
        expect(b, `${kind}.${key}`).toBeDefined();
        if (!b) continue;
        const step = b.whole ? 1 : 0.01;
        expect([accepts(kind, key, b.min), accepts(kind, key, b.max)], `${kind}.${key} ends`).toEqual([true, true]);
        expect([accepts(kind, key, b.min - step), accepts(kind, key, b.max + step)], `${kind}.${key} past the ends`).toEqual([false, false]);
        if (b.whole) expect(accepts(kind, key, b.min + 0.5), `${kind}.${key} whole`).toBe(false);
      }
    }
  });
});

describe("the add-on's validation messages", () => {
  it("lose the path of the field, which the panel shows the message next to", () => {
    expect(withoutFieldPath("body.targetC: must be at most 400\u00a0°C")).toBe("must be at most 400\u00a0°C");
    expect(withoutFieldPath("params.repeatMinutes: must be at least 1 minute; params.hysteresisC: must be at most 20\u00a0°C")).toBe("must be at least 1 minute; must be at most 20\u00a0°C");
    expect(withoutFieldPath("Unknown cook \"999\"")).toBe("Unknown cook \"999\"");
  });
});
