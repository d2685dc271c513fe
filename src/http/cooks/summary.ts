import type { Cook, HistoryPoint } from "../../shared";
import { infoFor, type ProbeInfo } from "./probe-info";

export interface ProbeSummary {
  probeId: string;
  name: string;
  autoName: ProbeInfo["autoName"];
  role: ProbeInfo["role"];
  minC: number | null;
  maxC: number | null;
  /** Last temperature of the cook (null when the probe ended unplugged or never read). */
  lastC: number | null;
  targetC: number | null;
  /** First time the probe was at or above its target, epoch ms (meat probes with a target). */
  targetReachedMs: number | null;
}

export interface CookSummary {
  durationMs: number;
  running: boolean;
  probes: ProbeSummary[];
}

/** Points per probe read to summarise a cook: min and max survive downsampling, so this is plenty. */
export const SUMMARY_POINTS = 400;

const summarizeProbe = (points: HistoryPoint[], info: ProbeInfo, targetC: number | null): ProbeSummary => {
  let minC: number | null = null;
  let maxC: number | null = null;
  let lastC: number | null = null;
  let targetReachedMs: number | null = null;
  for (const [tsMs, temp] of points) {
    lastC = temp;
    if (temp === null) continue;
    minC = minC === null ? temp : Math.min(minC, temp);
    maxC = maxC === null ? temp : Math.max(maxC, temp);
    if (targetReachedMs === null && targetC !== null && info.role === "meat" && temp >= targetC) targetReachedMs = tsMs;
  }
  return { probeId: info.id, name: info.name, autoName: info.autoName, role: info.role, minC, maxC, lastC, targetC, targetReachedMs };
};

/** Duration and per-probe min / max / last / target-reached of a cook, from its downsampled history. */
export const computeCookSummary = (
  cook: Cook,
  history: Record<string, HistoryPoint[]>,
  info: Map<string, ProbeInfo>,
  nowMs: number,
): CookSummary => ({
  durationMs: Math.max(0, (cook.endMs ?? nowMs) - cook.startMs),
  running: cook.endMs === null,
  probes: cook.probeIds.map((id) => summarizeProbe(history[id] ?? [], infoFor(info, id), cook.targets[id] ?? null)),
});
