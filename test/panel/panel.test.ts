import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { artifactPath, hasChromium, BROWSER_HOOK_TIMEOUT_MS } from "../support/browser";
import { device, statesFromStore, type Harness } from "../http/harness";
import { BRISKET, BUTT, PIT_ID, decorateStates, type CookFixture } from "./fixture";
import { deepEval, settingsSaved, startPanelSession, tileNamed, type PanelSession } from "./session";
import type { IngressProxy } from "./support";

const XSS = "<img src=x onerror=alert(1)>";

/**
 * Coloured pixels on the first chart canvas: series lines and bands, not the grey axes, grid
 * and labels (those are drawn even without data).
 */
const drawnPixels = (page: Page): Promise<number> =>
  deepEval<number>(
    page,
    "grill-stats-chart",
    `const c = el && el.shadowRoot.querySelector("canvas");
     if (!c) return 0;
     const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
     let n = 0;
     for (let i = 0; i < d.length; i += 4) {
       if (d[i + 3] < 200) continue;
       if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 80) n++;
     }
     return n;`,
  );

describe.skipIf(!hasChromium())("ingress panel in headless Chromium", () => {
  let session: PanelSession;
  let h: Harness;
  let proxy: IngressProxy;
  let fx: CookFixture;
  let outside: string[];
  let dialogs: string[];
  const base = (): string => session.base;
  const newPage = (opts?: Parameters<PanelSession["newPage"]>[0]): Promise<Page> => session.newPage(opts);

  beforeAll(async () => {
    session = await startPanelSession();
    ({ h, proxy, fx, outside, dialogs } = session);
  }, BROWSER_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  it("shows every probe with a number and draws the chart, all through the ingress prefix", async () => {
    const page = await newPage();
    await page.goto(base());
    await expect.poll(() => page.locator("gs-probe-tile").count()).toBe(3);
    const brisket = tileNamed(page, "Brisket");
    await expect.poll(() => brisket.locator("[data-testid=temp]").innerText()).toMatch(/^\d{2}\.\d°C$/);
    await expect.poll(() => brisket.locator("[data-testid=eta]").innerText()).toMatch(/Done ~/);
    expect(await brisket.locator("[data-testid=stall]").innerText()).toBe("Stall 35\u00a0min");
    await expect.poll(() => drawnPixels(page)).toBeGreaterThan(2000);
    expect(await page.locator("[data-testid=demo-banner]").count()).toBe(1);
    await page.screenshot({ path: artifactPath("panel-live-light.png"), fullPage: true });
    expect(outside).toEqual([]);
    const paths = proxy.forwarded.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["/", "/panel.js", "/api/stream", "/api/health"]));
    // The panel asks for the compact layout (half the bytes through ingress).
    expect(paths.some((p) => p.startsWith("/api/history?") && p.includes("format=columns"))).toBe(true);
    await page.close();
  });

  it("works when opened without the trailing slash (base from X-Ingress-Path)", async () => {
    const page = await newPage();
    await page.goto(base().slice(0, -1));
    await expect.poll(() => page.locator("gs-probe-tile").count()).toBe(3);
    expect(outside).toEqual([]);
    await page.close();
  });

  it("speaks German when Home Assistant's language is German (selectedLanguage in localStorage)", async () => {
    const page = await newPage();
    await page.addInitScript(() => localStorage.setItem("selectedLanguage", JSON.stringify("de")));
    await page.goto(base());
    const brisket = tileNamed(page, "Brisket");
    await expect.poll(() => brisket.locator("[data-testid=temp]").innerText()).toMatch(/^\d{2},\d°C$/);
    await expect.poll(() => brisket.locator("[data-testid=eta]").innerText()).toMatch(/^Fertig gegen (?:\S+\s)?\d{1,2}:\d{2}\n/);
    expect(await brisket.locator("[data-testid=stall]").innerText()).toBe("Plateau 35\u00a0Min.");
    expect(await brisket.locator(".badge", { hasText: "Fleisch" }).count()).toBe(1);
    expect(await brisket.locator("label.setting").first().innerText()).toMatch(/^Ziel/);
    expect(await brisket.locator("label.presets").innerText()).toMatch(/^Vorgabe\s+Auswählen…/);
    expect(await page.locator("gs-app nav a").allTextContents()).toEqual(["Live", "Garvorgänge", "Vergleich", "Alarme"]);
    expect(await page.locator("gs-live-view a", { hasText: "Details zum Garvorgang" }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
    await page.screenshot({ path: artifactPath("panel-live-de.png"), fullPage: true });

    await page.goto(`${base()}#/cooks`);
    const rows = page.locator("[data-testid=cook-row]");
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator("gs-cooks-view h2").innerText()).toBe("Garvorgänge");
    expect(await page.locator("[data-testid=compare-link]").innerText()).toBe("Vergleich");
    const running = await rows.first().innerText();
    expect(running).toContain("Läuft");
    expect(running).toMatch(/3\u00a0Std\./);
    expect(await rows.nth(1).innerText()).toContain("10\u00a0Std.");
    await page.screenshot({ path: artifactPath("panel-cooks-de.png"), fullPage: true });
    expect(outside).toEqual([]);
    await page.close();
  });

  it.each([
    ["fr", /^Prêt vers (?:\S+\s)?\d{1,2}:\d{2}\n/, "Plateau 35\u00a0min", "Viande", ["Direct", "Cuissons", "Comparer", "Alarmes"], "Détails de la cuisson"],
    ["nl", /^Klaar rond (?:\S+\s)?\d{1,2}:\d{2}\n/, "Stall 35\u00a0min", "Vlees", ["Live", "Sessies", "Vergelijken", "Alarmen"], "Details van de sessie"],
  ] as const)("speaks the language Home Assistant has in selectedLanguage: %s", async (language, eta, stall, meat, tabs, details) => {
    const page = await newPage();
    await page.addInitScript((lang) => localStorage.setItem("selectedLanguage", JSON.stringify(lang)), language);
    await page.goto(base());
    const brisket = tileNamed(page, "Brisket");
    await expect.poll(() => brisket.locator("[data-testid=temp]").innerText()).toMatch(/^\d{2},\d°C$/);
    await expect.poll(() => brisket.locator("[data-testid=eta]").innerText()).toMatch(eta);
    expect(await brisket.locator("[data-testid=stall]").innerText()).toBe(stall);
    expect(await brisket.locator(".badge", { hasText: meat }).count()).toBe(1);
    expect(await page.locator("gs-app nav a").allTextContents()).toEqual(tabs);
    expect(await page.locator("gs-live-view a", { hasText: details }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
    await page.screenshot({ path: artifactPath(`panel-live-${language}.png`), fullPage: true });
    await page.close();
  });

  it("follows a language changed in Home Assistant while it is open, without a reload", async () => {
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", deviceScaleFactor: 1 });
    const page = await newPage({ context });
    await page.goto(base());
    const brisket = tileNamed(page, "Brisket");
    const tabs = (): Promise<string[]> => page.locator("gs-app nav a").allTextContents();
    const timeAxis = (): Promise<string> => deepEval<string>(page, "grill-stats-chart", "return (el._plot?.axes[0]._values ?? []).join(' ');");
    await expect.poll(() => brisket.locator("[data-testid=stall]").innerText()).toBe("Stall 35\u00a0min");
    await expect.poll(() => timeAxis()).toMatch(/\d:\d{2}\s[AP]M/);
    expect(await tabs()).toEqual(["Live", "Cooks", "Compare", "Alarms"]);
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));

    // Home Assistant's profile page: another document of the origin (the proxy's root stands in for
    // the frontend). A `storage` event reaches only the documents that did not write the value.
    const profile = await context.newPage();
    await profile.goto(`${proxy.url}/`);
    await profile.evaluate(() => localStorage.setItem("selectedLanguage", JSON.stringify("de")));
    await expect.poll(() => tabs()).toEqual(["Live", "Garvorgänge", "Vergleich", "Alarme"]);
    expect(await brisket.locator("[data-testid=stall]").innerText()).toBe("Plateau 35\u00a0Min.");
    expect(await brisket.locator("[data-testid=temp]").innerText()).toMatch(/^\d{2},\d°C$/);
    expect(await brisket.locator("[data-testid=eta]").innerText()).toMatch(/^Fertig gegen (?:\S+\s)?\d{1,2}:\d{2}\n/);
    expect(await page.locator("gs-live-view a", { hasText: "Details zum Garvorgang" }).count()).toBe(1);
    // The chart's cached time format is rebuilt too: 24-hour clock on the axis.
    await expect.poll(() => timeAxis()).not.toMatch(/[AP]M/);
    expect(await timeAxis()).toMatch(/\d:\d{2}/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
    // A probe without a label is named after its device and channel, in the page's language.
    const states = decorateStates(statesFromStore(h.store));
    const unlabelled = { ...(states[0] as (typeof states)[number]), id: "10061c6f4770_9", channel: "9", name: "Signals probe 9", autoName: { device: "Signals", channel: "9" } };
    h.bus.emit("probes:state", [...states, unlabelled]);
    const tileNames = (): Promise<string[]> => page.locator("gs-probe-tile .name").allInnerTexts();
    await expect.poll(() => tileNames()).toContain("Signals Fühler 9");

    await profile.evaluate(() => localStorage.setItem("selectedLanguage", JSON.stringify("en")));
    await expect.poll(() => tabs()).toEqual(["Live", "Cooks", "Compare", "Alarms"]);
    await expect.poll(() => tileNames()).toContain("Signals probe 9");
    h.bus.emit("probes:state", states);
    expect(await brisket.locator("[data-testid=stall]").innerText()).toBe("Stall 35\u00a0min");
    await expect.poll(() => timeAxis()).toMatch(/\d:\d{2}\s[AP]M/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en-US");

    // A cook's chart has no forecast whose label would rebuild it: its time axis is relabelled in place.
    await page.evaluate((id) => (location.hash = `#/cooks/${id}`), fx.cookId);
    await expect.poll(() => page.locator("gs-cook-detail h3").first().innerText()).toBe("Probes");
    await expect.poll(() => timeAxis()).toMatch(/\d:\d{2}\s[AP]M/);
    await profile.evaluate(() => localStorage.setItem("selectedLanguage", JSON.stringify("de")));
    await expect.poll(() => page.locator("gs-cook-detail h3").first().innerText()).toBe("Fühler");
    await expect.poll(() => timeAxis()).not.toMatch(/[AP]M/);

    // Cleared storage (a `storage` event with a null key): back to the browser's language.
    await profile.evaluate(() => localStorage.clear());
    await expect.poll(() => tabs()).toEqual(["Live", "Cooks", "Compare", "Alarms"]);
    await expect.poll(() => timeAxis()).toMatch(/\d:\d{2}\s[AP]M/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en-US");

    expect(await page.evaluate(() => "sameDocument" in window)).toBe(true);
    expect(outside).toEqual([]);
    await context.close();
  });

  it("shows a reading emitted on the bus live, in the tile and the chart", async () => {
    const page = await newPage();
    await page.goto(base());
    const tile = tileNamed(page, "Pork butt");
    await expect.poll(() => tile.locator("[data-testid=temp]").innerText()).toMatch(/\d/);
    await expect.poll(() => drawnPixels(page)).toBeGreaterThan(2000);
    // The axes alone can pass the pixel check on a loaded machine: wait for the history rows too.
    await expect.poll(() => deepEval<number>(page, "grill-stats-chart", "return el.data.x.length;")).toBeGreaterThan(0);
    const rowsBefore = await deepEval<number>(page, "grill-stats-chart", "return el.data.x.length;");
    const tsMs = h.clock.now() + 30_000;
    h.store.insertReadings([{ probeId: BUTT, tsMs, tempC: 88.4 }]);
    h.bus.emit("readings:stored", [{ probeId: BUTT, tsMs, tempC: 88.4 }]);
    h.bus.emit("probes:state", decorateStates(statesFromStore(h.store)));
    await expect.poll(() => tile.locator("[data-testid=temp]").innerText()).toBe("88.4°C");
    await expect.poll(() => deepEval<number>(page, "grill-stats-chart", "return el.data.x.length;")).toBe(rowsBefore + 1);
    expect(await deepEval<number | null>(page, "grill-stats-chart", `return el.data.y["${BUTT}"].at(-1);`)).toBeCloseTo(88.4, 5);
    await page.close();
  });

  it("saves a target typed in the tile (in °F after switching the unit)", async () => {
    const page = await newPage();
    await page.goto(base());
    const tile = tileNamed(page, "Brisket");
    const input = tile.locator("input[data-field=targetC]");
    await expect.poll(() => input.inputValue()).toBe("95");
    const put = settingsSaved(page, BRISKET);
    await input.fill("96");
    await input.press("Enter");
    expect((await put).status()).toBe(200);
    expect(h.store.getSettings(BRISKET).targetC).toBe(96);

    await page.locator("gs-app .units button", { hasText: "°F" }).click();
    // 96 °C is 204.8 °F: shown as it is (to 0.1), not rounded to a value that was never set.
    await expect.poll(() => input.inputValue()).toBe("204.8");
    const putF = settingsSaved(page, BRISKET);
    await input.fill("203");
    await input.press("Enter");
    await putF;
    expect(h.store.getSettings(BRISKET).targetC).toBe(95);
    await page.evaluate(() => localStorage.removeItem("grill-stats.unit"));
    await page.close();
  });

  it("shows a firing alarm with Acknowledge, and acknowledging it clears the banner", async () => {
    h.store.saveSettings({ probeId: PIT_ID, targetC: null, highC: 100, lowC: null });
    for (let i = 1; i <= 3; i++) {
      h.clock.set(fx.nowMs + i * 20_000);
      h.bus.emit("probes:state", decorateStates(statesFromStore(h.store)).map((s) => ({ ...s, tsMs: fx.nowMs + i * 20_000 })));
    }
    const page = await newPage();
    await page.goto(base());
    const banner = page.locator("[data-testid=alarm]");
    await expect.poll(() => banner.count()).toBe(1);
    // The panel writes the text in its own language and unit, from the alarm's facts.
    expect(await banner.innerText()).toMatch(/Pit is \d+\s°C, above 100\u00a0°C/);
    await page.screenshot({ path: artifactPath("panel-live-alarm.png"), fullPage: false });
    await page.locator("gs-app .units button", { hasText: "°F" }).click();
    await expect.poll(() => banner.innerText()).toMatch(/Pit is \d+\s°F, above 212\u00a0°F/);
    await page.evaluate(() => localStorage.removeItem("grill-stats.unit"));
    const german = await newPage();
    await german.addInitScript(() => localStorage.setItem("selectedLanguage", JSON.stringify("de")));
    await german.goto(base());
    await expect.poll(() => german.locator("[data-testid=alarm]").innerText()).toMatch(/Pit liegt mit \d+\s°C über 100\u00a0°C/);
    await german.close();
    await banner.locator("button", { hasText: "Acknowledge" }).click();
    await expect.poll(() => banner.count()).toBe(0);
    expect(session.alarms?.list().find((a) => a.probeId === PIT_ID && a.kind === "high")?.phase).toBe("acknowledged");
    h.store.saveSettings({ probeId: PIT_ID, targetC: null, highC: 135, lowC: 100 });
    await page.close();
  });

  it("drops a banner whose alarm was handled elsewhere in the meantime, without an error", async () => {
    const before = h.store.getSettings(BUTT);
    h.store.saveSettings({ ...before, targetC: 40 });
    for (let i = 4; i <= 6; i++) {
      h.clock.set(fx.nowMs + i * 20_000);
      h.bus.emit("probes:state", decorateStates(statesFromStore(h.store)).map((s) => ({ ...s, tsMs: fx.nowMs + i * 20_000 })));
    }
    const alarm = session.alarms?.list().find((a) => a.probeId === BUTT && a.kind === "target");
    expect(alarm?.phase).toBe("firing");
    const page = await newPage();
    await page.goto(base());
    const banner = page.locator("[data-testid=alarm]");
    await expect.poll(() => banner.count()).toBe(1);
    // The live stream stops: the page keeps what it had, as on a phone that slept.
    await page.evaluate(() => (document.querySelector("gs-app") as unknown as { _live: { source: EventSource | null } })._live.source?.close());
    session.alarms?.acknowledge(alarm?.id ?? "", "ha");
    const answer = page.waitForResponse((r) => r.url().includes("/snooze"));
    await banner.locator("button", { hasText: "Snooze" }).click();
    expect((await answer).status()).toBe(409);
    await expect.poll(() => banner.count()).toBe(0);
    expect(await page.locator("gs-alarm-banner .error-text").count()).toBe(0);
    // Its state as the add-on has it now (acknowledged), not one made up.
    const phase = await page.evaluate((id) => (document.querySelector("gs-app") as unknown as { _live: { alarms: Array<{ id: string; phase: string }> } })._live.alarms.find((x) => x.id === id)?.phase, alarm?.id);
    expect(phase).toBe("acknowledged");
    h.store.saveSettings(before);
    await page.close();
  });

  it("tells a snooze until its end, and a snooze that ran out (the reading waiting in the band) as the alarm again", async () => {
    const before = h.store.getSettings(PIT_ID);
    const clockBefore = h.clock.now();
    // The pit's low limit above its temperature: a low alarm goes off.
    h.store.saveSettings({ ...before, lowC: 300 });
    for (let i = 7; i <= 9; i++) {
      h.clock.set(fx.nowMs + i * 20_000);
      h.bus.emit("probes:state", decorateStates(statesFromStore(h.store)).map((s) => ({ ...s, tsMs: fx.nowMs + i * 20_000 })));
    }
    const page = await newPage();
    try {
      const alarm = session.alarms?.list().find((a) => a.probeId === PIT_ID && a.kind === "low" && (a.phase === "firing" || a.phase === "snoozed"));
      expect(alarm).toBeDefined();
      const banner = page.locator("[data-testid=alarm]");
      const snoozedText = async (): Promise<string> => {
        await page.goto(base());
        await expect.poll(() => banner.count()).toBe(1);
        return banner.innerText();
      };
      session.alarms?.snooze(alarm?.id ?? "", 30, "ha");
      expect(await snoozedText()).toMatch(/Snoozed until/);
      // Snoozed 40 min ago for 10: its end went by while no tick has judged it yet, as when the
      // reading waits inside the band.
      h.clock.set(Date.now() - 40 * 60_000);
      session.alarms?.snooze(alarm?.id ?? "", 10, "ha");
      const ranOut = await snoozedText();
      expect(ranOut).not.toMatch(/Snoozed until/);
      expect(ranOut).toMatch(/Since/);
    } finally {
      const alarm = session.alarms?.list().find((a) => a.probeId === PIT_ID && a.kind === "low" && (a.phase === "firing" || a.phase === "snoozed"));
      if (alarm) session.alarms?.acknowledge(alarm.id, "ha");
      h.store.saveSettings(before);
      h.clock.set(clockBefore);
      await page.close();
    }
  });

  it("lists cooks, opens one, and adds an annotation", async () => {
    const page = await newPage();
    await page.goto(`${base()}#/cooks`);
    const rows = page.locator("[data-testid=cook-row]");
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().innerText()).toContain("Brisket & pork butt");
    await page.screenshot({ path: artifactPath("panel-cooks.png"), fullPage: true });
    await rows.first().locator("a").click();
    await expect.poll(() => page.locator("[data-testid=cook-name]").inputValue()).toBe("Brisket & pork butt");
    await expect.poll(() => drawnPixels(page)).toBeGreaterThan(2000);
    expect(await page.locator("[data-testid=events]").innerText()).toContain("Two chunks of hickory");
    const tools = page.locator("gs-cook-tools");
    await tools.locator("#kind").selectOption("wrap");
    await tools.locator("#text").fill("Butcher paper");
    const post = page.waitForResponse((r) => r.url().endsWith(`/api/cooks/${fx.cookId}/events`) && r.request().method() === "POST");
    await tools.locator("button", { hasText: "Add" }).click();
    expect((await post).status()).toBe(201);
    expect(h.store.listCookEvents(fx.cookId).some((e) => e.kind === "wrap" && e.text === "Butcher paper")).toBe(true);
    await expect.poll(() => page.locator("[data-testid=events]").innerText()).toContain("Butcher paper");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: artifactPath("panel-cook-detail.png"), fullPage: true });
    await page.close();
  });

  it("overlays two cooks aligned at their start", async () => {
    const page = await newPage();
    await page.goto(`${base()}#/compare?ids=${fx.cookId},${fx.olderCookId}`);
    await expect.poll(() => deepEval<number>(page, "grill-stats-chart", "return el.series.length;")).toBeGreaterThan(1);
    await expect.poll(() => drawnPixels(page)).toBeGreaterThan(2000);
    const series = await deepEval<string[]>(page, "grill-stats-chart", "return el.series.map((s) => s.label);");
    expect(series).toEqual(expect.arrayContaining(["A · Brisket", "B · Brisket"]));
    expect(await deepEval<number>(page, "grill-stats-chart", "return el.data.x[0];")).toBe(0);
    // x is time since the start, not a time of day: 26 h 30 min into a cook reads 26:30, not 2:30.
    expect(await deepEval<string[]>(page, "grill-stats-chart", "return el._plot.axes[0].values(el._plot, [0, 95400, 180000]);")).toEqual(["0:00", "26:30", "50:00"]);
    await page.screenshot({ path: artifactPath("panel-compare.png"), fullPage: true });
    await page.close();
  });

  it("shows the alarms view with rules and deliveries, each delivery with its alarm and where it went in words", async () => {
    // Deliveries as the alarm worker records them (this session sends nothing itself).
    const alarmId = `${PIT_ID}:high`;
    const sent = [
      ["notify.mobile_app_phone", "Pit is 140\u00a0°C, above 135\u00a0°C"],
      ["event", "Pit is 140\u00a0°C, above 135\u00a0°C"],
      ["notify.mobile_app_phone", "clear_notification"],
    ] as const;
    sent.forEach(([channel, message], i) => {
      const item = h.store.enqueue({ key: `panel-test-${i}`, channel, payload: { title: "Grill Stats", message, alarmId }, createdMs: fx.nowMs + i });
      if (item) h.store.recordAttempt(item.id, fx.nowMs + i, true, null);
    });
    const page = await newPage();
    await page.goto(`${base()}#/alarms`);
    await expect.poll(() => page.locator("gs-alarms-view .rule").count()).toBeGreaterThan(5);
    const rows = page.locator("[data-testid=deliveries] tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    const texts = (await rows.allInnerTexts()).slice(0, 3).map((t) => t.replace(/\s+/g, " "));
    expect(texts[0]).toMatch(/Too hot Pit notify\.mobile_app_phone \(push removed\) Delivered/);
    expect(texts[1]).toMatch(/Too hot Pit Home Assistant event \(automations\) Delivered/);
    expect(texts[2]).toMatch(/Too hot Pit notify\.mobile_app_phone Delivered/);
    await page.screenshot({ path: artifactPath("panel-alarms.png"), fullPage: true });
    await page.close();
  });

  it("looks right in dark mode on a phone", async () => {
    const page = await newPage({ dark: true, width: 390, height: 844 });
    await page.goto(base());
    await expect.poll(() => page.locator("gs-probe-tile").count()).toBe(3);
    await expect.poll(() => drawnPixels(page)).toBeGreaterThan(1000);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(17, 17, 17)");
    await page.screenshot({ path: artifactPath("panel-live-dark-phone.png"), fullPage: true });
    await page.close();
  });

  it("shows labels from the cloud as text, never as HTML", async () => {
    h.store.upsertProbes([{ id: BUTT, deviceSerial: "10:06:1C:6F:47:70", deviceKey: BUTT.split("_")[0] as string, channel: "2", label: XSS, type: "Pro-Series", role: "meat" }]);
    h.store.updateCook(fx.cookId, { name: XSS });
    const page = await newPage();
    await page.goto(base());
    await expect.poll(() => tileNamed(page, XSS).count()).toBe(1);
    await page.goto(`${base()}#/cooks`);
    await expect.poll(() => page.locator("[data-testid=cook-row]", { hasText: XSS }).count()).toBe(1);
    const imgs = await page.evaluate(() => {
      const count = (root: Document | ShadowRoot): number =>
        root.querySelectorAll("img").length + [...root.querySelectorAll("*")].reduce((n, el) => n + (el.shadowRoot ? count(el.shadowRoot) : 0), 0);
      return count(document);
    });
    expect(imgs).toBe(0);
    expect(dialogs).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it("shows an RFX Meat probe as its core, and its four sensors on request", async () => {
    const serial = "M10001234";
    const key = "m10001234";
    h.store.upsertDevices([device({ serial, key, label: "RFX Meat", kind: "rfx_meat", model: "rfx_meat", lastSeenMs: fx.nowMs })]);
    const channels = ["core", "1", "2", "3", "4"];
    h.store.upsertProbes(channels.map((channel) => ({ id: `${key}_${channel}`, deviceSerial: serial, deviceKey: key, channel, label: channel === "core" ? "Tri-tip" : `Tri-tip sensor ${channel}`, type: "rfx", role: "meat" as const })));
    h.store.insertReadings(channels.map((channel, i) => ({ probeId: `${key}_${channel}`, tsMs: fx.nowMs, tempC: channel === "core" ? 48.5 : 48.5 + i * 3 })));
    const page = await newPage();
    await page.goto(base());
    await expect.poll(() => page.locator("gs-probe-tile").count()).toBe(4);
    expect(await tileNamed(page, "Tri-tip").count()).toBe(1);
    const toggle = page.locator("[data-testid=sensors-toggle]");
    expect(await toggle.innerText()).toBe("Show the RFX Meat sensors (4)");
    await toggle.click();
    await expect.poll(() => page.locator("gs-probe-tile").count()).toBe(8);
    expect(await tileNamed(page, "Tri-tip sensor").count()).toBe(4);
    await toggle.click();
    await expect.poll(() => page.locator("gs-probe-tile").count()).toBe(4);
    expect(outside).toEqual([]);
    await page.close();
  });
  it("marks a stalled probe wrapped: a wrap note on the running cook, shown on the tile", async () => {
    // The notes test wrapped the whole cook already (so the tile says so): start unwrapped.
    for (const e of h.store.listCookEvents(fx.cookId)) if (e.kind === "wrap") h.store.deleteCookEvent(e.id);
    // Two tiles a row, each at its narrowest.
    const page = await newPage({ width: 560 });
    await page.goto(base());
    const brisket = tileNamed(page, "Brisket");
    await expect.poll(() => brisket.locator("[data-testid=stall]").count()).toBe(1);
    // Only the stalled brisket offers it.
    await expect.poll(() => page.locator("gs-probe-tile [data-action=wrapped]").count()).toBe(1);
    // An action, worded as one: not a "Wrapped" that reads like the badge it turns into.
    expect(await brisket.locator("[data-action=wrapped]").innerText()).toBe("Mark wrapped");
    // Its badges and the button go to the next line rather than cut the name short.
    const nameCut = () => brisket.locator(".name").evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(await nameCut()).toBe(false);
    await brisket.locator("[data-action=wrapped]").click();
    const mine = () => h.store.listCookEvents(fx.cookId).filter((e) => e.kind === "wrap" && e.probeId === BRISKET);
    await expect.poll(() => mine().length).toBe(1);
    const note = mine()[0];
    // What the analytics service does on a new note: refresh the probe states (now with wrappedMs).
    h.bus.emit("probes:state", decorateStates(statesFromStore(h.store)));
    expect(note).toMatchObject({ probeId: BRISKET, text: "" });
    // The browser's clock, as the panel writes it.
    const clock = await page.evaluate((ms) => new Intl.DateTimeFormat("en", { hour: "numeric", minute: "2-digit" }).format(ms), note?.tsMs as number);
    await expect.poll(() => brisket.locator("[data-testid=wrapped]").innerText()).toBe(`Wrapped ${clock}`);
    expect(await brisket.locator("[data-action=wrapped]").count()).toBe(0);
    expect(await nameCut()).toBe(false);
    h.store.deleteCookEvent(note?.id as number);
    expect(outside).toEqual([]);
    await page.close();
  });
});
