import { describe, expect, it } from "vitest";
import { fitText, labelRows } from "../../custom_card/src/chart/overlays";

describe("band labels", () => {
  it("put a label that would touch the one before it on the next free row", () => {
    // A stall from 100, a lid opening inside it at 130, another lid well after both labels.
    expect(labelRows([{ x: 100, width: 30 }, { x: 130, width: 20 }, { x: 300, width: 20 }], 6)).toEqual([0, 1, 0]);
  });
  it("reuse the first row once the label there has ended", () => {
    expect(labelRows([{ x: 0, width: 50 }, { x: 20, width: 50 }, { x: 60, width: 10 }, { x: 80, width: 10 }], 6)).toEqual([0, 1, 0, 0]);
  });
  it("keep labels far apart on one row", () => {
    expect(labelRows([{ x: 0, width: 10 }, { x: 16, width: 10 }, { x: 32, width: 10 }], 6)).toEqual([0, 0, 0]);
  });
});

describe("line labels", () => {
  // Every character 7 px wide, as a stand-in for the canvas's measureText.
  const measure = (s: string): number => [...s].length * 7;
  it("stay whole when they fit", () => {
    expect(fitText("Brisket target", 200, measure)).toBe("Brisket target");
  });
  it("lose the middle of a long name, keeping its start and what the line is", () => {
    const label = "Whole packer brisket from the butcher, point and flat, 14 lb target";
    const fitted = fitText(label, 140, measure);
    expect(measure(fitted)).toBeLessThanOrEqual(140);
    expect(measure(fitted)).toBeGreaterThan(140 - 14);
    expect(fitted).toMatch(/^Whole pac.*….*lb target$/);
  });
  it("are left out when not even the ellipsis fits", () => {
    expect(fitText("Pit low", 5, measure)).toBe("");
  });
});
