import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hasChromium, BROWSER_HOOK_TIMEOUT_MS } from "../support/browser";
import { BRISKET } from "./fixture";
import { deepEval, startPanelSession, type PanelSession } from "./session";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** From a few minutes (ticks seconds apart) to ten days (ticks days apart). */
const SPANS_MS = [3 * MIN, 8 * MIN, 20 * MIN, 4 * HOUR, 30 * HOUR, 3 * DAY, 10 * DAY];
/**
 * Spans checked in the comparison only: on a phone, a cook's clock axis over 8 minutes can show a
 * single tick (its 76 px spacing allows no 2-minute step; a 5-minute step may meet the span once).
 */
const COMPARE_ONLY_MS = new Set([8 * MIN]);

const axisLabels = (page: Page): Promise<string[]> => deepEval<string[]>(page, "grill-stats-chart", "return [...(el?._plot?.axes[0]._values ?? [])];");

describe.skipIf(!hasChromium())("panel chart time axes", () => {
  let s: PanelSession;
  const cooks: Array<{ id: number; startMs: number; spanMs: number }> = [];

  beforeAll(async () => {
    s = await startPanelSession();
    // Finished cooks of each length, weeks before the fixture's, each with 300 brisket readings.
    let startMs = s.fx.startMs - 60 * DAY + 7 * MIN + 13_000;
    for (const spanMs of SPANS_MS) {
      const readings = Array.from({ length: 300 }, (_, i) => ({ probeId: BRISKET, tsMs: Math.round(startMs + (i * spanMs) / 299), tempC: 20 + (60 * i) / 299 }));
      s.h.store.insertReadings(readings);
      const cook = s.h.store.createCook({ name: `Axis ${spanMs / MIN} min`, startMs, probeIds: [BRISKET] });
      s.h.store.updateCook(cook.id, { endMs: startMs + spanMs });
      cooks.push({ id: cook.id, startMs, spanMs });
      startMs += spanMs + DAY;
    }
  }, BROWSER_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await s?.close();
  });

  /** Opens `hash` and returns the time axis once the chart has this cook's last reading (at `lastS` on x). */
  const labelsOf = async (page: Page, hash: string, lastS: number): Promise<string[]> => {
    await page.evaluate((h) => (location.hash = h), hash);
    await expect.poll(() => deepEval<number | null>(page, "grill-stats-chart", "return el?.data.x.at(-1) ?? null;")).toBe(lastS);
    await expect.poll(async () => (await axisLabels(page)).length).toBeGreaterThanOrEqual(2);
    return axisLabels(page);
  };

  it.each([
    ["a desktop", 1280],
    ["a phone", 390],
  ])("never repeats a label on a cook's chart or the comparison, from 3 minutes to 10 days, on %s", async (_name, width) => {
    const page = await s.newPage({ width });
    await page.goto(s.base);
    const seen: Record<string, string[]> = {};
    const titles: Record<string, string> = {};
    for (const { id, startMs, spanMs } of cooks) {
      if (!COMPARE_ONLY_MS.has(spanMs)) seen[`cook ${spanMs / MIN} min`] = await labelsOf(page, `#/cooks/${id}`, Math.round((startMs + spanMs) / 1000));
      // Compare shows time since the start (h:mm), so hour 24 is not hour 0 again.
      seen[`compare ${spanMs / MIN} min`] = await labelsOf(page, `#/compare?ids=${id}`, spanMs / 1000);
      titles[`compare ${spanMs / MIN} min`] = await page.locator("[data-testid=compare-axis-units]").innerText();
    }
    for (const [what, labels] of Object.entries(seen)) expect(new Set(labels).size, `${what}: ${labels.join(" | ")}`).toBe(labels.length);
    // Seconds where ticks come that close (a few minutes on a wide chart); past 24 h on the day-long comparison.
    if (width > 1000) {
      expect(seen[`cook 3 min`]?.join(" ")).toMatch(/\d:\d{2}:\d{2}/);
      expect(seen[`compare 3 min`]?.join(" ")).toMatch(/^0:00:\d{2}/);
    }
    expect(seen[`compare ${(30 * HOUR) / MIN} min`]?.some((l) => /^(2[4-9]|30):00$/.test(l))).toBe(true);
    // The comparison's ticks read as its title says: h:mm from a span of a few minutes on, h:mm:ss below.
    for (const spanMs of SPANS_MS) {
      const what = `compare ${spanMs / MIN} min`;
      const seconds = spanMs < 5 * MIN;
      expect(titles[what], what).toBe(seconds ? "(h:mm:ss, °C)" : "(h:mm, °C)");
      for (const label of seen[what] ?? []) expect(label, `${what}: ${seen[what]?.join(" | ")}`).toMatch(seconds ? /^\d+:\d{2}:\d{2}$/ : /^\d+:\d{2}$/);
    }
    expect(s.outside).toEqual([]);
    await page.close();
  });
});
