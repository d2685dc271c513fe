/**
 * One leveled logger writing single lines to stdout (the Supervisor collects them).
 * Fields whose key looks like a secret are redacted; so are values registered with `addSecret`.
 */
import { SecretSet } from "./secrets";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";
const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };
const SECRET_KEY = /pass(word)?|token|secret|authorization|api[_-]?key|refresh/i;

export interface Logger {
  trace(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
}

export interface LogSink {
  write(line: string): void;
}

interface LoggerState {
  level: LogLevel;
  sink: LogSink;
  secrets: SecretSet;
}

const redact = (value: unknown, secrets: SecretSet, depth = 0): unknown => {
  if (typeof value === "string") return secrets.redact(value);
  if (value instanceof Error) return secrets.redact(value.message);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== "" ? "***" : redact(v, secrets, depth + 1);
  }
  return out;
};

class LineLogger implements Logger {
  constructor(
    private readonly state: LoggerState,
    private readonly name: string,
  ) {}

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.state.level]) return;
    const time = new Date().toISOString();
    const extra = fields && Object.keys(fields).length > 0 ? " " + JSON.stringify(redact(fields, this.state.secrets)) : "";
    this.state.sink.write(`${time} ${level.toUpperCase().padEnd(5)} [${this.name}] ${this.state.secrets.redact(msg)}${extra}\n`);
  }
  trace(msg: string, f?: Record<string, unknown>): void { this.log("trace", msg, f); }
  debug(msg: string, f?: Record<string, unknown>): void { this.log("debug", msg, f); }
  info(msg: string, f?: Record<string, unknown>): void { this.log("info", msg, f); }
  warn(msg: string, f?: Record<string, unknown>): void { this.log("warn", msg, f); }
  error(msg: string, f?: Record<string, unknown>): void { this.log("error", msg, f); }
  child(name: string): Logger {
    return new LineLogger(this.state, `${this.name}/${name}`);
  }
}

export interface RootLogger extends Logger {
  setLevel(level: LogLevel): void;
  /** Any string registered here is replaced by *** wherever it would be logged. */
  addSecret(secret: string | null | undefined): void;
}

export const createLogger = (opts: { level?: LogLevel; sink?: LogSink; name?: string } = {}): RootLogger => {
  const state: LoggerState = {
    level: opts.level ?? "info",
    sink: opts.sink ?? { write: (line) => process.stdout.write(line) },
    secrets: new SecretSet(),
  };
  const root = new LineLogger(state, opts.name ?? "grill-stats") as LineLogger & RootLogger;
  root.setLevel = (level) => { state.level = level; };
  root.addSecret = (secret) => state.secrets.add(secret);
  return root;
};

/** A logger that keeps lines in memory: for tests that check what was logged. */
export const createMemoryLogger = (level: LogLevel = "debug"): RootLogger & { lines: string[] } => {
  const lines: string[] = [];
  const logger = createLogger({ level, sink: { write: (l) => lines.push(l) } });
  return Object.assign(logger, { lines });
};
