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
