/**
 * Pure: tick steps and labels of the chart's time axis, so that no two ticks of the visible span
 * read the same. uPlot's own steps go down to seconds; written as "5:00 AM" they repeated on a
 * few-minute window. Labels carry the detail their step needs: seconds below a one-minute step,
 * the weekday once the span holds the same clock time twice (a day, less one hour for a DST
 * change), the date alone for steps of a day or more.
 */

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;

/** Tick steps in seconds; each divides a day or is whole days, so ticks land on round clock times. */
export const TIME_INCRS_S: readonly number[] = [
  1, 5, 10, 15, 30,
  MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN,
  HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY, 28 * DAY,
];

/**
 * An elapsed axis (time since a start, "h:mm") ticks whole minutes from this span on, so its
 * labels read as h:mm like its title says; a shorter span needs seconds (h:mm:ss) for ticks at all.
 */
export const ELAPSED_MINUTES_FROM_S = 5 * MIN;

/** Whether an elapsed axis over `spanS` seconds labels its ticks with seconds (h:mm:ss). */
export const elapsedShowsSeconds = (spanS: number): boolean => spanS < ELAPSED_MINUTES_FROM_S;

const MINUTE_INCRS_S: readonly number[] = TIME_INCRS_S.filter((s) => s >= MIN);

/** Tick steps for an elapsed axis over `spanS` seconds: whole minutes or more unless it shows seconds. */
export const elapsedIncrsS = (spanS: number): readonly number[] => (elapsedShowsSeconds(spanS) ? TIME_INCRS_S : MINUTE_INCRS_S);

export type TimeLabelDetail = "seconds" | "minutes" | "weekday" | "date-time" | "date";

/** How much a label must say for ticks `incrS` apart on a span of `spanS` seconds. */
export const timeLabelDetail = (incrS: number, spanS: number): TimeLabelDetail => {
  if (incrS >= DAY) return "date";
  if (incrS < MIN) return "seconds";
  if (spanS < DAY - HOUR) return "minutes";
  // A weekday repeats after a week: longer spans name the date.
  return spanS < 7 * DAY - HOUR ? "weekday" : "date-time";
};

/**
 * Minimum pixels between ticks for a span, from the widest label it may get at 11 px
 * ("Jan 13, 12:00 AM", "Thu 12:00 AM", "12:00:30 AM", "12:00 AM").
 */
export const timeAxisSpacePx = (spanS: number): number => {
  if (spanS >= 7 * DAY - HOUR) return 110;
  if (spanS >= DAY - HOUR) return 84;
  return spanS < 20 * MIN ? 76 : 60;
};

const OPTIONS: Record<TimeLabelDetail, Intl.DateTimeFormatOptions> = {
  seconds: { hour: "numeric", minute: "2-digit", second: "2-digit" },
  minutes: { hour: "numeric", minute: "2-digit" },
  weekday: { weekday: "short", hour: "numeric", minute: "2-digit" },
  "date-time": { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" },
  date: { month: "short", day: "numeric" },
};

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The formatter for a detail in a locale ("en-US-u-hc-h23" carries the 12/24 h choice) and zone;
 * `zoneName` adds the zone's short name ("CDT") to tell apart the hour a DST change repeats.
 */
export const timeLabelFormat = (detail: TimeLabelDetail, locale: string, timeZone: string | undefined, zoneName = false): Intl.DateTimeFormat => {
  const key = `${detail}|${locale}|${timeZone ?? ""}|${zoneName}`;
  let fmt = formats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, { ...OPTIONS[detail], ...(timeZone ? { timeZone } : {}), ...(zoneName && detail !== "date" ? { timeZoneName: "short" } : {}) });
    formats.set(key, fmt);
  }
  return fmt;
};

/** Labels for ticks at `splitsS` (epoch seconds), `incrS` apart, on a visible span of `spanS`. */
export const timeAxisLabels = (splitsS: readonly number[], incrS: number, spanS: number, locale: string, timeZone: string | undefined): string[] => {
  const detail = timeLabelDetail(incrS, spanS);
  const labels = splitsS.map((s) => timeLabelFormat(detail, locale, timeZone).format(s * 1000));
  if (new Set(labels).size === labels.length) return labels;
  // Only the night the clocks go back shows an hour twice: name the zone there ("1:00 AM CDT", "1:00 AM CST").
  return splitsS.map((s) => timeLabelFormat(detail, locale, timeZone, true).format(s * 1000));
};
