/**
 * Scripted faults for the simulator. Tests call these as methods; other processes use the
 * `POST /__control/...` endpoints, which map onto the same methods.
 */
export type FaultScope = "all" | "firestore" | "auth";
export type DocTarget = "any" | "user" | "device" | "channel";
export type RequestArea = "webconfig" | "auth" | "firestore";

interface StatusFault {
  remaining: number;
  status: 429 | 503;
  retryAfter: string | null;
  scope: FaultScope;
}

interface DocFault {
  remaining: number;
  target: DocTarget;
}

export interface FaultSnapshot {
  statusFaults: { status: number; remaining: number; retryAfter: string | null; scope: FaultScope }[];
  delayMs: number;
  delayRemaining: number;
  malformedJson: DocFault | null;
  invalidDocument: DocFault | null;
  failRefresh: { remaining: number; status: number; reason: string } | null;
  enumerationProtection: boolean;
}

const toRetryAfter = (v: number | string | null | undefined): string | null =>
  v === null || v === undefined ? null : typeof v === "number" ? String(Math.max(0, Math.round(v))) : v;

export class Faults {
  private statusFaults: StatusFault[] = [];
  private delayMs = 0;
  private delayRemaining = 0;
  private malformed: DocFault | null = null;
  private invalid: DocFault | null = null;
  private refreshFault: { remaining: number; status: number; reason: string } | null = null;
  /** Sign-in answers INVALID_LOGIN_CREDENTIALS instead of EMAIL_NOT_FOUND / INVALID_PASSWORD. */
  enumerationProtection = false;

  constructor(private readonly revoke: () => void) {}

  /** Every token issued so far stops working (401 before its nominal expiry; refresh fails). */
  revokeAllTokens(): void {
    this.revoke();
  }

  /** The next `count` requests answer 429 RESOURCE_EXHAUSTED (Retry-After in seconds, an HTTP date, or none). */
  rateLimit(count: number, opts: { retryAfter?: number | string | null; scope?: FaultScope } = {}): void {
    this.statusFaults.push({ remaining: count, status: 429, retryAfter: toRetryAfter(opts.retryAfter), scope: opts.scope ?? "all" });
  }

  /** The next `count` requests answer 503 UNAVAILABLE. */
  unavailable(count: number, opts: { retryAfter?: number | string | null; scope?: FaultScope } = {}): void {
    this.statusFaults.push({ remaining: count, status: 503, retryAfter: toRetryAfter(opts.retryAfter), scope: opts.scope ?? "all" });
  }

  /** Delay every answer by `ms` (for the next `count` requests; default: until reset). */
  delay(ms: number, count = Number.POSITIVE_INFINITY): void {
    this.delayMs = Math.max(0, ms);
    this.delayRemaining = ms > 0 ? count : 0;
  }

  /** The next `count` single-document GETs (of `target` kind) answer 200 with broken JSON. */
  malformedJson(count: number, target: DocTarget = "any"): void {
    this.malformed = { remaining: count, target };
  }

  /** The next `count` documents of `target` kind are valid JSON but fail the schema (a string temperature). */
  invalidDocument(count: number, target: DocTarget = "channel"): void {
    this.invalid = { remaining: count, target };
  }

  /** The refresh endpoint fails (default: 400 INVALID_REFRESH_TOKEN, until reset). */
  failRefresh(count = Number.POSITIVE_INFINITY, opts: { status?: number; reason?: string } = {}): void {
    this.refreshFault = { remaining: count, status: opts.status ?? 400, reason: opts.reason ?? "INVALID_REFRESH_TOKEN" };
  }

  reset(): void {
    this.statusFaults = [];
    this.delayMs = 0;
    this.delayRemaining = 0;
    this.malformed = null;
    this.invalid = null;
    this.refreshFault = null;
    this.enumerationProtection = false;
  }

  snapshot(): FaultSnapshot {
    return {
      statusFaults: this.statusFaults.map((f) => ({ status: f.status, remaining: f.remaining, retryAfter: f.retryAfter, scope: f.scope })),
      delayMs: this.delayMs,
      delayRemaining: this.delayRemaining,
      malformedJson: this.malformed && { ...this.malformed },
      invalidDocument: this.invalid && { ...this.invalid },
      failRefresh: this.refreshFault && { ...this.refreshFault },
      enumerationProtection: this.enumerationProtection,
    };
  }

  /** @internal Delay to apply to this request, ms. */
  takeDelay(): number {
    if (this.delayRemaining <= 0) return 0;
    this.delayRemaining -= 1;
    return this.delayMs;
  }

  /** @internal A 429/503 to answer instead of this request, if one is armed for its area. */
  takeStatus(area: RequestArea): { status: 429 | 503; retryAfter: string | null } | null {
    const scopeOf = (s: FaultScope): boolean => s === "all" || (s === "auth" ? area !== "firestore" : area === "firestore");
    const fault = this.statusFaults.find((f) => f.remaining > 0 && scopeOf(f.scope));
    if (!fault) return null;
    fault.remaining -= 1;
    this.statusFaults = this.statusFaults.filter((f) => f.remaining > 0);
    return { status: fault.status, retryAfter: fault.retryAfter };
  }

  /** @internal */
  takeMalformed(kind: Exclude<DocTarget, "any">): boolean {
    return take(this.malformed, kind);
  }

  /** @internal */
  takeInvalid(kind: Exclude<DocTarget, "any">): boolean {
    return take(this.invalid, kind);
  }

  /** @internal */
  takeRefreshFailure(): { status: number; reason: string } | null {
    const f = this.refreshFault;
    if (!f || f.remaining <= 0) return null;
    f.remaining -= 1;
    return { status: f.status, reason: f.reason };
  }
}

const take = (fault: DocFault | null, kind: Exclude<DocTarget, "any">): boolean => {
  if (!fault || fault.remaining <= 0 || (fault.target !== "any" && fault.target !== kind)) return false;
  fault.remaining -= 1;
  return true;
};
