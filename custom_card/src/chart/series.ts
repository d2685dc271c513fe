/**
 * Pure helpers that turn readings into the columnar arrays uPlot draws. Shared by the Lovelace
 * card and the ingress panel; no DOM, no Home Assistant. Time is epoch SECONDS throughout
 * (uPlot's unit); values are in whatever display unit the caller uses.
 */

/** Columnar chart data: `x` ascending epoch seconds, every `y[key]` the same length; null = gap. */
export interface ChartData {
  x: number[];
  y: Record<string, (number | null)[]>;
}

/** One reading of one series: `[tsS, value]`, value null = unavailable (drawn as a gap). */
export type SeriesPoint = readonly [tsS: number, value: number | null];

/** An empty data set with the given series keys. */
export const emptyData = (keys: readonly string[]): ChartData => ({
  x: [],
  y: Object.fromEntries(keys.map((k) => [k, [] as (number | null)[]])),
});

/**
 * Merges per-series readings (each in any order) into columnar arrays on the union of their
 * timestamps. A sensor's state holds until it changes (Home Assistant records changes only),
 * so every series is carried forward to timestamps it has no reading for; only an explicit
 * null (unavailable) makes a gap. Before a series' first reading its value is null.
 */
export const mergeToColumns = (rows: Record<string, readonly SeriesPoint[]>): ChartData => {
  const keys = Object.keys(rows);
  const xs = new Set<number>();
  const sorted: Record<string, SeriesPoint[]> = {};
  for (const key of keys) {
    const list = [...(rows[key] ?? [])].filter((p) => Number.isFinite(p[0]));
    list.sort((a, b) => a[0] - b[0]);
    sorted[key] = list;
    for (const p of list) xs.add(p[0]);
  }
  const x = [...xs].sort((a, b) => a - b);
  const y: Record<string, (number | null)[]> = {};
  for (const key of keys) {
    const list = sorted[key] ?? [];
    const out = new Array<number | null>(x.length);
    let j = 0;
    let last: number | null = null;
    for (let i = 0; i < x.length; i++) {
      const ts = x[i] as number;
      // Several readings at the same second: the last one wins.
      while (j < list.length && (list[j] as SeriesPoint)[0] <= ts) {
        last = toFiniteOrNull((list[j] as SeriesPoint)[1]);
        j++;
      }
      out[i] = last;
    }
    y[key] = out;
  }
  return { x, y };
};

const toFiniteOrNull = (v: number | null | undefined): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : null;

/** Index of the first x >= tsS (x.length when none). */
export const lowerBound = (x: readonly number[], tsS: number): number => {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((x[mid] as number) < tsS) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * Appends one row in place (the live path: no rebuild). Keys missing from `values` carry their
 * previous value forward; an explicit null is a gap. A timestamp equal to the last row updates
 * that row; an older timestamp is inserted in order. Unknown keys are ignored. Returns `data`.
 */
export const appendRow = (data: ChartData, tsS: number, values: Record<string, number | null>): ChartData => {
  if (!Number.isFinite(tsS)) return data;
  const n = data.x.length;
  const lastTs = n > 0 ? (data.x[n - 1] as number) : -Infinity;
  if (tsS === lastTs) {
    for (const [key, col] of Object.entries(data.y)) {
      if (key in values) col[n - 1] = toFiniteOrNull(values[key]);
    }
    return data;
  }
  const at = tsS > lastTs ? n : lowerBound(data.x, tsS);
  if (at < n && data.x[at] === tsS) {
    for (const [key, col] of Object.entries(data.y)) if (key in values) col[at] = toFiniteOrNull(values[key]);
    return data;
  }
  data.x.splice(at, 0, tsS);
  for (const [key, col] of Object.entries(data.y)) {
    const prev = at > 0 ? (col[at - 1] ?? null) : null;
    col.splice(at, 0, key in values ? toFiniteOrNull(values[key]) : prev);
  }
  return data;
};

/**
 * Drops rows older than `fromS` in place, keeping the last older row re-stamped at `fromS` when
 * it carries a value, so lines start at the window's left edge instead of at the first change.
 */
export const trimBefore = (data: ChartData, fromS: number): ChartData => {
  const at = lowerBound(data.x, fromS);
  if (at === 0) return data;
  const keepEdge = data.x[at] !== fromS;
  const cut = keepEdge ? at - 1 : at;
  data.x.splice(0, cut);
  for (const col of Object.values(data.y)) col.splice(0, cut);
  if (keepEdge) data.x[0] = fromS;
  return data;
};

/**
 * Min/max per pixel column: splits [fromS, toS] into `columns` equal buckets and keeps, per
 * bucket, at most two rows in which every series shows its minimum and its maximum (in the
 * order they happened), so peaks and troughs survive at any zoom. A bucket where a series has
 * only nulls stays null (gaps wider than a pixel stay visible). Rows outside the range are
 * dropped. When there are fewer rows than 2×columns the data is returned unchanged (copied).
 */
export const downsampleMinMax = (
  data: ChartData,
  columns: number,
  range?: { fromS: number; toS: number },
): ChartData => {
  const keys = Object.keys(data.y);
  const startIdx = range ? lowerBound(data.x, range.fromS) : 0;
  const endIdx = range ? lowerBound(data.x, range.toS + 1e-9) : data.x.length;
  const count = Math.max(0, endIdx - startIdx);
  const cols = Math.max(1, Math.floor(columns));
  if (count <= cols * 2) {
    return {
      x: data.x.slice(startIdx, endIdx),
      y: Object.fromEntries(keys.map((k) => [k, (data.y[k] ?? []).slice(startIdx, endIdx)])),
    };
  }
  const fromS = range?.fromS ?? (data.x[startIdx] as number);
  const toS = range?.toS ?? (data.x[endIdx - 1] as number);
  const span = Math.max(toS - fromS, 1e-9);
  const outX: number[] = [];
  const outY: Record<string, (number | null)[]> = Object.fromEntries(keys.map((k) => [k, []]));
  let i = startIdx;
  while (i < endIdx) {
    const bucket = Math.min(cols - 1, Math.floor((((data.x[i] as number) - fromS) / span) * cols));
    let j = i;
    while (j < endIdx && Math.min(cols - 1, Math.floor((((data.x[j] as number) - fromS) / span) * cols)) === bucket) j++;
    emitBucket(data, keys, i, j, outX, outY);
    i = j;
  }
  return { x: outX, y: outY };
};

/** Rows [i, j) of one pixel column → one or two output rows. */
const emitBucket = (
  data: ChartData,
  keys: readonly string[],
  i: number,
  j: number,
  outX: number[],
  outY: Record<string, (number | null)[]>,
): void => {
  const firstTs = data.x[i] as number;
  const lastTs = data.x[j - 1] as number;
  if (j - i === 1 || firstTs === lastTs) {
    outX.push(firstTs);
    for (const k of keys) (outY[k] as (number | null)[]).push((data.y[k] as (number | null)[])[j - 1] ?? null);
    return;
  }
  outX.push(firstTs, lastTs);
  for (const k of keys) {
    const col = data.y[k] as (number | null)[];
    let min = Infinity;
    let max = -Infinity;
    let minAt = -1;
    let maxAt = -1;
    for (let r = i; r < j; r++) {
      const v = col[r];
      if (v == null) continue;
      if (v < min) [min, minAt] = [v, r];
      if (v > max) [max, maxAt] = [v, r];
    }
    const out = outY[k] as (number | null)[];
    if (minAt < 0) out.push(null, null);
    else if (minAt <= maxAt) out.push(min, max);
    else out.push(max, min);
  }
};

/** Lowest and highest finite value over the given columns (null when there is none). */
export const valueExtent = (
  cols: Iterable<readonly (number | null)[]>,
  extra: readonly number[] = [],
): { min: number; max: number } | null => {
  let min = Infinity;
  let max = -Infinity;
  for (const col of cols) {
    for (const v of col) {
      if (v == null) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  for (const v of extra) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
};

/** Last non-null value of a column and its timestamp (null when the column has none). */
export const lastValue = (data: ChartData, key: string): { tsS: number; value: number } | null => {
  const col = data.y[key];
  if (!col) return null;
  for (let i = col.length - 1; i >= 0; i--) {
    const v = col[i];
    if (v != null) return { tsS: data.x[i] as number, value: v };
  }
  return null;
};
