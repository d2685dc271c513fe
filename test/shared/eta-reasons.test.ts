import { describe, expect, it } from "vitest";
import { collectingReason, ETA_REASONS, localizeEtaReason, parseEtaReason, tooFarReason } from "../../src/shared/eta-reasons";
import { createLocalize } from "../../custom_card/src/localize";
import { createPanelLocalize } from "../../addon/panel/src/localize";

const ALL = [...Object.values(ETA_REASONS), collectingReason(15), tooFarReason(36)];

describe("ETA reasons", () => {
  it("are recognised with their number, and an unknown one is not", () => {
    expect(parseEtaReason(collectingReason(45))).toEqual({ key: "collecting", n: 45 });
    expect(parseEtaReason(tooFarReason(36))).toEqual({ key: "too_far", n: 36 });
    expect(parseEtaReason("no target set")).toEqual({ key: "no_target", n: null });
    expect(parseEtaReason("probe on fire")).toBeNull();
  });

  it("read in English exactly as the add-on sends them, on the card and in the panel (a number joined to its unit)", () => {
    const spaced = (text: string): string => text.replaceAll("\u00a0", " ");
    for (const localize of [createLocalize("en"), createPanelLocalize("en")]) {
      const read = ALL.map((r) => localizeEtaReason(r, localize));
      expect(read.map(spaced)).toEqual(ALL);
      expect(read.filter((r) => /\d (min|h)\b/.test(r))).toEqual([]);
    }
  });

  it("read in German on the card and in the panel, numbers kept; an unknown one as it came", () => {
    for (const localize of [createLocalize("de"), createPanelLocalize("de")]) {
      const german = ALL.map((r) => localizeEtaReason(r, localize));
      german.forEach((text, i) => expect(text, ALL[i]).not.toBe(ALL[i]));
      expect(localizeEtaReason(collectingReason(45), localize)).toBe("sammelt Messwerte (braucht 45\u00a0Min.)");
      expect(localizeEtaReason("no target set", localize)).toBe("kein Ziel gesetzt");
      expect(localizeEtaReason("probe on fire", localize)).toBe("probe on fire");
    }
  });

  it("read in French and Dutch on the card and in the panel, alike in both, numbers joined to their unit", () => {
    for (const [language, collecting, tooFar] of [
      ["fr", "collecte des mesures (il faut 45\u00a0min)", "plus de 36\u00a0h au rythme actuel"],
      ["nl", "metingen verzamelen (nog 45\u00a0min nodig)", "meer dan 36\u00a0u weg bij de huidige stijging"],
    ] as const) {
      const [card, panel] = [createLocalize(language), createPanelLocalize(language)].map((localize) => ALL.map((r) => localizeEtaReason(r, localize)));
      expect(card).toEqual(panel);
      card?.forEach((text, i) => expect(text, ALL[i]).not.toBe(ALL[i]));
      expect(localizeEtaReason(collectingReason(45), createLocalize(language))).toBe(collecting);
      expect(localizeEtaReason(tooFarReason(36), createPanelLocalize(language))).toBe(tooFar);
    }
  });
});
