import { describe, expect, it } from "vitest";
import { findCookStartS, parseHistoryStates, statisticsEndS, statisticsToPoints, toBands, toOnOff, toTemperaturePoints } from "../../custom_card/src/data/history-parse";

describe("parseHistoryStates", () => {
  it("reads a history/stream event (compressed rows under 'states')", () => {
    const ev = { states: { "sensor.a": [{ s: "70.1", a: {}, lu: 1000.5 }, { s: "unavailable", lu: 1010 }] }, start_time: 1, end_time: 2 };
    expect(parseHistoryStates(ev)).toEqual({ "sensor.a": [[1000.5, "70.1"], [1010, "unavailable"]] });
  });

  it("reads a history_during_period result (the map itself) and skips malformed rows", () => {
    const res = { "sensor.a": [{ s: "1", lu: 5 }, { s: 2, lu: 6 }, { s: "3" }, null], "sensor.b": "nope" };
    expect(parseHistoryStates(res)).toEqual({ "sensor.a": [[5, "1"]] });
  });

  it("floors timestamps to the millisecond (same rule as live states)", () => {
    expect(parseHistoryStates({ states: { "sensor.a": [{ s: "1", lu: 1795712271.260091 }] } })["sensor.a"]?.[0]?.[0]).toBe(1795712271.26);
  });

  it("turns states into temperature points (unavailable = gap) and on/off rows", () => {
    expect(toTemperaturePoints([[1, "70"], [2, "unknown"]])).toEqual([[1, 70], [2, null]]);
    expect(toOnOff([[1, "on"], [2, "off"], [3, "unavailable"]])).toEqual([[1, true], [2, false], [3, false]]);
  });
});

describe("toBands", () => {
  it("shades each on-interval and extends a running one to now", () => {
    const bands = toBands([[30, false], [10, true], [40, true]], 100, "c", "stall");
    expect(bands).toEqual([
      { fromS: 10, toS: 30, color: "c", label: "stall" },
      { fromS: 40, toS: 100, color: "c", label: "stall" },
    ]);
  });
});

describe("statisticsToPoints", () => {
  const row = (startMin: number, mean: number, min = mean, max = mean) => ({ start: startMin * 60_000, end: (startMin + 5) * 60_000, mean, min, max });

  it("uses the mean at the middle of calm periods", () => {
    expect(statisticsToPoints([row(0, 100), row(5, 101)])).toEqual([[150, 100], [450, 101]]);
  });

  it("keeps a spike: min and max of a lively period, ordered by the trend", () => {
    const pts = statisticsToPoints([row(0, 100), row(5, 105, 80, 130), row(10, 110)]);
    expect(pts.slice(1, 3)).toEqual([[400, 80], [500, 130]]);
    const falling = statisticsToPoints([row(0, 110), row(5, 105, 80, 130), row(10, 100)]);
    expect(falling.slice(1, 3)).toEqual([[400, 130], [500, 80]]);
  });

  it("marks missing periods as a gap and accepts ISO start times (older cores)", () => {
    const pts = statisticsToPoints([row(0, 100), { start: new Date(30 * 60_000).toISOString(), mean: 90 }]);
    expect(pts).toEqual([[150, 100], [300, null], [1950, 90]]);
  });

  it("reports the newest period end", () => {
    expect(statisticsEndS({ a: [row(0, 1), row(5, 1)], b: [row(10, 1)] })).toBe(900);
    expect(statisticsEndS({})).toBeNull();
  });
});

describe("findCookStartS", () => {
  it("starts after the last long stretch without any reading", () => {
    const x = [0, 100, 200, 3000, 3100];
    expect(findCookStartS(x, [[20, 21, null, 22, 23], [null, null, null, null, 90]])).toBe(3000);
  });

  it("ignores short dropouts and returns the first reading when there was no long gap", () => {
    expect(findCookStartS([0, 10, 20], [[null, 5, null]])).toBe(10);
    expect(findCookStartS([0, 600, 700], [[5, null, 6]])).toBe(0);
    expect(findCookStartS([], [])).toBeNull();
  });
});
