import { describe, expect, it } from "vitest";
import { withoutGrouping } from "../../src/shared/localize";
import { parseNumberInput, toNumberInput } from "../../src/shared/number-input";

describe("numbers typed into a field in the profile's number format", () => {
  it("reads the profile's decimal mark, and a decimal point or comma from a keyboard that has only that key", () => {
    for (const locale of ["de", "fr", "nl", "en-US", withoutGrouping("en-US"), undefined]) {
      expect(parseNumberInput("93,5", locale), String(locale)).toBe(93.5);
      expect(parseNumberInput("93.5", locale), String(locale)).toBe(93.5);
      expect(parseNumberInput(" 205 ", locale), String(locale)).toBe(205);
      expect(parseNumberInput("-4", locale), String(locale)).toBe(-4);
      expect(parseNumberInput("\u22124,5", locale), String(locale)).toBe(-4.5);
      expect(parseNumberInput(",5", locale), String(locale)).toBe(0.5);
    }
  });

  it("reads the profile's digit grouping between groups of three, and none under the format \"none\"", () => {
    expect(parseNumberInput("1.440", "de")).toBe(1440);
    expect(parseNumberInput("1.440,5", "de")).toBe(1440.5);
    expect(parseNumberInput("1,440", "en-US")).toBe(1440);
    expect(parseNumberInput("1,440.5", "en-US")).toBe(1440.5);
    expect(parseNumberInput("1\u202f440", "fr")).toBe(1440);
    expect(parseNumberInput("1 440,5", "fr")).toBe(1440.5);
    expect(parseNumberInput("1'440", "de-CH")).toBe(1440);
    // Not a group of three: a decimal.
    expect(parseNumberInput("1.44", "de")).toBe(1.44);
    expect(parseNumberInput("1,440", withoutGrouping("en-US"))).toBe(1.44);
  });

  it("says what is not a number, and that an empty field is empty", () => {
    for (const typed of ["abc", "93,5,1", "9..5", "1e3", "0x10", "Infinity", "-", ".", "1.440,5,1", "93 5", "1.440.5"]) {
      expect(parseNumberInput(typed, "de"), typed).toBe("invalid");
      expect(parseNumberInput(typed, "en-US"), typed).toBe("invalid");
    }
    expect(parseNumberInput("", "de")).toBeNull();
    expect(parseNumberInput("  ", "en-US")).toBeNull();
  });

  it("shows a value as it reads back: the profile's decimal mark, Latin digits, no grouping", () => {
    expect(toNumberInput(93.5, "de")).toBe("93,5");
    expect(toNumberInput(93.54, "fr")).toBe("93,5");
    expect(toNumberInput(95, "nl")).toBe("95");
    expect(toNumberInput(1440, "de", 0)).toBe("1440");
    expect(toNumberInput(203.9, "en-US")).toBe("203.9");
    expect(toNumberInput(93.5, "ar")).toBe("93.5");
    for (const locale of ["de", "fr", "en-US", "de-CH", "ar", withoutGrouping("en-US")]) {
      for (const value of [93.5, -4.5, 1440, 0.5]) expect(parseNumberInput(toNumberInput(value, locale), locale), `${locale} ${value}`).toBe(value);
    }
  });
});
