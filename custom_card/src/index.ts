/**
 * Bundle entry (dist/grill-stats-card.js): defines the card, the chart and registers the card
 * in the dashboard card picker. Loading the resource twice is harmless (guarded defines).
 */
import "./chart/live-chart";
import { CARD_TYPE, CARD_VERSION, DOCUMENTATION_URL } from "./const";
import { probeKeyFromEntityId } from "./entities";
import { GrillStatsCard } from "./grill-stats-card";
import type { HomeAssistant } from "./ha-types";
import { createLocalize, pickLanguage } from "./localize";

interface CustomCardEntry {
  type: string;
  name: string;
  description?: string;
  preview?: boolean;
  documentationURL?: string;
  /** HA 2026.6+: suggest this card on the more-info of a matching entity. */
  getEntitySuggestion?: (hass: HomeAssistant, entityId: string) => { config: Record<string, unknown>; label?: string } | null;
}

if (!customElements.get(CARD_TYPE)) customElements.define(CARD_TYPE, GrillStatsCard);

const registry = window as unknown as { customCards?: CustomCardEntry[] };
registry.customCards ??= [];
if (!registry.customCards.some((c) => c.type === CARD_TYPE)) {
  const l = createLocalize(pickLanguage({ language: navigator.language }));
  registry.customCards.push({
    type: CARD_TYPE,
    name: l("card.name"),
    description: l("card.description"),
    preview: true,
    documentationURL: DOCUMENTATION_URL,
    getEntitySuggestion: (_hass, entityId) => {
      const probe = probeKeyFromEntityId(entityId);
      return probe ? { config: { type: `custom:${CARD_TYPE}`, probes: [probe] }, label: l("card.name") } : null;
    },
  });
}

console.info(`%c GRILL-STATS-CARD %c ${CARD_VERSION} `, "color:#fff;background:#b33c1a;font-weight:700", "color:#b33c1a");

export { GrillStatsCard } from "./grill-stats-card";
export { GrillStatsChart } from "./chart/live-chart";
export { benchmarkCard, type CardBenchmark, type BenchmarkOptions } from "./bench";
