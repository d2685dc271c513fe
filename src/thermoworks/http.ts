/**
 * One HTTP exchange with a cloud host (node:http/node:https with a timeout, see
 * shared/http-client), JSON decoding that never throws, error classification into UpstreamError,
 * and a count of requests for the last hour.
 */
import type { IncomingHttpHeaders } from "node:http";
import { UpstreamError, type Clock } from "../shared";
import { createHttpClient, HttpBodyTooLargeError, HttpTimeoutError, type RawHttpResponse } from "../shared/http-client";
import { parseRetryAfterMs } from "./backoff";
import { errorEnvelopeSchema } from "./schemas";

/** Read access to response headers (names case-insensitive), as `Headers.get`. */
export interface HttpHeaders {
  get(name: string): string | null;
}

export interface HttpResult {
  status: number;
  headers: HttpHeaders;
  /** Parsed body, or undefined when the body was empty or not JSON (then `text` has it). */
  json: unknown;
  jsonError: string | null;
  text: string;
}

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What this request is, for error messages ("sign-in", "channel 3 of …"). Never contains secrets. */
  what: string;
  /** Cap on the answer's body (default FIRESTORE_MAX_BODY_BYTES). */
  maxBodyBytes?: number;
}

export interface Http {
  send(req: HttpRequest): Promise<HttpResult>;
  requestsLastHour(): number;
}

const HOUR_MS = 3_600_000;

/**
 * Cap on a Firestore answer. A document is at most 1 MiB (Firestore's limit) and a snapshot reads
 * one at a time but for the runQuery of the account's devices: room for several whole ones.
 */
export const FIRESTORE_MAX_BODY_BYTES = 8 << 20;
/** Cap on a sign-in, token refresh or webConfig answer: a few tokens and names, a few KB. */
export const AUTH_MAX_BODY_BYTES = 64 << 10;

const headersOf = (raw: IncomingHttpHeaders): HttpHeaders => ({
  get(name) {
    const v = raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(", ") : v;
  },
});

export const createHttp = (deps: { timeoutMs: number; clock: Clock }): Http => {
  const sentAtMs: number[] = [];
  const client = createHttpClient({ timeoutMs: deps.timeoutMs, maxBodyBytes: FIRESTORE_MAX_BODY_BYTES });
  const prune = (): void => {
    const cutoff = deps.clock.now() - HOUR_MS;
    let drop = 0;
    while (drop < sentAtMs.length && (sentAtMs[drop] ?? 0) <= cutoff) drop++;
    if (drop > 0) sentAtMs.splice(0, drop);
  };

  return {
    async send(req) {
      sentAtMs.push(deps.clock.now());
      prune();
      let raw: RawHttpResponse;
      try {
        raw = await client.exchange(req);
      } catch (err) {
        const timedOut = err instanceof HttpTimeoutError;
        const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
        const message = timedOut
          ? `${req.what}: no answer within ${deps.timeoutMs} ms`
          : err instanceof HttpBodyTooLargeError
            ? `${req.what}: ${err.message}; not read`
            : `${req.what}: network error (${err instanceof Error ? err.message : String(err)}${cause})`;
        throw new UpstreamError(message, true, null, { cause: err });
      }
      const { text } = raw;
      let json: unknown;
      let jsonError: string | null = null;
      if (text.trim() !== "") {
        try {
          json = JSON.parse(text) as unknown;
        } catch (err) {
          jsonError = err instanceof Error ? err.message : String(err);
        }
      }
      return { status: raw.status, headers: headersOf(raw.headers), json, jsonError, text };
    },
    requestsLastHour() {
      prune();
      return sentAtMs.length;
    },
  };
};
/** Longest error text quoted from an answer: enough for Google's reasons, not for a page. */
const MAX_QUOTED = 120;

/** Scrubs secrets from a text (the client's SecretSet). Applied before any cut, so a cut cannot split a secret past recognition. */
export interface Redactor {
  redact(text: string): string;
}
const NO_SECRETS: Redactor = { redact: (text) => text };

/** The `error.message` (or `error.status`) of a Google error envelope, if the body is one, without secrets. */
export const googleErrorMessage = (res: HttpResult, secrets: Redactor = NO_SECRETS): string | null => {
  const env = errorEnvelopeSchema.safeParse(res.json);
  if (!env.success) return null;
  const message = env.data.error.message ?? env.data.error.status ?? null;
  return message === null ? null : secrets.redact(message).slice(0, MAX_QUOTED);
};

export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/**
 * A non-2xx answer as an UpstreamError: retryable for 408/429/5xx, with Retry-After when given.
 * The detail is the Google envelope's message, else the start of the body, unless `quoteBody`
 * is false: the auth endpoints' requests carry the password and the refresh token, and a
 * failing proxy or backend that echoes the request would put them in the message. Either way
 * `secrets` are scrubbed from it.
 */
export const toUpstreamError = (res: HttpResult, what: string, nowMs: number, opts: { quoteBody?: boolean; secrets?: Redactor } = {}): UpstreamError => {
  const secrets = opts.secrets ?? NO_SECRETS;
  const quoted = opts.quoteBody === false ? "" : secrets.redact(res.text).slice(0, MAX_QUOTED).trim();
  const detail = googleErrorMessage(res, secrets) ?? (quoted || (res.text.trim() === "" ? "no body" : "no Google error message"));
  return new UpstreamError(`${what}: HTTP ${res.status} (${detail})`, isRetryableStatus(res.status), res.status, {
    retryAfterMs: parseRetryAfterMs(res.headers.get("retry-after"), nowMs),
  });
};
