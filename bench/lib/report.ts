/**
 * Figures, budgets and output. Every benchmark returns `Figure`s; `formatLine` prints one per
 * line (PASS/FAIL against its budget, INFO when there is none, ERROR when it could not be
 * measured) and `toJson` folds them into the flat object `npm run bench -- --json` prints last.
 */
import { round } from "./stats";

export interface Budget {
  op: "<=" | ">=";
  limit: number;
}

export interface Figure {
  key: string;
  /** null when the figure could not be measured (then `error` says why). */
  value: number | null;
  unit: string;
  budget: Budget | null;
  /** How it was measured and what it was compared with (baseline figures measured in the same run). */
  note: string;
  error?: string;
}

export type Status = "PASS" | "FAIL" | "INFO" | "ERROR";

/** The budgets of issue #7 (and the issue #5 extras, which have none). */
export const BUDGETS: Record<string, Budget | null> = {
  ingest_per_s: null,
  ingest_ratio: { op: ">=", limit: 0.5 },
  ingest_poll_per_s: null,
  ingest_poll_ratio: null,
  history_p95_ms: { op: "<=", limit: 25 },
  history_ratio: { op: ">=", limit: 10 },
  history_scaling: { op: "<=", limit: 3 },
  export_rss_ratio: { op: ">=", limit: 3 },
  export_loop_ratio: { op: ">=", limit: 3 },
  api_p95_ms: { op: "<=", limit: 20 },
  api_errors: { op: "<=", limit: 0 },
  sse_fanout_ms: { op: "<=", limit: 100 },
  freshness_ms: { op: "<=", limit: 250 },
  rss_idle_mb: { op: "<=", limit: 80 },
  rss_growth_mb: { op: "<=", limit: 10 },
  disk_write_mb_per_day: null,
  startup_ms: { op: "<=", limit: 1500 },
  startup_history_ms: { op: "<=", limit: 1500 },
  // 60 until the card spoke four languages (English, German, French, Dutch: 57.1 → 60.0 KB).
  card_gz_kb: { op: "<=", limit: 64 },
  panel_gz_kb: { op: "<=", limit: 150 },
  card_render_ms: null,
  card_render_ratio: null,
  card_update_ms: null,
  card_update_ratio: null,
};

/** A measured figure, its budget taken from BUDGETS (none for extras). */
export const figure = (key: string, value: number, unit: string, note: string): Figure => ({
  key,
  value: Number.isFinite(value) ? value : null,
  unit,
  budget: BUDGETS[key] ?? null,
  note,
  ...(Number.isFinite(value) ? {} : { error: `not a finite number (${value})` }),
});

/** A figure that could not be measured. */
export const failedFigure = (key: string, unit: string, error: string): Figure => ({
  key,
  value: null,
  unit,
  budget: BUDGETS[key] ?? null,
  note: "",
  error,
});

export const statusOf = (f: Figure): Status => {
  if (f.value === null) return "ERROR";
  if (!f.budget) return "INFO";
  const ok = f.budget.op === "<=" ? f.value <= f.budget.limit : f.value >= f.budget.limit;
  return ok ? "PASS" : "FAIL";
};

const formatValue = (v: number): string => {
  const r = round(v, 3);
  return Math.abs(r) >= 10_000 ? Math.round(r).toLocaleString("en-US") : String(r);
};

const formatBudget = (f: Figure): string => (f.budget ? `budget ${f.budget.op === "<=" ? "≤" : "≥"} ${f.budget.limit}${f.unit === "×" ? "" : ` ${f.unit}`}` : "no budget");

export const formatLine = (f: Figure): string => {
  const status = statusOf(f).padEnd(5);
  if (f.value === null) return `${status} ${f.key.padEnd(18)} ${"—".padStart(12)} ${"".padEnd(6)} ${formatBudget(f).padEnd(20)} ${f.error ?? ""}`;
  return `${status} ${f.key.padEnd(18)} ${formatValue(f.value).padStart(12)} ${f.unit.padEnd(6)} ${formatBudget(f).padEnd(20)} ${f.note}`;
};

export interface JsonReport {
  [key: string]: unknown;
}

/** Flat `{key: value}` (null when unmeasured) plus `_status`, `_notes` and `_machine`. */
export const toJson = (figures: readonly Figure[], machine: Record<string, unknown>): JsonReport => {
  const out: JsonReport = {};
  const status: Record<string, Status> = {};
  const notes: Record<string, string> = {};
  for (const f of figures) {
    out[f.key] = f.value === null ? null : round(f.value, 4);
    status[f.key] = statusOf(f);
    notes[f.key] = f.value === null ? `ERROR: ${f.error ?? "unknown"}` : f.note;
  }
  return { ...out, _status: status, _notes: notes, _machine: machine };
};
