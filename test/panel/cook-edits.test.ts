import { describe, expect, it } from "vitest";
import { artifactPath, hasChromium } from "../support/browser";
import { deltaE2000 } from "../card/color-distance";
import { BRISKET, BUTT, PIT_ID } from "./fixture";
import { deepEval, usePanelSession, type PanelSession } from "./session";

/** WCAG contrast of a "#rrggbb" line against a background. */
const contrast = (color: string, background: string): number => {
  const lum = (hex: string): number => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(color), lum(background)].sort((a, b) => b - a) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe.skipIf(!hasChromium())("panel cook tools and comparison", () => {
  let s: PanelSession;
  usePanelSession((started) => (s = started));

  it("names the part after a split in the reader's language", async () => {
    const page = await s.newPage();
    await page.addInitScript(() => localStorage.setItem("selectedLanguage", JSON.stringify("de")));
    await page.goto(`${s.base}#/cooks/${s.fx.olderCookId}`);
    const split = page.waitForResponse((r) => r.url().endsWith(`/api/cooks/${s.fx.olderCookId}/split`) && r.request().method() === "POST");
    await page.locator("gs-cook-tools button", { hasText: /^Teilen$/ }).click();
    expect((await split).status()).toBe(200);
    const part = s.h.store.listCooks({ limit: 10 }).find((c) => c.id !== s.fx.olderCookId && c.id !== s.fx.cookId);
    expect(part?.name).toBe("Brisket, last Saturday (Teil 2)");
    s.h.store.mergeCooks(s.fx.olderCookId, part?.id as number);
    await page.close();
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
    expect(part?.name).toBe("Brisket, last Saturday (part 2)");
    // The part after the split is there to merge back at once, without a reload; the running cook,
    // now past it, is not (merged, it would hold the part).
    await expect.poll(() => options.allTextContents()).toEqual([expect.stringMatching(/^Brisket, last Saturday \(part 2\) · /)]);
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
      expect.arrayContaining(["A · Brisket", "B · Brisket"]),
    );
    // The legend names a cook by its letter, which its card carries, not by its full name each time.
    expect(await page.locator("gs-compare-view .card", { has: page.locator("[data-testid=cook-tag]") }).allInnerTexts()).toEqual([
      expect.stringMatching(/^A\s+Brisket & pork butt/),
      expect.stringMatching(/^B\s+Brisket, last Saturday/),
    ]);
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

  it("gives every line of a comparison its own colour, the same probe the same hue, and each cook its own dash, alike in lines, legend and cards", async () => {
    // A third cook with all three probes (a week earlier): eight lines once the pits are ticked too.
    const startMs = s.fx.startMs - 7 * 24 * 3600_000;
    const third = s.h.store.createCook({ name: "Ribs", startMs, probeIds: [BRISKET, BUTT, PIT_ID] });
    s.h.store.updateCook(third.id, { endMs: startMs + 5 * 3600_000 });
    s.h.store.insertReadings([BRISKET, BUTT, PIT_ID].flatMap((probeId, p) => Array.from({ length: 50 }, (_, i) => ({ probeId, tsMs: startMs + i * 360_000 + p * 1000, tempC: 20 + i + p * 30 }))));
    const ids = [s.fx.cookId, s.fx.olderCookId, third.id];
    const page = await s.newPage();
    await page.goto(`${s.base}#/compare?ids=${ids.join(",")}`);
    const boxes = page.locator("gs-compare-view .probe input");
    await expect.poll(() => boxes.count()).toBe(8);
    for (let i = 0; i < 8; i++) await boxes.nth(i).check();
    type Line = { key: string; color: string; dash: number[] | null; legend: string; swatch: { stroke: string; dash: string } | null };
    const lines = (): Promise<Line[]> =>
      page.evaluate(() => {
        const find = (root: Document | ShadowRoot, sel: string): Element[] => [
          ...root.querySelectorAll(sel),
          ...[...root.querySelectorAll("*")].flatMap((el) => (el.shadowRoot ? find(el.shadowRoot, sel) : [])),
        ];
        const chart = find(document, "grill-stats-chart")[0] as HTMLElement & { series: Array<{ key: string; color: string; dash?: number[] }>; plot?: { root: HTMLElement } };
        const markers = [...(chart.plot?.root.querySelectorAll<HTMLElement>(".u-legend .u-series .u-marker") ?? [])].slice(1);
        return chart.series.map((x, i) => {
          const swatch = find(document, `[data-series="${x.key}"] line`)[0];
          return {
            key: x.key,
            color: x.color,
            dash: x.dash ?? null,
            legend: markers[i] ? getComputedStyle(markers[i]).borderTopStyle : "",
            swatch: swatch ? { stroke: swatch.getAttribute("stroke") ?? "", dash: swatch.getAttribute("stroke-dasharray") ?? "" } : null,
          };
        });
      });
    await expect.poll(async () => (await lines()).length).toBe(8);
    const all = await lines();
    const cookOf = (l: Line): string => l.key.split(":")[0] as string;
    const probeOf = (l: Line): string => l.key.slice(l.key.indexOf(":") + 1);

    // Every line its own colour, each readable on the light and the dark card.
    expect(new Set(all.map((l) => l.color)).size).toBe(all.length);
    for (const l of all) {
      expect(contrast(l.color, "#ffffff"), l.color).toBeGreaterThanOrEqual(2.4);
      expect(contrast(l.color, "#1c1c1c"), l.color).toBeGreaterThanOrEqual(2.4);
    }
    // One dash style per cook (the first solid), the same for all its lines; the legend and the cook's card draw it alike.
    const dashes = new Map<string, string>();
    for (const l of all) {
      const d = JSON.stringify(l.dash ?? []);
      expect(dashes.get(cookOf(l)) ?? d, l.key).toBe(d);
      dashes.set(cookOf(l), d);
      expect(l.legend, l.key).toBe(!l.dash?.length ? "solid" : (l.dash[0] as number) <= 3 ? "dotted" : "dashed");
      expect(l.swatch, l.key).toEqual({ stroke: l.color, dash: (l.dash ?? []).join(" ") });
    }
    expect(dashes.get(String(s.fx.cookId))).toBe("[]");
    expect(new Set(dashes.values()).size).toBe(3);
    // Lines of one cook differ in hue; the same probe in another cook keeps its hue (a shade of it).
    for (const a of all) {
      for (const b of all) {
        if (a === b) continue;
        if (cookOf(a) === cookOf(b)) expect(deltaE2000(a.color, b.color), `${a.key} ${a.color} / ${b.key} ${b.color}`).toBeGreaterThanOrEqual(15);
        else if (probeOf(a) === probeOf(b)) expect(deltaE2000(a.color, b.color), `${a.key} ${a.color} / ${b.key} ${b.color}`).toBeLessThan(25);
      }
    }
    await page.screenshot({ path: artifactPath("panel-compare-three.png"), fullPage: true });
    s.h.store.deleteCook(third.id);
    expect(s.outside).toEqual([]);
    await page.close();
  });
});
