import { describe, expect, it } from "vitest";
import de from "../../custom_card/src/translations/de.json";
import en from "../../custom_card/src/translations/en.json";
import fr from "../../custom_card/src/translations/fr.json";
import nl from "../../custom_card/src/translations/nl.json";
import { createLocalize, pickLanguage } from "../../custom_card/src/localize";

describe("localize", () => {
  it("has every English key in German, French and Dutch too, with the same placeholders", () => {
    const placeholders = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const table of [de, fr, nl]) {
      expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(table[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("picks the language from hass.locale, then hass.language, with region tags reduced", () => {
    expect(pickLanguage({ locale: { language: "de-AT" }, language: "en" })).toBe("de");
    expect(pickLanguage({ language: "de" })).toBe("de");
    expect(pickLanguage({ locale: { language: "fr-BE" }, language: "en" })).toBe("fr");
    expect(pickLanguage({ language: "fr" })).toBe("fr");
    expect(pickLanguage({ locale: { language: "nl" } })).toBe("nl");
    expect(pickLanguage({ language: "nl-BE" })).toBe("nl");
    expect(pickLanguage({ language: "xx" })).toBe("en");
    expect(pickLanguage(undefined)).toBe("en");
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    const l = createLocalize("de");
    expect(l("stall.badge", { duration: "45 Min." })).toBe("Plateau 45 Min.");
    expect(l("eta.done", { time: "18:42" })).toBe("fertig ~18:42 ({from}–{to})");
    expect(createLocalize("fr")("stall.badge", { duration: "45\u00a0min" })).toBe("Plateau 45\u00a0min");
    expect(createLocalize("nl")("eta.reached_at", { time: "18:42" })).toBe("doel bereikt om 18:42");
    expect(createLocalize("xx")("setting.target")).toBe("Target");
  });
});
