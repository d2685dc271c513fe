import { describe, expect, it } from "vitest";
import { HIGH_COLOR, LOW_COLOR, STALL_COLOR, computeChartModel } from "../../custom_card/src/chart-model";
import { createLocalize } from "../../custom_card/src/localize";
import { readProbe } from "../../custom_card/src/probe-view";
import { BRISKET, BUTT, PIT, buildStates } from "./fixtures/states";

const NOW = Date.parse("2026-07-04T16:00:00Z");
const l = createLocalize("en");
const states = buildStates({ nowMs: NOW });
const probes = [PIT, BRISKET, BUTT].map((k) => readProbe(states, k));
const colors = { [PIT]: "red", [BRISKET]: "blue", [BUTT]: "green" };

describe("computeChartModel", () => {
  it("gives one series per probe in its colour and the unit of the sensors", () => {
    const m = computeChartModel(probes, colors, {}, l, { showForecast: true, showAlarmLines: true, nowS: NOW / 1000 });
    expect(m.series.map((s) => [s.key, s.label, s.color])).toEqual([[PIT, "Pit", "red"], [BRISKET, "Brisket", "blue"], [BUTT, "Pork Butt", "green"]]);
    expect(m.unit).toBe("°F");
  });

  it("leaves a listed probe that has no entities out of the chart (no empty series in the legend)", () => {
    const m = computeChartModel([...probes, readProbe(states, "a4cf123b5e01_9")], colors, {}, l, { showForecast: true, showAlarmLines: true, nowS: NOW / 1000 });
    expect(m.series.map((s) => s.key)).toEqual([PIT, BRISKET, BUTT]);
  });

  it("draws target lines in the probe colour and high/low lines in alarm colours, only when set", () => {
    const m = computeChartModel(probes, colors, {}, l, { showForecast: true, showAlarmLines: true, nowS: NOW / 1000 });
    expect(m.lines).toEqual([
      { value: 300, color: HIGH_COLOR, label: "Pit high", dashed: true },
      { value: 200, color: LOW_COLOR, label: "Pit low", dashed: true },
      { value: 203, color: "blue", label: "Brisket target", dashed: true },
      { value: 195, color: "green", label: "Pork Butt target", dashed: true },
    ]);
    expect(computeChartModel(probes, colors, {}, l, { showForecast: true, showAlarmLines: false, nowS: NOW / 1000 }).lines).toEqual([]);
  });

  it("shades past stalls from history and the running stall from its 'since'", () => {
    const m = computeChartModel(probes, colors, { [BUTT]: [[1000, true], [2000, false]] }, l, { showForecast: true, showAlarmLines: true, nowS: NOW / 1000 });
    expect(m.bands).toEqual([
      { fromS: 1000, toS: 2000, color: STALL_COLOR, label: "stall · Pork Butt" },
      { fromS: NOW / 1000 - 95 * 60, toS: NOW / 1000, color: STALL_COLOR, label: "stall · Brisket" },
    ]);
  });

  it("adds the forecast of probes that have one, unless switched off", () => {
    const on = computeChartModel(probes, colors, {}, l, { showForecast: true, showAlarmLines: true, nowS: NOW / 1000 });
    expect(on.forecasts.map((f) => [f.seriesKey, f.points.length, f.label])).toEqual([[BRISKET, 13, "Brisket forecast"]]);
    expect(computeChartModel(probes, colors, {}, l, { showForecast: false, showAlarmLines: true, nowS: NOW / 1000 }).forecasts).toEqual([]);
  });
});
