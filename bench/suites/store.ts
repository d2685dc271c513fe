/** The store-only part (in-process, no build needed): ingest, history, history scaling. */
import { guarded, type BenchContext } from "../lib/context";
import type { Figure } from "../lib/report";
import { runExport } from "./export";
import { runHistory, runScaling } from "./history";
import { runIngest } from "./ingest";

export const STORE_KEYS = [
  ["ingest_per_s", "/s"],
  ["ingest_ratio", "×"],
  ["ingest_poll_per_s", "/s"],
  ["ingest_poll_ratio", "×"],
  ["history_p95_ms", "ms"],
  ["history_ratio", "×"],
  ["history_scaling", "×"],
  ["export_rss_ratio", "×"],
  ["export_loop_ratio", "×"],
] as const;

export const runStoreSuite = async (ctx: BenchContext): Promise<Figure[]> => [
  ...(await guarded(ctx, "ingest", STORE_KEYS.slice(0, 4), () => runIngest(ctx))),
  ...(await guarded(ctx, "history", STORE_KEYS.slice(4, 6), () => runHistory(ctx))),
  ...(await guarded(ctx, "scaling", STORE_KEYS.slice(6, 7), () => runScaling(ctx))),
  ...(await guarded(ctx, "export", STORE_KEYS.slice(7), () => runExport(ctx))),
];
