/**
 * What a probe is called. A probe with a label of its own (set in the ThermoWorks app) is called
 * by it, in every language. One without is named after its device and channel ("Signals probe 2"):
 * the API sends that English name in `name` and its parts in `autoName`, so that Home Assistant's
 * names, the alarm texts and the panel can say it in their language ("Signals Fühler 2").
 */
import { stringTables } from "./localize";

/** The device label and channel an unlabelled probe is named after. */
export interface ProbeAutoName {
  device: string;
  channel: string;
}

const NAMES = stringTables(
  { unlabelled: "{device} probe {channel}" },
  { de: { unlabelled: "{device} Fühler {channel}" }, fr: { unlabelled: "{device} sonde {channel}" }, nl: { unlabelled: "{device} sonde {channel}" } },
);

/** "Signals probe 2" in the language of `language` (a BCP 47 tag; English without a table for it). */
export const unlabelledProbeName = (language: string, parts: ProbeAutoName): string => NAMES.localize(language)("unlabelled", { ...parts });

/** The probe's own label, or null for an empty one (untrusted cloud text: plain text only). */
export const probeAutoName = (label: string, deviceLabel: string, channel: string): ProbeAutoName | null =>
  label.trim() === "" ? { device: deviceLabel, channel } : null;

/** The API's `name` (the label, else "Signals probe 2" in English) and its `autoName`. */
export const probeNaming = (label: string, deviceLabel: string, channel: string): { name: string; autoName: ProbeAutoName | null } => {
  const autoName = probeAutoName(label, deviceLabel, channel);
  return { name: autoName ? unlabelledProbeName("en", autoName) : label.trim(), autoName };
};

/** The probe's name in `language`: its label, or its device and channel in that language. */
export const probeNameIn = (language: string, p: { name: string; autoName: ProbeAutoName | null }): string =>
  p.autoName ? unlabelledProbeName(language, p.autoName) : p.name;

/** Every name the probe has in some language (how a name we gave is recognised after a language change). */
export const everyProbeName = (p: { name: string; autoName: ProbeAutoName | null }): string[] =>
  p.autoName ? [...new Set(NAMES.languages.map((language) => unlabelledProbeName(language, p.autoName as ProbeAutoName)))] : [p.name];
