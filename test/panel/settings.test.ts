import { beforeEach, describe, expect, it } from "vitest";
import type { Frame, Locator, Page } from "playwright-core";
import { hasChromium } from "../support/browser";
import { BRISKET, BUTT, PIT_ID } from "./fixture";
import { openUnderHomeAssistant, settingsSaved, tileNamed, usePanelSession, type PanelSession } from "./session";

/** The PUT requests a page sends (settings, rules): a value the panel refuses must not be among them. */
const watchPuts = (page: Page): string[] => {
  const puts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "PUT") puts.push(r.url());
  });
  return puts;
};

/** Types into a number field key by key, as a person does (fill() refuses what is not a number). */
const typeInto = async (input: Locator, text: string): Promise<void> => {
  await input.click();
  await input.press("ControlOrMeta+a");
  await input.press("Backspace");
  if (text) await input.pressSequentially(text);
  await input.press("Enter");
};

const isValid = (input: Locator): Promise<boolean> => input.evaluate((el) => (el as HTMLInputElement).validity.valid);

/** The panel under a Home Assistant page whose user profile has `locale`, its tiles shown. */
const openInProfile = async (s: PanelSession, page: Page, locale: Record<string, string>): Promise<Frame> => {
  const frame = await openUnderHomeAssistant(s, page, { locale });
  await expect.poll(() => frame.locator("gs-probe-tile").count()).toBe(3);
  return frame;
};

describe.skipIf(!hasChromium())("panel settings in the tiles and the alarms view", () => {
  let s: PanelSession;
  usePanelSession((started) => (s = started));

  // Every test starts from the fixture's settings, whatever the one before left.
  beforeEach(() => {
    s.h.store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
    s.h.store.saveSettings({ probeId: BUTT, targetC: 93, highC: null, lowC: null });
    s.h.store.saveSettings({ probeId: PIT_ID, targetC: null, highC: 135, lowC: 100 });
    s.emitStates(undefined, 1);
  });

  it("sets a meat probe's target picked from the done temperatures, in the panel's unit, as if typed", async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    const brisket = tileNamed(page, "Brisket");
    const presets = brisket.locator("select[data-presets]");
    await expect.poll(() => presets.count()).toBe(1);
    expect(await presets.getAttribute("aria-label")).toBe("Done temperatures for Brisket");
    expect(await presets.locator("option").allInnerTexts()).toEqual(expect.arrayContaining(["Choose…", "95\u00a0°C · Brisket, pork shoulder (probe tender)", "74\u00a0°C · Chicken, turkey (safe)"]));
    // Only a target has them: the pit's limits do not.
    expect(await tileNamed(page, "Pit").locator("select[data-presets]").count()).toBe(0);
    await page.locator("gs-app .units button", { hasText: "°F" }).click();
    await expect.poll(() => presets.locator("option").allInnerTexts()).toEqual(expect.arrayContaining(["200\u00a0°F · Ribs"]));
    const saved = settingsSaved(page, BRISKET);
    await presets.selectOption("200");
    expect((await saved).status()).toBe(200);
    expect(s.h.store.getSettings(BRISKET).targetC).toBeCloseTo(93.33, 2);
    await expect.poll(() => brisket.locator("input[data-field=targetC]").inputValue()).toBe("200");
    // Back to "Choose…", ready for another pick.
    expect(await presets.inputValue()).toBe("");
    await page.locator("gs-app .units button", { hasText: "°C" }).click();
    await page.close();
  });

  it("does not save a typo in a tile's number field as off: the field says so and the target stays", async () => {
    const page = await s.newPage();
    const puts = watchPuts(page);
    await page.goto(s.base);
    const tile = tileNamed(page, "Brisket");
    const input = tile.locator("input[data-field=targetC]");
    await expect.poll(() => input.inputValue()).toBe("95");
    // A screen reader hears which probe's field it is (every tile has a "Target").
    expect(await page.getByRole("textbox", { name: "Target (°C), Brisket" }).count()).toBe(1);

    for (const typo of ["-", "1e"]) {
      await typeInto(input, typo);
      await expect.poll(() => input.getAttribute("aria-invalid")).toBe("true");
      expect(await isValid(input)).toBe(false);
      expect(await tile.locator(".error-text").innerText()).toBe("Target: not a number, still 95\u00a0°C. Enter a number, or leave the field empty to turn it off.");
    }
    expect(puts).toEqual([]);
    expect(s.h.store.getSettings(BRISKET).targetC).toBe(95);

    // Only an explicitly empty field turns the target off (also right after a typo).
    const off = settingsSaved(page, BRISKET);
    await typeInto(input, "");
    expect((await off).status()).toBe(200);
    expect(s.h.store.getSettings(BRISKET).targetC).toBeNull();
    await expect.poll(() => input.getAttribute("aria-invalid")).toBe("false");
    expect(await tile.locator(".error-text").count()).toBe(0);

    const back = settingsSaved(page, BRISKET);
    await typeInto(input, "95");
    await back;
    expect(s.h.store.getSettings(BRISKET).targetC).toBe(95);
    expect(puts).toHaveLength(2);
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("takes a target typed with the profile's decimal comma (an English browser read \"93,5\" as 935), in °C and °F, and refuses what is not a number", async () => {
    const page = await s.newPage();
    const puts = watchPuts(page);
    const frame = await openInProfile(s, page, { language: "en", number_format: "decimal_comma", time_format: "24", time_zone: "local" });
    const tile = tileNamed(frame, "Brisket");
    const input = tile.locator("input[data-field=targetC]");
    // The keypad with a decimal key on a phone, as a number field had.
    expect(await input.getAttribute("inputmode")).toBe("decimal");
    await expect.poll(() => input.inputValue()).toBe("95");

    const saved = settingsSaved(page, BRISKET);
    await typeInto(input, "93,5");
    expect((await saved).status()).toBe(200);
    expect(s.h.store.getSettings(BRISKET).targetC).toBe(93.5);
    // Shown as the profile writes it, and as it was typed.
    await expect.poll(() => input.inputValue()).toBe("93,5");
    expect(await tile.locator(".error-text").count()).toBe(0);

    // In °F the typed value is °F: 200.5 °F is 93.61 °C, which reads back as 200,5.
    await frame.locator("gs-app .units button", { hasText: "°F" }).click();
    await expect.poll(() => input.inputValue()).toBe("200,3");
    const inF = settingsSaved(page, BRISKET);
    await typeInto(input, "200,5");
    expect((await inF).status()).toBe(200);
    expect(s.h.store.getSettings(BRISKET).targetC).toBe(93.61);
    await expect.poll(() => input.inputValue()).toBe("200,5");

    // What is not a number is said so, in the field and under it, and nothing is sent.
    for (const typo of ["abc", "93,5,1"]) {
      await typeInto(input, typo);
      await expect.poll(() => input.getAttribute("aria-invalid")).toBe("true");
      expect(await isValid(input)).toBe(false);
      expect(await tile.locator(".error-text").innerText()).toBe("Target: not a number, still 200,5\u00a0°F. Enter a number, or leave the field empty to turn it off.");
    }
    expect(puts).toHaveLength(2);
    expect(s.h.store.getSettings(BRISKET).targetC).toBe(93.61);
    await frame.locator("gs-app .units button", { hasText: "°C" }).click();
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("checks a typed limit in the display unit before sending, and shows what the add-on still refuses without its field path", async () => {
    const page = await s.newPage();
    await page.addInitScript(() => localStorage.setItem("grill-stats.unit", "F"));
    const puts = watchPuts(page);
    await page.goto(s.base);
    const pit = tileNamed(page, "Pit");
    const high = pit.locator("input[data-field=highC]");
    const low = pit.locator("input[data-field=lowC]");
    const error = pit.locator(".error-text");
    await expect.poll(() => high.inputValue()).toBe("275");
    expect(await low.inputValue()).toBe("212");

    await typeInto(high, "900");
    await expect.poll(() => error.innerText()).toBe("High alarm must be between -4\u00a0°F and 752\u00a0°F.");
    expect(await high.getAttribute("aria-invalid")).toBe("true");
    await typeInto(low, "300");
    await expect.poll(() => error.innerText()).toBe("The low alarm must be below the high alarm (275\u00a0°F).");
    expect(await low.getAttribute("aria-invalid")).toBe("true");
    await typeInto(high, "200");
    await expect.poll(() => error.innerText()).toBe("The high alarm must be above the low alarm (212\u00a0°F).");
    expect(puts).toEqual([]);
    expect(s.h.store.getSettings(PIT_ID)).toMatchObject({ highC: 135, lowC: 100 });

    // Someone lowered the high alarm elsewhere (a Home Assistant helper) and the tile does not know yet: the add-on refuses.
    s.h.store.saveSettings({ probeId: PIT_ID, targetC: null, highC: 120, lowC: 100 });
    const put = settingsSaved(page, PIT_ID);
    await typeInto(low, "257");
    expect((await put).status()).toBe(400);
    await expect.poll(() => error.innerText()).toBe("the low alarm (125 °C) must be below the high alarm (120 °C)");
    expect(await low.inputValue()).toBe("212");
    await page.close();
  });

  it("shows targets as precisely as they were set, alike in the tile and the heads-up, which Acknowledge clears", async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    const tile = tileNamed(page, "Brisket");
    const input = tile.locator("input[data-field=targetC]");
    await expect.poll(() => input.inputValue()).toBe("95");
    const put = settingsSaved(page, BRISKET);
    await input.fill("95.5");
    await input.press("Enter");
    await put;
    expect(s.h.store.getSettings(BRISKET).targetC).toBe(95.5);

    // Ten minutes to go: the heads-up (pre_alarm) names the target as the tile shows it.
    s.emitStates((st) => (st.id === BRISKET && st.eta ? { ...st, eta: { ...st.eta, doneMs: (st.tsMs as number) + 10 * 60_000 } } : st));
    const banner = page.locator("gs-live-view [data-testid=alarm]");
    await expect.poll(() => banner.count()).toBe(1);
    expect(await banner.innerText()).toMatch(/^Brisket will reach 95\.5\u00a0°C in about \d+\u00a0min/);
    await expect.poll(() => input.inputValue()).toBe("95.5");
    await page.locator("gs-app .units button", { hasText: "°F" }).click();
    await expect.poll(() => input.inputValue()).toBe("203.9");
    await expect.poll(() => banner.innerText()).toMatch(/^Brisket will reach 203\.9\u00a0°F/);
    await page.locator("gs-app .units button", { hasText: "°C" }).click();

    const ack = page.waitForResponse((r) => r.url().includes("/acknowledge") && r.request().method() === "POST");
    await banner.locator("button", { hasText: "Acknowledge" }).click();
    expect((await ack).status()).toBe(200);
    await expect.poll(() => banner.count()).toBe(0);
    expect(s.alarms?.list().find((a) => a.id === `${BRISKET}:target`)?.phase).toBe("armed");

    // A reached target: "target 73.9 °C" in the banner and 73.9 in the tile, not 74.
    s.h.store.saveSettings({ probeId: BUTT, targetC: 73.9, highC: null, lowC: null });
    s.emitStates();
    const butt = tileNamed(page, "Pork butt").locator("input[data-field=targetC]");
    await expect.poll(() => banner.count()).toBe(1);
    expect(await banner.innerText()).toMatch(/^Pork butt reached \d+\.\d\u00a0°C \(target 73\.9\u00a0°C\)/);
    await expect.poll(() => butt.inputValue()).toBe("73.9");
    await banner.locator("button", { hasText: "Acknowledge" }).click();
    await expect.poll(() => banner.count()).toBe(0);

    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("shows and edits the alarms view's temperatures in °F, rounded, and saves them in °C", async () => {
    s.h.store.saveSettings({ probeId: PIT_ID, targetC: null, highC: 135, lowC: 93.333 });
    const page = await s.newPage();
    await page.addInitScript(() => localStorage.setItem("grill-stats.unit", "F"));
    const puts = watchPuts(page);
    await page.goto(`${s.base}#/alarms`);
    const group = page.locator("gs-alarms-view details").filter({ has: page.locator("summary", { hasText: /^Pit/ }) });
    await expect.poll(() => group.count()).toBe(1);
    await group.locator("summary").click();
    const tooHot = group.locator(".rule", { hasText: "Too hot" });
    const tooCold = group.locator(".rule", { hasText: "Too cold" });
    await expect.poll(() => tooHot.innerText()).toContain("at 275\u00a0°F (probe setting)");
    expect(await tooCold.innerText()).toContain("at 200\u00a0°F (probe setting)");
    expect(await tooHot.innerText()).toContain("Hysteresis (°F)");
    const hysteresis = tooHot.locator("input[data-param=hysteresisC]");
    expect(await hysteresis.inputValue()).toBe("3.6");

    // The armed alarms name their limits in °F too (the add-on's messages are in Home Assistant's °C).
    const armed = page.locator("gs-alarms-view details", { hasText: "armed and watching" });
    await armed.locator("summary").click();
    await expect.poll(() => armed.innerText()).toContain("Pit: alarm above 275\u00a0°F");
    expect(await armed.innerText()).not.toMatch(/°C/);

    const put = page.waitForResponse((r) => r.url().endsWith("/api/alarms/rules") && r.request().method() === "PUT");
    await hysteresis.fill("5.4");
    await hysteresis.press("Enter");
    expect((await put).status()).toBe(200);
    const saved = s.alarms?.rules().find((r) => r.probeId === PIT_ID && r.kind === "high");
    expect(saved?.params.hysteresisC).toBe(3);
    await expect.poll(() => hysteresis.inputValue()).toBe("5.4");

    // Checked before sending, in the display unit and the panel's words.
    await typeInto(hysteresis, "40");
    await expect.poll(() => tooHot.locator(".error-text").innerText()).toBe("Hysteresis (°F) must be between 0 and 36.");
    expect(await hysteresis.getAttribute("aria-invalid")).toBe("true");
    const repeat = tooCold.locator("input[data-param=repeatMinutes]");
    await typeInto(repeat, "0");
    await expect.poll(() => tooCold.locator(".error-text").innerText()).toBe("Repeat every (min) must be between 1 and 240.");
    await typeInto(repeat, "2.5");
    await expect.poll(() => tooCold.locator(".error-text").innerText()).toBe("Repeat every (min) must be a whole number.");
    expect(puts).toHaveLength(1);

    await page.locator("gs-app .units button", { hasText: "°C" }).click();
    await expect.poll(() => tooCold.innerText()).toContain("at 93.3\u00a0°C (probe setting)");
    expect(await tooHot.innerText()).toContain("Hysteresis (°C)");
    await expect.poll(() => hysteresis.inputValue()).toBe("3");
    expect(s.outside).toEqual([]);
    await page.close();
  });
});
