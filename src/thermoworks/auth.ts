/**
 * Firebase Authentication for the client: e-mail/password sign-in, token refresh shortly
 * before expiry, a full sign-in when the refresh fails or the cloud answers 401, and project
 * discovery via webConfig (ETI Cloud). Tokens and the password never reach a log line: they
 * are in `secrets`, which scrubs every error text that leaves the client.
 */
import { AppError, SecretSet, UpstreamError, type Clock, type Logger, type RootLogger } from "../shared";
import type { ThermoworksClientConfig } from "./client-config";
import { AUTH_MAX_BODY_BYTES, googleErrorMessage, toUpstreamError, type Http, type HttpResult } from "./http";
import { formatZodIssues, refreshResponseSchema, signInResponseSchema, webConfigSchema } from "./schemas";

/** Sign-in was refused for a reason retrying soon will not fix (credentials, disabled, locked, bad API key). */
export class AuthFailedError extends AppError {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super("auth_failed", message);
  }
}

interface Session {
  uid: string;
  idToken: string;
  refreshToken: string;
  expiresAtMs: number;
  /** When to renew: 60 s before expiry (less for very short test tokens). */
  renewAtMs: number;
}

const REFRESH_EARLY_MS = 60_000;
/** Sessions whose tokens stay secret: the current one and the one before (a late error may quote it). */
const KEPT_SESSIONS = 2;
const CHECK_OPTIONS = "check thermoworks_email and thermoworks_password in the add-on options";

/**
 * A refused sign-in. Credentials, a disabled or locked account and a project that does not let
 * anyone in are AuthFailedError (the poller waits its longest before trying again); any other
 * 400/403 (an error page of a proxy, a Google-side error with no known reason) is an ordinary
 * upstream failure, retried with the usual back-off: the cloud keeps only current values, so
 * minutes of waiting are minutes of the cook lost.
 */
const signInFailure = (reasonText: string, status: number): AppError => {
  // Firebase appends " : explanation" to some reasons (TOO_MANY_ATTEMPTS_TRY_LATER : Access to …).
  const reason = reasonText.split(" : ")[0]?.trim() ?? reasonText;
  switch (reason) {
    case "INVALID_EMAIL":
      return new AuthFailedError(reason, `ThermoWorks sign-in failed: the e-mail address is not valid; ${CHECK_OPTIONS}`);
    case "EMAIL_NOT_FOUND":
    case "INVALID_PASSWORD":
    case "INVALID_LOGIN_CREDENTIALS":
    case "MISSING_PASSWORD":
      return new AuthFailedError(reason, `ThermoWorks sign-in failed: wrong e-mail or password (${reason}); ${CHECK_OPTIONS}`);
    case "USER_DISABLED":
      return new AuthFailedError(reason, "ThermoWorks sign-in failed: this account has been disabled by ThermoWorks");
    case "TOO_MANY_ATTEMPTS_TRY_LATER":
      return new AuthFailedError(reason, "ThermoWorks sign-in is temporarily locked after too many failed attempts; waiting before trying again");
    case "OPERATION_NOT_ALLOWED":
    case "PASSWORD_LOGIN_DISABLED":
    case "PROJECT_NOT_FOUND":
    case "CONFIGURATION_NOT_FOUND":
      return new AuthFailedError(reason, `ThermoWorks sign-in failed: the cloud does not take password sign-ins for this project (${reason}); check thermoworks_cloud in the add-on options`);
    default:
      if (/^API key not valid|^API_KEY_INVALID/i.test(reason)) return new AuthFailedError("API_KEY_INVALID", `ThermoWorks sign-in failed: the cloud's API key was refused (${reason})`);
      return new UpstreamError(reason === `HTTP ${status}` ? `ThermoWorks sign-in failed (HTTP ${status})` : `ThermoWorks sign-in failed (HTTP ${status}: ${reason})`, true, status);
  }
};

export class TokenManager {
  private session: Session | null = null;
  private renewing: Promise<string> | null = null;
  private projectIdValue: string | null;
  private projectLookup: Promise<string> | null = null;
  private recentSessions: Session[] = [];
  readonly stats = { signIns: 0, refreshes: 0, webConfigs: 0 };
  /** The password and the ID and refresh tokens of the current and the previous session. */
  readonly secrets = new SecretSet();

  constructor(
    private readonly deps: { config: ThermoworksClientConfig; http: Http; clock: Clock; logger: Logger },
  ) {
    this.projectIdValue = deps.config.projectId === "" ? null : deps.config.projectId;
    this.secrets.add(deps.config.password);
    const root = deps.logger as Partial<RootLogger>;
    if (typeof root.addSecret === "function") root.addSecret(deps.config.password);
  }

  /** Keep the tokens of the last sessions secret, and forget older ones (a day of refreshes would pile up). */
  private rememberSecrets(s: Session): void {
    const kept = [s, ...this.recentSessions.filter((x) => x !== s)].slice(0, KEPT_SESSIONS);
    const held = new Set(kept.flatMap((x) => [x.idToken, x.refreshToken]));
    for (const old of this.recentSessions) for (const t of [old.idToken, old.refreshToken]) if (!held.has(t)) this.secrets.delete(t);
    for (const t of held) this.secrets.add(t);
    this.secrets.add(this.deps.config.password); // in case a token equalled it and was just forgotten
    this.recentSessions = kept;
  }

  get signedIn(): boolean {
    return this.session !== null;
  }

  get uid(): string | null {
    return this.session?.uid ?? null;
  }

  /** A valid ID token: the current one, refreshed or re-signed-in when due. */
  async token(): Promise<string> {
    if (this.renewing) return this.renewing;
    const s = this.session;
    if (s && this.deps.clock.now() < s.renewAtMs) return s.idToken;
    return this.renew(() => (s ? this.refreshOrSignIn(s) : this.signIn()));
  }

  /** After a 401 with `stale`: sign in again (unless someone already replaced that token). */
  async reauthenticate(stale: string): Promise<string> {
    if (this.renewing) return this.renewing;
    if (this.session && this.session.idToken !== stale) return this.session.idToken;
    this.session = null;
    return this.renew(() => this.signIn());
  }

  private renew(fn: () => Promise<Session>): Promise<string> {
    const p = fn()
      .then((s) => {
        this.session = s;
        this.rememberSecrets(s);
        return s.idToken;
      })
      .finally(() => {
        this.renewing = null;
      });
    this.renewing = p;
    return p;
  }

  private headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: "application/json", referer: this.deps.config.referer };
    if (json) h["content-type"] = "application/json";
    return h;
  }

  private newSession(uid: string, idToken: string, refreshToken: string, lifetimeSec: number): Session {
    const now = this.deps.clock.now();
    const lifetimeMs = lifetimeSec * 1000;
    return { uid, idToken, refreshToken, expiresAtMs: now + lifetimeMs, renewAtMs: now + lifetimeMs - Math.min(REFRESH_EARLY_MS, lifetimeMs / 2) };
  }

  private async signIn(): Promise<Session> {
    const { config, http, logger } = this.deps;
    this.stats.signIns += 1;
    const res = await http.send({
      method: "POST",
      url: `${config.identityUrl}/v1/accounts:signInWithPassword?key=${encodeURIComponent(config.apiKey)}`,
      headers: this.headers(true),
      body: JSON.stringify({ email: config.email, password: config.password, returnSecureToken: true }),
      what: "ThermoWorks sign-in",
      maxBodyBytes: AUTH_MAX_BODY_BYTES,
    });
    if (res.status === 400 || res.status === 403) throw signInFailure(googleErrorMessage(res, this.secrets) ?? `HTTP ${res.status}`, res.status);
    if (res.status !== 200) throw toUpstreamError(res, "ThermoWorks sign-in", this.deps.clock.now(), { quoteBody: false, secrets: this.secrets });
    const parsed = signInResponseSchema.safeParse(res.json);
    if (!parsed.success) throw new UpstreamError(`ThermoWorks sign-in: unexpected answer (${formatZodIssues(parsed.error)})`, true, 200);
    const r = parsed.data;
    logger.info("signed in to ThermoWorks Cloud", { lifetimeSec: r.expiresIn });
    return this.newSession(r.localId, r.idToken, r.refreshToken, r.expiresIn);
  }

  private async refreshOrSignIn(s: Session): Promise<Session> {
    try {
      return await this.refresh(s);
    } catch (err) {
      // Real clients give up here; we sign in again with the password instead.
      this.deps.logger.warn("token refresh failed; signing in again", { error: this.secrets.redact(err instanceof Error ? err.message : String(err)) });
      return this.signIn();
    }
  }

  private async refresh(s: Session): Promise<Session> {
    const { config, http, logger } = this.deps;
    this.stats.refreshes += 1;
    const res: HttpResult = await http.send({
      method: "POST",
      url: `${config.tokenUrl}/v1/token?key=${encodeURIComponent(config.apiKey)}`,
      headers: this.headers(true),
      body: JSON.stringify({ grant_type: "refresh_token", refresh_token: s.refreshToken }),
      what: "ThermoWorks token refresh",
      maxBodyBytes: AUTH_MAX_BODY_BYTES,
    });
    if (res.status !== 200) throw toUpstreamError(res, "ThermoWorks token refresh", this.deps.clock.now(), { quoteBody: false, secrets: this.secrets });
    const parsed = refreshResponseSchema.safeParse(res.json);
    if (!parsed.success) throw new UpstreamError(`ThermoWorks token refresh: unexpected answer (${formatZodIssues(parsed.error)})`, true, 200);
    const r = parsed.data;
    const idToken = r.id_token ?? r.access_token ?? "";
    logger.debug("refreshed the ThermoWorks token", { lifetimeSec: r.expires_in });
    return this.newSession(r.user_id ?? s.uid, idToken, r.refresh_token, r.expires_in);
  }

  /** The Firestore project id: configured, or asked once from webConfig (ETI Cloud). */
  async projectId(): Promise<string> {
    if (this.projectIdValue !== null) return this.projectIdValue;
    this.projectLookup ??= this.fetchProjectId().finally(() => {
      this.projectLookup = null;
    });
    return this.projectLookup;
  }

  private async fetchProjectId(): Promise<string> {
    const { config, http, logger } = this.deps;
    this.stats.webConfigs += 1;
    const what = "ThermoWorks app configuration (webConfig)";
    const res = await http.send({
      method: "GET",
      url: `${config.firebaseUrl}/v1alpha/projects/-/apps/${encodeURIComponent(config.appId)}/webConfig`,
      headers: { ...this.headers(false), "x-goog-api-key": config.apiKey },
      what,
      maxBodyBytes: AUTH_MAX_BODY_BYTES,
    });
    if (res.status !== 200) throw toUpstreamError(res, what, this.deps.clock.now(), { secrets: this.secrets });
    const parsed = webConfigSchema.safeParse(res.json);
    if (!parsed.success) throw new UpstreamError(`${what}: unexpected answer (${formatZodIssues(parsed.error)})`, true, 200);
    this.projectIdValue = parsed.data.projectId;
    logger.info("found the cloud project via webConfig", { projectId: parsed.data.projectId });
    return parsed.data.projectId;
  }
}
