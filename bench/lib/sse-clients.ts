/**
 * Many `/api/stream` clients on raw node:http sockets (one socket each, kept open). Each
 * records the wall-clock time (Date.now(), comparable with the service process) at which the
 * first `reading` event arrived after `arm()`.
 */
import { get, type ClientRequest, type IncomingMessage } from "node:http";

export interface SseClients {
  /** Clears every client's arrival time; the next reading event sets it. */
  arm(): void;
  /** Arrival times of the clients that got a reading since arm() (null = not yet). */
  arrivals(): Array<number | null>;
  close(): void;
}

export const openSseClients = async (url: string, count: number, timeoutMs = 20_000): Promise<SseClients> => {
  const arrivals: Array<number | null> = new Array<number | null>(count).fill(null);
  const armed: boolean[] = new Array<boolean>(count).fill(false);
  const requests: ClientRequest[] = [];
  const responses: IncomingMessage[] = [];
  let snapshots = 0;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${snapshots} of ${count} stream clients got their snapshot within ${timeoutMs} ms`)), timeoutMs);
    for (let i = 0; i < count; i++) {
      const req = get(`${url}/api/stream`, { agent: false, headers: { accept: "text/event-stream" } }, (res) => {
        responses.push(res);
        if (res.statusCode !== 200) {
          clearTimeout(timer);
          reject(new Error(`stream client ${i} got HTTP ${res.statusCode}`));
          return;
        }
        let gotSnapshot = false;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (!gotSnapshot && chunk.includes("event: snapshot")) {
            gotSnapshot = true;
            if (++snapshots === count) {
              clearTimeout(timer);
              resolve();
            }
          }
          if (armed[i] && chunk.includes("event: reading")) {
            arrivals[i] = Date.now();
            armed[i] = false;
          }
        });
      });
      req.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      requests.push(req);
    }
  });
  const close = (): void => {
    for (const r of responses) r.destroy();
    for (const r of requests) r.destroy();
  };
  try {
    await ready;
  } catch (err) {
    close();
    throw err;
  }
  return {
    arm: () => {
      arrivals.fill(null);
      armed.fill(true);
    },
    arrivals: () => [...arrivals],
    close,
  };
};
