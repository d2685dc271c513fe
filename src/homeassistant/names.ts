/**
 * The friendly names the add-on gives its entities and settings helpers, in Home Assistant's
 * language (`get_config`'s tag: "de-CH" → German; English for a language without a table).
 * Names only: entity ids and the object ids helpers are created with never depend on it, so a
 * language change renames, it does not create anything new.
 */
import de from "./translations/de.json";
import en from "./translations/en.json";
import fr from "./translations/fr.json";
import nl from "./translations/nl.json";
import { stringTables } from "../shared/localize";

/** An entity or helper kind with a name of its own (a temperature sensor is named like its probe). */
export type NameKey = keyof typeof en;
const NAMES = stringTables(en, { de, fr, nl });

/**
 * "Brisket Garzeit" for a German Home Assistant. `name` is the probe or device label: untrusted
 * cloud text, interpolated as plain text.
 */
export const friendlyName = (language: string, key: NameKey, name?: string): string =>
  NAMES.localize(language)(key, name === undefined ? undefined : { name });

/** The name in every language there is a table for: how a name we gave is recognised after a language change. */
export const everyFriendlyName = (key: NameKey, name: string): string[] => NAMES.languages.map((language) => NAMES.localize(language)(key, { name }));
