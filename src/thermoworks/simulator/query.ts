/**
 * A small evaluator for Firestore `structuredQuery` (runQuery): field filters, AND composites,
 * orderBy and limit. Enough for the queries ThermoWorks clients send.
 */
import { z } from "zod";
import type { WireDocument, WireValue } from "./documents";

const fieldRef = z.object({ fieldPath: z.string() });
const valueSchema = z.record(z.string(), z.unknown());
type Filter = {
  fieldFilter?: { field: { fieldPath: string }; op: string; value: WireValue };
  compositeFilter?: { op: string; filters: Filter[] };
};
const filterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.object({
    fieldFilter: z.object({ field: fieldRef, op: z.string(), value: valueSchema }).optional(),
    compositeFilter: z.object({ op: z.string(), filters: z.array(filterSchema) }).optional(),
  }),
);

export const runQueryBodySchema = z.object({
  structuredQuery: z.object({
    from: z.array(z.object({ collectionId: z.string(), allDescendants: z.boolean().optional() })).min(1),
    where: filterSchema.optional(),
    orderBy: z.array(z.object({ field: fieldRef, direction: z.enum(["ASCENDING", "DESCENDING", "DIRECTION_UNSPECIFIED"]).optional() })).optional(),
    limit: z.union([z.number().int().nonnegative(), z.object({ value: z.number().int().nonnegative() })]).optional(),
  }),
});
export type StructuredQuery = z.infer<typeof runQueryBodySchema>["structuredQuery"];

/** Plain JS value of a wire value, for comparisons. */
const plain = (v: WireValue | undefined): unknown => {
  if (!v) return undefined;
  if ("integerValue" in v) return Number(v.integerValue);
  if ("doubleValue" in v) return Number(v.doubleValue);
  if ("nullValue" in v) return null;
  for (const key of ["stringValue", "booleanValue", "timestampValue", "referenceValue"]) if (key in v) return v[key];
  return JSON.stringify(v);
};

const fieldOf = (doc: WireDocument, path: string): unknown => (path === "__name__" ? doc.name : plain(doc.fields[path]));

const compare = (a: unknown, b: unknown): number => {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  return (a as number | string) < (b as number | string) ? -1 : 1;
};

const OPS: Record<string, (c: number) => boolean> = {
  EQUAL: (c) => c === 0,
  NOT_EQUAL: (c) => c !== 0,
  LESS_THAN: (c) => c < 0,
  LESS_THAN_OR_EQUAL: (c) => c <= 0,
  GREATER_THAN: (c) => c > 0,
  GREATER_THAN_OR_EQUAL: (c) => c >= 0,
};

/** Throws on an operator the simulator does not know (the server answers 400 INVALID_ARGUMENT). */
const matches = (doc: WireDocument, f: Filter): boolean => {
  if (f.fieldFilter) {
    const op = OPS[f.fieldFilter.op];
    if (!op) throw new Error(`unsupported field filter op ${f.fieldFilter.op}`);
    const actual = fieldOf(doc, f.fieldFilter.field.fieldPath);
    return actual !== undefined && op(compare(actual, plain(f.fieldFilter.value)));
  }
  if (f.compositeFilter) {
    if (f.compositeFilter.op !== "AND") throw new Error(`unsupported composite filter op ${f.compositeFilter.op}`);
    return f.compositeFilter.filters.every((g) => matches(doc, g));
  }
  return true;
};

/** Values that an EQUAL filter on `fieldPath` pins in the top-level AND of the query. */
export const pinnedValues = (where: Filter | undefined, fieldPath: string): unknown[] => {
  if (!where) return [];
  if (where.fieldFilter) {
    const ff = where.fieldFilter;
    return ff.op === "EQUAL" && ff.field.fieldPath === fieldPath ? [plain(ff.value)] : [];
  }
  if (where.compositeFilter?.op === "AND") return where.compositeFilter.filters.flatMap((g) => pinnedValues(g, fieldPath));
  return [];
};

export const runStructuredQuery = (docs: WireDocument[], q: StructuredQuery): WireDocument[] => {
  const orderBy = [...(q.orderBy ?? [])];
  if (!orderBy.some((o) => o.field.fieldPath === "__name__")) orderBy.push({ field: { fieldPath: "__name__" }, direction: "ASCENDING" });
  const sorted = docs
    .filter((d) => (q.where ? matches(d, q.where) : true))
    .sort((a, b) => {
      for (const o of orderBy) {
        const c = compare(fieldOf(a, o.field.fieldPath), fieldOf(b, o.field.fieldPath));
        if (c !== 0) return o.direction === "DESCENDING" ? -c : c;
      }
      return 0;
    });
  const limit = q.limit === undefined ? undefined : typeof q.limit === "number" ? q.limit : q.limit.value;
  return limit === undefined ? sorted : sorted.slice(0, limit);
};
