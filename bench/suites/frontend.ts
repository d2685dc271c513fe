/** Bundle sizes and the card's render time in Chromium (need `npm run build`'s browser bundles). */
import { guarded, type BenchContext } from "../lib/context";
import type { Figure } from "../lib/report";
import { runCardRender } from "./card";
import { runSizes } from "./sizes";

export const runFrontendSuite = async (ctx: BenchContext): Promise<Figure[]> => [
  ...(await guarded(ctx, "sizes", [["card_gz_kb", "KB"], ["panel_gz_kb", "KB"]], () => runSizes(ctx))),
  ...(await guarded(ctx, "card", [["card_render_ms", "ms"], ["card_render_ratio", "×"], ["card_update_ms", "ms"], ["card_update_ratio", "×"]], () => runCardRender(ctx))),
];
