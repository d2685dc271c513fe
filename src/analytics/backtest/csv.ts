/**
 * Recorded cooks in the shared CSV format: header `t_s,probe,temp_c,role`, one reading per row,
 * probes sampled independently. Every row is validated; a bad row is an error naming its line.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { BadRequestError, seededRandom, type ProbeRole } from "../../shared";

export interface CookRow {
  tS: number;
  probe: string;
  tempC: number | null;
  role: ProbeRole;
}

export interface CookFile {
  name: string;
  rows: CookRow[];
  /** Probe name → role, in order of first appearance. */
  probes: Map<string, ProbeRole>;
}

const COLUMNS = ["t_s", "probe", "temp_c", "role"] as const;
const HEADER = COLUMNS.join(",");

/** What a logger writes for "no reading" in the temperature column. */
const NO_READING = new Set(["", "null", "nan", "na", "n/a", "none", "-"]);

const rowSchema = z.object({
  t_s: z.coerce.number({ message: "expected seconds (a number ≥ 0)" }).finite("expected seconds (a number ≥ 0)").nonnegative("expected seconds (a number ≥ 0)"),
  probe: z.string().trim().min(1, "probe name is empty"),
  temp_c: z.union([z.null(), z.coerce.number().finite()], { message: "expected a temperature in °C, or empty for no reading" }),
  role: z.enum(["meat", "pit", "ambient", "humidity"], { message: "expected meat, pit, ambient or humidity" }),
});

/** One CSV line into fields: commas inside double quotes stay, "" is a quote. */
const splitCsvLine = (line: string): string[] => {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(field);
      field = "";
    } else field += ch;
  }
  out.push(field);
  return out;
};

/**
 * The columns are found by name, so their order does not matter and extra columns (notes, °F, a
 * device id) are ignored; the four of the format must be there.
 */
const columnIndexes = (headerLine: string | undefined, name: string): number[] => {
  const names = splitCsvLine((headerLine ?? "").replace(/^\uFEFF/, "")).map((h) => h.trim().toLowerCase());
  const indexes = COLUMNS.map((c) => names.indexOf(c));
  const missing = COLUMNS.filter((_, i) => indexes[i] === -1);
  if (missing.length > 0) throw new BadRequestError(`${name}: expected the header "${HEADER}" (missing ${missing.join(", ")}), got "${headerLine ?? ""}"`);
  return indexes;
};

export const parseCookCsv = (text: string, name: string): CookFile => {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const [tIdx, probeIdx, tempIdx, roleIdx] = columnIndexes(lines[0], name) as [number, number, number, number];
  const rows: CookRow[] = [];
  const probes = new Map<string, ProbeRole>();
  for (let i = 1; i < lines.length; i++) {
    const fields = splitCsvLine(lines[i] as string);
    const raw: Record<(typeof COLUMNS)[number], string> = {
      t_s: (fields[tIdx] ?? "").trim(),
      probe: fields[probeIdx] ?? "",
      temp_c: (fields[tempIdx] ?? "").trim(),
      role: (fields[roleIdx] ?? "").trim().toLowerCase(),
    };
    const parsed = rowSchema.safeParse({ ...raw, t_s: raw.t_s || undefined, temp_c: NO_READING.has(raw.temp_c.toLowerCase()) ? null : raw.temp_c });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const column = String(issue?.path[0] ?? "row");
      const got = column in raw ? ` (got "${raw[column as keyof typeof raw]}")` : "";
      throw new BadRequestError(`${name}:${i + 1}: ${column}: ${issue?.message ?? "invalid"}${got}`);
    }
    const row: CookRow = { tS: parsed.data.t_s, probe: parsed.data.probe, tempC: parsed.data.temp_c, role: parsed.data.role };
    const known = probes.get(row.probe);
    if (known && known !== row.role) throw new BadRequestError(`${name}:${i + 1}: probe ${row.probe} changes role from ${known} to ${row.role}`);
    probes.set(row.probe, row.role);
    rows.push(row);
  }
  if (rows.length === 0) throw new BadRequestError(`${name}: no readings`);
  rows.sort((a, b) => a.tS - b.tS);
  return { name, rows, probes };
};

export const readCookCsv = (path: string): CookFile => {
  const name = path.split(/[\\/]/).pop() ?? path;
  return parseCookCsv(readFileSync(path, "utf8"), name);
};

/**
 * The same cook as a device that reports every `everyS` seconds would have logged it: per probe,
 * the first reading and then the first one at least `everyS` after the last kept (robustness of
 * the predictor to sparse loggers and cloud devices; `--every` of the backtest).
 */
export const thinCook = (file: CookFile, everyS: number): CookFile => {
  const last = new Map<string, number>();
  const rows = file.rows.filter((r) => {
    const prev = last.get(r.probe);
    if (prev !== undefined && r.tS - prev < everyS) return false;
    last.set(r.probe, r.tS);
    return true;
  });
  return { ...file, rows };
};

/**
 * The same cook as a thermometer without a pit probe would have logged it (the meat probes
 * alone: a single-probe thermometer, a pit probe left out; `--no-pit` of the backtest).
 */
export const withoutPit = (file: CookFile): CookFile => {
  const pits = new Set([...file.probes].filter(([, role]) => role === "pit").map(([probe]) => probe));
  return { ...file, probes: new Map([...file.probes].filter(([probe]) => !pits.has(probe))), rows: file.rows.filter((r) => !pits.has(r.probe)) };
};

/**
 * The same cook as RFX Meat probes would have reported it, and the add-on recorded it: a meat
 * probe uploads a reading when it has moved `deltaC` or more from the last one it uploaded, and
 * between uploads the add-on keeps that last reading current once per `heardEveryS` while the
 * gateway hears the probe (a staircase). Pit probes are left as they are (`--report-delta` of
 * the backtest; the replay tells the engine the step, as the cloud does).
 */
export const onChangeCook = (file: CookFile, deltaC: number, heardEveryS = 60): CookFile => {
  const uploaded = new Map<string, number>();
  const emittedS = new Map<string, number>();
  const rows: CookRow[] = [];
  for (const r of file.rows) {
    if (r.role !== "meat" || r.tempC === null) {
      rows.push(r);
      continue;
    }
    const last = uploaded.get(r.probe);
    if (last === undefined || Math.abs(r.tempC - last) >= deltaC) {
      uploaded.set(r.probe, r.tempC);
      emittedS.set(r.probe, r.tS);
      rows.push(r);
    } else if (r.tS - (emittedS.get(r.probe) as number) >= heardEveryS) {
      emittedS.set(r.probe, r.tS);
      rows.push({ ...r, tempC: last });
    }
  }
  return { ...file, rows };
};

/**
 * The same cook with about `share` of its readings replaced by "no probe" (an empty
 * temperature), each on its own, seeded: the radio dropouts and sentinel readings of a real
 * device (`--drop` of the backtest). The truth is taken from the readings left.
 */
export const dropReadings = (file: CookFile, share: number, seed = 1): CookFile => {
  const random = seededRandom(seed);
  return { ...file, rows: file.rows.map((r) => (r.tempC !== null && random() < share ? { ...r, tempC: null } : r)) };
};

/** Readings of one probe, values only, in time order. */
const probeRows = (file: CookFile, probe: string): CookRow[] => file.rows.filter((r) => r.probe === probe && r.tempC !== null);

/**
 * The temperature held from reading i for SUSTAIN_S and through the next reading (the lowest
 * reading in that span), so a glitch or a probe pulled past a hot surface does not count as
 * "reached" — also in a log that samples less often than every 2 minutes, where a one-reading
 * spike would otherwise be "held" for lack of a second reading in the span.
 */
const SUSTAIN_S = 120;
const heldFrom = (rows: readonly CookRow[], i: number): number => {
  const t0 = (rows[i] as CookRow).tS;
  let low = Number.POSITIVE_INFINITY;
  for (let j = i; j < rows.length && ((rows[j] as CookRow).tS <= t0 + SUSTAIN_S || j === i + 1); j++) low = Math.min(low, (rows[j] as CookRow).tempC as number);
  return low;
};

/**
 * Default target of a file when none is given: min(95, highest meat temperature reached − 1),
 * rounded to 0.5 °C. "Reached" means held for 2 minutes (see heldFrom).
 */
export const defaultTargetC = (file: CookFile): number | null => {
  let max = Number.NEGATIVE_INFINITY;
  for (const [probe, role] of file.probes) {
    if (role !== "meat") continue;
    const rows = probeRows(file, probe);
    for (let i = 0; i < rows.length; i++) max = Math.max(max, heldFrom(rows, i));
  }
  if (!Number.isFinite(max)) return null;
  return Math.round(Math.min(95, max - 1) * 2) / 2;
};

/** When the probe really reached the target: the first reading from which it held ≥ target − 1 °C for 2 minutes. */
export const truthReachedS = (file: CookFile, probe: string, targetC: number): number | null => {
  const rows = probeRows(file, probe);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as CookRow;
    if ((r.tempC as number) >= targetC && heldFrom(rows, i) >= targetC - 1) return r.tS;
  }
  return null;
};
