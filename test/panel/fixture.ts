/**
 * A realistic running cook for the panel tests: a brisket on a 115 °C pit following Newton's
 * law of heating (as real cooks do), a pork butt, a pit probe, cook events, and what analytics
 * would add to the states (ETA with range, forecast, rate, min/max).
 */
import type { ProbeState, Reading } from "../../src/shared";
import type { SqliteStore } from "../../src/store";
import { DEVICE_KEY, device, probe } from "../http/harness";

export const BRISKET = `${DEVICE_KEY}_1`;
export const BUTT = `${DEVICE_KEY}_2`;
export const PIT_ID = `${DEVICE_KEY}_3`;
const PIT_C = 115;
const K_PER_H = { [BRISKET]: 0.3, [BUTT]: 0.42 } as Record<string, number>;

const meatTemp = (probeId: string, hours: number): number => PIT_C - (PIT_C - 4) * Math.exp(-(K_PER_H[probeId] ?? 0.3) * hours);
const pitTemp = (hours: number): number => Math.min(PIT_C, 25 + 90 * (1 - Math.exp(-hours * 6))) + 2.5 * Math.sin(hours * 9);
const round2 = (x: number): number => Math.round(x * 100) / 100;

export interface CookFixture {
  startMs: number;
  nowMs: number;
  cookId: number;
  olderCookId: number;
}

export const seedRunningCook = (store: SqliteStore, nowMs: number, hours = 3): CookFixture => {
  const startMs = nowMs - hours * 3600_000;
  store.upsertDevices([device({ lastSeenMs: nowMs })]);
  store.upsertProbes([probe("1", "Brisket", "meat"), probe("2", "Pork butt", "meat"), probe("3", "Pit", "pit")]);
  const readings: Reading[] = [];
  // An older, finished cook for the list and the comparison (a day earlier).
  const olderStart = startMs - 24 * 3600_000;
  for (let t = 0; t <= 10 * 3600; t += 60) {
    const h = t / 3600;
    readings.push({ probeId: BRISKET, tsMs: olderStart + t * 1000, tempC: round2(meatTemp(BRISKET, h * 0.9)) });
    readings.push({ probeId: PIT_ID, tsMs: olderStart + t * 1000 + 7000, tempC: round2(pitTemp(h)) });
  }
  for (let t = 0; t <= hours * 3600; t += 30) {
    const h = t / 3600;
    readings.push({ probeId: BRISKET, tsMs: startMs + t * 1000, tempC: round2(meatTemp(BRISKET, h)) });
    readings.push({ probeId: BUTT, tsMs: startMs + t * 1000 + 2000, tempC: round2(meatTemp(BUTT, h)) });
    readings.push({ probeId: PIT_ID, tsMs: startMs + t * 1000 + 4000, tempC: round2(pitTemp(h)) });
  }
  store.insertReadings(readings);
  const older = store.createCook({ name: "Brisket, last Saturday", startMs: olderStart, probeIds: [BRISKET, PIT_ID], targets: { [BRISKET]: 95 } });
  store.updateCook(older.id, { endMs: olderStart + 10 * 3600_000, notes: "Post oak, wrapped at 71 °C" });
  const cook = store.createCook({ name: "Brisket & pork butt", startMs, probeIds: [BRISKET, BUTT, PIT_ID], targets: { [BRISKET]: 95, [BUTT]: 93 } });
  store.saveSettings({ probeId: BRISKET, targetC: 95, highC: null, lowC: null });
  store.saveSettings({ probeId: BUTT, targetC: 93, highC: null, lowC: null });
  store.saveSettings({ probeId: PIT_ID, targetC: null, highC: 135, lowC: 100 });
  store.addCookEvent({ cookId: cook.id, tsMs: startMs + 20 * 60_000, kind: "wood", text: "Two chunks of hickory" });
  store.addCookEvent({ cookId: cook.id, tsMs: startMs + 90 * 60_000, kind: "spritz", text: "Apple cider vinegar" });
  store.addCookEvent({ cookId: cook.id, tsMs: startMs + 100 * 60_000, kind: "lid_open", text: "", probeId: PIT_ID });
  return { startMs, nowMs, cookId: cook.id, olderCookId: older.id };
};

/** ETA, range, forecast and rate the way analytics publishes them. */
export const decorateStates = (states: ProbeState[]): ProbeState[] =>
  states.map((s) => {
    if (s.tempC === null || s.tsMs === null) return s;
    const k = K_PER_H[s.id];
    const out: ProbeState = { ...s, minC: s.role === "pit" ? 24 : 4, maxC: s.tempC, rateCPerHour: k ? round2(k * (PIT_C - s.tempC)) : 0.4 };
    if (k === undefined || s.targetC === null) return out;
    const hoursLeft = Math.log((PIT_C - s.tempC) / (PIT_C - s.targetC)) / k;
    const doneMs = s.tsMs + hoursLeft * 3600_000;
    const forecast = Array.from({ length: 12 }, (_, i) => {
      const h = ((i + 1) / 12) * hoursLeft;
      const tempC = PIT_C - (PIT_C - s.tempC!) * Math.exp(-k * h);
      return { tsMs: s.tsMs! + h * 3600_000, tempC, lowC: tempC - 0.8 * h, highC: Math.min(tempC + 0.6 * h, PIT_C) };
    });
    const stalled = s.id === BRISKET;
    return {
      ...out,
      rateCPerHour: stalled ? 0.8 : out.rateCPerHour,
      eta: { doneMs, p10Ms: doneMs - 0.25 * hoursLeft * 3600_000, p90Ms: doneMs + 0.35 * hoursLeft * 3600_000, reason: null, method: "newton" },
      forecast,
      stall: stalled ? { stalled: true, sinceMs: s.tsMs - 35 * 60_000, endedMs: null, durationMs: 35 * 60_000 } : null,
    };
  });
