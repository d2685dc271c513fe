/** Process-level benchmarks (need `npm run build`): startup, API load, live paths; memory. */
import { guarded, type BenchContext } from "../lib/context";
import type { Figure } from "../lib/report";
import { runLive } from "./live";
import { runMemory } from "./memory";
import { runApiLoad, runStartupAndIdle } from "./service";

export const runProcessSuite = async (ctx: BenchContext): Promise<Figure[]> => [
  ...(await guarded(ctx, "startup", [["startup_ms", "ms"], ["rss_idle_mb", "MB"]], () => runStartupAndIdle(ctx))),
  ...(await guarded(ctx, "api", [["api_p95_ms", "ms"], ["api_errors", ""]], () => runApiLoad(ctx))),
  ...(await guarded(ctx, "live", [["freshness_ms", "ms"], ["sse_fanout_ms", "ms"]], () => runLive(ctx))),
];

export const runMemorySuite = (ctx: BenchContext): Promise<Figure[]> => guarded(ctx, "memory", [["rss_growth_mb", "MB"], ["disk_write_mb_per_day", "MB"]], () => runMemory(ctx));
