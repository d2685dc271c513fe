// esbuild options shared by scripts/build.mjs and the tests that bundle the card or the panel
// themselves (so a test measures exactly what ships).
export const browserBundleOptions = (version) => ({
  bundle: true,
  platform: "browser",
  target: "es2022",
  format: "esm",
  minify: true,
  legalComments: "none",
  define: { __GRILL_STATS_VERSION__: JSON.stringify(version) },
  logLevel: "warning",
});
