import { describe, expect, it } from "vitest";
import { labelRows } from "../../custom_card/src/chart/overlays";

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
