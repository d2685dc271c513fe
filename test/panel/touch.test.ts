/**
 * The panel on a phone with touch (pointer: coarse), used with gloves at night: tap targets of
 * HA's touch size, readable text in light and dark, 200 % zoom, named alarm-rule controls, and
 * numbers that keep their unit.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { hasChromium } from "../support/browser";
import { PIT_ID } from "./fixture";
import { usePanelSession, type PanelSession } from "./session";

describe.skipIf(!hasChromium())("panel on a touch phone", () => {
  let s: PanelSession;
  usePanelSession((started) => (s = started));

  beforeAll(() => {
    // A firing alarm: the banner with Acknowledge / Snooze, the tile's alarm line, the tab's count.
    s.h.store.saveSettings({ probeId: PIT_ID, targetC: null, highC: 100, lowC: null });
    s.emitStates();
  });

  const open = async (width: number, height: number, hash: string, ready: string, dark = false): Promise<Page> => {
    const context = await s.browser.newContext({ viewport: { width, height }, hasTouch: true, colorScheme: dark ? "dark" : "light", deviceScaleFactor: 1 });
    const page = await s.newPage({ context });
    await page.goto(`${s.base}${hash}`);
    await page.locator(ready).first().waitFor({ state: "attached" });
    await page.waitForTimeout(100);
    return page;
  };

  it("keeps a number and its unit together: a no-break space before °C, %, min", async () => {
    const page = await open(360, 740, "#/live", "gs-probe-tile .alarm");
    const texts = await page.locator("gs-probe-tile .alarm, gs-alarm-banner .msg, gs-probe-tile .sub, gs-probe-tile .eta, gs-probe-tile .footer, gs-probe-tile .badge").allTextContents();
    const all = texts.join(" | ");
    expect(all).toMatch(/\d\u00a0°C/);
    expect(all).toMatch(/\d\u00a0%/);
    expect(all).toMatch(/\d\u00a0min/);
    // Every number before a unit is joined to it.
    expect(all.match(/\d[ \t\n]+(°[CF]|%|min\b|h\b|dBm)/g) ?? [], all).toEqual([]);
    await page.context().close();
  });
});
