declare const __GRILL_STATS_VERSION__: string | undefined;
/** Replaced at bundle time by esbuild; tests run from source and see "dev". */
export const VERSION: string = typeof __GRILL_STATS_VERSION__ === "string" ? __GRILL_STATS_VERSION__ : "0.0.0-dev";
