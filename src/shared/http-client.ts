/**
 * One HTTP exchange over node:http / node:https with a whole-exchange timeout, for the two
 * clients of the service: the ThermoWorks cloud client and the Home Assistant state poster.
 *
 * Not global fetch: its first call loads Node's bundled undici, ~8–13 MB of resident memory for a
 * service that sends a few small requests every few seconds (a Raspberry Pi budget). Keep-alive
 * agents reuse connections between requests as fetch would.
 *
 * Every answer is read up to a cap: a broken or hostile endpoint streaming gigabytes would
 * otherwise be held in memory whole before the timeout ends it.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface RawHttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the exchange (shutdown); the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  /** This request's cap on the answer's body, instead of the client's. */
  maxBodyBytes?: number;
}

export interface RawHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** The exchange did not finish within the client's timeout. */
export class HttpTimeoutError extends Error {
  override name = "TimeoutError";
}

/** The answer's body is (or says it will be) longer than the cap; the connection was dropped unread. */
export class HttpBodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${formatBytes(limitBytes)}`);
  }
}

/** "8 MB", "64 KB", "900 bytes" (binary multiples, as the caps are written). */
export const formatBytes = (n: number): string =>
  n >= 1 << 20 && n % (1 << 20) === 0 ? `${n / (1 << 20)} MB` : n >= 1024 && n % 1024 === 0 ? `${n / 1024} KB` : `${n} bytes`;

/** A client's cap on an answer's body when it names none. */
export const DEFAULT_MAX_BODY_BYTES = 1 << 20;

export interface HttpClient {
  /** Resolves with any status; rejects on network errors, the timeout and an abort. */
  exchange(req: RawHttpRequest): Promise<RawHttpResponse>;
  /** Closes the idle keep-alive sockets. */
  close(): void;
}

/** Idle keep-alive sockets are closed after this long. */
const KEEP_ALIVE_IDLE_MS = 30_000;

export const createHttpClient = (opts: { timeoutMs: number; maxSockets?: number; maxBodyBytes?: number }): HttpClient => {
  const agentOpts = { keepAlive: true, timeout: KEEP_ALIVE_IDLE_MS, maxSockets: opts.maxSockets ?? 4 };
  const httpAgent = new HttpAgent(agentOpts);
  const httpsAgent = new HttpsAgent(agentOpts);

  const exchange = (req: RawHttpRequest): Promise<RawHttpResponse> =>
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
      if (req.signal?.aborted) {
        reject(new DOMException("the request was aborted", "AbortError"));
        return;
      }
      const body = req.body === undefined ? undefined : Buffer.from(req.body, "utf8");
      const headers: Record<string, string> = { ...req.headers };
      if (body !== undefined) headers["content-length"] = String(body.length);
      const options = { method: req.method, headers, agent: secure ? httpsAgent : httpAgent };
      let settled = false;
      let res: IncomingMessage | undefined;
      const cr = secure ? httpsRequest(url, options) : httpRequest(url, options);
      const abort = (err: Error): void => {
        finish(err);
        cr.destroy(err);
        res?.destroy(err);
      };
      const onAbort = (): void => abort(new DOMException("the request was aborted", "AbortError"));
      const timer = setTimeout(() => abort(new HttpTimeoutError(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      function finish(err: Error | null, value?: RawHttpResponse): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else if (value) resolve(value);
      }
      req.signal?.addEventListener("abort", onAbort, { once: true });
      cr.on("error", (err) => finish(err));
      const maxBodyBytes = req.maxBodyBytes ?? opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      cr.on("response", (incoming) => {
        res = incoming;
        // A Content-Length over the cap is refused before a byte is read; a chunked answer when it passes it.
        if (Number(incoming.headers["content-length"] ?? 0) > maxBodyBytes) return abort(new HttpBodyTooLargeError(maxBodyBytes));
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) abort(new HttpBodyTooLargeError(maxBodyBytes));
          else chunks.push(chunk);
        });
        incoming.on("error", (err) => finish(err));
        incoming.on("aborted", () => finish(new Error("the connection closed before the whole answer arrived")));
        incoming.on("end", () => finish(null, { status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString("utf8") }));
      });
      cr.end(body);
    });

  return {
    exchange,
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
};
