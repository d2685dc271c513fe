/**
 * Pure: how each line of the Compare view looks. Every cook has its own dash (the first solid,
 * then dashed, dotted, dash-dot) and every (cook, probe) line its own colour: a probe keeps its hue
 * in each cook (the brisket is blue in all of them, a shade deeper or lighter per cook), and the
 * probes of one cook have different hues. The pit stays orange as everywhere in the panel.
 */
import type { ProbeRole } from "../../../src/shared/model";

/**
 * Per hue, the tone for the 1st, 2nd and 3rd cook (a 4th starts over, told apart by its dash).
 * Each tone has a contrast of at least 2.4 on the light (#fff) and the dark (#1c1c1c) card; the
 * hues of one cook are at least 15 apart (CIEDE2000), so thin lines read as different colours.
 * Ten hues and the pit's: a Signals with an RFX Meat probe, its four sensors and a second pit is
 * eleven lines in one cook.
 */
const MEAT_TONES: ReadonlyArray<readonly [string, string, string]> = [
  ["#1e88e5", "#1565c0", "#42a5f5"], // blue
  ["#43a047", "#2e7d32", "#5cb860"], // green
  ["#d81b60", "#ad1457", "#f06292"], // pink
  ["#ab47bc", "#8e24aa", "#ba68c8"], // purple
  ["#00897b", "#00695c", "#26a69a"], // teal
  ["#8d6e63", "#795548", "#a1887f"], // brown
  ["#3f51b5", "#7986cb", "#6a75c8"], // indigo
  ["#9e9d24", "#827717", "#a89f1c"], // olive
  ["#78909c", "#90a4ae", "#4e6a77"], // blue grey
  ["#00acc1", "#0097a7", "#00796b"], // cyan
];
const PIT_TONES: readonly [string, string, string] = ["#ef6c00", "#d84315", "#fa8a00"];

/** uPlot dash patterns in px, one per cook: solid, dashed, dotted, dash-dot. */
const COOK_DASHES: ReadonlyArray<number[] | undefined> = [undefined, [10, 5], [2, 4], [12, 4, 2, 4]];

export interface CompareLineStyle {
  color: string;
  /** undefined = solid. */
  dash: number[] | undefined;
}

export interface CompareCook {
  cookId: number;
  probes: ReadonlyArray<{ id: string; role: ProbeRole }>;
}

export const compareKey = (cookId: number, probeId: string): string => `${cookId}:${probeId}`;

/**
 * The short name of the k-th cook compared ("A", "B", …, after "Z" "A2"): the legend says
 * "A · Brisket" and the cook's card carries the letter, instead of every legend entry repeating
 * the cook's full name.
 */
export const compareTag = (k: number): string => `${String.fromCharCode(65 + (k % 26))}${k >= 26 ? Math.floor(k / 26) + 1 : ""}`;

/**
 * Line styles of cooks compared in this order, by `compareKey`. Hues go to probes in the order
 * they first appear (cooks in order, probes by id); the first pit takes the pit's orange.
 */
export const compareStyles = (cooks: readonly CompareCook[]): Map<string, CompareLineStyle> => {
  const tonesOf = new Map<string, readonly [string, string, string]>();
  let hue = 0;
  for (const cook of cooks) {
    for (const p of [...cook.probes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      if (tonesOf.has(p.id)) continue;
      const pitFree = ![...tonesOf.values()].includes(PIT_TONES);
      tonesOf.set(p.id, p.role === "pit" && pitFree ? PIT_TONES : (MEAT_TONES[hue++ % MEAT_TONES.length] as readonly [string, string, string]));
    }
  }
  const styles = new Map<string, CompareLineStyle>();
  cooks.forEach((cook, k) => {
    const dash = COOK_DASHES[k % COOK_DASHES.length];
    for (const p of cook.probes) {
      const tones = tonesOf.get(p.id) ?? PIT_TONES;
      styles.set(compareKey(cook.cookId, p.id), { color: tones[k % tones.length] as string, dash: dash && [...dash] });
    }
  });
  return styles;
};
