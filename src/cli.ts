/**
 * Process entry (bundled as dist/main.js): load the config, start, stop cleanly on SIGTERM.
 * Invalid options: every problem as `path: message` on stderr, exit code 1, nothing started.
 */
// First: V8 settings that must apply before other modules allocate.
import "./v8-flags";
import { loadConfig } from "./config";
import { startGrillStats } from "./main";
import { ConfigError, createLogger, errorMessage, startupFailureText } from "./shared";

const main = async (): Promise<void> => {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Grill Stats cannot start: the options are invalid.\n${err.issues.join("\n")}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  const service = await startGrillStats(config, { logger });
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) return;
    signalled = true;
    logger.info(`received ${signal}`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error("stop failed", { error: errorMessage(err) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
};

main().catch((err: unknown) => {
  process.stderr.write(`Grill Stats failed to start: ${startupFailureText(err)}\n`);
  process.exit(1);
});
