import type { Cook, CookEvent, Reading } from "../../shared";
import type { ProbeInfo } from "./probe-info";

/** Readings of one probe in [fromMs, toMs], both ends included (the store's `readingsBetween`). */
export type ReadSlice = (probeId: string, fromMs: number, toMs: number) => Reading[];

/**
 * An export is read, sorted and written an hour of readings at a time: a week-long cook costs
 * what an hour does in memory, and the event loop gets a turn between hours.
 */
export const EXPORT_SLICE_MS = 60 * 60_000;

/** Roles the backtest CSV format knows (humidity is not a temperature). */
const CSV_ROLES = new Set(["meat", "pit", "ambient"]);
export const CSV_HEADER = "t_s,probe,temp_c,role";

/** The slices [a, b] that cover [fromMs, toMs], in order. */
function* slices(fromMs: number, toMs: number): Generator<[number, number]> {
  for (let a = fromMs; a <= toMs; a += EXPORT_SLICE_MS) yield [a, Math.min(toMs, a + EXPORT_SLICE_MS - 1)];
}

interface CsvRow {
  tS: number;
  probe: string;
  tempC: number;
  role: string;
}
const byTimeThenProbe = (a: CsvRow, b: CsvRow): number => a.tS - b.tS || (a.probe < b.probe ? -1 : a.probe > b.probe ? 1 : 0);
const csvLines = (rows: readonly CsvRow[]): string => rows.map((r) => `${r.tS},${r.probe},${r.tempC.toFixed(2)},${r.role}\n`).join("");

/**
 * The recorded-cook CSV format of `shared/data/cooks` (and `npm run backtest`), in chunks: one row
 * per reading, `t_s` = whole seconds since the first reading of any probe, sorted by t_s then
 * probe, °C with 2 decimals. The probe column is the probe id (stable and free of commas); gaps
 * (unplugged) have no row, as in the recorded files.
 */
export function* cookCsvChunks(probes: readonly ProbeInfo[], fromMs: number, toMs: number, read: ReadSlice): Generator<string> {
  yield `${CSV_HEADER}\n`;
  const csv = probes.filter((p) => CSV_ROLES.has(p.role));
  let firstMs: number | null = null;
  // Rows of the last second of a slice: the next slice may hold more of that second, which sort before some of them.
  let carry: CsvRow[] = [];
  for (const [a, b] of slices(fromMs, toMs)) {
    const got = csv.map((p) => [p, read(p.id, a, b)] as const);
    // Slices come in time order: the first one with a reading holds the cook's first reading.
    if (firstMs === null) {
      for (const [, rs] of got) for (const r of rs) if (r.tempC !== null && (firstMs === null || r.tsMs < firstMs)) firstMs = r.tsMs;
      if (firstMs === null) continue;
    }
    const rows = carry;
    for (const [p, rs] of got) for (const r of rs) if (r.tempC !== null) rows.push({ tS: Math.round((r.tsMs - firstMs) / 1000), probe: p.id, tempC: r.tempC, role: p.role });
    if (rows.length === 0) continue;
    rows.sort(byTimeThenProbe);
    const lastS = (rows.at(-1) as CsvRow).tS;
    const cut = rows.findIndex((r) => r.tS === lastS);
    carry = rows.slice(cut);
    if (cut > 0) yield csvLines(rows.slice(0, cut));
  }
  if (carry.length > 0) yield csvLines(carry);
}

/**
 * The JSON export in chunks, exactly `JSON.stringify` of a `CookExportJson`: cook, events, probes,
 * and the raw readings per probe as [tsMs, tempC | null] (null = unplugged).
 */
export function* cookJsonChunks(cook: Cook, events: readonly CookEvent[], probes: readonly ProbeInfo[], nowMs: number, read: ReadSlice): Generator<string> {
  const toMs = cook.endMs ?? nowMs;
  yield `{"format":"grill-stats-cook","version":1,"exportedAtMs":${JSON.stringify(nowMs)},"cook":${JSON.stringify(cook)},"events":${JSON.stringify(events)},"probes":${JSON.stringify(probes)},"readings":{`;
  let probeSep = "";
  for (const p of probes) {
    yield `${probeSep}${JSON.stringify(p.id)}:[`;
    probeSep = ",";
    let sep = "";
    for (const [a, b] of slices(cook.startMs, toMs)) {
      const got = read(p.id, a, b);
      if (got.length === 0) continue;
      yield sep + got.map((r) => JSON.stringify([r.tsMs, r.tempC])).join(",");
      sep = ",";
    }
    yield "]";
  }
  yield "}}";
}

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
