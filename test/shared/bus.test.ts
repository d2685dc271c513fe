import { describe, expect, it } from "vitest";
import { EventBus } from "../../src/shared";

describe("event bus", () => {
  it("delivers to every listener even when one throws", () => {
    const bus = new EventBus();
    const errors: unknown[] = [];
    bus.onListenerError = (_e, err) => errors.push(err);
    const got: number[] = [];
    bus.on("readings:stored", () => { throw new Error("boom"); });
    bus.on("readings:stored", (r) => got.push(r.length));
    bus.emit("readings:stored", [{ probeId: "a_1", tsMs: 1, tempC: 20 }]);
    expect(got).toEqual([1]);
    expect(errors).toHaveLength(1);
  });

  it("stops delivering after unsubscribe", () => {
    const bus = new EventBus();
    let n = 0;
    const off = bus.on("readings:stored", () => { n++; });
    bus.emit("readings:stored", []);
    off();
    bus.emit("readings:stored", []);
    expect(n).toBe(1);
  });
});
