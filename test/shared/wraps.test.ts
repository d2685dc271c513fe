import { describe, expect, it } from "vitest";
import { wrapTimes, type CookEvent } from "../../src/shared";

const ev = (id: number, tsMs: number, kind: CookEvent["kind"], probeId: string | null = null): CookEvent => ({ id, cookId: 1, tsMs, kind, text: "", probeId });

describe("wrapTimes", () => {
  it("takes each probe's latest wrap; a note without a probe wraps the whole cook; other notes do not count", () => {
    const wraps = wrapTimes([ev(1, 100, "wrap", "a"), ev(2, 300, "spritz", "a"), ev(3, 200, "wrap"), ev(4, 50, "wrap", "b"), ev(5, 400, "wood")], ["a", "b", "pit"]);
    expect(Object.fromEntries(wraps)).toEqual({ a: 200, b: 200, pit: 200 });
    expect(wrapTimes([ev(1, 100, "note", "a")], ["a"]).size).toBe(0);
  });
});
