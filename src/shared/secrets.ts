/**
 * The one way secrets are kept out of text: a set of secret strings, each replaced by *** in
 * any text that passes through it. The logger keeps one for every line it writes; the cloud
 * client keeps one for its password and tokens, for error texts that leave it (status, health,
 * Home Assistant), since those never pass through a logger.
 */
const MASK = "***";
/** Shorter strings are not replaced: "pw" would mask every "pw" in every line. */
const MIN_SECRET_LENGTH = 4;
/** How far down an error's `cause` chain texts are scrubbed. */
const MAX_CAUSES = 5;

const forms = (secret: string | null | undefined): string[] =>
  secret ? [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])] : [];

/** The user and password of a URL (`https://user:pass@host`), wherever one stands in `text`. */
const URL_CREDENTIALS = /\/\/[^/\s:@]+:[^/\s@]+@/g;

/** `text` with the credentials of every URL in it replaced by ***. */
export const maskUrlCredentials = (text: string): string => text.replace(URL_CREDENTIALS, `//${MASK}@`);

export class SecretSet {
  private readonly secrets = new Set<string>();

  /**
   * Also as it reads inside JSON and inside a URL or form body: a failing server that echoes the
   * request quotes a password with a `"` or `\\` in it escaped, and a form-encoded one encoded.
   */
  add(secret: string | null | undefined): void {
    for (const form of forms(secret)) this.secrets.add(form);
  }

  delete(secret: string | null | undefined): void {
    for (const form of forms(secret)) this.secrets.delete(form);
  }

  get size(): number {
    return this.secrets.size;
  }

  /** `text` with every secret replaced by ***. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(MASK);
    return out;
  }

  /**
   * The same error with its message, stack and causes scrubbed, in place: callers branch on
   * its class and fields (`retryable`, `status`), so it must stay the same object.
   */
  redactError<E>(err: E): E {
    let e: unknown = err;
    for (let i = 0; i < MAX_CAUSES && e instanceof Error; i++) {
      e.message = this.redact(e.message);
      if (e.stack !== undefined) e.stack = this.redact(e.stack);
      e = e.cause;
    }
    return err;
  }
}
