/**
 * The real card bundle in headless Chromium against a `hass` stand-in shaped like Home
 * Assistant's (test/card/fixtures/fake-hass.js), fed with a real recorded cook.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toProbeEntities } from "../../src/homeassistant";
import type { AlarmState, Device, ProbeState } from "../../src/shared";
import { artifactPath, hasChromium, launchBrowser, BROWSER_HOOK_TIMEOUT_MS } from "../support/browser";
import { closestPair, deltaE2000 } from "./color-distance";
import { textContrast } from "./contrast";
import { BRISKET, BUTT, DEVICE, PIT, buildStates, type FixtureState } from "./fixtures/states";
import { buildCardBundle, cookHistory, startFixtureServer } from "./harness";
import type { CardClass, PageWindow } from "./page-types";

const CUT_S = 23_400; // 6.5\u00a0h into the cook: brisket in the stall, pit around 225\u00a0°F
const ZONE = "America/Chicago";
const tempId = (k: string) => `sensor.grill_stats_${k}_temperature`;
const stallId = (k: string) => `binary_sensor.grill_stats_${k}_stall`;
const ALLOWED_WS = new Set(["history/stream", "history/history_during_period", "recorder/statistics_during_period"]);

interface Scenario {
  states: Record<string, FixtureState>;
  history: Record<string, Array<[number, string]>>;
  nowMs: number;
}

/** The fixture cook "now": states whose current values are the last recorded readings. */
const scenario = (unit: "°F" | "°C" = "°F"): Scenario => {
  const nowMs = Date.now();
  const nowS = nowMs / 1000;
  const toUnit = (f: number) => (unit === "°F" ? f : (f - 32) / 1.8);
  const states = buildStates({ nowMs, unit });
  const raw = cookHistory(nowS, CUT_S, { pit: tempId(PIT), a: tempId(BRISKET), b: tempId(BUTT) });
  const history: Scenario["history"] = {};
  for (const [id, rows] of Object.entries(raw)) history[id] = rows.map(([ts, f]) => [ts, toUnit(Number(f)).toFixed(1)]);
  // The pit probe dropped out for ten minutes three hours ago: a gap, not a line.
  const pit = (history[tempId(PIT)] ?? []).filter(([ts]) => ts < nowS - 3 * 3600 || ts > nowS - 2.83 * 3600);
  pit.push([nowS - 3 * 3600, "unavailable"]);
  history[tempId(PIT)] = pit.sort((a, b) => a[0] - b[0]);
  for (const key of [PIT, BRISKET, BUTT]) {
    const st = states[tempId(key)] as FixtureState;
    st.state = (history[tempId(key)] ?? []).at(-1)?.[1] ?? st.state;
  }
  const pitState = states[tempId(PIT)] as FixtureState;
  Object.assign(pitState.attributes, { alarm: "firing", alarm_message: unit === "°F" ? "Pit below 230\u00a0°F" : "Grill unter 110\u00a0°C" });
  (states[`input_number.grill_stats_${PIT}_low`] as FixtureState).state = toUnit(230).toFixed(1);
  (states[tempId(BUTT)] as FixtureState).attributes["alarm"] = "armed";
  const stallSince = nowS - 90 * 60;
  Object.assign((states[stallId(BRISKET)] as FixtureState).attributes, { since: new Date(stallSince * 1000).toISOString(), duration_minutes: 90 });
  history[stallId(BRISKET)] = [[nowS - CUT_S, "off"], [stallSince, "on"]];
  history[stallId(BUTT)] = [[nowS - CUT_S, "off"], [nowS - 4 * 3600, "on"], [nowS - 3.4 * 3600, "off"]];
  return { states, history, nowMs };
};

const describeBrowser = hasChromium() ? describe : describe.skip;
if (!hasChromium()) console.warn("card browser tests skipped: no Chromium at CHROMIUM_PATH (/usr/bin/chromium)");

describeBrowser("grill-stats-card in Chromium", () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let bundle: { file: string; cleanup: () => void };
  // One page for the file (a new page costs most of a second); every test mounts a fresh card.
  let shared: Page;

  beforeAll(async () => {
    bundle = await buildCardBundle();
    server = await startFixtureServer(bundle.file);
    browser = await launchBrowser();
    shared = await browser.newPage({ viewport: { width: 580, height: 900 }, deviceScaleFactor: 1 });
    shared.on("pageerror", (err) => console.error("page error:", err));
    await shared.goto(`${server.url}/`);
  }, BROWSER_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    bundle?.cleanup();
  });

  const open = async (
    opts: { config?: Record<string, unknown>; language?: string; numberFormat?: string; darkMode?: boolean; unit?: "°F" | "°C"; noStream?: boolean; wide?: boolean } = {},
  ): Promise<{ page: Page; sc: Scenario }> => {
    const page = shared;
    await page.setViewportSize({ width: opts.wide ? 960 : 580, height: 900 });
    const sc = scenario(opts.unit);
    await page.evaluate((args) => (window as unknown as PageWindow).harness.mount(args), {
      config: { type: "custom:grill-stats-card", ...(opts.config ?? {}) },
      states: sc.states,
      history: sc.history,
      language: opts.language ?? "en",
      numberFormat: opts.numberFormat ?? "language",
      darkMode: opts.darkMode ?? false,
      timeZone: ZONE,
      noStream: opts.noStream ?? false,
      wide: opts.wide ?? false,
    });
    return { page, sc };
  };

  const waitForChart = (page: Page, minRows = 50) =>
    page.waitForFunction((n) => {
      const c = (window as unknown as PageWindow).harness.chart();
      return !!c?.plot && c.data.x.length >= n && c.shownRows > 0;
    }, minRows);

  const tile = (page: Page, key: string) => page.locator(`grill-stats-card [data-probe="${key}"]`);

  it("shows each probe's temperature, settings, ETA with its range, stall and alarm from the states", async () => {
    const { page, sc } = await open();
    await expect.poll(() => page.locator("grill-stats-card .probe").count()).toBe(3);
    for (const key of [PIT, BRISKET, BUTT]) {
      const state = Number(sc.states[tempId(key)]?.state).toFixed(1);
      expect(await tile(page, key).locator("[data-testid=temp]").textContent()).toBe(`${state}°F`);
    }
    expect(await tile(page, BRISKET).locator("[data-setting=target]").textContent()).toMatch(/Target\s*203/);
    expect(await tile(page, PIT).locator("[data-setting=low]").textContent()).toMatch(/Low\s*230/);
    // The pit gets a range, the meat a done temperature: no empty chips that mean nothing there.
    expect(await tile(page, PIT).locator("[data-setting=target]").count()).toBe(0);
    expect(await tile(page, BRISKET).locator("[data-setting=low]").count()).toBe(0);
    expect(await tile(page, PIT).locator("[data-setting=high]").getAttribute("title")).toBe("Edit High for Pit");
    // The rate of rise says what it counts: degrees per hour, as the panel writes it.
    expect(await tile(page, PIT).locator(".rate").textContent()).toBe("+32.0\u00a0°F/h");

    // As the card writes a time: with the weekday when it is not today (the range crosses midnight from 20:00).
    const day = (ms: number) => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(ms);
    const t = (ms: number) =>
      new Intl.DateTimeFormat("en", { hour: "numeric", minute: "2-digit", timeZone: ZONE, ...(day(ms) === day(sc.nowMs) ? {} : { weekday: "short" }) }).format(ms);
    const eta = sc.states[`sensor.grill_stats_${BRISKET}_eta`] as FixtureState;
    const expected = `done ~${t(Date.parse(eta.state))} (${t(Date.parse(String(eta.attributes["p10"])))}–${t(Date.parse(String(eta.attributes["p90"])))})`;
    expect(await tile(page, BRISKET).locator("[data-testid=eta]").textContent()).toBe(expected);
    const butt = sc.states[`sensor.grill_stats_${BUTT}_eta`] as FixtureState;
    expect(await tile(page, BUTT).locator("[data-testid=eta]").textContent()).toBe(`target reached at ${t(Date.parse(butt.state))}`);
    expect(await tile(page, BRISKET).locator("[data-testid=stall]").textContent()).toBe("Stall 1\u00a0h 30\u00a0min");

    const alarm = tile(page, PIT).locator("[data-testid=alarm]");
    expect(await alarm.locator("[data-action]").allTextContents()).toEqual(["Acknowledge", "Snooze"]);
    expect(await alarm.locator(".msg").textContent()).toBe("Pit below 230\u00a0°F");
    expect(await page.locator(`grill-stats-card [data-device="${DEVICE}"]`).textContent()).toContain("78\u00a0%");

    // On a phone the tiles stack and the chart shrinks with the card.
    await page.evaluate(() => ((document.getElementById("root") as HTMLElement).style.width = "360px"));
    await page.waitForFunction(() => ((window as unknown as PageWindow).harness.chart().plot?.width ?? 999) < 360);
    await page.locator("grill-stats-card").screenshot({ path: artifactPath("card-phone.png") });
    await page.evaluate(() => ((document.getElementById("root") as HTMLElement).style.width = ""));
  });

  it("loads history through history/stream and draws every probe, the forecast, gaps and stalls with uPlot", async () => {
    const { page, sc } = await open();
    await waitForChart(page);
    const sub = await page.evaluate(() => (window as unknown as PageWindow).harness.log.subscriptions[0]?.msg);
    expect(sub).toMatchObject({ type: "history/stream", minimal_response: true, no_attributes: true, significant_changes_only: false });
    expect([...(sub?.entity_ids ?? [])].sort()).toEqual([PIT, BRISKET, BUTT].flatMap((k) => [tempId(k), stallId(k)]).sort());
    expect(Math.abs(Date.parse(sub?.start_time ?? "") - (sc.nowMs - 4 * 3600_000))).toBeLessThan(60_000);

    const info = await page.evaluate(() => {
      const c = (window as unknown as PageWindow).harness.chart();
      const u = c.plot;
      if (!u) throw new Error("no uPlot");
      const canvas: HTMLCanvasElement = u.ctx.canvas;
      const { left, top, width, height } = u.bbox;
      const px = u.ctx.getImageData(left, top, width, height).data;
      const colors: number[][] = u.series.slice(1, 4).map((s) => {
        const m = /rgba?\((\d+), (\d+), (\d+)/.exec((s.stroke as (x: unknown, i: number) => string)(u, 1)) ?? [];
        return [Number(m[1]), Number(m[2]), Number(m[3])];
      });
      let painted = 0;
      const hits = colors.map(() => 0);
      for (let i = 0; i < px.length; i += 4) {
        if ((px[i + 3] as number) === 0) continue;
        painted++;
        colors.forEach((c, j) => {
          if (Math.abs((px[i] as number) - (c[0] as number)) + Math.abs((px[i + 1] as number) - (c[1] as number)) + Math.abs((px[i + 2] as number) - (c[2] as number)) < 30) hits[j]!++;
        });
      }
      return {
        seriesCount: u.series.length,
        strokes: u.series.slice(1).map((s) => String((s.stroke as (x: unknown, i: number) => string)(u, 1))),
        alarmLine: getComputedStyle(document.documentElement).getPropertyValue("--error-color").trim(),
        labels: u.series.map((s) => s.label),
        painted,
        hits,
        area: (width * height) | 0,
        canvasWidth: canvas.width,
        pitHasGap: (c.data.y[Object.keys(c.data.y)[0] as string] ?? []).some((v: number | null, i: number) => v === null && i > 0),
        bands: c.bands.length,
        lines: c.lines.map((l) => l.label),
        shown: c.shownRows,
        rows: c.data.x.length,
      };
    });
    // Three probes, three colours that do not run together, none the red of the pit's alarm lines.
    const rgb = info.strokes.slice(0, 3);
    expect(closestPair(rgb).deltaE).toBeGreaterThanOrEqual(15);
    for (const c of rgb) expect(deltaE2000(c, info.alarmLine), `${c} vs the alarm line ${info.alarmLine}`).toBeGreaterThanOrEqual(15);
    expect(info.seriesCount).toBe(1 + 3 + 1);
    expect(info.labels.slice(1)).toEqual(["Pit", "Brisket", "Pork Butt", "Brisket forecast"]);
    expect(info.painted).toBeGreaterThan(info.area * 0.02);
    for (const h of info.hits) expect(h).toBeGreaterThan(50);
    expect(info.pitHasGap).toBe(true);
    expect(info.bands).toBe(2);
    expect(info.lines).toEqual(["Pit high", "Pit low", "Brisket target", "Pork Butt target"]);
    expect(info.shown).toBeLessThanOrEqual(info.rows);
    await page.locator("grill-stats-card").screenshot({ path: artifactPath("card-light.png") });
  });

  it("follows new states and streamed changes without recreating uPlot", async () => {
    const { page, sc } = await open();
    await waitForChart(page);
    await page.evaluate(() => ((window as unknown as PageWindow).__plot = (window as unknown as PageWindow).harness.chart().plot));
    const nextMs = sc.nowMs + 5000;
    const iso = new Date(nextMs).toISOString();
    const brisket = { ...(sc.states[tempId(BRISKET)] as FixtureState), state: "165.2", last_updated: iso, last_changed: iso };
    await page.evaluate((st) => (window as unknown as PageWindow).harness.setStates({ [st.entity_id]: st }), brisket);
    expect(await tile(page, BRISKET).locator("[data-testid=temp]").textContent()).toBe("165.2°F");
    const after = await page.evaluate((key) => {
      const c = (window as unknown as PageWindow).harness.chart();
      return { last: c.data.x.at(-1), value: c.data.y[key]?.at(-1), same: c.plot === (window as unknown as PageWindow).__plot };
    }, BRISKET);
    expect(after).toEqual({ last: Math.floor(nextMs) / 1000, value: 165.2, same: true });

    const streamedS = nextMs / 1000 + 5;
    await page.evaluate(([id, ts]) => (window as unknown as PageWindow).harness.streamLive({ [id as string]: [{ s: "166.0", lu: ts }] }), [tempId(BRISKET), streamedS] as const);
    await page.waitForFunction((key) => (window as unknown as PageWindow).harness.chart().data.y[key]?.at(-1) === 166, BRISKET);
    expect(await page.evaluate(() => (window as unknown as PageWindow).harness.chart().plot === (window as unknown as PageWindow).__plot)).toBe(true);

    // The thermometer drops off the network: the pit goes unavailable, the device offline.
    const offIso = new Date(nextMs + 20_000).toISOString();
    const pit = sc.states[tempId(PIT)] as FixtureState;
    const online = sc.states[`binary_sensor.grill_stats_${DEVICE}_online`] as FixtureState;
    await page.evaluate((patch) => (window as unknown as PageWindow).harness.setStates(patch), {
      [pit.entity_id]: { ...pit, state: "unavailable", attributes: { ...pit.attributes, status: "offline" }, last_updated: offIso, last_changed: offIso },
      [online.entity_id]: { ...online, state: "off", last_updated: offIso, last_changed: offIso },
    });
    expect(await tile(page, PIT).locator("[data-testid=temp]").textContent()).toBe("–°F");
    expect(await tile(page, PIT).locator("[data-testid=status]").textContent()).toBe("Offline");
    expect(await page.locator(`grill-stats-card [data-device="${DEVICE}"] [data-testid=offline]`).textContent()).toBe("Offline");
    expect(await page.evaluate((key) => (window as unknown as PageWindow).harness.chart().data.y[key]?.at(-1), PIT)).toBeNull();
  });

  it("the chart element works alone on plain data, follows its container's width and is destroyed on disconnect", async () => {
    const page = shared;
    await page.setViewportSize({ width: 960, height: 700 });
    const res = await page.evaluate(async () => {
      const root = document.getElementById("root") as HTMLElement;
      root.classList.add("wide");
      const el = document.createElement("grill-stats-chart") as ReturnType<PageWindow["harness"]["chart"]>;
      const t0 = 1_800_000_000;
      const x = Array.from({ length: 2000 }, (_, i) => t0 + i * 10);
      el.series = [{ key: "a", label: "A", color: "var(--red-color, red)" }, { key: "b", label: "B", color: "#2196f3", dashed: true }];
      el.data = { x, y: { a: x.map((_, i) => (i > 900 && i < 1000 ? null : 100 + i / 20)), b: x.map((_, i) => 150 + Math.sin(i / 50) * 20) } };
      el.lines = [{ value: 200, color: "var(--error-color)", label: "High" }];
      el.bands = [{ fromS: t0 + 3000, toS: t0 + 6000, color: "var(--warning-color)", label: "stall" }];
      el.forecasts = [{ seriesKey: "a", points: [[t0 + 20_500, 210, 200, 220], [t0 + 22_000, 220, 205, 235]] }];
      el.unit = "°C";
      el.locale = "de";
      el.timeZone = "Europe/Berlin";
      root.replaceChildren(el);
      await el.updateComplete;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const before = { series: el.plot?.series.length, width: el.plot?.width, shown: el.shownRows };
      root.classList.remove("wide");
      await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const after = { width: el.plot?.width, shown: el.shownRows, same: true };
      const plot = el.plot;
      el.appendPoint(t0 + 20_000, { a: 205 });
      el.drawNow();
      after.same = el.plot === plot;
      const lastX = el.plot?.data[0]?.[el.plot.data[0].length - 1];
      root.replaceChildren();
      return { before, after, lastX, destroyed: el.plot === undefined };
    });
    expect(res.before.series).toBe(1 + 2 + 1);
    expect(res.before.width).toBeGreaterThan(800);
    expect(res.after.width).toBeLessThan(530);
    expect(res.after.shown).toBeLessThan(res.before.shown ?? 0);
    expect(res.after.same).toBe(true);
    expect(res.lastX).toBe(1_800_000_000 + 22_000);
    expect(res.destroyed).toBe(true);
  });

  it("the chart element relabels its time axis in place when only its locale changes", async () => {
    const page = shared;
    const res = await page.evaluate(async () => {
      const root = document.getElementById("root") as HTMLElement;
      const el = document.createElement("grill-stats-chart") as ReturnType<PageWindow["harness"]["chart"]>;
      const t0 = 1_800_000_000;
      const x = Array.from({ length: 400 }, (_, i) => t0 + i * 60);
      el.series = [{ key: "a", label: "A", color: "#2196f3" }];
      el.data = { x, y: { a: x.map((_, i) => 100 + i / 10) } };
      el.locale = "en-US";
      el.timeZone = "UTC";
      root.replaceChildren(el);
      await el.updateComplete;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const axis = (): string[] => [...((el.plot?.axes[0] as { _values?: string[] } | undefined)?._values ?? [])];
      const before = axis();
      const plot = el.plot;
      el.locale = "de";
      await el.updateComplete;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const after = axis();
      const same = el.plot === plot;
      root.replaceChildren();
      return { before, after, same };
    });
    expect(res.before.join(" ")).toMatch(/\d:\d{2}\s[AP]M/);
    expect(res.after.length).toBeGreaterThan(0);
    expect(res.after.join(" ")).not.toMatch(/[AP]M/);
    expect(res.same).toBe(true);
  });

  it("writes an edited target through input_number.set_value and refuses values the helper would reject", async () => {
    const { page } = await open();
    await tile(page, BRISKET).locator("button[data-setting=target]").click();
    const input = tile(page, BRISKET).locator("input[data-setting=target]");
    await input.fill("99999");
    await input.press("Enter");
    expect(await tile(page, BRISKET).locator(".error").textContent()).toBe("Enter a value between 0\u00a0°F and 600\u00a0°F");
    await input.fill("205");
    await input.press("Enter");
    const services = await page.evaluate(() => (window as unknown as PageWindow).harness.log.services);
    expect(services).toEqual([{ domain: "input_number", service: "set_value", data: { entity_id: `input_number.grill_stats_${BRISKET}_target`, value: 205 } }]);
    expect(await tile(page, BRISKET).locator("input").count()).toBe(0);
  });

  it("takes a target typed with the profile's decimal comma in an English browser, shows it with one, and says what is not a number", async () => {
    const { page, sc } = await open({ unit: "°C", numberFormat: "decimal_comma" });
    // The add-on's °C helpers hold half degrees; this one is set to 95.5.
    const helper = sc.states[`input_number.grill_stats_${BRISKET}_target`] as FixtureState;
    await page.evaluate((st) => (window as unknown as PageWindow).harness.setStates(st), { [helper.entity_id]: { ...helper, state: "95.5", attributes: { ...helper.attributes, step: 0.5 } } });
    await expect.poll(() => tile(page, BRISKET).locator("button[data-setting=target] .v").innerText()).toBe("95,5");
    await tile(page, BRISKET).locator("button[data-setting=target]").click();
    const input = tile(page, BRISKET).locator("input[data-setting=target]");
    expect(await input.getAttribute("inputmode")).toBe("decimal");
    expect(await input.inputValue()).toBe("95,5");
    const services = () => page.evaluate(() => (window as unknown as PageWindow).harness.log.services);

    for (const typo of ["abc", "93,5,1", "1e2"]) {
      await input.fill(typo);
      await input.press("Enter");
      await expect.poll(() => tile(page, BRISKET).locator(".error").textContent()).toBe("Not a number: enter a temperature such as 95,5\u00a0°C");
      expect(await input.getAttribute("aria-invalid")).toBe("true");
    }
    expect(await services()).toEqual([]);

    await input.fill("93,5");
    await input.press("Enter");
    expect(await services()).toEqual([{ domain: "input_number", service: "set_value", data: { entity_id: `input_number.grill_stats_${BRISKET}_target`, value: 93.5 } }]);
    expect(await tile(page, BRISKET).locator("input, .error").count()).toBe(0);
  });

  it("sets a target picked from the done temperatures, in the probe's unit, as if typed", async () => {
    const { page } = await open();
    await tile(page, BRISKET).locator("button[data-setting=target]").click();
    const presets = tile(page, BRISKET).locator("select[data-presets]");
    expect(await presets.getAttribute("aria-label")).toBe("Done temperatures for Brisket");
    expect(await presets.locator("option").allInnerTexts()).toEqual(
      expect.arrayContaining(["Preset…", "203\u00a0°F · Brisket, pork shoulder (probe tender)", "165\u00a0°F · Chicken, turkey (safe)", "135\u00a0°F · Beef, lamb: medium rare"]),
    );
    await presets.selectOption("165");
    const services = await page.evaluate(() => (window as unknown as PageWindow).harness.log.services);
    expect(services).toEqual([{ domain: "input_number", service: "set_value", data: { entity_id: `input_number.grill_stats_${BRISKET}_target`, value: 165 } }]);
    expect(await tile(page, BRISKET).locator("select, input").count()).toBe(0);
    // Only a target has them.
    await tile(page, BRISKET).locator("button[data-setting=high]").click();
    expect(await tile(page, BRISKET).locator("select[data-presets]").count()).toBe(0);
  });

  it("presses the acknowledge and snooze buttons of a firing alarm", async () => {
    const { page } = await open();
    await tile(page, PIT).locator("[data-action=acknowledge]").click();
    await tile(page, PIT).locator("[data-action=snooze]").click();
    const services = await page.evaluate(() => (window as unknown as PageWindow).harness.log.services);
    expect(services).toEqual([
      { domain: "input_button", service: "press", data: { entity_id: `input_button.grill_stats_${PIT}_acknowledge` } },
      { domain: "input_button", service: "press", data: { entity_id: `input_button.grill_stats_${PIT}_snooze` } },
    ]);
  });

  it("offers a stalled meat probe a Mark wrapped button, and shows the wrap once pressed", async () => {
    const { page, sc } = await open();
    // Only the brisket is stalled; the pit has no such button.
    expect(await page.locator("grill-stats-card [data-action=wrapped]").count()).toBe(1);
    // An action, not a state; its tooltip and accessible name (which starts with the label) say what it does.
    const button = tile(page, BRISKET).locator("[data-action=wrapped]");
    expect(await button.textContent()).toBe("Mark wrapped");
    const why = "Mark wrapped: Brisket was wrapped (foil or paper) just now, so the forecast expects the stall to end soon";
    expect(await button.getAttribute("title")).toBe(why);
    expect(await button.getAttribute("aria-label")).toBe(why);
    await tile(page, BRISKET).locator("[data-action=wrapped]").click();
    const services = await page.evaluate(() => (window as unknown as PageWindow).harness.log.services);
    expect(services).toEqual([{ domain: "input_button", service: "press", data: { entity_id: `input_button.grill_stats_${BRISKET}_wrapped` } }]);
    // Home Assistant sets the button's state to the time of the press.
    const pressedMs = sc.nowMs - 60_000;
    const iso = new Date(pressedMs).toISOString();
    const helper = sc.states[`input_button.grill_stats_${BRISKET}_wrapped`] as FixtureState;
    await page.evaluate((st) => (window as unknown as PageWindow).harness.setStates({ [st.entity_id]: st }), { ...helper, state: iso, last_changed: iso, last_updated: iso });
    const clock = new Intl.DateTimeFormat("en", { hour: "numeric", minute: "2-digit", timeZone: ZONE }).format(pressedMs);
    expect(await tile(page, BRISKET).locator("[data-testid=wrapped]").textContent()).toBe(`Wrapped ${clock}`);
    expect(await tile(page, BRISKET).locator("[data-action=wrapped]").count()).toBe(0);
    // A press from before this stall began is an older cook's: the button is offered again.
    const before = new Date(sc.nowMs - 3 * 3_600_000).toISOString();
    await page.evaluate((st) => (window as unknown as PageWindow).harness.setStates({ [st.entity_id]: st }), { ...helper, state: before, last_changed: before, last_updated: before });
    expect(await tile(page, BRISKET).locator("[data-action=wrapped]").count()).toBe(1);
  });

  it.each([
    ["en", "Mark wrapped"],
    ["de", "Als eingewickelt markieren"],
    ["fr", "Marquer emballé"],
    ["nl", "Als ingepakt markeren"],
  ])("fits the wrap button on one line inside its tile on a 390 px phone (%s)", async (language, label) => {
    const { page } = await open({ language });
    // A 390 px phone: Home Assistant leaves the card about 374 px; the test page pads the root by 16 px.
    await page.setViewportSize({ width: 390, height: 900 });
    await page.evaluate(() => ((document.getElementById("root") as HTMLElement).style.width = "358px"));
    try {
      const button = tile(page, BRISKET).locator("[data-action=wrapped]");
      expect(await button.textContent()).toBe(label);
      const [b, t] = await Promise.all([button.boundingBox(), tile(page, BRISKET).boundingBox()]);
      if (!b || !t) throw new Error("button or tile not laid out");
      expect(b.x + b.width).toBeLessThanOrEqual(t.x + t.width);
      // One line: the chip's minimum height (28 px), not two lines of text.
      expect(b.height).toBeLessThan(34);
      await page.locator("grill-stats-card").screenshot({ path: artifactPath(`card-phone-390-${language}.png`) });
    } finally {
      await page.evaluate(() => ((document.getElementById("root") as HTMLElement).style.width = ""));
    }
  });

  it("never repeats a time-axis label, from a few minutes to ten days", async () => {
    const page = shared;
    await page.setViewportSize({ width: 580, height: 900 });
    const res = await page.evaluate(async (spans) => {
      const root = document.getElementById("root") as HTMLElement;
      const el = document.createElement("grill-stats-chart") as ReturnType<PageWindow["harness"]["chart"]>;
      el.series = [{ key: "a", label: "A", color: "#2196f3" }];
      el.locale = "en-US";
      el.timeZone = "America/Chicago";
      root.replaceChildren(el);
      const out: Record<number, string[]> = {};
      // A time of day that is not round, as "now" rarely is.
      const toS = 1_800_000_000 + 1234;
      for (const spanS of spans) {
        const x = Array.from({ length: 200 }, (_, i) => toS - spanS + (i * spanS) / 199);
        el.xRange = { fromS: toS - spanS, toS };
        el.data = { x, y: { a: x.map((_, i) => 100 + i / 10) } };
        await el.updateComplete;
        el.drawNow();
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        out[spanS] = [...((el.plot?.axes[0] as { _values?: string[] } | undefined)?._values ?? [])];
      }
      root.replaceChildren();
      return out;
    }, [3 * 60, 4 * 60, 20 * 60, 4 * 3600, 30 * 3600, 3 * 86_400, 10 * 86_400]);
    for (const [spanS, labels] of Object.entries(res)) {
      expect(labels.length, `${spanS} s: ${labels.join(" | ")}`).toBeGreaterThanOrEqual(2);
      expect(new Set(labels).size, `${spanS} s: ${labels.join(" | ")}`).toBe(labels.length);
    }
    // Minutes on a short window, the weekday once a day comes round again.
    expect(res[20 * 60]?.join(" ")).toMatch(/^\d{1,2}:\d{2} [AP]M( \d{1,2}:\d{2} [AP]M)+$/);
    expect(res[30 * 3600]?.join(" ")).toMatch(/(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2}:\d{2} [AP]M/);
  });

  /** The card's visual editor on the page, with the current hass, recording its config-changed events in __configs. */
  const openEditor = async (page: Page) => {
    await page.evaluate(async () => {
      const h = (window as unknown as PageWindow).harness;
      const editor = await (customElements.get("grill-stats-card") as unknown as CardClass).getConfigElement();
      editor.hass = h.hass;
      editor.setConfig({ type: "custom:grill-stats-card" });
      (window as unknown as PageWindow).__configs = [];
      editor.addEventListener("config-changed", (e) => (window as unknown as PageWindow).__configs.push((e as CustomEvent<{ config: Record<string, unknown> }>).detail.config));
      document.getElementById("root")!.replaceChildren(editor);
      await editor.updateComplete;
    });
    return page.locator("grill-stats-card-editor");
  };

  it("has a visual editor that lists the probes and emits config-changed", async () => {
    const { page } = await open();
    const ed = await openEditor(page);
    expect(await ed.locator(".probe-row .pname").allTextContents()).toEqual(["Pit", "Brisket", "Pork Butt"]);
    await ed.locator(`.probe-row[data-probe="${BUTT}"] input[type=checkbox]`).uncheck();
    await ed.locator(`.probe-row[data-probe="${PIT}"] select`).selectOption("orange");
    await ed.locator("input[name=show_forecast]").uncheck();
    await ed.locator("select[name=window]").selectOption("12h");
    const configs = await page.evaluate(() => (window as unknown as PageWindow).__configs);
    expect(configs[0]).toEqual({ type: "custom:grill-stats-card", probes: [PIT, BRISKET] });
    expect(configs.at(-1)).toEqual({
      type: "custom:grill-stats-card",
      probes: [{ probe: PIT, color: "orange" }, BRISKET],
      show_forecast: false,
      window: "12h",
    });
    await ed.screenshot({ path: artifactPath("card-editor.png") });
    // The last probe unticked: no list, every probe, and the editor says "all" again.
    await ed.locator(`.probe-row[data-probe="${PIT}"] input[type=checkbox]`).uncheck();
    await ed.locator(`.probe-row[data-probe="${BRISKET}"] input[type=checkbox]`).uncheck();
    const last = await page.evaluate(() => (window as unknown as PageWindow).__configs.at(-1));
    expect(last).not.toHaveProperty("probes");
    await expect.poll(() => ed.locator("input[name=all]").isChecked()).toBe(true);
  });

  it("shows an RFX Meat probe as its core on its own, and offers its sensors in the editor, unchecked", async () => {
    const { page, sc } = await open();
    await waitForChart(page);
    const base = sc.states[tempId(BRISKET)] as FixtureState;
    const rfx = (channel: string, name: string, state: string): FixtureState => ({
      ...base, entity_id: `sensor.grill_stats_m100081209_${channel}_temperature`, state,
      attributes: { ...base.attributes, friendly_name: `${name} temperature`, device: "Turkey Breast", device_kind: "rfx_meat", probe_id: `m100081209_${channel}`, channel },
    });
    const added = [rfx("core", "Turkey Breast", "140.5"), rfx("1", "Turkey Breast probe 1", "140.5"), rfx("2", "Turkey Breast probe 2", "151.0")];
    await page.evaluate((sts) => (window as unknown as PageWindow).harness.setStates(Object.fromEntries(sts.map((st) => [st.entity_id, st]))), added);
    await page.waitForSelector('grill-stats-card >> [data-probe="m100081209_core"]');
    expect(await page.locator('grill-stats-card >> [data-probe="m100081209_1"]').count()).toBe(0);

    const ed = await openEditor(page);
    expect(await ed.locator(".probe-row .pname").allTextContents()).toEqual(["Pit", "Brisket", "Pork Butt", "Turkey Breast", "Turkey Breast probe 1", "Turkey Breast probe 2"]);
    const checked = await ed.locator(".probe-row input[type=checkbox]").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked));
    expect(checked).toEqual([true, true, true, true, false, false]);
    await ed.locator(`.probe-row[data-probe="${BUTT}"] input[type=checkbox]`).uncheck();
    const configs = await page.evaluate(() => (window as unknown as PageWindow).__configs);
    expect(configs[0]).toEqual({ type: "custom:grill-stats-card", probes: [PIT, BRISKET, "m100081209_core"] });

    // A sensor added by hand is a tile of its own, temperature only (it has no helpers).
    const again = await open({ config: { probes: ["m100081209_core", "m100081209_2"] } });
    await again.page.evaluate((sts) => (window as unknown as PageWindow).harness.setStates(Object.fromEntries(sts.map((st) => [st.entity_id, st]))), added);
    await again.page.waitForSelector('grill-stats-card >> [data-probe="m100081209_2"]');
    expect(await tile(again.page, "m100081209_2").locator("[data-testid=temp]").textContent()).toBe("151.0°F");
  });

  it("speaks German with decimal commas in °C", async () => {
    const { page, sc } = await open({ language: "de", unit: "°C" });
    await waitForChart(page);
    const pitC = Number(sc.states[tempId(PIT)]?.state).toFixed(1).replace(".", ",");
    expect(await tile(page, PIT).locator("[data-testid=temp]").textContent()).toBe(`${pitC}°C`);
    expect(await tile(page, BRISKET).locator("[data-setting=target]").textContent()).toMatch(/Ziel\s*95/);
    expect(await tile(page, PIT).locator(".rate").textContent()).toBe("+17,8\u00a0°C/Std.");
    expect(await tile(page, BRISKET).locator("[data-testid=eta]").textContent()).toMatch(/^fertig ~(\p{L}+\.?, )?\d{1,2}:\d{2} \((\p{L}+\.?, )?\d{1,2}:\d{2}–(\p{L}+\.?, )?\d{1,2}:\d{2}\)$/u);
    expect(await tile(page, BRISKET).locator("[data-testid=stall]").textContent()).toBe("Plateau 1\u00a0Std. 30\u00a0Min.");
    expect(await tile(page, PIT).locator("[data-action]").allTextContents()).toEqual(["Bestätigen", "Schlummern"]);
    const windows = await page.locator("grill-stats-card .windows button").allTextContents();
    expect(windows.map((w) => w.trim())).toEqual(["1 Std.", "4 Std.", "12 Std.", "Garvorgang"]);
    await page.locator("grill-stats-card").screenshot({ path: artifactPath("card-german.png") });
  });

  it.each([
    ["fr", "+17,8\u00a0°C/h", /^prêt ~/, "Plateau 1\u00a0h 30\u00a0min", ["Acquitter", "Reporter"], ["1 h", "4 h", "12 h", "Cuisson"]],
    ["nl", "+17,8\u00a0°C/u", /^klaar ~/, "Stall 1\u00a0u 30\u00a0min", ["Bevestigen", "Sluimeren"], ["1 u", "4 u", "12 u", "Sessie"]],
  ] as const)("speaks %s with decimal commas in °C", async (language, rate, eta, stall, buttons, windows) => {
    const { page, sc } = await open({ language, unit: "°C" });
    await waitForChart(page);
    const pitC = Number(sc.states[tempId(PIT)]?.state).toFixed(1).replace(".", ",");
    expect(await tile(page, PIT).locator("[data-testid=temp]").textContent()).toBe(`${pitC}°C`);
    expect(await tile(page, PIT).locator(".rate").textContent()).toBe(rate);
    expect(await tile(page, BRISKET).locator("[data-testid=eta]").textContent()).toMatch(eta);
    expect(await tile(page, BRISKET).locator("[data-testid=stall]").textContent()).toBe(stall);
    expect(await tile(page, PIT).locator("[data-action]").allTextContents()).toEqual(buttons);
    expect((await page.locator("grill-stats-card .windows button").allTextContents()).map((w) => w.trim())).toEqual(windows);
    await page.locator("grill-stats-card").screenshot({ path: artifactPath(`card-${language}.png`) });
  });

  it("writes an alarm the add-on posted in English in the user's language and on Home Assistant's clock, from what the bridge posts", async () => {
    const { page, sc } = await open({ language: "de", unit: "°C" });
    await expect.poll(() => page.locator("grill-stats-card .probe").count()).toBe(3);
    const device: Device = {
      serial: "10:06:1C:6F:47:70", key: DEVICE, label: "Signals", kind: "signals", model: "signals", firmware: "1.0",
      batteryPct: 78, batteryState: "discharging", signalDbm: -61, lastSeenMs: sc.nowMs, transmitIntervalSec: 5, reportDeltaC: null,
    };
    const probe = (key: string, name: string, role: ProbeState["role"], tempC: number): ProbeState => ({
      id: key, deviceSerial: device.serial, deviceKey: DEVICE, deviceKind: "signals", channel: key.slice(-1), name, autoName: null, role, tempC, tsMs: sc.nowMs, status: "ok",
      minC: null, maxC: null, rateCPerHour: null, targetC: null, highC: null, lowC: null, eta: null, stall: null, forecast: [], lidOpen: false, wrappedMs: null,
    });
    const firing = (p: ProbeState, kind: AlarmState["kind"], message: string, valueC: number, thresholdC: number, sinceMs: number): AlarmState => ({
      id: `${p.id}:${kind}`, kind, probeId: p.id, deviceKey: null, phase: "firing", message, valueC, thresholdC, sinceMs, snoozedUntilMs: null, repeatCount: 0, critical: true,
    });
    const pit = probe(PIT, "Pit", "pit", 104.2);
    const butt = probe(BUTT, "Pork Butt", "meat", 92.3);
    const firedMs = sc.nowMs - 20 * 60_000;
    // Posted by an add-on whose Home Assistant speaks English, as the real bridge mapping posts it.
    const posts = [
      ...toProbeEntities(pit, { unit: "C", nowMs: sc.nowMs, device, alarm: firing(pit, "low", "Pit is 104 °C, below 110 °C", 104.2, 110, firedMs), language: "en" }),
      ...toProbeEntities(butt, { unit: "C", nowMs: sc.nowMs, device, alarm: firing(butt, "target", "Pork Butt reached 92 °C (target 91 °C) at 20:40", 92.3, 90.6, firedMs), language: "en" }),
    ].filter((post) => post.entityId.endsWith("_temperature"));
    const iso = new Date(sc.nowMs).toISOString();
    await page.evaluate(
      (patch) => (window as unknown as PageWindow).harness.setStates(patch),
      Object.fromEntries(posts.map((post) => [post.entityId, { entity_id: post.entityId, state: post.state, attributes: post.attributes, last_changed: iso, last_updated: iso }])),
    );
    expect(await tile(page, PIT).locator("[data-testid=alarm] .msg").textContent()).toBe("Pit liegt mit 104\u00a0°C unter 110\u00a0°C");
    // As the card writes a time: Home Assistant's zone (the profile's "server" setting), a weekday when not today.
    const day = (ms: number) => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(ms);
    const at = new Intl.DateTimeFormat("de", { hour: "numeric", minute: "2-digit", timeZone: ZONE, ...(day(firedMs) === day(sc.nowMs) ? {} : { weekday: "short" }) }).format(firedMs);
    expect(await tile(page, BUTT).locator("[data-testid=alarm] .msg").textContent()).toBe(`Pork Butt hat 92,3\u00a0°C erreicht (Ziel 90,6\u00a0°C), um ${at}`);
  });

  it("re-resolves canvas colours when Home Assistant switches to dark mode", async () => {
    const { page } = await open();
    await waitForChart(page);
    const axisColor = () => page.evaluate(() => {
      const u = (window as unknown as PageWindow).harness.chart().plot;
      return (u?.axes[0]?.stroke as (x: unknown, i: number) => string)(u, 0);
    });
    const light = await axisColor();
    await page.evaluate(() => (window as unknown as PageWindow).harness.setDark(true));
    await expect.poll(axisColor).not.toBe(light);
    expect(await axisColor()).toBe("rgb(155, 155, 155)");
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.locator("grill-stats-card").screenshot({ path: artifactPath("card-dark.png") });
  });

  it("falls back to history_during_period on cores without history/stream", async () => {
    const { page } = await open({ noStream: true });
    await waitForChart(page);
    const types = await page.evaluate(() => (window as unknown as PageWindow).harness.log.ws.map((m) => m.type));
    expect(types).toEqual(["history/stream", "history/history_during_period"]);
  });

  it("uses 5-minute statistics for the whole-cook window and starts the chart at the cook's start", async () => {
    const { page, sc } = await open({ config: { window: "cook" }, wide: true });
    await waitForChart(page, 20);
    const ws = await page.evaluate(() => (window as unknown as PageWindow).harness.log.ws);
    const stats = ws.find((m) => m.type === "recorder/statistics_during_period");
    expect(stats).toMatchObject({ period: "5minute", types: ["mean", "min", "max"], statistic_ids: [PIT, BRISKET, BUTT].map(tempId) });
    const stream = ws.find((m) => m.type === "history/stream");
    expect(Date.parse(stream?.start_time ?? "")).toBeGreaterThan(sc.nowMs - 15 * 60_000);
    const fromS = await page.evaluate(() => (window as unknown as PageWindow).harness.chart().xRange?.fromS ?? 0);
    expect(Math.abs(fromS - (sc.nowMs / 1000 - CUT_S))).toBeLessThan(600);
    await page.locator("grill-stats-card").screenshot({ path: artifactPath("card-cook-wide.png") });
  });

  it("shows a target as the add-on has it (159.8 °F for 71 °C), not as the helper's whole-degree step holds it", async () => {
    const { page, sc } = await open();
    const sensor = sc.states[tempId(BRISKET)] as FixtureState;
    const helper = sc.states[`input_number.grill_stats_${BRISKET}_target`] as FixtureState;
    await page.evaluate(
      (st) => (window as unknown as PageWindow).harness.setStates(st),
      { [sensor.entity_id]: { ...sensor, attributes: { ...sensor.attributes, target: 159.8 } }, [helper.entity_id]: { ...helper, state: "160" } },
    );
    await expect.poll(() => tile(page, BRISKET).locator("button[data-setting=target] .v").innerText()).toBe("159.8");
  });

  it("says a listed probe it cannot find is not found, with nothing to set on it", async () => {
    const { page } = await open({ config: { probes: [BRISKET, "a4cf123b5e01_9"] } });
    const missing = tile(page, "a4cf123b5e01_9");
    await expect.poll(() => missing.innerText()).toContain("Probe a4cf123b5e01_9 not found");
    expect(await missing.locator("button").count()).toBe(0);
    await waitForChart(page, 20);
    const labels = await page.evaluate(() => ((window as unknown as PageWindow).harness.chart().plot?.series ?? []).slice(1).map((s) => s.label));
    expect(labels).not.toContain("a4cf123b5e01_9");
  });

  it("reads a short running cook as readings from its start, when the add-on says when it began", async () => {
    const { page, sc } = await open({ config: { window: "cook" }, wide: true });
    await waitForChart(page, 20);
    const before = await page.evaluate(() => (window as unknown as PageWindow).harness.log.ws.length);
    const startedMs = sc.nowMs - 2 * 3600_000;
    await page.evaluate(
      (started) =>
        (window as unknown as PageWindow).harness.setStates({
          "sensor.grill_stats_status": { entity_id: "sensor.grill_stats_status", state: "ok", attributes: { active_cook: "Brisket", active_cook_started: started }, last_changed: started, last_updated: started },
        }),
      new Date(startedMs).toISOString(),
    );
    await expect.poll(() => page.evaluate((n) => (window as unknown as PageWindow).harness.log.ws.slice(n).map((m) => m.type), before)).toContain("history/stream");
    const ws = await page.evaluate((n) => (window as unknown as PageWindow).harness.log.ws.slice(n), before);
    // Two hours are raw readings (statistics are 5-minute means with min/max zig-zags).
    expect(ws.map((m) => m.type)).not.toContain("recorder/statistics_during_period");
    const stream = ws.find((m) => m.type === "history/stream");
    expect(Date.parse(stream?.start_time ?? "")).toBe(startedMs - 10 * 60_000);
  });

  it("registers in the card picker with a stub config that lists no probes (all of them), and explains bad config", async () => {
    const { page } = await open();
    const res = await page.evaluate(() => {
      const Card = customElements.get("grill-stats-card") as unknown as CardClass;
      let error = "";
      try {
        (document.createElement("grill-stats-card") as unknown as { setConfig(c: unknown): void }).setConfig({ window: "2h" });
      } catch (e) {
        error = (e as Error).message;
      }
      return {
        entry: (window as unknown as PageWindow).customCards.filter((c) => c.type === "grill-stats-card"),
        stub: Card.getStubConfig((window as unknown as PageWindow).harness.hass),
        grid: (window as unknown as PageWindow).harness.card.getGridOptions(),
        size: (window as unknown as PageWindow).harness.card.getCardSize(),
        error,
        ws: (window as unknown as PageWindow).harness.log.ws.map((m) => m.type),
      };
    });
    expect(res.entry).toHaveLength(1);
    expect(res.entry[0]).toMatchObject({ preview: true, name: "Grill Stats", documentationURL: expect.stringMatching(/^https:/) });
    // No probe list: a card added from the picker shows new probes as they appear.
    expect(res.stub).toEqual({ window: "4h" });
    // Sections: as tall as it is (its height follows the width and the probes).
    expect(res.grid).toEqual({ columns: 12, rows: "auto", min_rows: 3, min_columns: 6 });
    expect(res.size).toBeGreaterThan(3);
    expect(res.error).toMatch(/"window" must be one of 1h, 4h, 12h, cook/);
    for (const t of res.ws) expect(ALLOWED_WS.has(t)).toBe(true);
  });
  it("tells a masonry view about as much height as it takes in a column (50 px units)", async () => {
    const { page } = await open();
    await expect.poll(() => page.locator("grill-stats-card .probe").count()).toBe(3);
    await waitForChart(page);
    for (const config of [{}, { show_chart: false }]) {
      await page.evaluate((c) => (window as unknown as PageWindow).harness.card.setConfig({ type: "custom:grill-stats-card", ...c }), config);
      const fit = await page.evaluate(async () => {
        const card = (window as unknown as PageWindow).harness.card as unknown as HTMLElement & { getCardSize(): number };
        card.style.display = "block";
        card.style.width = "448px";
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const height = card.getBoundingClientRect().height;
        const size = card.getCardSize();
        card.style.width = "";
        return { height, size };
      });
      expect(Math.abs(fit.size * 50 - fit.height), `${JSON.stringify(config)}: ${JSON.stringify(fit)}`).toBeLessThan(100);
    }
  });

  /** The element that has the keyboard focus, through the shadow roots: tag, data-setting and text. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el ? { tag: el.tagName.toLowerCase(), setting: el.getAttribute("data-setting"), text: el.textContent?.trim() ?? "" } : null;
    });

  it("keeps the keyboard on a setting through an edit: Enter, Escape and Tab to Clear return focus to its chip", async () => {
    const { page } = await open();
    const chip = tile(page, BRISKET).locator("button[data-setting=target]");
    const input = tile(page, BRISKET).locator("input[data-setting=target]");
    await chip.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(page)).toMatchObject({ tag: "input", setting: "target" });
    await page.keyboard.press("Escape");
    await expect.poll(() => focused(page)).toMatchObject({ tag: "button", setting: "target" });
    // Enter writes the value and leaves the focus on the chip, not on the page.
    await page.keyboard.press("Enter");
    await input.fill("205");
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(page)).toMatchObject({ tag: "button", setting: "target" });
    // Tab from the field reaches Clear (the editor stays open), which clears from the keyboard.
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(page)).toMatchObject({ tag: "input" });
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "button", text: "Clear" });
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(page)).toMatchObject({ tag: "button", setting: "target" });
    const services = await page.evaluate(() => (window as unknown as PageWindow).harness.log.services);
    const entity_id = `input_number.grill_stats_${BRISKET}_target`;
    expect(services).toEqual([
      { domain: "input_number", service: "set_value", data: { entity_id, value: 205 } },
      { domain: "input_number", service: "set_value", data: { entity_id, value: 0 } },
    ]);
  });

  it("lets the keyboard show and hide chart series through the legend, with a visible focus ring", async () => {
    const { page } = await open();
    await waitForChart(page);
    await tile(page, BRISKET).locator("button[data-setting=target]").focus();
    // The legend labels come after the window buttons in the tab order.
    for (let i = 0; i < 12 && (await focused(page))?.tag !== "th"; i++) await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "th", text: "Pit" });
    const legend = () =>
      page.evaluate(() => {
        const chart = (window as unknown as PageWindow).harness.chart();
        const th = chart.shadowRoot?.activeElement as HTMLElement;
        const style = getComputedStyle(th);
        return { role: th.getAttribute("role"), pressed: th.getAttribute("aria-pressed"), show: chart.plot?.series[1]?.show, outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
    expect(await legend()).toEqual({ role: "button", pressed: "true", show: true, outline: "solid 2px" });
    await page.keyboard.press("Enter");
    expect(await legend()).toMatchObject({ pressed: "false", show: false });
    await page.keyboard.press(" ");
    expect(await legend()).toMatchObject({ pressed: "true", show: true });
  });

  it("hides a probe's forecast with the probe, and keeps what the legend hid when a forecast comes or goes", async () => {
    const { page, sc } = await open();
    await waitForChart(page);
    const shown = () =>
      page.evaluate(() => {
        const u = (window as unknown as PageWindow).harness.chart().plot;
        return Object.fromEntries((u?.series ?? []).slice(1).map((s) => [String(s.label), s.show !== false]));
      });
    const clickLegend = (label: string) =>
      page.evaluate((l) => {
        const root = (window as unknown as PageWindow).harness.chart().shadowRoot;
        const th = [...(root?.querySelectorAll<HTMLElement>(".u-legend .u-series th") ?? [])].find((el) => el.textContent?.trim() === l);
        th?.click();
      }, label);
    await clickLegend("Brisket");
    await clickLegend("Pit");
    expect(await shown()).toEqual({ Pit: false, Brisket: false, "Pork Butt": true, "Brisket forecast": false });
    // The forecast goes (the meat done, say) and comes back: the chart is built anew each time.
    const eta = sc.states[`sensor.grill_stats_${BRISKET}_eta`] as FixtureState;
    const setForecast = (forecast: unknown) =>
      page.evaluate((st) => (window as unknown as PageWindow).harness.setStates({ [st.entity_id]: st }), { ...eta, attributes: { ...eta.attributes, forecast } });
    await setForecast([]);
    await expect.poll(shown).toEqual({ Pit: false, Brisket: false, "Pork Butt": true });
    await setForecast(eta.attributes["forecast"]);
    await expect.poll(shown).toEqual({ Pit: false, Brisket: false, "Pork Butt": true, "Brisket forecast": false });
    await clickLegend("Brisket");
    expect(await shown()).toEqual({ Pit: false, Brisket: true, "Pork Butt": true, "Brisket forecast": true });
    // A forecast hidden on its own is remembered while it is away too.
    await clickLegend("Brisket forecast");
    await setForecast([]);
    await expect.poll(shown).toEqual({ Pit: false, Brisket: true, "Pork Butt": true });
    await setForecast(eta.attributes["forecast"]);
    await expect.poll(shown).toEqual({ Pit: false, Brisket: true, "Pork Butt": true, "Brisket forecast": false });
  });

  it("announces alarms and names the battery and signal icons, in the user's language", async () => {
    const { page, sc } = await open({ config: { show_device: true } });
    // A firing alarm interrupts; a snoozed one is a polite status.
    const announce = tile(page, PIT).locator("[data-testid=alarm-announce]");
    const message = tile(page, PIT).locator(".alarm .msg");
    expect(await announce.getAttribute("role")).toBe("alert");
    const said = await announce.textContent();
    expect(said).toMatch(/^Pit: \S/);
    const pit = sc.states[tempId(PIT)] as FixtureState;
    const setPit = (attributes: Record<string, unknown>) =>
      page.evaluate((st) => (window as unknown as PageWindow).harness.setStates({ [st.entity_id]: st }), { ...pit, attributes: { ...pit.attributes, ...attributes } });
    // A new reading changes the message, not what is announced (no interruption per reading).
    const shown = await message.textContent();
    await setPit({ alarm_message: "Pit below 230 °F, at 221 °F now" });
    await expect.poll(() => message.textContent()).not.toBe(shown);
    expect(await announce.textContent()).toBe(said);
    await setPit({ alarm: "snoozed" });
    expect(await announce.getAttribute("role")).toBe("status");
    expect(await page.getByRole("img", { name: "Battery 78 %" }).count()).toBe(1);
    expect(await page.getByRole("img", { name: "Signal -61 dBm" }).count()).toBe(1);
    await open({ config: { show_device: true }, language: "de" });
    expect(await page.getByRole("img", { name: "Akku 78 %" }).count()).toBe(1);
    expect(await page.getByRole("img", { name: /^Signal .61 dBm$/ }).count()).toBe(1);
  });

  it("keeps badges, alarm text and buttons readable (4.5:1) on light and dark cards", async () => {
    for (const darkMode of [false, true]) {
      const { page } = await open({ darkMode, config: { show_device: true } });
      await page.evaluate("window.__name ??= (f) => f");
      const ratios = await page.evaluate((fn) => {
        const contrast = new Function(`return (${fn})`)() as (el: Element) => number;
        const root = (window as unknown as PageWindow).harness.card.shadowRoot as ShadowRoot;
        const pick = ["[data-testid=stall]", ".level-critical .badge.critical", ".alarm .msg", "[data-action=snooze]", "[data-action=wrapped]", ".temp", ".eta", ".name"];
        return Object.fromEntries(pick.map((sel) => [sel, contrast(root.querySelector(sel) as Element)]));
      }, textContrast.toString());
      for (const [sel, ratio] of Object.entries(ratios)) expect({ sel, darkMode, ok: ratio >= 4.5, ratio }).toMatchObject({ ok: true });
      await page.locator("grill-stats-card").screenshot({ path: artifactPath(`card-contrast-${darkMode ? "dark" : "light"}.png`) });
    }
  });
});
