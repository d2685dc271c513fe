/**
 * One HTTP exchange with a cloud host: node:http/node:https `request` with a timeout, JSON
 * decoding that never throws, error classification into UpstreamError, and a count of requests
 * for the last hour.
 *
 * Not global fetch: its first call loads Node's bundled undici, ~13 MB of resident memory for a
 * service that sends a dozen small requests every few seconds (a Raspberry Pi budget). Keep-alive
 * agents reuse the TLS connections between polls as fetch would.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { UpstreamError, type Clock } from "../shared";
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
}

export interface Http {
  send(req: HttpRequest): Promise<HttpResult>;
  requestsLastHour(): number;
}

const HOUR_MS = 3_600_000;
/** Idle keep-alive sockets are closed after this long (polls come every ≥ 5 s). */
const KEEP_ALIVE_IDLE_MS = 30_000;

const headersOf = (raw: IncomingHttpHeaders): HttpHeaders => ({
  get(name) {
    const v = raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(", ") : v;
  },
});

class TimeoutError extends Error {
  override name = "TimeoutError";
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export const createHttp = (deps: { timeoutMs: number; clock: Clock }): Http => {
  const sentAtMs: number[] = [];
  const agentOpts = { keepAlive: true, timeout: KEEP_ALIVE_IDLE_MS, maxSockets: 4 };
  const httpAgent = new HttpAgent(agentOpts);
  const httpsAgent = new HttpsAgent(agentOpts);
  const prune = (): void => {
    const cutoff = deps.clock.now() - HOUR_MS;
    let drop = 0;
    while (drop < sentAtMs.length && (sentAtMs[drop] ?? 0) <= cutoff) drop++;
    if (drop > 0) sentAtMs.splice(0, drop);
  };

  /** The whole exchange (headers and body) must finish within timeoutMs, as fetch + AbortSignal.timeout. */
  const exchange = (req: HttpRequest): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(req.url);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const secure = url.protocol === "https:";
      if (!secure && url.protocol !== "http:") {
        reject(new Error(`unsupported protocol ${url.protocol}`));
        return;
      }
      const body = req.body === undefined ? undefined : Buffer.from(req.body, "utf8");
      const headers: Record<string, string> = { ...req.headers };
      if (body !== undefined) headers["content-length"] = String(body.length);
      const options = { method: req.method, headers, agent: secure ? httpsAgent : httpAgent };
      let settled = false;
      let res: IncomingMessage | undefined;
      const finish = (err: Error | null, value?: RawResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else if (value) resolve(value);
      };
      const cr = secure ? httpsRequest(url, options) : httpRequest(url, options);
      const timer = setTimeout(() => {
        const err = new TimeoutError(`no answer within ${deps.timeoutMs} ms`);
        finish(err);
        cr.destroy(err);
        res?.destroy(err);
      }, deps.timeoutMs);
      cr.on("error", (err) => finish(err));
      cr.on("response", (incoming) => {
        res = incoming;
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", (err) => finish(err));
        incoming.on("aborted", () => finish(new Error("the connection closed before the whole answer arrived")));
        incoming.on("end", () => finish(null, { status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString("utf8") }));
      });
      cr.end(body);
    });

  return {
    async send(req) {
      sentAtMs.push(deps.clock.now());
      prune();
      let raw: RawResponse;
      try {
        raw = await exchange(req);
      } catch (err) {
        const timedOut = err instanceof TimeoutError;
        const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
        const message = timedOut ? `${req.what}: no answer within ${deps.timeoutMs} ms` : `${req.what}: network error (${err instanceof Error ? err.message : String(err)}${cause})`;
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
/** The `error.message` (or `error.status`) of a Google error envelope, if the body is one. */
export const googleErrorMessage = (res: HttpResult): string | null => {
  const env = errorEnvelopeSchema.safeParse(res.json);
  if (!env.success) return null;
  return env.data.error.message ?? env.data.error.status ?? null;
};

export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** A non-2xx answer as an UpstreamError: retryable for 408/429/5xx, with Retry-After when given. */
export const toUpstreamError = (res: HttpResult, what: string, nowMs: number): UpstreamError => {
  const detail = googleErrorMessage(res) ?? (res.text.slice(0, 120).trim() || "no body");
  return new UpstreamError(`${what}: HTTP ${res.status} (${detail})`, isRetryableStatus(res.status), res.status, {
    retryAfterMs: parseRetryAfterMs(res.headers.get("retry-after"), nowMs),
  });
};
