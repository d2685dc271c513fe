import type { CookEvent } from "./model";

/**
 * When each probe's meat was wrapped, from a cook's notes: the latest "wrap" note for the probe,
 * where a note without a probe wraps every probe of the cook. The add-on's forecast and the
 * panel read the notes by this one rule. Pure and safe in a browser bundle.
 */
export const wrapTimes = (events: readonly CookEvent[], cookProbeIds: readonly string[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== "wrap") continue;
    for (const id of e.probeId === null ? cookProbeIds : [e.probeId]) out.set(id, Math.max(out.get(id) ?? e.tsMs, e.tsMs));
  }
  return out;
};
