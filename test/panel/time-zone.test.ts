import { beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { hasChromium, BROWSER_HOOK_TIMEOUT_MS } from "../support/browser";
import { BRISKET, PIT_ID } from "./fixture";
import { openUnderHomeAssistant, tileNamed, usePanelSession, type PanelSession } from "./session";

const BROWSER_ZONE = "America/New_York";
const SERVER_ZONE = "Europe/Berlin";
/** A past cook across midnight in Berlin: Thu 16 Jan 2025, 00:30–04:30 there; Wed 15 Jan, 18:30–22:30 in New York. */
const START_MS = Date.UTC(2025, 0, 15, 23, 30);
const END_MS = START_MS + 4 * 3600_000;
/** A note in it at 02:00 in Berlin (20:00 in New York). */
const NOTE_MS = Date.UTC(2025, 0, 16, 1, 0);
const HOUR_MS = 3600_000;

/** Text with its spaces as plain spaces (the panel joins a number and its unit with a no-break space, Intl "6:30 PM" with a narrow one). */
const plain = (text: string): string => text.replace(/\s+/g, " ").trim();

/** "HH:MM" of `tsMs` in `timeZone`, as numbers (the panel's own text is parsed to compare). */
const wallClock = (tsMs: number, timeZone: string): [number, number] => {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "numeric", minute: "numeric" }).formatToParts(tsMs);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return [part("hour"), part("minute")];
};

/** The hours (0–23) and minutes of each clock time in `text`, on a 24-hour ("18:42") or 12-hour clock ("6:42 PM"). */
const clocksIn = (text: string): Array<[number, number]> =>
  [...text.matchAll(/\b(\d{1,2}):(\d{2})(?::\d{2})?(?:\s?(AM|PM))?/g)].map((m) => [(Number(m[1]) % (m[3] ? 12 : 24)) + (m[3] === "PM" ? 12 : 0), Number(m[2])]);

describe.skipIf(!hasChromium())("panel times in the time zone of the Home Assistant profile", () => {
  let s: PanelSession;
  let context: BrowserContext;
  let cookId = 0;
  usePanelSession((started) => (s = started));

  beforeAll(async () => {
    const readings = Array.from({ length: 241 }, (_, i) => ({ probeId: BRISKET, tsMs: START_MS + i * 60_000, tempC: 20 + i / 4 }));
    s.h.store.insertReadings(readings);
    const cook = s.h.store.createCook({ name: "Overnight brisket", startMs: START_MS, probeIds: [BRISKET] });
    s.h.store.updateCook(cook.id, { endMs: END_MS });
    s.h.store.addCookEvent({ cookId: cook.id, tsMs: NOTE_MS, kind: "spritz", text: "" });
    cookId = cook.id;
    // The pit above its 135 °C high alarm: a banner with its time.
    s.emitStates((st) => (st.id === PIT_ID ? { ...st, tempC: 150 } : st));
    // The browser in New York, whatever zone the machine running the test is in.
    context = await s.browser.newContext({ timezoneId: BROWSER_ZONE, locale: "en-US", viewport: { width: 1280, height: 900 } });
  }, BROWSER_HOOK_TIMEOUT_MS);

  /** The panel in its iframe under a page like Home Assistant's, with the user's profile and Home Assistant's zone. */
  const openInHomeAssistant = (page: Page, timeZone: "local" | "server", hash = "", serverZone = SERVER_ZONE): Promise<Frame> =>
    openUnderHomeAssistant(s, page, { locale: { language: "en", number_format: "language", time_format: "24", time_zone: timeZone }, config: { time_zone: serverZone } }, hash);

  /** What the panel shows of the fixed cook, the running one, and the pit's alarm. */
  const readTimes = async (frame: Frame) => {
    // The live view: the done time in a tile, the alarm banner, when the running cook started.
    await expect.poll(() => tileNamed(frame, "Brisket").locator(".eta").innerText()).toMatch(/\d:\d{2}/);
    const doneMs = await tileNamed(frame, "Brisket").evaluate((el) => (el as unknown as { probe: { eta: { doneMs: number } } }).probe.eta.doneMs);
    const eta = await tileNamed(frame, "Brisket").locator(".eta").innerText();
    const banner = frame.locator("gs-alarm-banner [data-testid=alarm]", { hasText: "Pit" });
    await expect.poll(() => banner.count()).toBe(1);
    const bannerText = await banner.innerText();
    const sinceMs = s.alarms?.list().find((a) => a.probeId === PIT_ID && a.kind === "high")?.sinceMs ?? 0;
    const started = await frame.locator("gs-live-view .cook .muted").innerText();

    // The alarms view: since when the pit's alarm goes off.
    await frame.evaluate(() => (location.hash = "#/alarms"));
    const sinceCell = frame.locator("gs-alarms-view [data-testid=alarm-row]", { hasText: "above 135" }).locator("[data-testid=alarm-since]");
    await expect.poll(() => sinceCell.count()).toBe(1);
    const since = await sinceCell.innerText();

    // The cook list, then the cook: its dates, its timeline, its chart's axis and legend, the times to pick.
    await frame.evaluate(() => (location.hash = "#/cooks"));
    const row = frame.locator("[data-testid=cook-row]", { hasText: "Overnight brisket" });
    await expect.poll(() => row.count()).toBe(1);
    const listed = await row.locator(".title .muted").innerText();
    await frame.evaluate((id) => (location.hash = `#/cooks/${id}`), cookId);
    const chart = frame.locator("gs-cook-detail grill-stats-chart");
    await expect.poll(() => chart.evaluate((el) => (el as unknown as { data: { x: number[] } }).data.x.at(-1) ?? null)).toBe(END_MS / 1000);
    await expect.poll(() => chart.evaluate((el) => ((el as unknown as { _plot?: { axes: Array<{ _values?: string[] }> } })._plot?.axes[0]?._values ?? []).length)).toBeGreaterThanOrEqual(2);
    const axis = await chart.evaluate((el) => [...((el as unknown as { _plot: { axes: Array<{ _values: string[] }> } })._plot.axes[0]?._values ?? [])]);
    const over = chart.locator(".u-over");
    const box = await over.boundingBox();
    if (!box) throw new Error("the chart has no plot area");
    // Over the middle of the cook: its legend's time is the one under the pointer.
    await over.hover({ position: { x: box.width / 2, y: box.height / 2 } });
    const legendTime = chart.locator(".u-legend .u-series").first().locator(".u-value");
    await expect.poll(() => legendTime.innerText()).toMatch(/\d:\d{2}:\d{2}/);
    const head = await frame.locator("gs-cook-detail .head .muted").innerText();
    const tools = frame.locator("gs-cook-tools");
    const timeline = await tools.locator("[data-testid=events] .when").first().innerText();
    return {
      eta: plain(eta), doneMs, started: plain(started), banner: plain(bannerText), since: plain(since), sinceMs, listed: plain(listed), head: plain(head),
      axis: axis.map(plain), legend: plain(await legendTime.innerText()), timeline: plain(timeline),
      at: await tools.locator("#at").inputValue(),
      split: await tools.locator("#split").inputValue(),
    };
  };

  it("shows every time and date in Home Assistant's zone when the profile says \"server\"", async () => {
    const page = await s.newPage({ context });
    const frame = await openInHomeAssistant(page, "server");
    const t = await readTimes(frame);

    expect(clocksIn(t.eta)[0]).toEqual(wallClock(Math.round(t.doneMs / 60_000) * 60_000, SERVER_ZONE));
    expect(clocksIn(t.banner).at(-1)).toEqual(wallClock(t.sinceMs, SERVER_ZONE));
    expect(clocksIn(t.since).at(-1)).toEqual(wallClock(t.sinceMs, SERVER_ZONE));
    expect(clocksIn(t.started)[0]).toEqual(wallClock(s.fx.startMs, SERVER_ZONE));
    expect(t.listed).toMatch(/^Thu, Jan 16, 00:30 · 4 h$/);
    expect(t.head).toMatch(/^Thu, Jan 16, 00:30 – Thu, Jan 16, 04:30 · 4 h$/);
    expect(t.timeline).toMatch(/^02:00 /);
    // The axis ticks on Berlin's clock (00:30–04:30), as the legend under the pointer (about 02:30).
    expect(t.axis.every((l) => /^0[0-4]:\d{2}$/.test(l)), t.axis.join(" | ")).toBe(true);
    expect(t.legend).toMatch(/^0[1-3]:\d{2}:\d{2}$/);
    // The times to pick are Berlin's too: the cook's end, its middle.
    expect(t.at).toBe("2025-01-16T04:30");
    expect(t.split).toBe("2025-01-16T02:30");

    // A note typed at 03:00 is 03:00 in Berlin (02:00 UTC), not in New York.
    const tools = frame.locator("gs-cook-tools");
    await tools.locator("#at").fill("2025-01-16T03:00");
    await tools.locator("#kind").selectOption("spritz");
    await tools.locator("#text").fill("Berlin time");
    const added = page.waitForResponse((r) => r.url().endsWith(`/api/cooks/${cookId}/events`) && r.request().method() === "POST");
    await tools.locator("button", { hasText: /^Add$/ }).click();
    expect((await added).status()).toBeLessThan(300);
    const note = s.h.store.listCookEvents(cookId).find((e) => e.text === "Berlin time");
    expect(note?.tsMs).toBe(NOTE_MS + HOUR_MS);
    await expect.poll(() => tools.locator("[data-testid=events] li", { hasText: "Berlin time" }).locator(".when").innerText()).toMatch(/^03:00 /);
    if (note) s.h.store.deleteCookEvent(note.id);

    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("follows a change of the profile's time zone while it is open, as if opened afresh, the chart's ticks included", async () => {
    // Kathmandu is 5:45 ahead of UTC: ticks placed on New York's round clock times would read 5:45 past the hour there.
    const kathmandu = { locale: { language: "en", number_format: "language", time_format: "24", time_zone: "server" }, config: { time_zone: "Asia/Kathmandu" } };
    const page = await s.newPage({ context });
    const older = `#/cooks/${s.fx.olderCookId}`;
    const axisOf = async (frame: Frame): Promise<string[]> => {
      const chart = frame.locator("gs-cook-detail grill-stats-chart");
      await expect.poll(() => chart.evaluate((el) => (el as unknown as { data: { x: number[] } }).data.x.length)).toBeGreaterThan(0);
      return chart.evaluate((el) => [...((el as unknown as { _plot: { axes: Array<{ _values?: string[] }> } })._plot.axes[0]?._values ?? [])]);
    };
    // The panel opened in that profile (Home Assistant in Kathmandu): the axis to match.
    const freshPage = await s.newPage({ context });
    const freshFrame = await openInHomeAssistant(freshPage, "server", older, "Asia/Kathmandu");
    await expect.poll(() => freshFrame.locator("gs-cook-detail .head .muted").innerText().catch(() => "")).toMatch(/\d:\d{2}/);
    expect(clocksIn(plain(await freshFrame.locator("gs-cook-detail .head .muted").innerText()))[0]).toEqual(wallClock(s.fx.startMs - 24 * HOUR_MS, "Asia/Kathmandu"));
    const fresh = await axisOf(freshFrame);
    expect(fresh.length).toBeGreaterThanOrEqual(2);
    await freshPage.close();

    const frame = await openInHomeAssistant(page, "local", older);
    const head = frame.locator("gs-cook-detail .head .muted");
    await expect.poll(() => head.innerText()).toMatch(/\d:\d{2}/);
    const inNewYork = await head.innerText();
    expect(clocksIn(plain(inNewYork))[0]).toEqual(wallClock(s.fx.startMs - 24 * HOUR_MS, BROWSER_ZONE));
    expect(await axisOf(frame)).not.toEqual(fresh);

    // The user picks "server" in the profile and comes back to the panel: the same as opened afresh
    // (polled: the chart is rebuilt after the text).
    await page.evaluate((hass) => Object.assign(document.querySelector("home-assistant") as HTMLElement, { hass }), kathmandu);
    await frame.evaluate(() => window.dispatchEvent(new Event("focus")));
    await expect.poll(() => head.innerText()).not.toBe(inNewYork);
    expect(clocksIn(plain(await head.innerText()))[0]).toEqual(wallClock(s.fx.startMs - 24 * HOUR_MS, "Asia/Kathmandu"));
    await expect.poll(() => axisOf(frame)).toEqual(fresh);
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("shows them in the browser's zone when the profile says \"local\", and outside Home Assistant", async () => {
    const page = await s.newPage({ context });
    for (const open of [() => openInHomeAssistant(page, "local"), async () => (await page.goto(s.base), page.mainFrame())]) {
      const frame = await open();
      const t = await readTimes(frame);
      expect(clocksIn(t.eta)[0]).toEqual(wallClock(Math.round(t.doneMs / 60_000) * 60_000, BROWSER_ZONE));
      expect(clocksIn(t.banner).at(-1)).toEqual(wallClock(t.sinceMs, BROWSER_ZONE));
      expect(clocksIn(t.since).at(-1)).toEqual(wallClock(t.sinceMs, BROWSER_ZONE));
      expect(clocksIn(t.started)[0]).toEqual(wallClock(s.fx.startMs, BROWSER_ZONE));
      // Outside Home Assistant's page the language's 12-hour clock: only the hours are compared there.
      expect(t.listed).toMatch(/^Wed, Jan 15, (18:30|6:30\sPM) · 4 h$/);
      expect(t.head).toMatch(/^Wed, Jan 15, (18:30|6:30\sPM) – Wed, Jan 15, (22:30|10:30\sPM) · 4 h$/);
      expect(t.timeline).toMatch(/^(20:00|8:00\sPM) /);
      expect(t.axis.every((l) => /^(1[89]|2[0-2]):\d{2}$|^([6-9]|10):\d{2}\sPM$/.test(l)), t.axis.join(" | ")).toBe(true);
      expect(t.legend).toMatch(/^(19|20|21|[7-9]):\d{2}:\d{2}(\sPM)?$/);
      expect(t.at).toBe("2025-01-15T22:30");
      expect(t.split).toBe("2025-01-15T20:30");
    }
    expect(s.outside).toEqual([]);
    await page.close();
  });
});
