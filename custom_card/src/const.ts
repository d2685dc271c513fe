/** One prefix; every tag and the card type derive from it. */
export const PREFIX = "grill-stats";
export const CARD_TYPE = `${PREFIX}-card`;
export const EDITOR_TAG = `${PREFIX}-card-editor`;
export const DOCUMENTATION_URL = "https://github.com/grill-stats/grill-stats/blob/main/custom_card/README.md";

declare const __GRILL_STATS_VERSION__: string | undefined;
/** Replaced at bundle time by esbuild. */
export const CARD_VERSION: string = typeof __GRILL_STATS_VERSION__ === "string" ? __GRILL_STATS_VERSION__ : "dev";
