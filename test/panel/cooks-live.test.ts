/**
 * The cooks list follows what happens while it is open: a cook that ends, and the add-on away and
 * back (the Supervisor answers 502 meanwhile — a part we cannot run, so its answer is stood in by
 * the browser's request routing; the add-on behind it is the real one).
 */
import { describe, expect, it } from "vitest";
import { hasChromium } from "../support/browser";
import { usePanelSession, type PanelSession } from "./session";

describe.skipIf(!hasChromium())("panel cooks list", () => {
  let s: PanelSession;
  usePanelSession((started) => (s = started));

  it("shows an error, not \"no cooks yet\", while the add-on is away, and the cooks once it is back", async () => {
    const page = await s.newPage();
    let away = true;
    let refusedStreams = 0;
    await page.route("**/api/stream", (route) => {
      if (!away) return route.continue();
      refusedStreams++;
      return route.fulfill({ status: 502, contentType: "text/plain", body: "Bad Gateway" });
    });
    await page.route("**/api/cooks?*", (route) => (away ? route.fulfill({ status: 502, contentType: "text/plain", body: "Bad Gateway" }) : route.continue()));
    await page.goto(`${s.base}#/cooks`);
    const error = page.locator("gs-cooks-view .error-text");
    await expect.poll(() => error.count()).toBe(1);
    expect(await page.locator("gs-cooks-view .empty").count()).toBe(0);
    await expect.poll(() => refusedStreams).toBeGreaterThan(0);
    away = false;
    // The stream comes back (a new snapshot): the list is read again, without a reload.
    await expect.poll(() => page.locator("[data-testid=cook-row]").count(), { timeout: 20_000 }).toBe(2);
    expect(await error.count()).toBe(0);
    await page.close();
  });

  it("follows a cook that ends while the list is open", async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#/cooks`);
    const running = page.locator("[data-testid=cook-row] .badge.ok");
    await expect.poll(() => running.count()).toBe(1);
    const cook = s.h.store.updateCook(s.fx.cookId, { endMs: s.fx.nowMs });
    s.h.bus.emit("cook:changed", { cook, change: "ended" });
    await expect.poll(() => running.count()).toBe(0);
    expect(await page.locator("[data-testid=cook-row]").count()).toBe(2);
    await page.close();
  });
});
