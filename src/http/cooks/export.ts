import type { Cook, CookEvent, Reading } from "../../shared";
import type { ProbeInfo } from "./probe-info";

export interface ProbeReadings {
  info: ProbeInfo;
  readings: Reading[];
}

/** Roles the backtest CSV format knows (humidity is not a temperature). */
const CSV_ROLES = new Set(["meat", "pit", "ambient"]);
export const CSV_HEADER = "t_s,probe,temp_c,role";

/**
 * The recorded-cook CSV format of `shared/data/cooks` (and `npm run backtest`): one row per
 * reading, `t_s` = whole seconds since the first reading of any probe, sorted by t_s then probe,
 * °C with 2 decimals. The probe column is the probe id (stable and free of commas); gaps
 * (unplugged) have no row, as in the recorded files.
 */
export const toCookCsv = (probes: ProbeReadings[]): string => {
  const rows: Array<{ tS: number; probe: string; tempC: number; role: string }> = [];
  let firstMs = Infinity;
  for (const { info, readings } of probes) {
    if (!CSV_ROLES.has(info.role)) continue;
    for (const r of readings) if (r.tempC !== null) firstMs = Math.min(firstMs, r.tsMs);
  }
  for (const { info, readings } of probes) {
    if (!CSV_ROLES.has(info.role)) continue;
    for (const r of readings) {
      if (r.tempC === null) continue;
      rows.push({ tS: Math.round((r.tsMs - firstMs) / 1000), probe: info.id, tempC: r.tempC, role: info.role });
    }
  }
  rows.sort((a, b) => a.tS - b.tS || (a.probe < b.probe ? -1 : a.probe > b.probe ? 1 : 0));
  const lines = rows.map((r) => `${r.tS},${r.probe},${r.tempC.toFixed(2)},${r.role}`);
  return [CSV_HEADER, ...lines].join("\n") + "\n";
};

export interface CookExportJson {
  format: "grill-stats-cook";
  version: 1;
  exportedAtMs: number;
  cook: Cook;
  events: CookEvent[];
  probes: ProbeInfo[];
  /** Raw readings per probe: [tsMs, tempC | null] (null = unplugged). */
  readings: Record<string, Array<[number, number | null]>>;
}

export const toCookJson = (cook: Cook, events: CookEvent[], probes: ProbeReadings[], nowMs: number): CookExportJson => ({
  format: "grill-stats-cook",
  version: 1,
  exportedAtMs: nowMs,
  cook,
  events,
  probes: probes.map((p) => p.info),
  readings: Object.fromEntries(probes.map((p) => [p.info.id, p.readings.map((r): [number, number | null] => [r.tsMs, r.tempC])])),
});

/** A file name safe in a Content-Disposition header: ASCII letters, digits and dashes only. */
export const exportFileName = (cook: Cook, ext: "csv" | "json"): string => {
  const slug = cook.name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `grill-stats-cook-${cook.id}${slug ? `-${slug}` : ""}.${ext}`;
};
