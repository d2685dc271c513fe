import { describe, expect, it } from "vitest";
import { hasChromium } from "../support/browser";
import { BRISKET, PIT_ID } from "./fixture";
import { deepEval, usePanelSession, type PanelSession } from "./session";

describe.skipIf(!hasChromium())("panel cook notes and deletion", () => {
  let s: PanelSession;
  usePanelSession((started) => (s = started));

  /** An hour-long cook of the brisket, ended `daysAgo` days before the running one. */
  const pastCook = (name: string, daysAgo: number) => {
    const startMs = s.fx.startMs - daysAgo * 24 * 3600_000;
    const cook = s.h.store.createCook({ name, startMs, probeIds: [BRISKET] });
    return s.h.store.updateCook(cook.id, { endMs: startMs + 3600_000 });
  };

  it("says in the reader's words and clock when a note or a split is outside the cook, and when a cook does not exist", async () => {
    const page = await s.newPage();
    await page.addInitScript(() => localStorage.setItem("selectedLanguage", JSON.stringify("de")));
    const cook = pastCook("Last week", 7);
    await page.goto(`${s.base}#/cooks/${cook.id}`);
    const tools = page.locator("gs-cook-tools");
    await expect.poll(() => tools.locator("#split").count()).toBe(1);
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") requests.push(r.url());
    });
    // A day after the cook: not sent, said in German, with local dates (not the add-on's English and UTC).
    const after = new Date(cook.startMs + 26 * 3600_000);
    const local = new Date(after.getTime() - after.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await tools.locator("#split").fill(local);
    await tools.locator("button", { hasText: /^Teilen$/ }).click();
    const error = tools.locator(".error-text");
    await expect.poll(() => error.innerText()).toMatch(/^Wähle eine Zeit innerhalb des Garvorgangs \(/);
    expect(await error.innerText()).not.toMatch(/Z\)|must be/);
    // Said where the split is, as an alert.
    expect(await tools.locator(".card", { has: page.locator("#split") }).locator(".error-text[role=alert]").count()).toBe(1);
    await tools.locator("#at").fill(local);
    await tools.locator("button", { hasText: /^Hinzufügen$/ }).click();
    await expect.poll(() => error.innerText()).toMatch(/^Wähle eine Zeit innerhalb/);
    // The note's error shows under the note's form (the timeline), not two cards further down.
    expect(await tools.locator(".card", { has: page.locator("#at") }).locator(".error-text[role=alert]").count()).toBe(1);
    expect(await error.count()).toBe(1);
    expect(requests).toEqual([]);

    await page.evaluate(() => (location.hash = "#/cooks/999999"));
    await expect.poll(() => page.locator("gs-cook-detail .error-text").innerText()).toBe("Diesen Garvorgang gibt es nicht (mehr).");
    s.h.store.deleteCook(cook.id);
  });

  it("adds a note for one probe: the form offers the whole cook and the meat probes by name, and the timeline names the probe", async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#/cooks/${s.fx.cookId}`);
    const tools = page.locator("gs-cook-tools");
    const probe = tools.locator("#probe");
    await expect.poll(() => probe.locator("option").allTextContents()).toEqual(["Whole cook", "Brisket", "Pork butt"]);
    expect(await probe.inputValue()).toBe("");

    await tools.locator("#kind").selectOption("wrap");
    await probe.selectOption({ label: "Brisket" });
    await tools.locator("#text").fill("Pink butcher paper");
    const post = page.waitForRequest((r) => r.url().endsWith(`/api/cooks/${s.fx.cookId}/events`) && r.method() === "POST");
    await tools.locator("button", { hasText: /^Add$/ }).click();
    expect((await post).postDataJSON()).toMatchObject({ kind: "wrap", text: "Pink butcher paper", probeId: BRISKET });
    await expect.poll(() => s.h.store.listCookEvents(s.fx.cookId).find((e) => e.text === "Pink butcher paper")?.probeId).toBe(BRISKET);
    const row = page.locator("[data-testid=events] li", { hasText: "Pink butcher paper" });
    await expect.poll(() => row.locator("[data-testid=event-probe]").allInnerTexts()).toEqual(["Brisket"]);

    // The whole cook: no probe sent, none shown.
    await probe.selectOption("");
    await tools.locator("#kind").selectOption("wood");
    await tools.locator("#text").fill("More post oak");
    const whole = page.waitForRequest((r) => r.url().endsWith(`/api/cooks/${s.fx.cookId}/events`) && r.method() === "POST");
    await tools.locator("button", { hasText: /^Add$/ }).click();
    expect((await whole).postDataJSON().probeId ?? null).toBeNull();
    const wholeRow = page.locator("[data-testid=events] li", { hasText: "More post oak" });
    await expect.poll(() => wholeRow.count()).toBe(1);
    expect(await wholeRow.locator("[data-testid=event-probe]").count()).toBe(0);
    expect(s.h.store.listCookEvents(s.fx.cookId).find((e) => e.text === "More post oak")?.probeId).toBeNull();

    // A note the add-on recorded for the pit (lid open) names it too.
    const lid = page.locator("[data-testid=events] li", { hasText: "Lid open" });
    expect(await lid.locator("[data-testid=event-probe]").allInnerTexts()).toEqual(["Pit"]);
    expect(s.h.store.listCookEvents(s.fx.cookId).find((e) => e.kind === "lid_open")?.probeId).toBe(PIT_ID);

    // German: the choice is translated, the probe names stay as they are.
    await page.evaluate(() => localStorage.setItem("selectedLanguage", JSON.stringify("de")));
    await page.reload();
    await expect.poll(() => probe.locator("option").allTextContents()).toEqual(["Ganzer Garvorgang", "Brisket", "Pork butt"]);
    // What the add-on recorded by itself (kind and probe, no text) reads in the page's language.
    const deckel = page.locator("[data-testid=events] li", { has: page.locator(".badge", { hasText: "Deckel offen" }) });
    expect(await deckel.locator("[data-testid=event-probe]").allInnerTexts()).toEqual(["Pit"]);
    expect(await deckel.innerText()).not.toMatch(/Lid/);
    await page.evaluate(() => localStorage.removeItem("selectedLanguage"));
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("shows two notes of the same minute as one marker on the chart that names both", async () => {
    const atMs = s.fx.startMs + 150 * 60_000;
    const a = s.h.store.addCookEvent({ cookId: s.fx.cookId, tsMs: atMs, kind: "wrap", text: "Peach paper", probeId: BRISKET });
    const b = s.h.store.addCookEvent({ cookId: s.fx.cookId, tsMs: atMs + 20_000, kind: "spritz", text: "Apple juice" });
    const page = await s.newPage();
    await page.goto(`${s.base}#/cooks/${s.fx.cookId}`);
    await expect.poll(() => page.locator("[data-testid=events]").innerText()).toContain("Apple juice");
    const labels = (): Promise<string[]> =>
      deepEval<string[]>(page, "grill-stats-chart", `return el.bands.map((b) => b.label ?? "").filter((l) => l.includes("Peach paper") || l.includes("Apple juice"));`);
    await expect.poll(() => labels()).toHaveLength(1);
    const [label] = await labels();
    expect(label).toContain("Brisket: Peach paper");
    expect(label).toContain("Apple juice");
    s.h.store.deleteCookEvent(a.id);
    s.h.store.deleteCookEvent(b.id);
    await page.close();
  });

  it("asks for a deleted cook no more: no request for it after the delete, no 404 in the console", async () => {
    const cook = pastCook("Throwaway test cook", 5);
    const page = await s.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    // Through a slow ingress the live stream's "deleted" comes before the DELETE's answer: make it so.
    await page.route(`**/api/cooks/${cook.id}`, async (route) => {
      if (route.request().method() !== "DELETE") return route.continue();
      const response = await route.fetch();
      await page.waitForTimeout(400);
      return route.fulfill({ response });
    });
    await page.goto(`${s.base}#/cooks/${cook.id}`);
    await expect.poll(() => page.locator("[data-testid=cook-name]").inputValue()).toBe("Throwaway test cook");
    await page.locator("gs-cook-tools button", { hasText: "Delete cook…" }).click();
    const deleted = page.waitForResponse((r) => r.url().endsWith(`/api/cooks/${cook.id}`) && r.request().method() === "DELETE");
    await page.locator("gs-cook-tools button.solid", { hasText: "Delete cook" }).click();
    expect((await deleted).status()).toBe(204);
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#/cooks");
    await expect.poll(() => page.locator("[data-testid=cook-row]").count()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    const path = `/api/hassio_ingress/TESTTOKEN/api/cooks/${cook.id}`;
    const after = requests.slice(requests.indexOf(`DELETE ${path}`) + 1);
    expect(after.filter((r) => r === `GET ${path}`)).toEqual([]);
    expect(s.consoleErrors.filter((e) => e.includes(`/api/cooks/${cook.id}`))).toEqual([]);
    expect(s.outside).toEqual([]);
    await page.close();
  });

  it("says so when the cook shown is deleted elsewhere, without asking the add-on for it", async () => {
    const cook = pastCook("Deleted in another tab", 6);
    const page = await s.newPage();
    const gets: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "GET" && new URL(r.url()).pathname.endsWith(`/api/cooks/${cook.id}`)) gets.push(r.url());
    });
    await page.goto(`${s.base}#/cooks/${cook.id}`);
    await expect.poll(() => page.locator("[data-testid=cook-name]").inputValue()).toBe("Deleted in another tab");
    const opened = gets.length;
    // Another browser (or Home Assistant's card) deletes it.
    expect((await fetch(`${s.h.url}/api/cooks/${cook.id}`, { method: "DELETE" })).status).toBe(204);
    await expect.poll(() => page.locator("gs-cook-detail .error-text").innerText()).toBe("This cook was deleted.");
    expect(await page.locator("gs-cook-detail a", { hasText: "Back to cooks" }).count()).toBe(1);
    await page.waitForTimeout(300);
    expect(gets).toHaveLength(opened);
    expect(s.consoleErrors.filter((e) => e.includes(`/api/cooks/${cook.id}`))).toEqual([]);
    await page.close();
  });
});
