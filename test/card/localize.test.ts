import { describe, expect, it } from "vitest";
import de from "../../custom_card/src/translations/de.json";
import en from "../../custom_card/src/translations/en.json";
import { createLocalize, pickLanguage } from "../../custom_card/src/localize";

describe("localize", () => {
  it("has every English key in German too", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it("picks the language from hass.locale, then hass.language, with region tags reduced", () => {
    expect(pickLanguage({ locale: { language: "de-AT" }, language: "en" })).toBe("de");
    expect(pickLanguage({ language: "de" })).toBe("de");
    expect(pickLanguage({ language: "xx" })).toBe("en");
    expect(pickLanguage(undefined)).toBe("en");
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    const l = createLocalize("de");
    expect(l("stall.badge", { duration: "45 Min." })).toBe("Plateau 45 Min.");
    expect(l("eta.done", { time: "18:42" })).toBe("fertig ~18:42 ({from}–{to})");
    expect(createLocalize("xx")("setting.target")).toBe("Target");
  });
});
