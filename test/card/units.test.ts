import { describe, expect, it } from "vitest";
import { convertTemp, parseNumericState, parseTempUnit } from "../../custom_card/src/units";

describe("units", () => {
  it("parses the unit spellings Home Assistant uses", () => {
    expect(parseTempUnit("°F")).toBe("°F");
    expect(parseTempUnit("°C")).toBe("°C");
    expect(parseTempUnit("F")).toBe("°F");
    expect(parseTempUnit("%")).toBeNull();
    expect(parseTempUnit(undefined)).toBeNull();
  });

  it("converts between °C and °F and leaves unknown units alone", () => {
    expect(convertTemp(100, "°C", "°F")).toBeCloseTo(212);
    expect(convertTemp(203, "°F", "°C")).toBeCloseTo(95);
    expect(convertTemp(70, null, "°F")).toBe(70);
    expect(convertTemp(70, "°F", "°F")).toBe(70);
  });

  it("treats unavailable / unknown / empty states as no value", () => {
    expect(parseNumericState("71.4")).toBe(71.4);
    expect(parseNumericState("unavailable")).toBeNull();
    expect(parseNumericState("unknown")).toBeNull();
    expect(parseNumericState("")).toBeNull();
    expect(parseNumericState(Number.NaN)).toBeNull();
  });
});
