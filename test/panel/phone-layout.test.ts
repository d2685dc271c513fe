import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { artifactPath, hasChromium } from "../support/browser";
import { BRISKET, PIT_ID } from "./fixture";
import { deepEval, usePanelSession, type PanelSession } from "./session";

const PHONE_PX = 390;
/** What a split names its second part: long enough that a select holding it is wider than a phone. */
const LONG_NAME = "Saturday smoke with the whole family, two briskets and a pork butt (part 2)";

const openIn = async (s: PanelSession, language: "en" | "de" | "fr" | "nl"): Promise<Page> => {
  const page = await s.newPage({ width: PHONE_PX, height: 844 });
  await page.addInitScript((lang) => localStorage.setItem("selectedLanguage", JSON.stringify(lang)), language);
  return page;
};

/** How far the page reaches to the right: more than the screen is a page that scrolls sideways. */
const pageWidth = (page: Page): Promise<number> => page.evaluate(() => document.documentElement.scrollWidth);

describe.skipIf(!hasChromium())("panel on a phone", () => {
  let s: PanelSession;
  usePanelSession((started) => (s = started));
  let longCookId = 0;

  beforeAll(() => {
    const cook = s.h.store.createCook({ name: LONG_NAME, startMs: s.fx.startMs - 3 * 3600_000, probeIds: [BRISKET, PIT_ID] });
    s.h.store.updateCook(cook.id, { endMs: s.fx.startMs - 3600_000 });
    longCookId = cook.id;
    s.h.store.addCookEvent({ cookId: s.fx.cookId, tsMs: s.fx.startMs + 110 * 60_000, kind: "lid_open", text: "Lid opened (Pit)", probeId: PIT_ID });
    // A firing alarm, so the Alarms tab carries its count badge.
    s.h.store.saveSettings({ probeId: PIT_ID, targetC: null, highC: 100, lowC: null });
    s.emitStates();
  });

  it.each(["en", "de", "fr", "nl"] as const)("never scrolls sideways at 390 px, in any view (%s)", async (language) => {
    const page = await openIn(s, language);
    const views: Record<string, [hash: string, ready: string]> = {
      live: ["#/live", "gs-probe-tile"],
      cooks: ["#/cooks", "gs-cooks-view a[href^='#/cooks/']"],
      cook: [`#/cooks/${s.fx.cookId}`, "gs-cook-tools #merge option"],
      longCook: [`#/cooks/${longCookId}`, "gs-cook-tools #merge option"],
      compare: [`#/compare?ids=${s.fx.cookId},${longCookId}`, "gs-compare-view grill-stats-chart"],
      alarms: ["#/alarms", "gs-alarms-view table"],
    };
    const widths: Record<string, number> = {};
    for (const [name, [hash, ready]] of Object.entries(views)) {
      await page.goto(`${s.base}${hash}`);
      await page.locator(ready).first().waitFor({ state: "attached" });
      await page.waitForTimeout(100);
      const width = (widths[name] = await pageWidth(page));
      if (width > PHONE_PX) await page.screenshot({ path: artifactPath(`phone-${language}-${name}.png`), fullPage: true });
    }
    expect(widths).toEqual(Object.fromEntries(Object.keys(views).map((k) => [k, expect.any(Number)])));
    for (const [name, width] of Object.entries(widths)) expect(width, name).toBeLessThanOrEqual(PHONE_PX);
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("wraps a timeline note at its words, and fits the probe table in its card", async () => {
    const page = await openIn(s, "de");
    await page.goto(`${s.base}#/cooks/${s.fx.cookId}`);
    const note = page.locator("gs-cook-tools [data-testid=events] li", { hasText: "Lid opened (Pit)" }).locator(".text");
    await note.waitFor({ state: "attached" });
    const box = await note.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { width: r.width, height: r.height, lineHeight: parseFloat(getComputedStyle(el).lineHeight) || 20 };
    });
    // Three words side by side or one under the other, never a letter per line.
    expect(box.height, JSON.stringify(box)).toBeLessThanOrEqual(3 * box.lineHeight + 1);
    expect(box.width).toBeGreaterThan(40);

    // The probe table fits its card as it is: the unit in the head, no sideways scrolling.
    const table = await deepEval<{ table: number; box: number; cols: string[] } | null>(
      page,
      "gs-cook-detail",
      `const t = el.shadowRoot.querySelector("table.summary");
       return t && { table: t.scrollWidth, box: t.parentElement.clientWidth, cols: [...t.querySelectorAll("tr:first-child th")].map((c) => Math.round(c.getBoundingClientRect().width) + ":" + c.textContent.trim()) };`,
    );
    expect(table?.table, JSON.stringify(table)).toBeLessThanOrEqual(table?.box as number);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE_PX);
    await page.screenshot({ path: artifactPath("phone-de-cook.png"), fullPage: true });
    await page.close();
  });

  it.each(["en", "de", "fr", "nl"] as const)("shows every tab and the alarm count on the screen (%s)", async (language) => {
    const page = await openIn(s, language);
    await page.goto(s.base);
    await page.locator("gs-app nav .count").waitFor();
    const boxes = await page.locator("gs-app nav a, gs-app nav .count").evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { text: el.textContent?.trim() ?? "", left: Math.round(r.left), right: Math.round(r.right) };
      }),
    );
    expect(boxes).toHaveLength(5);
    for (const b of boxes) {
      expect(b.left, b.text).toBeGreaterThanOrEqual(0);
      expect(b.right, b.text).toBeLessThanOrEqual(PHONE_PX);
    }
    // Still the links they were: reachable by keyboard, named by their text.
    expect(await page.locator("gs-app nav a").allInnerTexts()).toHaveLength(4);
    await page.screenshot({ path: artifactPath(`phone-${language}-tabs.png`) });
    await page.close();
  });
});
