/**
 * Firebase Authentication as the simulator speaks it: password sign-in, token refresh,
 * bearer verification. Token lifetimes follow the injected clock, not simulated time.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../shared";
import { googleError, identityError } from "./documents";
import type { Faults } from "./faults";
import type { AccountSpec } from "./scenario";

export interface Answer {
  status: number;
  body: unknown;
  /** Sent verbatim instead of JSON-encoding `body` (for the malformed-JSON fault). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface AuthOptions {
  accounts: AccountSpec[];
  clock: Clock;
  tokenTtlSec: number;
  /** Failed sign-ins per e-mail before TOO_MANY_ATTEMPTS_TRY_LATER. */
  maxFailures: number;
  /** How long the lockout lasts after the last failure, ms. */
  lockoutMs: number;
  rotateRefreshTokens: boolean;
  faults: Faults;
  /** Firebase project number, reported as `project_id` by the refresh endpoint. */
  projectNumber: string;
}

interface IdSession {
  uid: string;
  expiresAtMs: number;
  generation: number;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const TOO_MANY = "TOO_MANY_ATTEMPTS_TRY_LATER : Access to this account has been temporarily disabled due to many failed login attempts. You can immediately restore it by resetting your password or you can try again later.";

const signInBody = z.object({ email: z.string().optional(), password: z.string().optional() }).loose();

const b64url = (s: string | Buffer): string => Buffer.from(s).toString("base64url");

export class AuthService {
  private readonly idTokens = new Map<string, IdSession>();
  private readonly refreshTokens = new Map<string, { uid: string; generation: number; valid: boolean }>();
  private readonly failures = new Map<string, { count: number; lastMs: number }>();
  private generation = 0;
  /** Every token handed out (tests check that none of them reaches a log line). */
  readonly issued: string[] = [];

  constructor(private readonly o: AuthOptions) {}

  revokeAll(): void {
    this.generation += 1;
  }

  private account(uid: string): AccountSpec | undefined {
    return this.o.accounts.find((a) => a.uid === uid);
  }

  private mintIdToken(a: AccountSpec): string {
    const now = this.o.clock.now();
    const header = b64url(JSON.stringify({ alg: "RS256", kid: "sim", typ: "JWT" }));
    const payload = b64url(JSON.stringify({ sub: a.uid, email: a.email, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + this.o.tokenTtlSec }));
    const idToken = `${header}.${payload}.${b64url(randomBytes(32))}`;
    this.idTokens.set(idToken, { uid: a.uid, expiresAtMs: now + this.o.tokenTtlSec * 1000, generation: this.generation });
    this.issued.push(idToken);
    return idToken;
  }

  private mintRefreshToken(a: AccountSpec): string {
    const token = `AMf-vB${b64url(randomBytes(48))}`;
    this.refreshTokens.set(token, { uid: a.uid, generation: this.generation, valid: true });
    this.issued.push(token);
    return token;
  }

  signIn(raw: unknown): Answer {
    const parsed = signInBody.safeParse(raw);
    const body = parsed.success ? parsed.data : {};
    const email = (body.email ?? "").trim().toLowerCase();
    const fail = (reason: string): Answer => ({ status: 400, body: identityError(reason) });
    if (!EMAIL.test(email)) return fail("INVALID_EMAIL");
    if (!body.password) return fail("MISSING_PASSWORD");
    const now = this.o.clock.now();
    const f = this.failures.get(email);
    if (f && f.count >= this.o.maxFailures && now - f.lastMs < this.o.lockoutMs) return fail(TOO_MANY);
    const a = this.o.accounts.find((x) => x.email.toLowerCase() === email);
    const badCredentials = (reason: string): Answer => {
      const prev = f && now - f.lastMs < this.o.lockoutMs ? f.count : 0;
      this.failures.set(email, { count: prev + 1, lastMs: now });
      return fail(this.o.faults.enumerationProtection ? "INVALID_LOGIN_CREDENTIALS" : reason);
    };
    if (!a) return badCredentials("EMAIL_NOT_FOUND");
    if (a.password !== body.password) return badCredentials("INVALID_PASSWORD");
    if (a.disabled) return fail("USER_DISABLED : The user account has been disabled by an administrator.");
    this.failures.delete(email);
    const idToken = this.mintIdToken(a);
    return {
      status: 200,
      body: {
        kind: "identitytoolkit#VerifyPasswordResponse",
        localId: a.uid,
        email: a.email,
        displayName: a.displayName,
        idToken,
        registered: true,
        refreshToken: this.mintRefreshToken(a),
        expiresIn: String(this.o.tokenTtlSec),
      },
    };
  }

  /** `form` is the request body, from JSON or application/x-www-form-urlencoded. */
  refresh(form: Record<string, unknown>): Answer {
    const fail = (reason: string, status = 400): Answer => ({
      status,
      body: googleError(status, status >= 500 ? "UNAVAILABLE" : "INVALID_ARGUMENT", reason),
    });
    if (form.grant_type !== "refresh_token") return fail("INVALID_GRANT_TYPE");
    const token = typeof form.refresh_token === "string" ? form.refresh_token : "";
    if (!token) return fail("MISSING_REFRESH_TOKEN");
    const injected = this.o.faults.takeRefreshFailure();
    if (injected) return fail(injected.reason, injected.status);
    const session = this.refreshTokens.get(token);
    if (!session || !session.valid) return fail("INVALID_REFRESH_TOKEN");
    if (session.generation < this.generation) return fail("TOKEN_EXPIRED");
    const a = this.account(session.uid);
    if (!a) return fail("USER_NOT_FOUND");
    if (a.disabled) return fail("USER_DISABLED");
    const idToken = this.mintIdToken(a);
    let refreshToken = token;
    if (this.o.rotateRefreshTokens) {
      session.valid = false;
      refreshToken = this.mintRefreshToken(a);
    }
    return {
      status: 200,
      body: {
        access_token: idToken,
        expires_in: String(this.o.tokenTtlSec),
        token_type: "Bearer",
        refresh_token: refreshToken,
        id_token: idToken,
        user_id: a.uid,
        project_id: this.o.projectNumber,
      },
    };
  }

  /** The signed-in account behind an `Authorization` header, or null (missing, unknown, expired, revoked). */
  verify(authorization: string | undefined): AccountSpec | null {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    const session = m?.[1] ? this.idTokens.get(m[1]) : undefined;
    if (!session) return null;
    if (session.generation < this.generation || this.o.clock.now() >= session.expiresAtMs) return null;
    const a = this.account(session.uid);
    return a && !a.disabled ? a : null;
  }
}
