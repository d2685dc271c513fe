/**
 * The card on a phone in Chromium with touch (pointer: coarse), as a pitmaster with gloves uses
 * it: tap targets, readable text on the tile and on filled buttons, 200 % zoom, long names.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactPath, hasChromium, launchBrowser, BROWSER_HOOK_TIMEOUT_MS } from "../support/browser";
import { gap, SPACING_PX, TOUCH_PX, type TapBox } from "../support/tap-targets";
import { textContrast } from "./contrast";
import { BRISKET, BUTT, PIT, buildStates, type FixtureState } from "./fixtures/states";
import { buildCardBundle, cookHistory, startFixtureServer } from "./harness";
import type { PageWindow } from "./page-types";

const tempId = (k: string) => `sensor.grill_stats_${k}_temperature`;
const stallId = (k: string) => `binary_sensor.grill_stats_${k}_stall`;
type Box = TapBox;

/** The card in a state with every control on it: a firing pit alarm, a stalled brisket, the chart. */
const mountArgs = (opts: { darkMode?: boolean; names?: Record<string, string>; language?: string } = {}) => {
  const nowMs = Date.now();
  const states = buildStates({ nowMs, unit: "°F" });
  const pit = states[tempId(PIT)] as FixtureState;
  Object.assign(pit.attributes, { alarm: "firing", alarm_message: "Pit below 230 °F" });
  Object.assign((states[stallId(BRISKET)] as FixtureState).attributes, { since: new Date(nowMs - 90 * 60_000).toISOString(), duration_minutes: 90 });
  const history = cookHistory(nowMs / 1000, 23_400, { pit: tempId(PIT), a: tempId(BRISKET), b: tempId(BUTT) });
  const probes = opts.names ? Object.entries(opts.names).map(([probe, name]) => ({ probe, name })) : undefined;
  return {
    config: { type: "custom:grill-stats-card", show_device: true, ...(probes ? { probes } : {}) },
    states,
    history,
    language: opts.language ?? "en",
    darkMode: opts.darkMode ?? false,
    timeZone: "America/Chicago",
    noStream: false,
    wide: false,
  };
};

/** Every tap target of the card (buttons, the chart legend's entries), with its box. */
const targets = (page: Page): Promise<Box[]> =>
  page.evaluate(() => {
    const h = (window as unknown as PageWindow).harness;
    const root = h.card.shadowRoot as ShadowRoot;
    const legend = [...(h.chart().shadowRoot?.querySelectorAll(".u-legend .u-series th") ?? [])].filter((el) => (el as HTMLElement).offsetParent !== null);
    return [...root.querySelectorAll("button"), ...legend].map((el) => {
      const r = el.getBoundingClientRect();
      const what = `${el.getAttribute("data-setting") ?? el.getAttribute("data-action") ?? el.getAttribute("data-window") ?? "legend"} ${el.textContent?.trim()}`;
      return { what, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
  });

// Screenshots are of the viewport only: a full-page or element screenshot resizes the page, and
// Chromium then drops the touch emulation (pointer: coarse), so it would show the mouse layout.
describe.skipIf(!hasChromium())("grill-stats-card on a phone", () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let bundle: { file: string; cleanup: () => void };

  beforeAll(async () => {
    bundle = await buildCardBundle();
    server = await startFixtureServer(bundle.file);
    browser = await launchBrowser();
  }, BROWSER_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    bundle?.cleanup();
  });

  /** The test page at a phone's size, the card as wide as the page leaves it (16 px padding each side). */
  const open = async (viewport: { width: number; height: number }, opts: Parameters<typeof mountArgs>[0] & { touch?: boolean } = {}): Promise<{ ctx: BrowserContext; page: Page }> => {
    const touch = opts.touch ?? true;
    const ctx = await browser.newContext({ viewport, hasTouch: touch, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    page.setDefaultTimeout(5000);
    page.on("pageerror", (err) => console.error("page error:", err));
    await page.goto(`${server.url}/`);
    await page.evaluate(() => ((document.getElementById("root") as HTMLElement).style.width = "auto"));
    await page.evaluate((args) => (window as unknown as PageWindow).harness.mount(args), mountArgs(opts));
    await page.waitForFunction(() => ((window as unknown as PageWindow).harness.chart()?.plot?.series.length ?? 0) > 1);
    return { ctx, page };
  };

  it.each([
    [360, 740, "en"],
    [414, 896, "en"],
    // The longest labels (French, Dutch) on the narrowest phone.
    [360, 740, "fr"],
    [360, 740, "nl"],
  ])("gives every control a 44 px tap target, 8 px from the next, at %i×%i with touch (%s)", async (width, height, language) => {
    const { ctx, page } = await open({ width, height }, { language });
    const boxes = await targets(page);
    await page.screenshot({ path: artifactPath(language === "en" ? `card-touch-${width}.png` : `card-touch-${width}-${language}.png`) });
    const kinds = boxes.map((b) => b.what.split(" ")[0]);
    // What a pitmaster taps: settings, Mark wrapped, Acknowledge, Snooze, the chart windows, the legend.
    for (const k of ["target", "high", "low", "wrapped", "acknowledge", "snooze", "1h", "cook", "legend"]) expect(kinds).toContain(k);
    const small = boxes.filter((b) => b.bottom - b.top < TOUCH_PX).map((b) => `${b.what}: ${Math.round(b.bottom - b.top)} px`);
    expect(small).toEqual([]);
    const close: string[] = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => gap(a, b) < SPACING_PX && close.push(`${a.what} / ${b.what}: ${gap(a, b).toFixed(1)} px`)));
    expect(close).toEqual([]);
    await ctx.close();
  });

  it("edits a target on a 360 px phone: field, Clear and the done temperatures 44 px high, 8 px apart, inside the card", async () => {
    const { ctx, page } = await open({ width: 360, height: 740 });
    const root = "grill-stats-card";
    await page.locator(`${root} [data-probe="${BRISKET}"] button[data-setting=target]`).tap();
    await page.locator(`${root} [data-probe="${BRISKET}"] select[data-presets]`).waitFor();
    await page.screenshot({ path: artifactPath("card-touch-edit-360.png") });
    const boxes: Box[] = await page.evaluate((probe) => {
      const card = (window as unknown as PageWindow).harness.card.shadowRoot as ShadowRoot;
      const edit = card.querySelector(`[data-probe="${probe}"] .edit`) as HTMLElement;
      return [...edit.querySelectorAll("input, button, select")].map((el) => {
        const r = el.getBoundingClientRect();
        return { what: el.tagName.toLowerCase(), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      });
    }, BRISKET);
    expect(boxes.map((b) => b.what)).toEqual(["input", "button", "select"]);
    expect(boxes.filter((b) => b.bottom - b.top < TOUCH_PX).map((b) => b.what)).toEqual([]);
    const close: string[] = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => gap(a, b) < SPACING_PX && close.push(`${a.what} / ${b.what}`)));
    expect(close).toEqual([]);
    const cardRight = await page.evaluate(() => (window as unknown as PageWindow).harness.card.getBoundingClientRect().right);
    expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(cardRight);
    await ctx.close();
  });

  it("stays compact with a mouse: chips and chart windows keep their desktop size", async () => {
    const { ctx, page } = await open({ width: 580, height: 900 }, { touch: false });
    const heights = Object.fromEntries((await targets(page)).filter((b) => /^(target|1h)/.test(b.what)).map((b) => [b.what.split(" ")[0], b.bottom - b.top]));
    expect(Object.keys(heights).sort()).toEqual(["1h", "target"]);
    for (const [what, h] of Object.entries(heights)) expect(h, what).toBeLessThan(TOUCH_PX);
    await ctx.close();
  });

  it("keeps Acknowledge, the selected chart window and the tile's secondary text readable (4.5:1), light and dark", async () => {
    const failures: string[] = [];
    for (const darkMode of [false, true]) {
      const { ctx, page } = await open({ width: 360, height: 740 }, { darkMode });
      await page.evaluate("window.__name ??= (f) => f");
      const ratios = await page.evaluate((fn) => {
        const contrast = new Function(`return (${fn})`)() as (el: Element) => number;
        const root = (window as unknown as PageWindow).harness.card.shadowRoot as ShadowRoot;
        const pick = ["[data-action=acknowledge]", ".windows button[aria-pressed=true]", ".windows button[aria-pressed=false]", ".probe .rate", ".probe .temp .unit", ".probe .chip .k", ".probe .chip.unset .v"];
        return Object.fromEntries(pick.map((sel) => [sel, root.querySelector(sel) ? contrast(root.querySelector(sel) as Element) : -1]));
      }, textContrast.toString());
      await page.screenshot({ path: artifactPath(`card-phone-360-${darkMode ? "dark" : "light"}.png`) });
      for (const [sel, ratio] of Object.entries(ratios)) if (!(ratio >= 4.5)) failures.push(`${sel} (${darkMode ? "dark" : "light"}): ${ratio}`);
      await ctx.close();
    }
    expect(failures).toEqual([]);
  });

  it("fits a 180 px wide viewport (a 360 px phone at 200 % zoom): no tile or chart window cut off", async () => {
    const { ctx, page } = await open({ width: 180, height: 370 });
    const fit = await page.evaluate(() => {
      const root = (window as unknown as PageWindow).harness.card.shadowRoot as ShadowRoot;
      const card = (root.querySelector("ha-card") as HTMLElement).getBoundingClientRect();
      const out = [...root.querySelectorAll(".probe, .windows button, .chip")]
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.left < card.left - 0.5 || r.right > card.right + 0.5)
        .map(({ el, r }) => `${el.className} ${el.textContent?.trim().slice(0, 20)}: ${Math.round(r.left)}–${Math.round(r.right)}`);
      // Nothing inside a tile wider than the tile (the temperature, a chip).
      for (const t of root.querySelectorAll<HTMLElement>(".probe")) if (t.scrollWidth > t.clientWidth) out.push(`${t.dataset["probe"]} content ${t.scrollWidth} > ${t.clientWidth}`);
      return { out, card: [Math.round(card.left), Math.round(card.right)], page: document.documentElement.scrollWidth };
    });
    expect(fit.out, JSON.stringify(fit.card)).toEqual([]);
    expect(fit.page).toBeLessThanOrEqual(180);
    await page.screenshot({ path: artifactPath("card-zoom-180.png") });
    await ctx.close();
  });

  it("shows a long probe name on up to two lines, not cut after a few words", async () => {
    const long = "Brisket point, the big one from the butcher on Main Street";
    const longer = `${long}, smoked over post oak since five this morning`;
    const { ctx, page } = await open({ width: 360, height: 740 }, { names: { [PIT]: "Pit", [BRISKET]: long, [BUTT]: longer } });
    const measure = (key: string) =>
      page.locator(`grill-stats-card [data-probe="${key}"] .name`).evaluate((el) => {
        const style = getComputedStyle(el);
        const range = document.createRange();
        range.selectNodeContents(el);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
        const shownLines = Math.round(el.clientHeight / (parseFloat(style.lineHeight) || el.clientHeight / Math.max(1, lines)));
        return { text: el.textContent, lines, shownLines, clipped: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1, clamp: style.webkitLineClamp };
      });
    // Wrapped at its words onto a second line and shown whole (it was one line, cut with an ellipsis).
    expect(await measure(BRISKET)).toEqual({ text: long, lines: 2, shownLines: 2, clipped: false, clamp: "2" });
    // A name longer still shows two lines and ends there (the whole name stays in its tooltip).
    const cut = await measure(BUTT);
    expect(cut).toMatchObject({ text: longer, clipped: true, clamp: "2" });
    expect(cut.lines).toBeGreaterThan(2);
    const heights = await page.locator(`grill-stats-card [data-probe="${BRISKET}"] .name, grill-stats-card [data-probe="${BUTT}"] .name`).evaluateAll((els) => els.map((el) => el.clientHeight));
    expect(heights[1]).toBe(heights[0]);
    await ctx.close();
  });

  it("keeps every number and its unit together: a no-break space before °F, %, min", async () => {
    // The add-on's alarm message comes with plain spaces ("Pit below 230 °F").
    const { ctx, page } = await open({ width: 180, height: 370 });
    const texts = await page.locator("grill-stats-card .rate, grill-stats-card .alarm .msg, grill-stats-card [data-testid=stall], grill-stats-card .devices").allTextContents();
    const all = texts.join(" | ");
    expect(all).toContain("230\u00a0°F");
    expect(all).toMatch(/\d\u00a0%/);
    expect(all.match(/\d[ \t\n]+(°[CF]|%|min\b|h\b)/g) ?? [], all).toEqual([]);
    await ctx.close();
  });
});
