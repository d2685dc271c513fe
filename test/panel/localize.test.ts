import { describe, expect, it } from "vitest";
import de from "../../addon/panel/src/translations/de.json";
import en from "../../addon/panel/src/translations/en.json";
import fr from "../../addon/panel/src/translations/fr.json";
import nl from "../../addon/panel/src/translations/nl.json";
import { createPanelLocalize, pickPanelLanguage, withHomeAssistantFormats } from "../../addon/panel/src/localize";
import { numberFormatOf, stringTables } from "../../src/shared/localize";
import { formatClock, formatDuration, formatEta, formatNumber, formatRate, formatSettingNumber, formatTemp } from "../../addon/panel/src/format";
import { readParam } from "../../addon/panel/src/settings-input";

describe("panel language", () => {
  it("takes Home Assistant's selectedLanguage (JSON in localStorage) before the browser's", () => {
    expect(pickPanelLanguage('"de"', "en-US")).toEqual({ language: "de", locale: "de" });
    expect(pickPanelLanguage('"en"', "de-DE")).toEqual({ language: "en", locale: "en" });
  });

  it("falls back to the browser's language when Home Assistant has none, then to English", () => {
    expect(pickPanelLanguage(null, "de-AT")).toEqual({ language: "de", locale: "de-AT" });
    expect(pickPanelLanguage("null", "de")).toEqual({ language: "de", locale: "de" });
    expect(pickPanelLanguage("not json", "de-CH")).toEqual({ language: "de", locale: "de-CH" });
    expect(pickPanelLanguage(null, undefined)).toEqual({ language: "en", locale: "en" });
    expect(pickPanelLanguage(null, "it-IT")).toEqual({ language: "en", locale: "en" });
  });

  it("reduces region tags to the table, keeping the region for dates and numbers", () => {
    expect(pickPanelLanguage('"de-CH"', "en-US")).toEqual({ language: "de", locale: "de-CH" });
    expect(pickPanelLanguage('"de"', "de-AT")).toEqual({ language: "de", locale: "de-AT" });
    expect(pickPanelLanguage('"en"', "en-GB")).toEqual({ language: "en", locale: "en-GB" });
  });

  it("shows a language chosen in Home Assistant that has no table in English, as the card does", () => {
    expect(pickPanelLanguage('"it"', "de-DE")).toEqual({ language: "en", locale: "en" });
  });

  it("takes French and Dutch, a regional tag their table, the region kept for dates and numbers", () => {
    expect(pickPanelLanguage('"fr"', "en-US")).toEqual({ language: "fr", locale: "fr" });
    expect(pickPanelLanguage('"fr-BE"', "en-US")).toEqual({ language: "fr", locale: "fr-BE" });
    expect(pickPanelLanguage(null, "fr-CA")).toEqual({ language: "fr", locale: "fr-CA" });
    expect(pickPanelLanguage('"nl"', "de-DE")).toEqual({ language: "nl", locale: "nl" });
    expect(pickPanelLanguage('"nl"', "nl-BE")).toEqual({ language: "nl", locale: "nl-BE" });
    expect(pickPanelLanguage(null, "nl-NL")).toEqual({ language: "nl", locale: "nl-NL" });
  });

  it("ignores a malformed region tag for dates and numbers", () => {
    expect(pickPanelLanguage('"de-!!"', undefined)).toEqual({ language: "de", locale: "de" });
  });

  it("writes times and numbers as the Home Assistant profile's time and number formats say, apart from the language", () => {
    const en = pickPanelLanguage('"en"', "en-US");
    const at = 14 * 3600_000 + 35 * 60_000;
    const clock = (locale: string) => formatClock(at, locale, "UTC");
    // No profile (outside Home Assistant) or "language": the language's own.
    expect(withHomeAssistantFormats(en, null, "en-US")).toEqual({ language: "en", locale: "en-US", numberLocale: "en-US" });
    expect(withHomeAssistantFormats(en, { time_format: "language", number_format: "language" }, "en-US")).toEqual({ language: "en", locale: "en-US", numberLocale: "en-US" });
    expect(clock("en-US")).toMatch(/^2:35\sPM$/);
    // English with a 24-hour clock and a decimal comma (much of Europe).
    const eu = withHomeAssistantFormats(en, { time_format: "24", number_format: "decimal_comma" }, "en-US");
    expect(clock(eu.locale)).toBe("14:35");
    expect(formatTemp(93.46, "C", eu.numberLocale)).toBe("93,5\u00a0°C");
    expect(formatRate(6.5, "C", eu.numberLocale)).toBe("+6,5\u00a0°C/h");
    // German with a 12-hour clock and a decimal point; "system" takes the browser's.
    const de12 = withHomeAssistantFormats(pickPanelLanguage('"de"', "de-DE"), { time_format: "12", number_format: "comma_decimal" }, "de-DE");
    expect(clock(de12.locale)).toMatch(/^2:35\s?PM$/);
    expect(formatTemp(93.46, "C", de12.numberLocale)).toBe("93.5\u00a0°C");
    expect(withHomeAssistantFormats(en, { number_format: "system" }, "de-CH").numberLocale).toBe("de-CH");
    expect(withHomeAssistantFormats(en, { number_format: "space_comma" }, undefined).numberLocale).toBe("fr");
  });

  it("shows times in Home Assistant's zone when the profile's time zone is \"server\", else in the browser's", () => {
    const en = pickPanelLanguage('"en"', "en-US");
    expect(withHomeAssistantFormats(en, { time_zone: "server" }, "en-US", "Europe/Berlin").timeZone).toBe("Europe/Berlin");
    expect(withHomeAssistantFormats(en, { time_zone: "local" }, "en-US", "Europe/Berlin").timeZone).toBeUndefined();
    // Outside Home Assistant's page, without Home Assistant's zone, or with one this browser does not know: the browser's.
    expect(withHomeAssistantFormats(en, null, "en-US", "Europe/Berlin").timeZone).toBeUndefined();
    expect(withHomeAssistantFormats(en, { time_zone: "server" }, "en-US").timeZone).toBeUndefined();
    expect(withHomeAssistantFormats(en, { time_zone: "server" }, "en-US", "Not/AZone").timeZone).toBeUndefined();
  });
});

describe("Home Assistant's number format \"none\"", () => {
  it("is a decimal point and no digit grouping, whatever the language, as Home Assistant writes it", () => {
    expect(numberFormatOf("none", "de")).toEqual({ locale: "en-US", useGrouping: false });
    expect(numberFormatOf("none", "fr")).toEqual({ locale: "en-US", useGrouping: false });
  });

  it("reaches the panel's numbers: 1440, not 1.440 or 1,440, and 93.5 in German", () => {
    const german = pickPanelLanguage('"de"', "de-DE");
    const none = withHomeAssistantFormats(german, { number_format: "none" }, "de-DE").numberLocale;
    expect(formatTemp(93.46, "C", none)).toBe("93.5\u00a0°C");
    expect(formatNumber(1234.56, none)).toBe("1234.6");
    expect(formatSettingNumber(1440, none)).toBe("1440");
    // The longest a rule waits is a day in minutes: its bounds are the panel's number of 1000 and more.
    const ctx = { kind: "stale", label: "Minutes", current: 10, unit: "C" as const, locale: none, localize: createPanelLocalize("de") };
    expect(readParam("minutes", "2000", ctx)).toEqual({ error: "Minutes muss zwischen 1 und 1440 liegen." });
    // The language's own format still groups; the English browser's "system" too.
    expect(formatSettingNumber(1440, withHomeAssistantFormats(german, { number_format: "language" }, "de-DE").numberLocale)).toBe("1.440");
    expect(formatSettingNumber(1440, withHomeAssistantFormats(german, { number_format: "system" }, "en-US").numberLocale)).toBe("1,440");
  });
});

describe("panel localize", () => {
  it("has every English key in German, French and Dutch too, with the same placeholders", () => {
    const placeholders = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const table of [de, fr, nl]) {
      expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(table[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    const l = createPanelLocalize("de");
    expect(l("eta.done", { time: "14:30" })).toBe("Fertig gegen 14:30");
    expect(l("tools.confirm_delete", { name: "Brisket" })).toBe("„Brisket“ mit seinen Ereignissen löschen? Die Messwerte bleiben erhalten.");
    expect(l("tile.stall")).toBe("Plateau {duration}");
  });

  it("falls back to English for a key the German table lacks, and for a language without a table", () => {
    const { "eta.done": _missing, ...partial } = de;
    const l = stringTables(en, { de: partial }).localize("de");
    expect(l("eta.done", { time: "14:30" })).toBe("Done ~14:30");
    expect(l("eta.reached")).toBe("Ziel erreicht");
    expect(createPanelLocalize("xx")("tab.cooks")).toBe("Cooks");
  });

  it("formats durations, rates and ETAs in German", () => {
    const l = createPanelLocalize("de");
    expect(formatDuration(30_000, l)).toBe("< 1 Min.");
    expect(formatDuration(5 * 3600_000 + 12 * 60_000, l)).toBe("5\u00a0Std. 12\u00a0Min.");
    expect(formatRate(10, "C", "de", l)).toBe("+10,0\u00a0°C/Std.");
    const now = Date.UTC(2024, 4, 27, 12, 0);
    const eta = formatEta({ doneMs: now + 2.5 * 3600_000, p10Ms: now + 2 * 3600_000, p90Ms: now + 3 * 3600_000, reason: null, method: "newton" }, now, "de", "UTC", l);
    expect(eta).toEqual({ main: "Fertig gegen 14:30", detail: "14:00 – 15:00 · noch 2\u00a0Std. 30\u00a0Min." });
  });

  it("formats durations, rates and ETAs in French and Dutch", () => {
    const fr = createPanelLocalize("fr-BE");
    const nl = createPanelLocalize("nl");
    expect(formatDuration(5 * 3600_000 + 12 * 60_000, fr)).toBe("5\u00a0h 12\u00a0min");
    expect(formatDuration(5 * 3600_000 + 12 * 60_000, nl)).toBe("5\u00a0u 12\u00a0min");
    expect(formatRate(10, "C", "fr", fr)).toBe("+10,0\u00a0°C/h");
    expect(formatRate(10, "C", "nl", nl)).toBe("+10,0\u00a0°C/u");
    const now = Date.UTC(2024, 4, 27, 12, 0);
    const eta = { doneMs: now + 2.5 * 3600_000, p10Ms: now + 2 * 3600_000, p90Ms: now + 3 * 3600_000, reason: null, method: "newton" } as const;
    expect(formatEta(eta, now, "fr", "UTC", fr)).toEqual({ main: "Prêt vers 14:30", detail: "14:00 – 15:00 · dans 2\u00a0h 30\u00a0min" });
    expect(formatEta(eta, now, "nl", "UTC", nl)).toEqual({ main: "Klaar rond 14:30", detail: "14:00 – 15:00 · nog 2\u00a0u 30\u00a0min" });
  });
});
