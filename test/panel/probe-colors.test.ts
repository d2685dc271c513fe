import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Probe } from "../../src/shared";
import { artifactPath, hasChromium } from "../support/browser";
import { device } from "../http/harness";
import { usePanelSession, type PanelSession } from "./session";

const RFX = { serial: "M1000A1B2C3", key: "m1000a1b2c3" };
const KETTLE = { serial: "A0:B1:C2:D3:E4:F5", key: "a0b1c2d3e4f5" };

const probeOf = (dev: { serial: string; key: string }, channel: string, label: string, role: Probe["role"]): Probe => ({
  id: `${dev.key}_${channel}`, deviceSerial: dev.serial, deviceKey: dev.key, channel, label, type: "Pro-Series", role,
});

/** Each tile's probe name and the colour it is drawn in (the chart's line has the same). */
const tileColors = (page: Page): Promise<Record<string, string>> =>
  page.locator("gs-probe-tile").evaluateAll((tiles) =>
    Object.fromEntries(tiles.map((t) => [(t as HTMLElement & { probe: { name: string } }).probe.name, (t as HTMLElement & { color: string }).color])),
  );

describe.skipIf(!hasChromium())("panel probe colours", () => {
  let s: PanelSession;
  usePanelSession((started) => (s = started));

  beforeAll(() => {
    // A second pit on another device (a kettle), and an RFX Meat probe: its core and two sensors.
    s.h.store.upsertDevices([
      device({ serial: KETTLE.serial, key: KETTLE.key, label: "Kettle", lastSeenMs: s.fx.nowMs }),
      device({ serial: RFX.serial, key: RFX.key, label: "Turkey Breast", kind: "rfx_meat", lastSeenMs: s.fx.nowMs }),
    ]);
    const probes = [
      probeOf(KETTLE, "1", "Kettle", "pit"),
      probeOf(RFX, "core", "Turkey Breast", "meat"),
      probeOf(RFX, "1", "Turkey Breast probe 1", "meat"),
      probeOf(RFX, "2", "Turkey Breast probe 2", "meat"),
    ];
    s.h.store.upsertProbes(probes);
    s.h.store.insertReadings(probes.map((p, i) => ({ probeId: p.id, tsMs: s.fx.nowMs - 1000, tempC: 40 + 10 * i })));
    s.emitStates();
  });

  it("gives every probe on the page its own colour, the same whichever probes are shown", async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await expect.poll(() => page.locator("gs-probe-tile").count()).toBe(5);
    const before = await tileColors(page);
    await page.locator("[data-testid=sensors-toggle]").click();
    await expect.poll(() => page.locator("gs-probe-tile").count()).toBe(7);
    const after = await tileColors(page);
    await page.screenshot({ path: artifactPath("panel-probe-colors.png"), fullPage: true });

    // The pit and the kettle are two lines, not one orange.
    expect(new Set(Object.values(after)).size, JSON.stringify(after)).toBe(7);
    // Showing the sensors repaints nothing that was there.
    for (const [name, color] of Object.entries(before)) expect(after[name], name).toBe(color);
    expect(s.outside).toEqual([]);
    await page.close();
  });
});
