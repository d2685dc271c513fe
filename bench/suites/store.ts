/** The store-only part (in-process, no build needed): ingest, history, history scaling. */
import { guarded, type BenchContext } from "../lib/context";
import type { Figure } from "../lib/report";
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
] as const;

export const runStoreSuite = async (ctx: BenchContext): Promise<Figure[]> => [
  ...(await guarded(ctx, "ingest", STORE_KEYS.slice(0, 4), () => runIngest(ctx))),
  ...(await guarded(ctx, "history", STORE_KEYS.slice(4, 6), () => runHistory(ctx))),
  ...(await guarded(ctx, "scaling", STORE_KEYS.slice(6), () => runScaling(ctx))),
];
