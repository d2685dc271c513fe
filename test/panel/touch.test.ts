/**
 * The panel on a phone with touch (pointer: coarse), used with gloves at night: tap targets of
 * HA's touch size, readable text in light and dark, 200 % zoom, named alarm-rule controls, and
 * numbers that keep their unit.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { artifactPath, hasChromium } from "../support/browser";
import { gap, SPACING_PX, TOUCH_PX, type TapBox } from "../support/tap-targets";
import { contrasts } from "./contrasts";
import { PIT_ID } from "./fixture";
import { usePanelSession, type PanelSession } from "./session";

interface Target extends TapBox {
  group: string;
}

/**
 * The tap targets matching "host >> inner" through the shadow roots of the page: a checkbox's
 * target is the label around it (a tap on the label toggles it), when it has one.
 */
const tapTargets = (page: Page, selectors: Record<string, string>): Promise<Target[]> =>
  page.evaluate((sels) => {
    const all = (root: Document | ShadowRoot, sel: string, out: Element[] = []): Element[] => {
      out.push(...root.querySelectorAll(sel));
      for (const el of root.querySelectorAll("*")) if (el.shadowRoot) all(el.shadowRoot, sel, out);
      return out;
    };
    return Object.entries(sels).flatMap(([group, sel]) => {
      const [host, inner] = sel.split(" >> ") as [string, string];
      return all(document, host)
        .flatMap((h) => (h.shadowRoot ? [...h.shadowRoot.querySelectorAll(inner)] : []))
        .map((el) => (el instanceof HTMLInputElement && el.type === "checkbox" ? (el.closest("label") ?? el) : el))
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        // Shown: not in a closed <details> or a hidden part.
        .filter(({ el, r }) => el.checkVisibility() && r.width > 0 && r.height > 0)
        .map(({ el, r }) => {
          return { what: `${group} ${el.textContent?.trim().replace(/\s+/g, " ").slice(0, 30) ?? ""}`, group, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
        });
    });
  }, selectors);

// Screenshots are of the viewport only: a full-page or element screenshot resizes the page, and
// Chromium then drops the touch emulation (pointer: coarse), so it would show the mouse layout.
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

  /** Every group expected is there; each target is 44 px high (but for `sizeExempt`, checked for spacing only) and 8 px from the next. */
  const checkTargets = (targets: Target[], expected: string[], sizeExempt: string[] = []): void => {
    expect([...new Set(targets.map((t) => t.group))].sort()).toEqual([...expected].sort());
    expect(targets.filter((t) => !sizeExempt.includes(t.group) && t.bottom - t.top < TOUCH_PX).map((t) => `${t.what}: ${Math.round(t.bottom - t.top)} px`)).toEqual([]);
    // Tabs and the °C/°F switch are one control each, their parts side by side (as Home Assistant's).
    const joined = new Set(["tab", "unit"]);
    const close: string[] = [];
    targets.forEach((a, i) =>
      targets.slice(i + 1).forEach((b) => {
        if (a.group === b.group && joined.has(a.group)) return;
        if (gap(a, b) < SPACING_PX) close.push(`${a.what} / ${b.what}: ${gap(a, b).toFixed(1)} px`);
      }),
    );
    expect(close).toEqual([]);
  };

  /** checkTargets on the targets of every group of `selectors`, each expected. */
  const checkGroups = async (page: Page, selectors: Record<string, string>): Promise<void> => checkTargets(await tapTargets(page, selectors), Object.keys(selectors));

  it.each([
    [360, 740],
    [414, 896],
  ])("gives the Live tab's controls a 44 px tap target, 8 px apart, at %i×%i", async (width, height) => {
    const page = await open(width, height, "#/live", "gs-probe-tile [data-action=wrapped]");
    await page.locator("gs-alarm-banner button").first().waitFor();
    await page.screenshot({ path: artifactPath(`panel-touch-live-${width}.png`) });
    await checkGroups(page, {
      tab: "gs-app >> nav a",
      unit: "gs-app >> .units button",
      wrap: "gs-probe-tile >> [data-action=wrapped]",
      banner: "gs-alarm-banner >> .alarm button, .alarm select",
    });
    await page.context().close();
  });

  it("gives alarm-rule, cook and compare checkboxes a 44 px tap target: the label with the rule's or probe's name", async () => {
    const page = await open(360, 740, "#/alarms", "gs-alarms-view .rule");
    const rules = await tapTargets(page, { rule: "gs-alarms-view >> .rule input[type=checkbox]", param: "gs-alarms-view >> .rule input[data-param]" });
    // The label holds the rule's name: a tap on "Too hot" toggles it.
    expect(rules.filter((t) => t.group === "rule").every((t) => t.what.length > "rule ".length), JSON.stringify(rules)).toBe(true);
    checkTargets(rules, ["rule", "param"]);
    await page.goto(`${s.base}#/cooks`);
    await page.locator("gs-cooks-view [data-testid=cook-row]").first().waitFor();
    await checkGroups(page, { cook: "gs-cooks-view >> .cook input[type=checkbox]", link: "gs-cooks-view >> .cook .title a" });
    await page.goto(`${s.base}#/compare?ids=${s.fx.cookId},${s.fx.olderCookId}`);
    await page.locator("gs-compare-view .probe").first().waitFor();
    await checkGroups(page, {
      add: "gs-compare-view >> #add",
      link: "gs-compare-view >> .card .row a",
      remove: "gs-compare-view >> .card .row button",
      probe: "gs-compare-view >> .probe input[type=checkbox]",
    });
    await page.context().close();
  });

  it("names every alarm-rule control by its rule and its probe, or the defaults", async () => {
    const page = await open(1200, 900, "#/alarms", "gs-alarms-view .rule");
    await page.locator("gs-alarms-view details").evaluateAll((els) => els.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const names = (await page.locator("gs-alarms-view").ariaSnapshot())
      .split("\n")
      .map((l) => /- (checkbox|spinbutton|textbox) "([^"]*)"/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]} ${m[2]}`);
    expect(names.length).toBeGreaterThan(10);
    // None is only "Enabled" or "Repeat every (min)", and no two are alike.
    expect(names.filter((n) => /^\w+ (Enabled|Repeat every \(min\))$/.test(n))).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(names).toContain("checkbox Too hot, Pit");
    expect(names).toContain("textbox Repeat every (min), Too hot, Pit");
    expect(names).toContain("checkbox Target reached, defaults");
    await page.context().close();
  });

  it("keeps buttons, links, the banner and the alarm count readable (4.5:1), light and dark", async () => {
    const failures: string[] = [];
    for (const dark of [false, true]) {
      const page = await open(360, 740, "#/live", "gs-alarm-banner button", dark);
      const live = await contrasts(page, [
        "gs-alarm-banner >> button.primary",
        "gs-alarm-banner >> .alarm button:not(.primary)",
        "gs-alarm-banner >> .msg .when",
        "gs-probe-tile >> .alarm",
        "gs-app >> nav .count",
        "gs-live-view >> .cook a",
      ]);
      await page.screenshot({ path: artifactPath(`panel-phone-360-${dark ? "dark" : "light"}.png`) });
      await page.goto(`${s.base}#/cooks`);
      await page.locator("gs-cooks-view [data-testid=cook-row]").first().waitFor();
      const cooks = await contrasts(page, ["gs-cooks-view >> a.button"]);
      await page.goto(`${s.base}#/cooks/${s.fx.cookId}`);
      await page.locator("gs-cook-tools button.primary").first().waitFor();
      const tools = await contrasts(page, ["gs-cook-tools >> button.primary", "gs-cook-tools >> button.danger", "gs-cook-tools >> a.button"]);
      for (const [sel, ratio] of Object.entries({ ...live, ...cooks, ...tools })) if (!(ratio >= 4.5)) failures.push(`${sel} (${dark ? "dark" : "light"}): ${ratio}`);
      await page.context().close();
    }
    expect(failures).toEqual([]);
  });

  it("fits a 180 px wide viewport (a 360 px phone at 200 % zoom) on the Live tab", async () => {
    const page = await open(180, 370, "#/live", "gs-probe-tile");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: artifactPath("panel-zoom-180.png") });
    expect(width).toBeLessThanOrEqual(180);
    await page.context().close();
  });

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
