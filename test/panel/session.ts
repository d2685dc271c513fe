/**
 * One panel under test: the add-on's HTTP app on loopback with a seeded running cook and a real
 * alarm service, behind an ingress proxy, and headless Chromium to open it. Each test file starts
 * its own, so one file's edits (a split cook, a changed target) never reach another's.
 */
import type { Browser, BrowserContext, Frame, Locator, Page, Response } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { createAlarmService, type AlarmService } from "../../src/alarms";
import type { ProbeState } from "../../src/shared";
import { launchBrowser, BROWSER_HOOK_TIMEOUT_MS } from "../support/browser";
import { makeTempDir } from "../support/tmp";
import { startHarness, statesFromStore, type Harness } from "../http/harness";
import { decorateStates, seedRunningCook, type CookFixture } from "./fixture";
import { buildPanel, startIngressProxy, type IngressProxy } from "./support";

const TOKEN = "TESTTOKEN";

export interface PanelSession {
  h: Harness;
  proxy: IngressProxy;
  browser: Browser;
  alarms: AlarmService | null;
  fx: CookFixture;
  /** The panel's address through ingress (trailing slash). */
  base: string;
  /** Requests that left the ingress prefix, and page errors: a test expects none. */
  outside: string[];
  /** Texts of alert/confirm dialogs (an injected script would open one). */
  dialogs: string[];
  /** Errors the pages logged to the console ("Failed to load resource: … 404" included), with their URL. */
  consoleErrors: string[];
  newPage(opts?: { dark?: boolean; width?: number; height?: number; context?: BrowserContext }): Promise<Page>;
  /**
   * What analytics does after a poll: the states to the bus, `times` polls `stepMs` apart (the
   * alarm service confirms a change over consecutive readings). `edit` changes the states first.
   */
  emitStates(edit?: (s: ProbeState) => ProbeState, times?: number, stepMs?: number): void;
  close(): Promise<void>;
}

export const startPanelSession = async (): Promise<PanelSession> => {
  const tmp = makeTempDir("grill-stats-panel-");
  await buildPanel(`${tmp.dir}/panel`);
  const nowMs = Date.now();
  let seeded = false;
  let alarms: AlarmService | null = null;
  const h = await startHarness({
    panelDir: `${tmp.dir}/panel`,
    decorate: (states) => (seeded ? decorateStates(states) : states),
    alarms: ({ store, bus, clock, logger }) => {
      alarms = createAlarmService({
        bus, repo: store, settings: store, notifier: null, logger, clock,
        options: { notifyTargets: [], repeatMinutes: 5, preAlarmMinutes: 15, batteryLowPct: 15, quietHours: null },
        displayUnit: () => "C", timeZone: () => "UTC", tickMs: 3600_000,
      });
      return alarms;
    },
  });
  h.clock.set(nowMs);
  const fx = seedRunningCook(h.store, nowMs);
  seeded = true;
  const service = alarms as AlarmService | null;
  await service?.start();
  const proxy = await startIngressProxy(h.url, TOKEN);
  const browser = await launchBrowser();
  const base = `${proxy.url}/api/hassio_ingress/${TOKEN}/`;
  const outside: string[] = [];
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];

  const newPage: PanelSession["newPage"] = async (opts = {}) => {
    const page = opts.context
      ? await opts.context.newPage()
      : await browser.newPage({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, colorScheme: opts.dark ? "dark" : "light", deviceScaleFactor: 1 });
    // A missing element fails the test in seconds, not at the test's timeout.
    page.setDefaultTimeout(5000);
    page.on("request", (r) => {
      if (!r.url().startsWith(base.slice(0, -1)) && !r.url().startsWith("data:")) outside.push(r.url());
    });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("pageerror", (err) => outside.push(`page error: ${err.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(`${m.text()} ${m.location().url}`.trim());
    });
    return page;
  };

  let pollMs = nowMs;
  const emitStates: PanelSession["emitStates"] = (edit = (s) => s, times = 3, stepMs = 20_000) => {
    for (let i = 0; i < times; i++) {
      pollMs += stepMs;
      h.clock.set(pollMs);
      h.bus.emit("probes:state", decorateStates(statesFromStore(h.store)).map((s) => edit({ ...s, tsMs: pollMs })));
    }
  };

  return {
    h, proxy, browser, alarms: service, fx, base, outside, dialogs, consoleErrors, newPage, emitStates,
    close: async () => {
      await browser.close();
      await service?.stop();
      await proxy.close();
      await h.close();
      tmp.cleanup();
    },
  };
};

/** The answer to the next PUT of a probe's settings (what the tile's Target/High/Low fields save). */
/** The tile of the probe named `name` (by its name: a tile's text also holds the done temperatures' names). */
/**
 * The panel in its ingress iframe inside a page like Home Assistant's, whose `home-assistant`
 * element carries `hass` (the user's profile in `locale`, Home Assistant's zone in `config`): what
 * the panel reads from the page around it. The page is served under the ingress prefix, so it is
 * no request outside it.
 */
export const openUnderHomeAssistant = async (s: Pick<PanelSession, "base">, page: Page, hass: Record<string, unknown>, hash = ""): Promise<Frame> => {
  const parent = `${s.base}ha-profile.html`;
  await page.route(parent, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html><body style="margin:0"><script>
        customElements.define("home-assistant", class extends HTMLElement {});
        const app = document.createElement("home-assistant");
        app.hass = ${JSON.stringify(hass)};
        document.body.append(app);
      </script><iframe src="${s.base}${hash}" style="width:calc(100vw - 20px);height:880px;border:0"></iframe></body></html>`,
    }),
  );
  await page.goto(parent);
  return page.frames().find((f) => f !== page.mainFrame()) as Frame;
};

export const tileNamed = (page: Page | Frame, name: string): Locator => page.locator("gs-probe-tile").filter({ has: page.locator(".name", { hasText: name }) });

export const settingsSaved = (page: Page, probeId: string): Promise<Response> =>
  page.waitForResponse((r) => r.url().endsWith(`/api/probes/${probeId}/settings`) && r.request().method() === "PUT");

/** Runs `fn` (a function body taking `el`) on the first element matching `selector` through any depth of shadow roots. */
export const deepEval = <T>(page: Page, selector: string, fn: string): Promise<T> =>
  page.evaluate(
    ([sel, body]) => {
      const find = (root: Document | ShadowRoot): Element | null => {
        const hit = root.querySelector(sel as string);
        if (hit) return hit;
        for (const el of root.querySelectorAll("*")) {
          const found = el.shadowRoot ? find(el.shadowRoot) : null;
          if (found) return found;
        }
        return null;
      };
      return new Function("el", body as string)(find(document)) as unknown;
    },
    [selector, fn],
  ) as Promise<T>;

/**
 * A session for the enclosing `describe`: started before its tests and closed after them, handed
 * to `use` once it runs (the tests keep it in a variable of their own).
 */
export const usePanelSession = (use: (session: PanelSession) => void): void => {
  let session: PanelSession | undefined;
  beforeAll(async () => {
    session = await startPanelSession();
    use(session);
  }, BROWSER_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await session?.close();
  });
};
