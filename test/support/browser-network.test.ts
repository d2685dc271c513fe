/**
 * The tests' Chromium talks to this machine only: Debian's build asks Google (the component
 * updater, account and autofill services) as it starts, whatever page it opens. Its own network
 * log says which names it looked up and where it connected.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { BROWSER_HOOK_TIMEOUT_MS, hasChromium, launchBrowser } from "./browser";
import { makeTempDir } from "./tmp";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const LOOPBACK = /^(?:[a-z]+:\/\/)?(?:localhost|127(?:\.\d+){3}|\[::1\]|~notfound)(?::\d+)?(?:\/|$)/;

/** Hosts Chromium resolved and addresses it sent to, from a `--log-net-log` file. */
const contacts = (netLog: string): string[] => {
  const [head = "", , ...events] = readFileSync(netLog, "utf8").split("\n");
  const constants = (JSON.parse(`${head.replace(/,\s*$/, "")}}`) as { constants: { logEventTypes: Record<string, number> } }).constants;
  const name = new Map(Object.entries(constants.logEventTypes).map(([k, v]) => [v, k]));
  const out: string[] = [];
  for (const line of events) {
    let event: { type: number; params?: { host?: string; address?: string } };
    try {
      event = JSON.parse(line.replace(/,\s*$/, "")) as typeof event;
    } catch {
      continue; // the closing lines
    }
    const type = name.get(event.type) ?? "";
    if (type === "HOST_RESOLVER_MANAGER_JOB" && event.params?.host) out.push(`resolve ${event.params.host}`);
    if ((type === "TCP_CONNECT_ATTEMPT" || type === "UDP_BYTES_SENT") && event.params?.address) out.push(`${type} ${event.params.address}`);
  }
  return out.filter((c) => !LOOPBACK.test(c.split(" ")[1] ?? ""));
};

it.skipIf(!hasChromium())("the tests' Chromium looks up no name and sends nothing beyond loopback", async () => {
  const tmp = makeTempDir("grill-stats-netlog-");
  cleanups.push(tmp.cleanup);
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><p>hello</p>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const netLog = join(tmp.dir, "netlog.json");
  const browser = await launchBrowser([`--log-net-log=${netLog}`]);
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    // What it asks of Google it asks in its first seconds.
    await page.waitForTimeout(3000);
  } finally {
    await browser.close();
  }
  expect(contacts(netLog)).toEqual([]);
}, BROWSER_HOOK_TIMEOUT_MS);
