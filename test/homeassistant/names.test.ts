import { describe, expect, it } from "vitest";
import { helperSpecsFor } from "../../src/homeassistant/helpers";
import { everyFriendlyName, friendlyName } from "../../src/homeassistant/names";
import de from "../../src/homeassistant/translations/de.json";
import en from "../../src/homeassistant/translations/en.json";
import fr from "../../src/homeassistant/translations/fr.json";
import nl from "../../src/homeassistant/translations/nl.json";

const placeholders = (s: string): string[] => s.match(/\{\w+\}/g) ?? [];

describe("entity and helper names", () => {
  it("have every English name in German, French and Dutch too, with the same placeholders", () => {
    for (const table of [de, fr, nl]) {
      expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(table[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("take the table of Home Assistant's language, a regional tag its base, anything else English", () => {
    expect(["de", "de-CH", "de-AT", "DE"].map((tag) => friendlyName(tag, "eta", "Brisket"))).toEqual(["Brisket Garzeit", "Brisket Garzeit", "Brisket Garzeit", "Brisket Garzeit"]);
    expect(["fr", "fr-BE", "fr-CA"].map((tag) => friendlyName(tag, "eta", "Brisket"))).toEqual(["Brisket fin de cuisson", "Brisket fin de cuisson", "Brisket fin de cuisson"]);
    expect(["nl", "nl-BE", "NL"].map((tag) => friendlyName(tag, "eta", "Brisket"))).toEqual(["Brisket klaartijd", "Brisket klaartijd", "Brisket klaartijd"]);
    expect(["en", "en-GB", "it", ""].map((tag) => friendlyName(tag, "eta", "Brisket"))).toEqual(["Brisket done time", "Brisket done time", "Brisket done time", "Brisket done time"]);
    expect(friendlyName("de-CH", "status")).toBe("Grill Stats Status");
    expect(friendlyName("en", "status")).toBe("Grill Stats status");
  });

  it("put a probe or device label in as plain text", () => {
    expect(friendlyName("de", "target", "Rib {name} $& $1")).toBe("Rib {name} $& $1 Ziel");
  });

  it("know a name in every language, to recognise one given before a language change", () => {
    expect(everyFriendlyName("high", "Pit")).toEqual(["Pit high alarm", "Pit Max-Alarm", "Pit alarme max", "Pit max-alarm"]);
  });

  it("name an unlabelled probe's helpers in the language, and know them by every language's name", () => {
    const probe = { id: "d1_3", deviceKey: "d1", deviceKind: "signals", channel: "3", name: "Signals probe 3", autoName: { device: "Signals", channel: "3" }, role: "meat" } as const;
    const target = (language: string) => helperSpecsFor(probe, "C", language).find((s) => s.kind === "target");
    expect(target("de")?.name).toBe("Signals Fühler 3 Ziel");
    expect(target("en")?.name).toBe("Signals probe 3 target");
    expect(target("fr-BE")?.name).toBe("Signals sonde 3 cible");
    expect(target("nl")?.name).toBe("Signals sonde 3 doel");
    // Named in English before (or by an earlier version), German now: still ours, renamed.
    expect(target("de")?.names).toEqual(expect.arrayContaining(["Signals probe 3 target", "Signals probe 3 Ziel", "Signals Fühler 3 target", "Signals Fühler 3 Ziel"]));
    // And from French or Dutch to another language alike.
    expect(target("en")?.names).toEqual(expect.arrayContaining(["Signals sonde 3 cible", "Signals sonde 3 doel", "Signals Fühler 3 Ziel"]));
  });
});
