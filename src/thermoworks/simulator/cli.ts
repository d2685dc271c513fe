/**
 * Standalone ThermoWorks Cloud simulator:
 *   npm run simulator -- --port 8765 --speed 60 [--seed 1] [--host 127.0.0.1] [--token-ttl 3600]
 * Prints the URL and the demo credentials; stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startSimulator } from "./index";

const fail = (message: string): never => {
  process.stderr.write(`simulator: ${message}\n`);
  process.exit(2);
};

const num = (name: string, raw: string | undefined, fallback: number, min: number): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) fail(`--${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
};

const main = async (): Promise<void> => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        speed: { type: "string" },
        seed: { type: "string" },
        "token-ttl": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write("usage: npm run simulator -- [--port N] [--host H] [--speed X] [--seed S] [--token-ttl SEC]\n");
    return;
  }
  const str = (k: string): string | undefined => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const sim = await startSimulator({
    port: num("port", str("port"), 8765, 0),
    host: str("host") ?? "127.0.0.1",
    speed: num("speed", str("speed"), 1, 0),
    seed: num("seed", str("seed"), 1, 0),
    tokenTtlSec: num("token-ttl", str("token-ttl"), 3600, 1),
  });
  const lines = [
    `ThermoWorks Cloud simulator listening on ${sim.url}`,
    `  speed: ${str("speed") ?? "1"} simulated s per real s`,
    `  demo login: ${sim.credentials.email} / ${sim.credentials.password}`,
    `  point Grill Stats at it: GRILL_STATS_TW_IDENTITY_URL=${sim.url} GRILL_STATS_TW_TOKEN_URL=${sim.url} GRILL_STATS_TW_FIRESTORE_URL=${sim.url}`,
    `  faults: POST ${sim.url}/__control/<action> (GET ${sim.url}/__control/state)`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the simulator\n`);
    sim.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`simulator did not stop cleanly: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
};

main().catch((err: unknown) => {
  fail(err instanceof Error ? err.message : String(err));
});
