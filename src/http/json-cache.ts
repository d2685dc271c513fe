import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { ServerResponse } from "node:http";
import type { ReadRequest } from "./fast-path";

/**
 * A JSON answer serialised once and sent as is to every request that asks for it, with an ETag
 * so a client that already has it gets a 304. The hot routes (`/api/probes`, `/api/history`)
 * answer from these, so a request costs a header check and one socket write.
 */
export interface JsonEntry {
  readonly body: Buffer;
  readonly etag: string;
  /** The body gzipped, made on the first request that accepts it (large bodies only). */
  gzip?: Buffer;
}

/** Below this, gzip saves too little to be worth a header and a compression. */
export const GZIP_MIN_BYTES = 4096;

/** Per process, so an ETag from before a restart never matches an answer of this one. */
const BOOT = randomBytes(4).toString("hex");
let seq = 0;

/** An entry for a JSON body already encoded (a fresh ETag each time). */
export const entryFromBody = (body: Buffer): JsonEntry => ({
  body,
  // Weak: the same answer goes out plain or gzipped (RFC 9110 §8.8.1).
  etag: `W/"${BOOT}-${(++seq).toString(36)}"`,
});

export const toJsonEntry = (value: unknown): JsonEntry => entryFromBody(Buffer.from(JSON.stringify(value), "utf8"));

/** `If-None-Match: "a", W/"b"` contains the entry's tag (weak comparison, as RFC 9110 asks for GET). */
const opaque = (tag: string): string => (tag.startsWith("W/") ? tag.slice(2) : tag);
const matches = (header: string | undefined, etag: string): boolean => {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => opaque(tag.trim()) === opaque(etag));
};

/** `Accept-Encoding` lists gzip without `q=0`. */
export const acceptsGzip = (header: string | undefined): boolean =>
  header !== undefined && header.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding?.trim() !== "gzip") return false;
    return !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
  });

/**
 * Writes the entry (or a 304). `Cache-Control: no-cache`: the browser may keep the answer but
 * must ask again each time, which is what makes the ETag useful.
 */
export const sendJsonEntry = (req: Pick<ReadRequest, "method" | "headers">, res: ServerResponse, entry: JsonEntry): void => {
  res.setHeader("Cache-Control", "no-cache");
  res.setHeader("ETag", entry.etag);
  if (matches(req.headers["if-none-match"], entry.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  let body = entry.body;
  if (body.length >= GZIP_MIN_BYTES) {
    res.setHeader("Vary", "Accept-Encoding");
    if (acceptsGzip(req.headers["accept-encoding"])) {
      // Once per entry: a 240 KB history answer is ~40 KB gzipped, worth it through ingress.
      body = entry.gzip ??= gzipSync(entry.body, { level: 6 });
      res.setHeader("Content-Encoding", "gzip");
    }
  }
  res.setHeader("Content-Length", body.length);
  res.end(req.method === "HEAD" ? undefined : body);
};
