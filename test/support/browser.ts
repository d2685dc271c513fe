import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

/** Debian's chromium (installed by .ci/run with apt-get). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

/**
 * For a before-hook that starts Chromium (and a service): on two cores, with the other test
 * files' browsers starting at the same time, it has taken more than the 30 s default.
 */
export const BROWSER_HOOK_TIMEOUT_MS = 90_000;

/** Headless Chromium with the flags this machine needs (no network beyond loopback, no sandbox as root). */
export const launchBrowser = async (extraArgs: readonly string[] = []): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Debian's build still asks Google as it starts (component updater, accounts, autofill):
      // every name but loopback's is not found, so a test run stays on this machine.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]",
      ...extraArgs,
    ],
  });

/** Where screenshots are kept as test artifacts. */
export const artifactPath = (name: string): string => {
  const dir = join(process.cwd(), "test-artifacts");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
};
