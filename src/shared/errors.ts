export type ErrorCode =
  | "config_invalid"
  | "bad_request"
  | "not_found"
  | "conflict"
  | "upstream"
  | "auth_failed"
  | "unavailable"
  | "internal";

/** Base error with a stable `code` and a message written for the person reading the log. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ConfigError extends AppError {
  constructor(readonly issues: string[]) {
    super("config_invalid", issues.join("\n"));
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("bad_request", message, options);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super("not_found", message);
  }
}

/** The request is valid but the thing is not in a state it applies to (409). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super("conflict", message);
  }
}

/** A failure of something outside us (cloud, Home Assistant). `retryable` drives back-off. */
export class UpstreamError extends AppError {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    options?: { cause?: unknown; retryAfterMs?: number | null },
  ) {
    super("upstream", message, options);
    this.retryAfterMs = options?.retryAfterMs ?? null;
  }
  readonly retryAfterMs: number | null;
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** An error of SQLite itself (better-sqlite3 names its result code: SQLITE_FULL, SQLITE_BUSY …), not of the caller's value. */
export const isDatabaseError = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_");
};

/**
 * The system's code of an error (ENOTDIR, SQLITE_NOTADB …), also under our own wrapper ("Cannot
 * open the database …" keeps the system's error as its cause); "" when there is none.
 */
export const systemErrorCode = (err: unknown): string => {
  const codeOf = (e: unknown): unknown => (e as { code?: unknown } | null)?.code;
  const code = err instanceof AppError ? codeOf(err.cause) : codeOf(err);
  return typeof code === "string" ? code : "";
};

/**
 * Why the start failed, for the add-on log: a cause the user can act on as one line with what to
 * do; anything else with its stack, which is what a bug report needs.
 */
export const startupFailureText = (err: unknown): string => {
  const code = systemErrorCode(err);
  const message = errorMessage(err);
  if (code === "EADDRINUSE") return `${message}: another program (or a second Grill Stats) uses that port; stop it or set GRILL_STATS_PORT`;
  if (code === "EACCES") return `${message}: not allowed; pick a port above 1024 with GRILL_STATS_PORT, or check the folder's permissions`;
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") return `${message}: the database file is damaged; restore a backup of the data folder, or move grill-stats.db away to start a new one`;
  if (code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY") return `${message}: check that the data folder (GRILL_STATS_DATA_DIR) exists and is writable`;
  // The data folder (or a folder on its path) is a file, or not a folder we may create.
  if (code === "EEXIST" || code === "ENOTDIR") return `${message}: GRILL_STATS_DATA_DIR must name a folder, and something on that path is a file`;
  // Our own errors are written to be read; a stack only helps with somebody else's.
  if (err instanceof AppError) return message;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
};
