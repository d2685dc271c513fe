import type { Request } from "express";
import { z } from "zod";
import { BadRequestError, NotFoundError, UNSHOWN, UNSHOWN_KEEPING_LINES, type Store } from "../shared";
import { parseWith } from "./errors";

/** A query value that must be a whole number (epoch ms, a count …). */
export const wholeNumber = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,16}$/, `must be a whole number (${what})`)
    .transform(Number);

/** Latest time a Date can hold (±8.64e15 ms, about the year 275760). */
const MAX_EPOCH_MS = 8.64e15;
/** A time in epoch milliseconds: a whole number from 0 (1970) to what a Date can hold. */
export const epochMs = () =>
  wholeNumber("epoch milliseconds").pipe(
    z.number().min(0, "must be epoch milliseconds, not before 1970").max(MAX_EPOCH_MS, "must be epoch milliseconds a date can hold"),
  );

/**
 * Text a person typed, as shown: control characters (but line breaks and tabs where `multiline`)
 * and the bidi overrides that would turn the rest of a line around are taken out, then trimmed,
 * so a name of only "\u0000" or "\u202e" counts as empty.
 */
export const typedText = (opts: { multiline?: boolean } = {}) =>
  z.string().transform((v) => v.replace(opts.multiline ? UNSHOWN_KEEPING_LINES : UNSHOWN, "").trim());

/** °C bounds every temperature setting must respect. */
export const TEMP_MIN_C = -20;
export const TEMP_MAX_C = 400;
export const tempC = z
  .number({ error: "must be a number in °C or null" })
  .min(TEMP_MIN_C, `must be at least ${TEMP_MIN_C} °C`)
  .max(TEMP_MAX_C, `must be at most ${TEMP_MAX_C} °C`);

export const idParam = z.string().regex(/^\d{1,12}$/, "must be a positive whole number").transform(Number);

/** Parses a JSON body; an absent body (no JSON content type) gets a clear message. */
export const parseBody = <S extends z.ZodType>(schema: S, req: Request): z.infer<S> => {
  if (req.body === undefined) throw new BadRequestError("Send a JSON object with Content-Type: application/json");
  return parseWith(schema, req.body, "body");
};

export const parseQuery = <S extends z.ZodType>(schema: S, req: { query: unknown }): z.infer<S> => parseWith(schema, req.query, "query");

export const parseParams = <S extends z.ZodType>(schema: S, req: Request): z.infer<S> => parseWith(schema, req.params, "path");

/** Every probe id the store knows (probes that ever reported). */
export const knownProbeIds = (store: Store, extra: Iterable<string> = []): Set<string> => {
  const ids = new Set(store.listProbes().map((p) => p.id));
  for (const id of extra) ids.add(id);
  return ids;
};

export const requireProbe = (known: Set<string>, id: string): void => {
  if (!known.has(id)) throw new NotFoundError(`Unknown probe "${id}"`);
};
