/** Local wall-clock time in a named time zone (Home Assistant's or the TZ of the add-on). */
const formats = new Map<string, Intl.DateTimeFormat>();

const clockFormat = (timeZone: string): Intl.DateTimeFormat => {
  let fmt = formats.get(timeZone);
  if (!fmt) {
    let zone = timeZone;
    try {
      new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    } catch (err) {
      // An unknown zone name must not stop an alarm from going out: fall back to UTC.
      if (!(err instanceof RangeError)) throw err;
      zone = "UTC";
    }
    fmt = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formats.set(timeZone, fmt);
  }
  return fmt;
};

/**
 * The process's own zone (TZ) is what Date's local getters use: no need to load ICU's zone data
 * (several MB of resident memory) for it.
 */
const isProcessZone = (timeZone: string): boolean => timeZone === process.env.TZ;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "18:42" in the given time zone. */
export const formatClock = (tsMs: number, timeZone: string): string => {
  if (isProcessZone(timeZone)) {
    const d = new Date(tsMs);
    return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  }
  return clockFormat(timeZone).format(tsMs);
};

/** Minutes after local midnight of `tsMs` in `timeZone`. */
export const localMinutes = (tsMs: number, timeZone: string): number => {
  if (isProcessZone(timeZone)) {
    const d = new Date(tsMs);
    return d.getHours() * 60 + d.getMinutes();
  }
  const parts = clockFormat(timeZone).formatToParts(tsMs);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
};
