import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../src/shared";
import { createRetentionService, msUntilNextHour } from "../../src/store";
import { tempStore } from "./helpers";

const DAY = 86_400_000;
const NOW = 1_700_000_000_000;

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore(() => NOW);
});
afterEach(() => t.done());

const fill = (): void => {
  const readings = [];
  for (let i = 0; i < 60 * 24 * 20; i++) readings.push({ probeId: "d_1", tsMs: NOW - 20 * DAY + i * 60_000, tempC: 20 + (i % 50) });
  for (let i = 0; i < readings.length; i += 5_000) t.store.insertReadings(readings.slice(i, i + 5_000));
};

describe("retention service", () => {
  it("prunes readings older than `days` at start, keeps cooks, and stops cleanly", async () => {
    fill();
    const cook = t.store.createCook({ name: "Old cook", startMs: NOW - 19 * DAY, probeIds: ["d_1"] });
    t.store.addCookEvent({ cookId: cook.id, tsMs: NOW - 19 * DAY, kind: "note", text: "lit" });
    const transition = { alarmId: "d_1:high", fromPhase: "armed", toPhase: "firing", transition: "raised", message: "hot" };
    t.store.recordTransition({ ...transition, tsMs: NOW - 10 * DAY });
    t.store.recordTransition({ ...transition, tsMs: NOW - DAY });
    const svc = createRetentionService({ store: t.store, days: 7, logger: createMemoryLogger(), clock: { now: () => NOW } });
    await svc.start();
    const deleted = await svc.runNow();
    await svc.stop();
    const stats = t.store.stats();
    expect(stats.oldestMs).toBeGreaterThanOrEqual(NOW - 7 * DAY);
    expect(stats.readings).toBe(60 * 24 * 7);
    expect(deleted).toBe(60 * 24 * 13);
    expect(await svc.runNow()).toBe(0);
    expect(t.store.listTransitions().map((r) => r.tsMs)).toEqual([NOW - DAY]);
    expect(t.store.getCook(cook.id)?.name).toBe("Old cook");
    expect(t.store.listCookEvents(cook.id)).toHaveLength(1);
  });

  it("keeps everything with days = 0", async () => {
    fill();
    const svc = createRetentionService({ store: t.store, days: 0, logger: createMemoryLogger(), clock: { now: () => NOW } });
    await svc.start();
    expect(await svc.runNow()).toBe(0);
    await svc.stop();
    expect(t.store.stats().readings).toBe(60 * 24 * 20);
  });

  it("schedules the daily run for the next 04:00 local time", () => {
    const at = new Date(2024, 5, 1, 3, 30).getTime();
    expect(msUntilNextHour(at, 4)).toBe(30 * 60_000);
    const after = new Date(2024, 5, 1, 4, 0).getTime();
    expect(msUntilNextHour(after, 4)).toBe(new Date(2024, 5, 2, 4, 0).getTime() - after);
  });
});
