import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium } from "../support/browser";
import { deepEval, startPanelSession, type PanelSession } from "./session";

describe.skipIf(!hasChromium())("panel cook tools and comparison", () => {
  let s: PanelSession;

  beforeAll(async () => {
    s = await startPanelSession();
  });

  afterAll(async () => {
    await s?.close();
  });

  it("keeps the Merge with list current after a split and a merge, and for the cook shown", async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#/cooks/${s.fx.olderCookId}`);
    const options = page.locator("gs-cook-tools #merge option");
    await expect.poll(() => options.allTextContents()).toEqual([expect.stringMatching(/^Brisket & pork butt · /)]);

    const split = page.waitForResponse((r) => r.url().endsWith(`/api/cooks/${s.fx.olderCookId}/split`) && r.request().method() === "POST");
    await page.locator("gs-cook-tools button", { hasText: /^Split$/ }).click();
    expect((await split).status()).toBe(200);
    const part = s.h.store.listCooks({ limit: 10 }).find((c) => c.id !== s.fx.olderCookId && c.id !== s.fx.cookId);
    expect(part).toBeDefined();
    // The part after the split is there to merge back at once, without a reload.
    await expect.poll(() => options.count()).toBe(2);
    expect(await page.locator("gs-cook-tools #merge").inputValue()).not.toBe("");
    await page.locator("gs-cook-tools #merge").selectOption(String(part?.id));
    const merge = page.waitForResponse((r) => r.url().endsWith(`/api/cooks/${s.fx.olderCookId}/merge`) && r.request().method() === "POST");
    await page.locator("gs-cook-tools button", { hasText: /^Merge$/ }).click();
    expect((await merge).status()).toBe(200);
    await expect.poll(() => options.count()).toBe(1);

    // Another cook in the same view: its list offers the others, never itself.
    await page.evaluate((id) => (location.hash = `#/cooks/${id}`), s.fx.cookId);
    await expect.poll(() => page.locator("[data-testid=cook-name]").inputValue()).toBe("Brisket & pork butt");
    await expect.poll(() => options.allTextContents()).toEqual([expect.stringMatching(/^Brisket, last Saturday · /)]);
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("compares the known cooks when an id in the address is unknown, and says which was left out", async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#/compare?ids=${s.fx.cookId},999,${s.fx.olderCookId}`);
    const notice = page.locator("[data-testid=compare-missing]");
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.innerText()).toContain("#999");
    await expect.poll(() => deepEval<string[]>(page, "grill-stats-chart", "return el ? el.series.map((x) => x.label) : [];")).toEqual(
      expect.arrayContaining(["Brisket & pork butt · Brisket", "Brisket, last Saturday · Brisket"]),
    );
    expect(await deepEval<number>(page, "grill-stats-chart", "return el.data.x.length;")).toBeGreaterThan(100);

    await notice.locator("button").click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/compare?ids=${s.fx.cookId},${s.fx.olderCookId}`);
    await expect.poll(() => notice.count()).toBe(0);

    // Only an unknown cook: the notice, the hint to pick cooks, and no chart.
    await page.evaluate(() => (location.hash = "#/compare?ids=999"));
    await expect.poll(() => notice.count()).toBe(1);
    expect(await page.locator("gs-compare-view grill-stats-chart").count()).toBe(0);
    expect(await page.locator("[data-testid=compare-pick]").count()).toBe(1);
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("shows an empty comparison as such, not as a chart with a nonsense time axis", async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#/compare`);
    await expect.poll(() => page.locator("[data-testid=compare-pick]").allInnerTexts()).toEqual([expect.stringMatching(/^Pick at least two cooks/)]);
    expect(await page.locator("gs-compare-view grill-stats-chart").count()).toBe(0);

    // A cook's probes all unticked: a hint to tick one instead of an empty chart.
    await page.evaluate((id) => (location.hash = `#/compare?ids=${id}`), s.fx.olderCookId);
    const boxes = page.locator("gs-compare-view .probe input:checked");
    await expect.poll(() => boxes.count()).toBeGreaterThan(0);
    expect(await page.locator("gs-compare-view grill-stats-chart").count()).toBe(1);
    for (let n = await boxes.count(); n > 0; n--) await boxes.first().uncheck();
    await expect.poll(() => page.locator("[data-testid=compare-empty]").allInnerTexts()).toEqual(["Tick a probe of a cook below to draw it."]);
    expect(await page.locator("gs-compare-view grill-stats-chart").count()).toBe(0);

    // A cook without readings (created, nothing recorded): said so.
    const empty = s.h.store.createCook({ name: "Nothing recorded", startMs: s.fx.startMs - 40 * 3600_000, probeIds: [] });
    s.h.store.updateCook(empty.id, { endMs: s.fx.startMs - 39 * 3600_000 });
    await page.evaluate((id) => (location.hash = `#/compare?ids=${id}`), empty.id);
    await expect.poll(() => page.locator("[data-testid=compare-empty]").allInnerTexts()).toEqual(["These cooks have no readings to draw."]);
    expect(await page.locator("gs-compare-view grill-stats-chart").count()).toBe(0);
    s.h.store.deleteCook(empty.id);
    expect(s.outside).toEqual([]);
    await page.close();
  });
});
