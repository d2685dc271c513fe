/**
 * The HTTP load generator of the api benchmark, in a process of its own: autocannon keeps every
 * response body as a string, and in the bench process (which has just built and queried a
 * 1.9 M-row database) its garbage collection ran several times slower, so the same service
 * measured 11 or 34 ms from run to run. Here it starts with an empty heap every time.
 *
 * argv[2]: JSON `LoadSpec`. Prints one JSON `LoadReply` line on stdout.
 */
import autocannon from "autocannon";

export interface LoadSpec {
  durationS: number;
  /** Run together, each with its own connections. */
  loads: Array<{ url: string; connections: number; headers?: Record<string, string> }>;
}

export interface LoadResult {
  /** Milliseconds of every completed response. */
  latencies: number[];
  errors: number;
  timeouts: number;
  non2xx: number;
}

export interface LoadReply {
  results: LoadResult[];
  /** CPU seconds this process used during the load, per second of load. */
  cpuPerSecond: number;
}

const run = (url: string, connections: number, durationS: number, headers: Record<string, string>): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon({ url, connections, duration: durationS, timeout: 10, headers }, (err, r) =>
      err ? reject(err as Error) : resolve({ latencies, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx }),
    );
    instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });

const spec = JSON.parse(process.argv[2] ?? "") as LoadSpec;
const before = process.cpuUsage();
const results = await Promise.all(spec.loads.map((l) => run(l.url, l.connections, spec.durationS, l.headers ?? {})));
const used = process.cpuUsage(before);
const reply: LoadReply = { results, cpuPerSecond: (used.user + used.system) / 1e6 / spec.durationS };
process.stdout.write(`${JSON.stringify(reply)}\n`);
