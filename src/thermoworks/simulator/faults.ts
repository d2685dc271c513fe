/**
 * Scripted faults for the simulator. Tests call these as methods; other processes use the
 * `POST /__control/...` endpoints, which map onto the same methods.
 */
export type FaultScope = "all" | "firestore" | "auth";
export type DocTarget = "any" | "user" | "device" | "channel";
export type RequestArea = "webconfig" | "auth" | "firestore";
export type AuthEndpoint = "signIn" | "refresh";

/** A document to tamper with: a device, or one of its channels. */
export interface DocRef {
  serial: string;
  channel?: string;
}

/**
 * How an auth endpoint echoes the request it failed on: `text` as a bare error page, `envelope`
 * inside a Google error envelope's `message` (both seen from proxies and misbehaving backends).
 */
export type EchoShape = "text" | "envelope";

interface StatusFault {
  remaining: number;
  status: 429 | 503;
  retryAfter: string | null;
  scope: FaultScope;
}

/** An answer of `bytes` bytes, streamed; Content-Length only with `declareLength`. */
export interface OversizedAnswer {
  bytes: number;
  declareLength: boolean;
}

interface OversizedFault extends OversizedAnswer {
  remaining: number;
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
  overrides: { document: string; fields: string[] }[];
  failingDevices: { serial: string; status: number; remaining: number }[];
  junkQueryRows: number;
  echoAuth: { endpoint: AuthEndpoint; status: number; shape: EchoShape; remaining: number } | null;
  oversized: { bytes: number; declareLength: boolean; remaining: number; scope: FaultScope } | null;
}

const docKey = (ref: DocRef): string => (ref.channel === undefined ? `devices/${ref.serial}` : `devices/${ref.serial}/channels/${ref.channel}`);

const toRetryAfter = (v: number | string | null | undefined): string | null =>
  v === null || v === undefined ? null : typeof v === "number" ? String(Math.max(0, Math.round(v))) : v;

export class Faults {
  private statusFaults: StatusFault[] = [];
  private delayMs = 0;
  private delayRemaining = 0;
  private malformed: DocFault | null = null;
  private invalid: DocFault | null = null;
  private refreshFault: { remaining: number; status: number; reason: string } | null = null;
  private readonly overrides = new Map<string, Record<string, unknown>>();
  private readonly failing = new Map<string, { status: number; remaining: number }>();
  private junkRows: unknown[] = [];
  private echo: { endpoint: AuthEndpoint; status: number; shape: EchoShape; remaining: number } | null = null;
  private oversized: OversizedFault | null = null;
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

  /**
   * Replace fields of a device or channel document with these raw Firestore values (`{ lastSeen:
   * { timestampValue: "9999-12-31T23:59:59Z" } }`) on every answer until cleared with null.
   */
  overrideFields(ref: DocRef, fields: Record<string, unknown> | null): void {
    if (fields === null) this.overrides.delete(docKey(ref));
    else this.overrides.set(docKey(ref), { ...this.overrides.get(docKey(ref)), ...fields });
  }

  /** Every request for a channel of this device answers `status` (default 500; `count` times, default until reset). */
  failDevice(serial: string, opts: { status?: number; count?: number } = {}): void {
    this.failing.set(serial, { status: opts.status ?? 500, remaining: opts.count ?? Number.POSITIVE_INFINITY });
  }

  /** runQuery answers these rows (a bare 5, null, …) after the real ones, until reset. */
  junkQueryRows(rows: unknown[]): void {
    this.junkRows = [...rows];
  }

  /** The next `count` requests to an auth endpoint answer `status` (default 500) echoing the request body. */
  echoAuthRequest(endpoint: AuthEndpoint, opts: { status?: number; shape?: EchoShape; count?: number } = {}): void {
    this.echo = { endpoint, status: opts.status ?? 500, shape: opts.shape ?? "text", remaining: opts.count ?? 1 };
  }

  /**
   * The next `count` requests (of `scope`) answer 200 with `bytes` of junk, streamed in pieces as
   * fast as the client reads them: a broken backend or proxy that never stops talking.
   */
  oversizedAnswer(count: number, opts: { bytes: number; scope?: FaultScope; declareLength?: boolean }): void {
    this.oversized = { remaining: count, bytes: opts.bytes, scope: opts.scope ?? "all", declareLength: opts.declareLength ?? false };
  }

  reset(): void {
    this.statusFaults = [];
    this.delayMs = 0;
    this.delayRemaining = 0;
    this.malformed = null;
    this.invalid = null;
    this.refreshFault = null;
    this.enumerationProtection = false;
    this.overrides.clear();
    this.failing.clear();
    this.junkRows = [];
    this.echo = null;
    this.oversized = null;
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
      overrides: [...this.overrides].map(([document, fields]) => ({ document, fields: Object.keys(fields) })),
      failingDevices: [...this.failing].map(([serial, f]) => ({ serial, ...f })),
      junkQueryRows: this.junkRows.length,
      echoAuth: this.echo && { ...this.echo },
      oversized: this.oversized && { ...this.oversized },
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
    const fault = this.statusFaults.find((f) => f.remaining > 0 && inScope(f.scope, area));
    if (!fault) return null;
    fault.remaining -= 1;
    this.statusFaults = this.statusFaults.filter((f) => f.remaining > 0);
    return { status: fault.status, retryAfter: fault.retryAfter };
  }

  /** @internal An oversized answer to stream instead of this request's, if one is armed for its area. */
  takeOversized(area: RequestArea): OversizedAnswer | null {
    const f = this.oversized;
    if (!f || f.remaining <= 0 || !inScope(f.scope, area)) return null;
    f.remaining -= 1;
    return { bytes: f.bytes, declareLength: f.declareLength };
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

  /** @internal The document's fields with any override applied. */
  applyOverrides<T extends Record<string, unknown>>(ref: DocRef, fields: T): T {
    const o = this.overrides.get(docKey(ref));
    return o ? { ...fields, ...o } : fields;
  }

  /** @internal The status a channel request of this device answers instead, if it is failing. */
  takeDeviceFailure(serial: string): number | null {
    const f = this.failing.get(serial);
    if (!f || f.remaining <= 0) return null;
    f.remaining -= 1;
    return f.status;
  }

  /** @internal */
  queryJunk(): unknown[] {
    return this.junkRows;
  }

  /** @internal An echoing failure to answer on this auth endpoint, if one is armed. */
  takeEcho(endpoint: AuthEndpoint): { status: number; shape: EchoShape } | null {
    const e = this.echo;
    if (!e || e.endpoint !== endpoint || e.remaining <= 0) return null;
    e.remaining -= 1;
    return { status: e.status, shape: e.shape };
  }
}

const inScope = (scope: FaultScope, area: RequestArea): boolean => scope === "all" || (scope === "auth" ? area !== "firestore" : area === "firestore");

const take = (fault: DocFault | null, kind: Exclude<DocTarget, "any">): boolean => {
  if (!fault || fault.remaining <= 0 || (fault.target !== "any" && fault.target !== kind)) return false;
  fault.remaining -= 1;
  return true;
};
