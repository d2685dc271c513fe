import { describe, expect, it } from "vitest";
import { donePresets } from "../../src/shared/done-presets";

describe("done temperatures offered for a target", () => {
  it("are the same temperatures in °C and °F, each as it is usually said, hottest first", () => {
    const c = donePresets("en", "C");
    const f = donePresets("en", "F");
    expect(c.map((p) => p.label)).toEqual(f.map((p) => p.label));
    expect(c.slice(0, 2)).toEqual([
      { value: 95, label: "Brisket, pork shoulder (probe tender)" },
      { value: 93, label: "Ribs" },
    ]);
    expect(f.find((p) => p.label === "Chicken, turkey (safe)")?.value).toBe(165);
    c.forEach((p, i) => {
      // Within 0.6 °C of the °F value: 165 °F is 73.9 °C, said 74.
      expect(Math.abs(((f[i]?.value as number) - 32) / 1.8 - p.value)).toBeLessThanOrEqual(0.6);
      expect(Number.isInteger(p.value) && Number.isInteger(f[i]?.value)).toBe(true);
      if (i > 0) expect(p.value).toBeLessThanOrEqual(c[i - 1]?.value as number);
    });
  });

  it("are named in German for German, in English for a language without a table", () => {
    const de = donePresets("de-AT", "C");
    expect(de[0]).toEqual({ value: 95, label: "Brisket, Schweineschulter (zart)" });
    expect(new Set(de.map((p) => p.label)).size).toBe(de.length);
    expect(donePresets("it", "C").map((p) => p.label)).toEqual(donePresets("en", "C").map((p) => p.label));
  });

  it("are named in French and Dutch, the same temperatures, each label its own", () => {
    const fr = donePresets("fr-BE", "F");
    const nl = donePresets("nl", "F");
    expect(fr[0]).toEqual({ value: 203, label: "Brisket, épaule de porc (tendre)" });
    expect(nl[0]).toEqual({ value: 203, label: "Brisket, varkensschouder (mals)" });
    for (const named of [fr, nl]) {
      expect(named.map((p) => p.value)).toEqual(donePresets("en", "F").map((p) => p.value));
      expect(new Set(named.map((p) => p.label)).size).toBe(named.length);
    }
  });
});
