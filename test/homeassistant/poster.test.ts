import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AUTH_REJECTED_RETRY_MS, createStatePoster, STATE_ANSWER_MAX_BYTES, type StatePoster } from "../../src/homeassistant/poster";
import { systemClock } from "../../src/shared";
import { createMemoryLogger } from "../../src/shared/logger";
import { createHttpClient, HttpBodyTooLargeError, HttpTimeoutError } from "../../src/shared/http-client";
import { delay, waitUntil } from "../support/ha-wait";

interface Received {
  path: string;
  auth: string | undefined;
  body: unknown;
}

/** A loopback server standing in for `POST /api/states/<id>`, answering as `answer` says. */
const startRest = async (answer: (req: IncomingMessage, res: ServerResponse) => void) => {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", auth: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** Answers 200 with `bytes` of junk in 64 KB pieces as fast as the client reads (a Content-Length only if `declare`). */
const streamJunk = (res: ServerResponse, bytes: number, declare = false): void => {
  res.writeHead(200, { "content-type": "application/json", ...(declare ? { "content-length": String(bytes) } : {}) });
  const piece = Buffer.alloc(64 * 1024, "x");
  let left = bytes;
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const chunk = left >= piece.length ? piece : piece.subarray(0, left);
      left -= chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
};

const entity = (state: string) => ({ entityId: "sensor.grill_stats_x_1_temperature", state, attributes: { unit_of_measurement: "°C" } });

describe("state poster (node:http, no fetch)", () => {
  let rest: Awaited<ReturnType<typeof startRest>> | null = null;
  let poster: StatePoster | null = null;
  afterEach(async () => {
    poster?.stop();
    poster = null;
    await rest?.close();
    rest = null;
  });

  it("posts the state with the token, and does not re-send an unchanged one", async () => {
    rest = await startRest((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
    const logger = createMemoryLogger("debug");
    poster = createStatePoster({ url: `${rest.url}/`, token: "tok-123", logger, clock: systemClock });
    poster.post(entity("71.4"));
    await waitUntil(() => poster?.lastPostMs() !== null, "posted");
    expect(rest.received).toEqual([{ path: "/api/states/sensor.grill_stats_x_1_temperature", auth: "Bearer tok-123", body: { state: "71.4", attributes: { unit_of_measurement: "°C" } } }]);
    poster.post(entity("71.4"));
    poster.post(entity("71.6"));
    await waitUntil(() => rest!.received.length === 2 && poster!.pending() === 0, "second post");
    expect((rest.received[1]?.body as { state: string }).state).toBe("71.6");
    expect(logger.lines.join("\n")).not.toContain("tok-123");
  });

  it("does not send again what is on its way, but does send what differs from it", async () => {
    const answers: Array<() => void> = [];
    rest = await startRest((_req, res) => answers.push(() => res.writeHead(200, { "content-type": "application/json" }).end("{}")));
    poster = createStatePoster({ url: rest.url, token: "t", logger: createMemoryLogger(), clock: systemClock });
    const states = () => rest!.received.map((r) => (r.body as { state: string }).state);
    poster.post(entity("71.4"));
    await waitUntil(() => answers.length === 1, "first request arrived");
    // The same state again while the first is unanswered: nothing more to send.
    poster.post(entity("71.4"));
    answers.shift()?.();
    await waitUntil(() => poster!.pending() === 0, "answered");
    await delay(50);
    expect(states()).toEqual(["71.4"]);
    // Another state while one is on its way goes after it; back to the one Home Assistant has, too.
    poster.post(entity("71.6"));
    await waitUntil(() => answers.length === 1, "second request arrived");
    poster.post(entity("71.4"));
    answers.shift()?.();
    await waitUntil(() => answers.length === 1, "third request arrived");
    answers.shift()?.();
    await waitUntil(() => poster!.pending() === 0, "all answered");
    expect(states()).toEqual(["71.4", "71.6", "71.4"]);
  });

  it("gives up on a silent Home Assistant after the timeout, keeps the newest state and retries it", async () => {
    let hang = true;
    rest = await startRest((_req, res) => {
      if (!hang) res.writeHead(201).end("{}");
    });
    const logger = createMemoryLogger("debug");
    poster = createStatePoster({ url: rest.url, token: "t", logger, clock: systemClock, timeoutMs: 150 });
    poster.post(entity("70"));
    await waitUntil(() => logger.lines.some((l) => l.includes("no answer within 150 ms")), "timeout logged", 3000);
    poster.post(entity("72"));
    hang = false;
    await waitUntil(() => poster?.lastPostMs() !== null && poster?.pending() === 0, "retried", 5000);
    expect((rest.received.at(-1)?.body as { state: string }).state).toBe("72");
    expect(logger.lines.some((l) => l.includes("works again"))).toBe(true);
  });

  it("does not retry a state Home Assistant refuses (400), and retries a rejected token (401)", async () => {
    let status = 400;
    rest = await startRest((_req, res) => res.writeHead(status).end("bad entity"));
    const logger = createMemoryLogger("debug");
    poster = createStatePoster({ url: rest.url, token: "t", logger, clock: systemClock });
    poster.post(entity("1"));
    await waitUntil(() => logger.lines.some((l) => l.includes("refused a state")), "refusal logged");
    expect(poster.pending()).toBe(0);
    status = 401;
    poster.post(entity("2"));
    await waitUntil(() => logger.lines.some((l) => l.includes("the token was rejected (a long-lived token must be an administrator's)")), "401 logged");
    expect(poster.pending()).toBe(1);
  });

  it("cuts off an answer larger than the cap, keeps the state and posts it again once the answers are sane", async () => {
    let junk = true;
    rest = await startRest((_req, res) => (junk ? streamJunk(res, 4 * STATE_ANSWER_MAX_BYTES) : res.writeHead(200).end("{}")));
    const logger = createMemoryLogger("debug");
    poster = createStatePoster({ url: rest.url, token: "tok-456", logger, clock: systemClock });
    poster.post(entity("70"));
    await waitUntil(() => logger.lines.some((l) => l.includes("posting states to Home Assistant failed (the answer is larger than 1 MB)")), "the cut-off logged");
    expect(poster.pending()).toBe(1);
    junk = false;
    await waitUntil(() => logger.lines.some((l) => l.includes("works again")) && poster?.pending() === 0, "posted again", 5000);
    expect(rest.received.map((r) => (r.body as { state: string }).state)).toEqual(["70", "70"]);
    expect(logger.lines.join("\n")).not.toContain("tok-456");
  });

  it("asks again after a rejected token only after minutes (each 401 is a failed login to Home Assistant)", async () => {
    let requests = 0;
    rest = await startRest((_req, res) => {
      requests++;
      res.writeHead(401).end("401: Unauthorized");
    });
    // Real time, and a jump of minutes when the test says so.
    let skippedMs = 0;
    poster = createStatePoster({ url: rest.url, token: "t", logger: createMemoryLogger(), clock: { now: () => Date.now() + skippedMs } });
    poster.post(entity("1"));
    await waitUntil(() => requests === 1, "first post");
    // Other failures are retried after 1, 2, 4 … s; a rejected token is not.
    await delay(1500);
    poster.post(entity("2"));
    await delay(100);
    expect(requests).toBe(1);
    skippedMs += AUTH_REJECTED_RETRY_MS;
    poster.post(entity("3"));
    await waitUntil(() => requests >= 2, "asked again after the pause");
    expect(poster.pending()).toBeGreaterThan(0);
  });
});

describe("http client", () => {
  it("times out the whole exchange, and an abort ends it at once", async () => {
    const rest = await startRest(() => undefined);
    const client = createHttpClient({ timeoutMs: 100 });
    try {
      await expect(client.exchange({ method: "POST", url: `${rest.url}/x`, headers: {}, body: "{}" })).rejects.toBeInstanceOf(HttpTimeoutError);
      const stop = new AbortController();
      const pending = client.exchange({ method: "POST", url: `${rest.url}/y`, headers: {}, body: "{}", signal: stop.signal });
      stop.abort();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
      await expect(client.exchange({ method: "GET", url: "ftp://example.invalid/", headers: {} })).rejects.toThrow("unsupported protocol ftp:");
    } finally {
      client.close();
      await rest.close();
    }
  });

  it("reads an answer up to its cap, and refuses a longer one whether it streams or declares its length", async () => {
    const rest = await startRest((req, res) => streamJunk(res, Number(new URL(req.url ?? "/", "http://x").searchParams.get("bytes")), req.url?.includes("declare") ?? false));
    const client = createHttpClient({ timeoutMs: 10_000, maxBodyBytes: 64 * 1024 });
    const get = (query: string, maxBodyBytes?: number) => client.exchange({ method: "POST", url: `${rest.url}/x?${query}`, headers: {}, body: "{}", maxBodyBytes });
    try {
      expect((await get("bytes=65536")).text).toHaveLength(64 * 1024);
      await expect(get("bytes=8388608")).rejects.toThrow(new HttpBodyTooLargeError(64 * 1024));
      await expect(get("bytes=65537&declare")).rejects.toThrow("the answer is larger than 64 KB");
      // A request's own cap wins over the client's.
      await expect(get("bytes=2048", 1024)).rejects.toThrow("the answer is larger than 1 KB");
      // The client goes on working after a cut-off.
      expect((await get("bytes=10")).text).toBe("xxxxxxxxxx");
    } finally {
      client.close();
      await rest.close();
    }
  });
});
