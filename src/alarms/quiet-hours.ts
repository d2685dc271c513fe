import { localMinutes } from "./local-time";

/** Quiet hours: local "HH:MM" start and end; the window may wrap midnight ("22:00"–"07:00"). */
export interface QuietHours {
  start: string;
  end: string;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of "HH:MM", or null when it is not a valid time. */
export const parseClockMinutes = (hhmm: string): number | null => {
  const m = HH_MM.exec(hhmm.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/** True inside the quiet window: start inclusive, end exclusive. Equal start and end = no window. */
export const isQuietTime = (nowMs: number, quiet: QuietHours | null, timeZone: string): boolean => {
  if (!quiet) return false;
  const start = parseClockMinutes(quiet.start);
  const end = parseClockMinutes(quiet.end);
  if (start === null || end === null || start === end) return false;
  const now = localMinutes(nowMs, timeZone);
  return start < end ? now >= start && now < end : now >= start || now < end;
};
