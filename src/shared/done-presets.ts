/**
 * Done temperatures a pitmaster picks from when setting a target: the card and the panel offer
 * them in a select beside the target field, in the field's unit. Each is kept in
 * both units as it is usually said (203 °F is 95 °C; 165 °F is 74 °C, not 73.9), so a suggestion
 * is never a converted 164.8. Safe minimums are the USDA's; the barbecue ones are where the
 * collagen has rendered (brisket, shoulder, ribs) or the thigh is tender (poultry dark meat).
 */
import { stringTables } from "./localize";
import type { TemperatureUnit } from "./model";

const NAMES = stringTables(
  {
    brisket: "Brisket, pork shoulder (probe tender)",
    ribs: "Ribs",
    poultry_dark: "Chicken or turkey thighs",
    poultry: "Chicken, turkey (safe)",
    ground: "Burgers, sausage (safe)",
    pork: "Pork loin, chops (safe)",
    medium: "Beef, lamb: medium",
    medium_rare: "Beef, lamb: medium rare",
    rare: "Beef: rare",
    fish: "Salmon, fish",
  },
  {
    de: {
      brisket: "Brisket, Schweineschulter (zart)",
      ribs: "Rippchen",
      poultry_dark: "Hähnchen- oder Putenschenkel",
      poultry: "Hähnchen, Pute (sicher)",
      ground: "Burger, Wurst (sicher)",
      pork: "Schweinelende, Koteletts (sicher)",
      medium: "Rind, Lamm: medium",
      medium_rare: "Rind, Lamm: medium rare",
      rare: "Rind: rare",
      fish: "Lachs, Fisch",
    },
    fr: {
      brisket: "Brisket, épaule de porc (tendre)",
      ribs: "Ribs (travers)",
      poultry_dark: "Cuisses de poulet ou de dinde",
      poultry: "Poulet, dinde (sans risque)",
      ground: "Burgers, saucisses (sans risque)",
      pork: "Filet, côtes de porc (sans risque)",
      medium: "Bœuf, agneau\u00a0: à point",
      medium_rare: "Bœuf, agneau\u00a0: rosé",
      rare: "Bœuf\u00a0: saignant",
      fish: "Saumon, poisson",
    },
    nl: {
      brisket: "Brisket, varkensschouder (mals)",
      ribs: "Spareribs",
      poultry_dark: "Kip- of kalkoendijen",
      poultry: "Kip, kalkoen (veilig)",
      ground: "Burgers, worst (veilig)",
      pork: "Varkensfilet, karbonade (veilig)",
      medium: "Rund, lam: medium",
      medium_rare: "Rund, lam: medium rare",
      rare: "Rund: rare",
      fish: "Zalm, vis",
    },
  },
);

type PresetKey = Parameters<ReturnType<typeof NAMES.localize>>[0];

/** Hottest first, as a cook goes down the list from a brisket to a steak. */
const PRESETS: ReadonlyArray<{ key: PresetKey; c: number; f: number }> = [
  { key: "brisket", c: 95, f: 203 },
  { key: "ribs", c: 93, f: 200 },
  { key: "poultry_dark", c: 82, f: 180 },
  { key: "poultry", c: 74, f: 165 },
  { key: "ground", c: 71, f: 160 },
  { key: "pork", c: 63, f: 145 },
  { key: "medium", c: 60, f: 140 },
  { key: "medium_rare", c: 57, f: 135 },
  { key: "rare", c: 52, f: 125 },
  { key: "fish", c: 52, f: 125 },
];

export interface DonePreset {
  /** The number to put in the field, in `unit`. */
  value: number;
  /** What it is for, in the language asked. */
  label: string;
}

/** The done temperatures in `unit`, named in `language` (a tag; English without a table). */
export const donePresets = (language: string, unit: TemperatureUnit): DonePreset[] => {
  const name = NAMES.localize(language);
  return PRESETS.map((p) => ({ value: unit === "F" ? p.f : p.c, label: name(p.key) }));
};
