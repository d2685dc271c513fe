import { afterEach, describe, expect, it } from "vitest";
import { formatClock, localMinutes } from "../../src/alarms/local-time";

const saved = process.env.TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

describe("local time without ICU for the process's own zone", () => {
  it.each(["Europe/Berlin", "America/New_York", "Asia/Kolkata"])("agrees with Intl in %s, across a DST change", (zone) => {
    const intl = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    const other = zone === "Europe/Berlin" ? "America/New_York" : "Europe/Berlin";
    for (const ts of [Date.parse("2026-03-29T00:30:00Z"), Date.parse("2026-03-29T01:30:00Z"), Date.parse("2026-11-01T06:45:00Z"), Date.parse("2026-07-15T23:59:00Z")]) {
      process.env.TZ = zone; // the fast path: Date getters
      const fast = formatClock(ts, zone);
      const fastMinutes = localMinutes(ts, zone);
      process.env.TZ = other; // the Intl path for the same zone
      expect(fast).toBe(intl.format(ts));
      expect(formatClock(ts, zone)).toBe(fast);
      expect(localMinutes(ts, zone)).toBe(fastMinutes);
    }
  });
});
