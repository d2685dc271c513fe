/**
 * `/api/health` must never leak a secret, whatever main hands us: values under secret-looking
 * keys are replaced, and credentials embedded in URLs are masked.
 */
import { maskUrlCredentials } from "../shared";

const SECRET_KEY = /pass(word|wd|phrase)?|token|secret|authorization|api[_-]?key|refresh|credential|cookie|private[_-]?key|session/i;
const MAX_DEPTH = 8;

const isKept = (value: unknown): boolean => value === null || value === undefined || typeof value === "boolean";

/** A deep copy of `value` without secrets (JSON-safe: functions dropped, depth capped). */
export const redactSecrets = (value: unknown, depth = 0): unknown => {
  if (typeof value === "string") return maskUrlCredentials(value);
  if (value === null || typeof value !== "object") return typeof value === "function" ? undefined : value;
  if (depth >= MAX_DEPTH) return "…";
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === "function") continue;
    out[key] = SECRET_KEY.test(key) && !isKept(v) ? "***" : redactSecrets(v, depth + 1);
  }
  return out;
};
