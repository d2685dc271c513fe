import { describe, expect, it } from "vitest";
import { formatDecimal, numberFormat } from "../../src/shared";

/** A seeded generator, so a failure names values that can be replayed. */
const lcg = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

describe("formatDecimal", () => {
  it("writes English numbers exactly as Intl does, without asking it (halves, negatives, zero, near 1000)", () => {
    const rand = lcg(7);
    const values = [0, -0, 0.05, 0.15, 0.25, 1.005, 2.675, 95.45, -95.45, -0.04, -0.5, 0.5, 1.5, 2.5, 999.94, 999.96, 999.5, 1000, 1234.5, -1234.56, 1e-7, 1e21, 107.6, 225.05];
    for (let i = 0; i < 3000; i++) {
      const v = (rand() - 0.3) * 1300;
      // Plain draws, and ones sitting on a half at 0–2 decimals (where rounding rules differ).
      values.push(v, Math.round(v * 2) / 2, Math.round(v * 20) / 20 + 0, Math.round(v * 200) / 200);
    }
    for (const locale of ["en", "en-GB", "en-US"]) {
      for (const digits of [0, 1, 2]) {
        for (const v of values) expect(`${v}: ${formatDecimal(v, locale, digits)}`).toBe(`${v}: ${numberFormat(locale, digits).format(v)}`);
      }
    }
  });

  it("leaves other languages, and English written otherwise, to Intl (German comma, Swiss point, en-DK comma)", () => {
    for (const locale of ["en-DK", "en-ZA", "en-u-nu-arab"]) expect(formatDecimal(95.45, locale, 1)).toBe(numberFormat(locale, 1).format(95.45));
    expect(formatDecimal(95.45, "de", 1)).toBe("95,5");
    expect(formatDecimal(1234.5, "de", 1)).toBe("1.234,5");
    expect(formatDecimal(95.45, "de-CH", 1)).toBe(numberFormat("de-CH", 1).format(95.45));
  });
});
