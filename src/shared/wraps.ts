import type { CookEvent } from "./model";

/**
 * When each probe's meat was wrapped, from a cook's notes: the latest "wrap" note for the probe,
 * where a note without a probe wraps every probe of the cook. The analytics service reads the
 * notes by it for the forecast and the probe states (`wrappedMs`) the card and the panel show.
 */
export const wrapTimes = (events: readonly CookEvent[], cookProbeIds: readonly string[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== "wrap") continue;
    for (const id of e.probeId === null ? cookProbeIds : [e.probeId]) out.set(id, Math.max(out.get(id) ?? e.tsMs, e.tsMs));
  }
  return out;
};
