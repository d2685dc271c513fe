import { describe, expect, it } from "vitest";
import { hasChromium } from "../support/browser";
import { usePanelSession, type PanelSession } from "./session";

describe.skipIf(!hasChromium())("panel page load", () => {
  let s: PanelSession;
  usePanelSession((started) => (s = started));

  it("loads every tab without a console error: the icon is in the page, no /favicon.ico to miss", async () => {
    const page = await s.newPage();
    const icons: string[] = [];
    page.on("response", (r) => {
      if (new URL(r.url()).pathname.endsWith("favicon.ico")) icons.push(`${r.status()} ${r.url()}`);
    });
    for (const hash of ["#/live", "#/cooks", `#/cooks/${s.fx.cookId}`, `#/compare?ids=${s.fx.cookId},${s.fx.olderCookId}`, "#/alarms"]) {
      await page.goto(`${s.base}${hash}`);
      await expect.poll(() => page.locator("gs-app nav a[aria-current=page]").count()).toBe(1);
    }
    // The browser asks for the icon after the load: let it.
    await page.waitForTimeout(300);
    expect(icons).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
    expect(await page.locator("link[rel=icon]").getAttribute("href")).toMatch(/^data:image\/svg\+xml,/);
    expect(s.outside).toEqual([]);
    await page.close();
  });
});
