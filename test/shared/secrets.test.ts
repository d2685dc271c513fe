import { describe, expect, it } from "vitest";
import { SecretSet } from "../../src/shared/secrets";

describe("SecretSet", () => {
  const password = 'hunter"2\\x&y';

  it("masks a secret as written, as quoted inside JSON and as encoded in a URL or form", () => {
    const s = new SecretSet();
    s.add(password);
    const echoed = [
      `password=${password}`,
      // A Google error's message quoting the JSON body it failed on, as the client reads it.
      `ThermoWorks sign-in: HTTP 500 (${JSON.stringify({ email: "pit@example.com", password })})`,
      `grant_type=password&password=${encodeURIComponent(password)}`,
    ].join("\n");
    const out = s.redact(echoed);
    expect(out).not.toContain("hunter");
    expect(out.match(/\*\*\*/g)).toHaveLength(3);
    expect(out).toContain("pit@example.com");
  });

  it("forgets every form of a secret it is told to forget", () => {
    const s = new SecretSet();
    s.add(password);
    s.delete(password);
    expect(s.size).toBe(0);
    expect(s.redact(JSON.stringify({ password }))).toContain("hunter");
  });
});
