import { describe, expect, it } from "vitest";
import { elapsedIncrsS, elapsedShowsSeconds, TIME_INCRS_S, timeAxisLabels, timeLabelDetail } from "../../custom_card/src/chart/time-axis";

/** Ticks as uPlot places them: multiples of the step from the first round time in the span. */
const ticks = (fromS: number, spanS: number, incrS: number): number[] => {
  const out: number[] = [];
  for (let t = Math.ceil(fromS / incrS) * incrS; t <= fromS + spanS; t += incrS) out.push(t);
  return out;
};

// 2026-03-14 05:00 UTC, and the night Chicago's clocks go back (2026-11-01, 1:00–2:00 twice).
const SPRING_S = Date.UTC(2026, 2, 14, 5) / 1000;
const FALL_BACK_S = Date.UTC(2026, 10, 1, 4) / 1000;

describe("time axis labels", () => {
  it("label ticks on a few-minute window to the second instead of repeating the minute", () => {
    const splits = ticks(SPRING_S, 4 * 60, 15);
    const labels = timeAxisLabels(splits, 15, 4 * 60, "en-US", "UTC");
    expect(labels.slice(0, 3)).toEqual(["5:00:00 AM", "5:00:15 AM", "5:00:30 AM"]);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("show hours and minutes for spans under a day, in the locale's clock and the given zone", () => {
    expect(timeAxisLabels([SPRING_S, SPRING_S + 300], 300, 3600, "en-US", "America/Chicago")).toEqual(["12:00 AM", "12:05 AM"]);
    expect(timeAxisLabels([SPRING_S, SPRING_S + 300], 300, 3600, "de", "Europe/Berlin")).toEqual(["6:00", "6:05"]);
    expect(timeAxisLabels([SPRING_S], 300, 3600, "en-US-u-hc-h23", "UTC")).toEqual(["05:00"]);
  });

  it("name the day once the span holds the same clock time twice, and the date alone for day steps", () => {
    expect(timeLabelDetail(6 * 3600, 30 * 3600)).toBe("weekday");
    expect(timeAxisLabels([SPRING_S, SPRING_S + 86_400], 12 * 3600, 30 * 3600, "en-US", "UTC")).toEqual(["Sat 5:00 AM", "Sun 5:00 AM"]);
    expect(timeAxisLabels([SPRING_S], 86_400, 9 * 86_400, "en-US", "UTC")).toEqual(["Mar 14"]);
    expect(timeLabelDetail(12 * 3600, 9 * 86_400)).toBe("date-time");
  });

  it.each([
    ["en-US", "America/Chicago", SPRING_S],
    ["de", "Europe/Berlin", SPRING_S],
    ["en-US", "America/Chicago", FALL_BACK_S],
    ["en-GB", "Australia/Adelaide", SPRING_S],
  ])("never repeat a label on any span up to ten days (%s, %s)", (locale, zone, fromS) => {
    for (const spanS of [90, 4 * 60, 20 * 60, 3600, 4 * 3600, 12 * 3600, 23.5 * 3600, 30 * 3600, 3 * 86_400, 7 * 86_400, 10 * 86_400]) {
      for (const incrS of TIME_INCRS_S) {
        const splits = ticks(fromS, spanS, incrS);
        if (splits.length < 2 || splits.length > 200) continue;
        const labels = timeAxisLabels(splits, incrS, spanS, locale, zone);
        expect(new Set(labels).size, `${spanS} s span, ${incrS} s step: ${labels.join(" | ")}`).toBe(labels.length);
      }
    }
  });

  it("ticks an elapsed axis in whole minutes (h:mm) from a 5-minute span, in seconds only below it", () => {
    expect(elapsedShowsSeconds(4 * 60)).toBe(true);
    expect(elapsedShowsSeconds(5 * 60)).toBe(false);
    expect(elapsedIncrsS(4 * 60)).toEqual(TIME_INCRS_S);
    expect(Math.min(...elapsedIncrsS(8 * 60))).toBe(60);
  });
});
