import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BadRequestError, ConflictError, COOK_NAME_MAX, NotFoundError, nextPartName, partBase } from "../../src/shared";
import { tempStore } from "./helpers";

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.done());

describe("cooks", () => {
  it("create, update, list newest first, active cook, persisted probeIds and targets", () => {
    const a = t.store.createCook({ name: "Brisket", startMs: 1_000, probeIds: ["d_1", "d_2"], targets: { d_1: 95 } });
    expect(a).toEqual({ id: a.id, name: "Brisket", startMs: 1_000, endMs: null, notes: "", probeIds: ["d_1", "d_2"], targets: { d_1: 95 } });
    const ended = t.store.updateCook(a.id, { endMs: 5_000, notes: "good bark", targets: { d_1: 96, d_2: 92.5 } });
    expect(ended).toMatchObject({ endMs: 5_000, notes: "good bark", targets: { d_1: 96, d_2: 92.5 }, name: "Brisket" });
    const b = t.store.createCook({ name: "Ribs", startMs: 10_000, probeIds: ["d_1"] });
    expect(t.store.activeCook()?.id).toBe(b.id);
    expect(t.store.listCooks().map((c) => c.id)).toEqual([b.id, a.id]);
    expect(t.store.listCooks({ limit: 1 }).map((c) => c.id)).toEqual([b.id]);
    expect(t.store.listCooks({ beforeMs: 10_000 }).map((c) => c.id)).toEqual([a.id]);
    expect(t.reopen().getCook(a.id)).toEqual(ended);
    expect(t.store.getCook(999)).toBeNull();
  });

  it("rejects bad input with clear errors", () => {
    expect(() => t.store.createCook({ name: "  ", startMs: 1, probeIds: [] })).toThrow(BadRequestError);
    const c = t.store.createCook({ name: "Pork", startMs: 5_000, probeIds: [] });
    expect(() => t.store.updateCook(c.id, { endMs: 4_000 })).toThrow(/not before startMs/);
    expect(() => t.store.updateCook(c.id + 1, { name: "x" })).toThrow(NotFoundError);
    expect(() => t.store.addCookEvent({ cookId: c.id, tsMs: 1, kind: "dance" as never, text: "" })).toThrow(BadRequestError);
    expect(() => t.store.addCookEvent({ cookId: 999, tsMs: 1, kind: "note", text: "" })).toThrow(NotFoundError);
    expect(() => t.store.deleteCook(999)).toThrow(NotFoundError);
  });

  it("events: add, list in time order, delete; deleting a cook deletes its events", () => {
    const c = t.store.createCook({ name: "Chuck", startMs: 0, probeIds: ["d_1"] });
    const e2 = t.store.addCookEvent({ cookId: c.id, tsMs: 2_000, kind: "wrap", text: "butcher paper", probeId: "d_1" });
    const e1 = t.store.addCookEvent({ cookId: c.id, tsMs: 1_000, kind: "note", text: "on" });
    expect(t.store.listCookEvents(c.id)).toEqual([e1, e2]);
    expect(e2).toEqual({ id: e2.id, cookId: c.id, tsMs: 2_000, kind: "wrap", text: "butcher paper", probeId: "d_1" });
    t.store.deleteCookEvent(e1.id);
    expect(t.store.listCookEvents(c.id)).toEqual([e2]);
    t.store.deleteCook(c.id);
    expect(t.store.listCookEvents(c.id)).toEqual([]);
    expect(() => t.store.deleteCookEvent(e2.id)).toThrow(NotFoundError);
  });

  it("split moves later events to the new cook; merge brings them back with span, probes, targets and notes", () => {
    const c = t.store.createCook({ name: "Overnight", startMs: 0, probeIds: ["d_1", "d_2"], targets: { d_1: 95 } });
    t.store.updateCook(c.id, { notes: "first", endMs: 100_000 });
    const early = t.store.addCookEvent({ cookId: c.id, tsMs: 10_000, kind: "note", text: "early" });
    const atSplit = t.store.addCookEvent({ cookId: c.id, tsMs: 50_000, kind: "spritz", text: "at split" });
    const late = t.store.addCookEvent({ cookId: c.id, tsMs: 90_000, kind: "wrap", text: "late" });
    expect(() => t.store.splitCook(c.id, 0)).toThrow(BadRequestError);
    expect(() => t.store.splitCook(c.id, 100_000)).toThrow(BadRequestError);

    const part = t.store.splitCook(c.id, 50_000);
    expect(part).toMatchObject({ startMs: 50_000, endMs: 100_000, probeIds: ["d_1", "d_2"], targets: { d_1: 95 }, notes: "" });
    expect(t.store.getCook(c.id)).toMatchObject({ startMs: 0, endMs: 50_000, notes: "first" });
    expect(t.store.listCookEvents(c.id).map((e) => e.id)).toEqual([early.id]);
    expect(t.store.listCookEvents(part.id).map((e) => e.id)).toEqual([atSplit.id, late.id]);

    t.store.updateCook(part.id, { notes: "second", probeIds: ["d_2", "d_3"], targets: { d_1: 90, d_3: 70 } });
    const merged = t.store.mergeCooks(c.id, part.id);
    expect(merged).toEqual({
      id: c.id,
      name: "Overnight",
      startMs: 0,
      endMs: 100_000,
      notes: "first\n\nsecond",
      probeIds: ["d_1", "d_2", "d_3"],
      targets: { d_1: 95, d_3: 70 },
    });
    expect(t.store.getCook(part.id)).toBeNull();
    expect(t.store.listCookEvents(c.id).map((e) => e.id)).toEqual([early.id, atSplit.id, late.id]);
    expect(() => t.store.mergeCooks(c.id, c.id)).toThrow(BadRequestError);
  });

  it("numbers the parts of a cook split again, and merging parts back gives the cook its name again", () => {
    const c = t.store.createCook({ name: "Brisket", startMs: 0, probeIds: [] });
    t.store.updateCook(c.id, { endMs: 90_000 });
    const second = t.store.splitCook(c.id, 30_000);
    const third = t.store.splitCook(second.id, 60_000);
    expect([second.name, third.name]).toEqual(["Brisket (part 2)", "Brisket (part 3)"]);
    expect(t.store.mergeCooks(third.id, second.id).name).toBe("Brisket");
    // Cooks of different names keep the name of the one merged into.
    const other = t.store.createCook({ name: "Ribs", startMs: 100_000, probeIds: [] });
    expect(t.store.mergeCooks(other.id, third.id).name).toBe("Ribs");
  });

  it("refuses to merge two cooks with another one between them (it would lie inside the merged cook)", () => {
    const c = t.store.createCook({ name: "Brisket", startMs: 0, probeIds: [] });
    t.store.updateCook(c.id, { endMs: 90_000 });
    const second = t.store.splitCook(c.id, 30_000);
    const third = t.store.splitCook(second.id, 60_000);
    expect(() => t.store.mergeCooks(c.id, third.id)).toThrow(ConflictError);
    expect(() => t.store.mergeCooks(c.id, third.id)).toThrow(`cook ${second.id} ("Brisket (part 2)") lies between cooks ${c.id} and ${third.id}`);
    expect(t.store.listCooks().map((x) => [x.startMs, x.endMs])).toEqual([[60_000, 90_000], [30_000, 60_000], [0, 30_000]]);
    // In order, they merge back.
    expect(t.store.mergeCooks(c.id, second.id)).toMatchObject({ startMs: 0, endMs: 60_000 });
    expect(t.store.mergeCooks(c.id, third.id)).toMatchObject({ name: "Brisket", startMs: 0, endMs: 90_000 });
  });

  it("takes the name of the part after a split when given (the panel's, in German) and numbers on in its word", () => {
    const c = t.store.createCook({ name: "Rippchen", startMs: 0, probeIds: [] });
    t.store.updateCook(c.id, { endMs: 90_000 });
    const second = t.store.splitCook(c.id, 30_000, "Rippchen (Teil 2)");
    const third = t.store.splitCook(second.id, 60_000);
    expect([second.name, third.name]).toEqual(["Rippchen (Teil 2)", "Rippchen (Teil 3)"]);
    expect(t.store.mergeCooks(second.id, third.id).name).toBe("Rippchen");
    expect(t.store.mergeCooks(c.id, second.id).name).toBe("Rippchen");
  });

  it("keeps the part's name within the 100 characters a cook's name may have", () => {
    const long = `${"Brisket ".repeat(11)}🔥🔥`; // 92 units, the flames two each
    expect(nextPartName(long).length).toBeLessThanOrEqual(COOK_NAME_MAX);
    expect(nextPartName(long)).toMatch(/^Brisket Brisket .*… \(part 2\)$/);
    expect(nextPartName(nextPartName(long, "de"))).toMatch(/… \(Teil 3\)$/);
    expect(nextPartName("Ribs", "de")).toBe("Ribs (Teil 2)");
    expect(nextPartName("Ribs", "fr-BE")).toBe("Ribs (partie 2)");
    expect(nextPartName("Ribs (partie 2)")).toBe("Ribs (partie 3)");
    expect(nextPartName("Ribs", "nl")).toBe("Ribs (deel 2)");
    expect(nextPartName("Ribs (deel 2)", "de")).toBe("Ribs (deel 3)");
    expect([partBase("Ribs (partie 3)"), partBase("Ribs (deel 2)")]).toEqual(["Ribs", "Ribs"]);
  });

  it("splitting an active cook keeps the new part active; merging with an active cook stays active", () => {
    const c = t.store.createCook({ name: "Live", startMs: 0, probeIds: [] });
    const part = t.store.splitCook(c.id, 1_000);
    expect(t.store.activeCook()?.id).toBe(part.id);
    expect(t.store.getCook(c.id)?.endMs).toBe(1_000);
    expect(t.store.mergeCooks(c.id, part.id).endMs).toBeNull();
  });
});
