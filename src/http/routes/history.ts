import { z } from "zod";
import { BadRequestError, type Clock, type HistoryColumns } from "../../shared";
import type { ReadRequest, ReadRoute } from "../fast-path";
import { createHistoryCache, HISTORY_CACHE_ENTRIES, HISTORY_CACHE_MAX_AGE_MS, type HistoryKey } from "../history-cache";
import { entryFromBody, sendJsonEntry, type JsonEntry } from "../json-cache";
import type { HttpDeps } from "../types";
import { knownProbeIds, parseQuery, requireProbe, epochMs, wholeNumber } from "../validate";

export const DEFAULT_WINDOW_MS = 4 * 3600_000;
export const DEFAULT_POINTS = 500;
export const MAX_POINTS = 5000;

/** How an answer lays out each probe's points (`format=` in the query; `pairs` by default). */
export const HISTORY_FORMATS = ["pairs", "columns"] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];
/** A validated request: its probes, window, points and layout (the answer cache's key). */
type HistoryWindow = HistoryKey & { format: HistoryFormat };

const historyQuery = z.object({
  probe: z.union([z.string(), z.array(z.string())]).optional(),
  from: epochMs().optional(),
  to: epochMs().optional(),
  points: wholeNumber("points per probe")
    .pipe(z.number().min(1, "must be at least 1").max(MAX_POINTS, `must be at most ${MAX_POINTS}`))
    .optional(),
  format: z.enum(HISTORY_FORMATS).optional(),
});

/**
 * `probe=a&probe=b` and `probe=a,b` both mean [a, b]; empty entries are ignored. No `probe` is every
 * probe; `probe=` naming none is refused (a client that joined an empty list did not mean "all").
 */
export const toProbeList = (probe: string | string[] | undefined): string[] | null => {
  if (probe === undefined) return null;
  const ids = (Array.isArray(probe) ? probe : [probe])
    .flatMap((p) => p.split(","))
    .map((p) => p.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new BadRequestError("query.probe: names no probe; give one or more probe ids, or leave it out for every probe");
  return [...new Set(ids)];
};

/** Canonical array-index keys ("0" … "4294967294"): JSON.stringify writes those first, ascending. */
const isIndexKey = (k: string): boolean => /^(0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;

/** The order in which JSON.stringify would write an object's keys inserted in `ids` order. */
const jsonKeyOrder = (ids: readonly string[]): string[] => {
  const index = ids.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  return index.length === 0 ? [...ids] : [...index, ...ids.filter((id) => !isIndexKey(id))];
};

/**
 * Scratch space for encoding, reused (the answer is copied out). Grown for a big answer, and
 * given back afterwards so one 17 × 5000-point request does not pin megabytes for good.
 */
const SCRATCH_BYTES = 1 << 18;
let scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
const MAX_NUMBER_BYTES = 26;
const ensure = (used: number, more: number): void => {
  if (used + more <= scratch.length) return;
  const next = Buffer.allocUnsafe(Math.max(scratch.length * 2, used + more));
  scratch.copy(next, 0, 0, used);
  scratch = next;
};

/** Decimal digits of a whole number 0 ≤ n < 2^53 at `o`; returns the end. */
const writeDigits = (buf: Buffer, o: number, n: number): number => {
  let len = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
  let x = n;
  for (let i = o + len - 1; i >= o; i--) {
    const q = Math.floor(x / 10);
    buf[i] = 48 + (x - q * 10);
    x = q;
  }
  return o + len;
};

/**
 * `n` as JSON.stringify writes it, at `o` (room for MAX_NUMBER_BYTES assumed); returns the end.
 * Fast paths for whole numbers (times) and one decimal (temperatures); anything else via String.
 */
const writeNumber = (buf: Buffer, o: number, n: number): number => {
  if (!Number.isFinite(n)) return o + buf.write("null", o, "latin1");
  if (Number.isSafeInteger(n)) {
    if (n < 0) buf[o++] = 45;
    return writeDigits(buf, o, Math.abs(n));
  }
  const tenths = Math.round(n * 10);
  if (tenths / 10 === n && Math.abs(tenths) < 1e15) {
    // A double equal to k/10 prints as its one-decimal form (never shorter: it is not whole).
    if (tenths < 0) buf[o++] = 45;
    const abs = Math.abs(tenths);
    const whole = Math.floor(abs / 10);
    o = writeDigits(buf, o, whole);
    buf[o++] = 46;
    buf[o++] = 48 + (abs - whole * 10);
    return o;
  }
  return o + buf.write(String(n), o, "latin1");
};

/** A temperature, or null for NaN (an unplugged stretch). */
const writeTemp = (buf: Buffer, o: number, v: number): number =>
  Number.isNaN(v) ? o + buf.write("null", o, "latin1") : writeNumber(buf, o, v);

/** `[[ts, tempC | null], …]` */
const writePairs = (buf: Buffer, o: number, c: HistoryColumns): number => {
  buf[o++] = 91; // [
  for (let i = 0; i < c.length; i++) {
    if (i > 0) buf[o++] = 44; // ,
    buf[o++] = 91;
    o = writeNumber(buf, o, c.ts[i]!);
    buf[o++] = 44;
    o = writeTemp(buf, o, c.tempC[i]!);
    buf[o++] = 93; // ]
  }
  buf[o++] = 93;
  return o;
};

/**
 * `{"dt":[…],"tempC":[…]}`: each time as its distance from the one before, the first from the
 * answer's `from`. A 5 s reading costs `5000,98.5,` (11 bytes) instead of `[1795698954965,98.5],`
 * (21): half the bytes to send, parse and hold, and already the column layout a chart draws.
 */
const writeColumns = (buf: Buffer, o: number, c: HistoryColumns, from: number): number => {
  o += buf.write('{"dt":[', o, "latin1");
  let prev = from;
  for (let i = 0; i < c.length; i++) {
    if (i > 0) buf[o++] = 44;
    const t = c.ts[i]!;
    o = writeNumber(buf, o, t - prev);
    prev = t;
  }
  o += buf.write('],"tempC":[', o, "latin1");
  for (let i = 0; i < c.length; i++) {
    if (i > 0) buf[o++] = 44;
    o = writeTemp(buf, o, c.tempC[i]!);
  }
  buf[o++] = 93;
  buf[o++] = 125; // }
  return o;
};

const EMPTY_COLUMNS: HistoryColumns = { ts: new Float64Array(0), tempC: new Float64Array(0), length: 0 };

/**
 * The `/api/history` answer, written straight from the columns: no array per point and no
 * generic serialiser. `pairs` (the default) is byte for byte what `JSON.stringify({ probes, from,
 * to, points })` gives for `probes[id] = [[ts, tempC | null], …]`; `columns` gives
 * `probes[id] = { dt, tempC }` (see `writeColumns`) and adds `"format":"columns"`. Ids in `ids`
 * order (as JSON.stringify orders object keys).
 */
export const encodeHistoryJson = (
  ids: readonly string[],
  series: ReadonlyMap<string, HistoryColumns>,
  from: number,
  to: number,
  points: number,
  format: HistoryFormat = "pairs",
): Buffer => {
  let o = 0;
  const text = (s: string): void => {
    ensure(o, Buffer.byteLength(s, "utf8"));
    o += scratch.write(s, o, "utf8");
  };
  text('{"probes":{');
  let first = true;
  for (const id of jsonKeyOrder(ids)) {
    text(`${first ? "" : ","}${JSON.stringify(id)}:`);
    first = false;
    const c = series.get(id) ?? EMPTY_COLUMNS;
    ensure(o, c.length * (2 * MAX_NUMBER_BYTES + 4) + 32);
    o = format === "columns" ? writeColumns(scratch, o, c, from) : writePairs(scratch, o, c);
  }
  text(`},"from":${JSON.stringify(from)},"to":${JSON.stringify(to)},"points":${JSON.stringify(points)}`);
  text(format === "columns" ? ',"format":"columns"}' : "}");
  const body = Buffer.from(scratch.subarray(0, o));
  if (scratch.length > 4 * SCRATCH_BYTES) scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  return body;
};

/**
 * Downsampled history per probe: peaks and troughs survive (the store keeps each bucket's min and
 * max). `from`/`to` are used exactly as given, so a caller that sends stable (bucket-aligned)
 * windows gets the cached answer until a reading lands inside its window.
 */
export const historyRoute = (
  deps: HttpDeps,
  clock: Clock,
  onClose: (dispose: () => void) => void,
): ReadRoute => {
  const cache = createHistoryCache(deps.bus, clock);
  onClose(cache.close);

  /**
   * The validated window a request asks for. `fixed` when it names `to` (else it ends "now");
   * `reusable` when it also names its probes (else "every probe", which a new probe changes).
   */
  const resolve = (req: ReadRequest): { key: HistoryWindow; fixed: boolean; reusable: boolean } => {
    const q = parseQuery(historyQuery, req);
    const requested = toProbeList(q.probe);
    const live = new Set(deps.getProbeStates().map((p) => p.id));
    // The store's probe list (a query) only when the live states do not already vouch for every id.
    const known = requested?.every((id) => live.has(id)) ? live : knownProbeIds(deps.store, live);
    for (const id of requested ?? []) requireProbe(known, id);
    const ids = [...(requested ?? known)].sort();
    const to = q.to ?? clock.now();
    const from = q.from ?? to - DEFAULT_WINDOW_MS;
    if (from >= to)
      throw new BadRequestError(`query.from: must be before query.to (from=${from}, to=${to})`);
    const fixed = q.to !== undefined;
    return { key: { ids, fromMs: from, toMs: to, points: q.points ?? DEFAULT_POINTS, format: q.format ?? "pairs" }, fixed, reusable: fixed && requested !== null };
  };

  /**
   * Query string → its validated window, for windows with a fixed `to` and named probes (what
   * the panel sends, again and again while a view is open): a repeat skips parsing and
   * validation, which was about an eighth of the service's CPU under load. Re-validated at least
   * once a minute.
   */
  const resolved = new Map<string, { key: HistoryWindow; atMs: number }>();
  const remembered = (req: ReadRequest): HistoryWindow | null => {
    if (req.search === undefined) return null;
    const hit = resolved.get(req.search);
    if (!hit) return null;
    const age = clock.now() - hit.atMs;
    if (age >= 0 && age <= HISTORY_CACHE_MAX_AGE_MS) return hit.key;
    resolved.delete(req.search);
    return null;
  };
  const remember = (search: string, key: HistoryWindow): void => {
    resolved.set(search, { key, atMs: clock.now() });
    if (resolved.size > HISTORY_CACHE_ENTRIES) resolved.delete(resolved.keys().next().value as string);
  };
  onClose(() => resolved.clear());

  return (req, res) => {
    let key = remembered(req);
    let fixed = true;
    if (key === null) {
      const r = resolve(req);
      ({ key, fixed } = r);
      if (r.reusable && req.search !== undefined) remember(req.search, key);
    }
    const { ids, fromMs: from, toMs: to, points, format } = key;
    const compute = (): JsonEntry => {
      const series = ids.length === 0 ? new Map<string, HistoryColumns>() : deps.store.historyColumns(ids, from, to, points);
      return entryFromBody(encodeHistoryJson(ids, series, from, to, points, format));
    };
    // Without `to` the window ends "now": no later request asks for the same one, so not cached.
    const entry = fixed ? cache.get(key, compute) : compute();
    sendJsonEntry(req, res, entry);
  };
};
