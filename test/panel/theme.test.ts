/**
 * The panel in Home Assistant's theme: inside the ingress iframe it takes the theme variables of
 * Home Assistant's page (the user's dark mode, whatever the browser's scheme), and its key text
 * stays readable (WCAG 4.5:1) in light and dark.
 */
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasChromium } from "../support/browser";
import { contrasts } from "./contrasts";
import { openUnderHomeAssistant, usePanelSession, type PanelSession } from "./session";

const DARK = {
  "primary-background-color": "#111111", "secondary-background-color": "#282828", "card-background-color": "#1c1c1c",
  "primary-text-color": "#e1e1e1", "secondary-text-color": "#9b9b9b", "divider-color": "rgba(225, 225, 225, 0.12)",
  "app-header-background-color": "#101e24", "app-header-text-color": "#e1e1e1", "primary-color": "#03a9f4", "warning-color": "#ffa600",
};
const LIGHT = { ...DARK, "primary-background-color": "#fafafa", "card-background-color": "#ffffff", "primary-text-color": "#212121", "secondary-text-color": "#727272" };
const styleOf = (vars: Record<string, string>): string => Object.entries(vars).map(([k, v]) => `--${k}: ${v}`).join("; ");

const KEY_TEXT = ["gs-probe-tile >> .name", "gs-probe-tile >> [data-testid=temp]", "gs-probe-tile >> [data-testid=stall]", "gs-probe-tile >> .eta .detail", "gs-live-view >> .cook .muted"];

describe.skipIf(!hasChromium())("panel theme", () => {
  let session: PanelSession;
  usePanelSession((s) => (session = s));

  it("follows Home Assistant's dark theme around the ingress iframe, and its switch back to light", async () => {
    const page = await session.newPage({ dark: false, width: 1200 });
    const parent = `${session.proxy.url}/ha.html`;
    await page.route(parent, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html style="${styleOf(DARK)}"><body style="margin:0"><iframe src="${session.base}" style="width:1180px;height:880px;border:0"></iframe></body></html>`,
      }),
    );
    await page.goto(parent);
    const frame = page.frames().find((f) => f !== page.mainFrame()) as Frame;
    await expect.poll(() => frame.locator("gs-probe-tile").count()).toBe(3);
    const background = () => frame.evaluate(() => getComputedStyle(document.querySelector("gs-app") as Element).backgroundColor);
    expect(await background()).toBe("rgb(17, 17, 17)");
    for (const [sel, ratio] of Object.entries(await contrasts(frame, KEY_TEXT))) expect({ sel, ratio, ok: ratio >= 4.5 }, `${sel}: ${ratio}`).toMatchObject({ ok: true });
    await page.evaluate((style) => document.documentElement.setAttribute("style", style), styleOf(LIGHT));
    await expect.poll(background).toBe("rgb(250, 250, 250)");
    await page.close();
  });

  it("writes times and numbers in the formats of the user's Home Assistant profile (24-hour clock, decimal comma in English)", async () => {
    const page = await session.newPage({ dark: false, width: 1200 });
    const profile = { language: "en", time_format: "24", number_format: "decimal_comma", time_zone: "local" };
    const frame = await openUnderHomeAssistant(session, page, { locale: profile });
    await expect.poll(() => frame.locator("gs-probe-tile [data-testid=temp]").count()).toBe(3);
    const temps = await frame.locator("gs-probe-tile [data-testid=temp]").allInnerTexts();
    expect(temps.every((t) => /^\d+,\d/.test(t.trim())), temps.join(" | ")).toBe(true);
    await expect.poll(() => frame.locator("gs-probe-tile .eta").allInnerTexts().then((t) => t.join(" "))).toMatch(/\b\d{1,2}:\d{2}\b/);
    const eta = (await frame.locator("gs-probe-tile .eta").allInnerTexts()).join(" ");
    expect(eta).not.toMatch(/\b(AM|PM)\b/);
    // The chart's legend too (its values are those under the pointer).
    await frame.locator("gs-live-view grill-stats-chart .u-over").hover();
    const legend = () => frame.evaluate(() => {
      const chart = document.querySelector("gs-app")?.shadowRoot?.querySelector("gs-live-view")?.shadowRoot?.querySelector("grill-stats-chart");
      return [...(chart?.shadowRoot?.querySelectorAll(".u-legend .u-value") ?? [])].map((el) => el.textContent ?? "");
    });
    await expect.poll(legend).toEqual(expect.arrayContaining([expect.stringMatching(/^\d+,\d °C$/)]));
    // Outside Home Assistant's page: the language's own formats.
    await page.goto(`${session.base}#/live`);
    await expect.poll(() => page.locator("gs-probe-tile [data-testid=temp]").count()).toBe(3);
    expect((await page.locator("gs-probe-tile [data-testid=temp]").allInnerTexts()).every((t) => /^\d+\.\d/.test(t.trim()))).toBe(true);
    await page.close();
  });

  it("keeps the key text and status badges readable on its own in the browser's light and dark scheme", async () => {
    for (const dark of [false, true]) {
      const page = await session.newPage({ dark, width: 1200 });
      await page.goto(`${session.base}#/live`);
      await expect.poll(() => page.locator("gs-probe-tile [data-testid=stall]").count()).toBeGreaterThan(0);
      for (const [sel, ratio] of Object.entries(await contrasts(page, KEY_TEXT))) expect({ sel, dark, ratio, ok: ratio >= 4.5 }, `${sel} (dark: ${dark}): ${ratio}`).toMatchObject({ ok: true });
      await page.goto(`${session.base}#/cooks`);
      await expect.poll(() => page.locator("gs-cooks-view >> .badge.ok").count()).toBeGreaterThan(0);
      const [[sel, ratio]] = Object.entries(await contrasts(page, ["gs-cooks-view >> .badge.ok"])) as [[string, number]];
      expect({ sel, dark, ratio, ok: ratio >= 4.5 }, `${sel} (dark: ${dark}): ${ratio}`).toMatchObject({ ok: true });
      await page.close();
    }
  });
});
