/**
 * The live stream behind ingress: while the add-on restarts or updates, the Supervisor answers the
 * stream with a 502, and an EventSource gives up on an answer that is not a stream. The panel
 * must open a new one by itself, not stay "reconnecting" until someone reloads it.
 */
import { describe, expect, it } from "vitest";
import { hasChromium } from "../support/browser";
import { usePanelSession, type PanelSession } from "./session";

describe.skipIf(!hasChromium())("panel live stream", () => {
  let s: PanelSession;
  usePanelSession((started) => (s = started));

  it("opens a new stream after the add-on answered it with a 502, and shows it live again", async () => {
    const page = await s.newPage();
    let refused = 0;
    await page.route("**/api/stream", async (route) => {
      if (refused < 2) {
        refused++;
        return route.fulfill({ status: 502, contentType: "text/plain", body: "Bad Gateway" });
      }
      return route.continue();
    });
    await page.goto(s.base);
    await expect.poll(() => refused, { timeout: 5000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator("header .status .dot.on").count(), { timeout: 20_000 }).toBe(1);
    expect(refused).toBe(2);
    await page.close();
  });
});
