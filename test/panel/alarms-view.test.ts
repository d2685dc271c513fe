import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator } from "playwright-core";
import { artifactPath, hasChromium, BROWSER_HOOK_TIMEOUT_MS } from "../support/browser";
import { DEVICE_KEY, device } from "../http/harness";
import { PIT_ID } from "./fixture";
import { startPanelSession, type PanelSession } from "./session";

/** How many lines the text of an element takes (its line boxes). */
const linesOf = (cell: Locator): Promise<number> =>
  cell.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  });

describe.skipIf(!hasChromium())("panel alarms view", () => {
  let s: PanelSession;

  beforeAll(async () => {
    s = await startPanelSession();
    // The device as the cloud names it, reporting a low battery: device rules, and a device alarm.
    const smoker = device({ label: "Big Smoker", lastSeenMs: s.fx.nowMs, batteryPct: 4 });
    s.h.store.upsertDevices([smoker]);
    s.h.bus.emit("poll:result", { atMs: s.fx.nowMs, devices: [smoker], probes: [], readings: [] });
    s.h.store.saveSettings({ probeId: PIT_ID, targetC: null, highC: 100, lowC: null });
    s.emitStates();
  }, BROWSER_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await s?.close();
  });

  it("names a device's rules and alarms by the device's label, not its key", async () => {
    expect(s.alarms?.list().find((a) => a.deviceKey === DEVICE_KEY && a.kind === "battery_low")?.phase).toBe("firing");
    const page = await s.newPage();
    await page.goto(`${s.base}#/alarms`);
    const summaries = page.locator("gs-alarms-view summary");
    await expect.poll(() => summaries.allInnerTexts()).toContainEqual(expect.stringMatching(/^Big Smoker \(device\) · \d+ of \d+ on$/));
    expect((await summaries.allInnerTexts()).filter((t) => t.includes(DEVICE_KEY))).toEqual([]);
    const row = page.locator("gs-alarms-view tbody tr", { hasText: "Battery low" });
    await expect.poll(() => row.locator("td").first().innerText()).toBe("Battery low\nBig Smoker");
    expect(await page.locator("gs-alarms-view").innerText()).not.toContain(DEVICE_KEY);

    await page.evaluate(() => localStorage.setItem("selectedLanguage", JSON.stringify("de")));
    await page.reload();
    await expect.poll(() => summaries.allInnerTexts()).toContainEqual(expect.stringMatching(/^Big Smoker \(Gerät\) · /));
    await page.evaluate(() => localStorage.removeItem("selectedLanguage"));
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it.each([["en"], ["de"]])("keeps the alarm table readable on a 390 px phone (%s): the time on one line, nothing cut off", async (language) => {
    const page = await s.newPage({ width: 390, height: 844 });
    await page.addInitScript((l) => localStorage.setItem("selectedLanguage", JSON.stringify(l)), language);
    await page.goto(`${s.base}#/alarms`);
    // The alarms that went off (the armed ones are folded away below them).
    const rows = page.locator("gs-alarms-view table").first().locator("[data-testid=alarm-row]");
    await expect.poll(() => rows.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const since = rows.nth(i).locator("[data-testid=alarm-since]");
      expect(await linesOf(since), await since.innerText()).toBe(1);
      // The full date and time stays at hand.
      expect(await since.getAttribute("title")).toMatch(/\d{1,2}:\d{2}/);
      expect(await linesOf(rows.nth(i).locator("[data-testid=alarm-message]"))).toBeLessThanOrEqual(2);
    }
    const card = page.locator("gs-alarms-view .card", { has: page.locator("[data-testid=alarm-row]") }).first();
    expect(await card.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await page.screenshot({ path: artifactPath(`panel-alarms-phone-${language}.png`), fullPage: true });
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("puts a rule's switch back when the change could not be saved", async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#/alarms`);
    // The connection drops on the way to the service: nothing is saved.
    await page.route("**/api/alarms/rules", (r) => (r.request().method() === "PUT" ? r.abort("connectionreset") : r.continue()));
    const toggle = page.locator("gs-alarms-view .rule", { hasText: "Probe unplugged" }).first().locator("input[type=checkbox]").first();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await toggle.click();
    await expect.poll(() => page.locator("gs-alarms-view .rule-error").count()).toBe(1);
    // The switch shows what the service has, not what was clicked.
    await expect.poll(() => toggle.isChecked()).toBe(true);
    expect(s.alarms?.rules().find((r) => r.kind === "unplugged" && r.probeId === null)?.enabled).toBe(true);
    await page.close();
  });
  it("says rules and deliveries could not be read while the add-on is away, not that there are none, and reads them once it is back", async () => {
    const page = await s.newPage();
    let away = true;
    // The Supervisor's 502 while the add-on restarts (stood in by the browser's routing).
    await page.route(/\/api\/(stream|alarms\/rules|alarms\/deliveries)/, (route) =>
      away ? route.fulfill({ status: 502, contentType: "text/plain", body: "Bad Gateway" }) : route.continue(),
    );
    await page.goto(`${s.base}#/alarms`);
    const view = page.locator("gs-alarms-view");
    await expect.poll(() => view.locator(".error-text").count()).toBe(1);
    expect(await view.innerText()).not.toMatch(/No rules\.|No notifications sent yet\./);
    away = false;
    await expect.poll(() => view.locator(".rule").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await view.locator(".error-text").count()).toBe(0);
    await page.close();
  });
});
