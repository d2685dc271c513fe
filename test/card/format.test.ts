import { describe, expect, it } from "vitest";
import { createFormatContext, formatDuration, formatElapsed, formatEta, formatNumber, formatRate, formatTemp, formatTime } from "../../custom_card/src/format";
import { createLocalize } from "../../custom_card/src/localize";
import type { EtaView } from "../../custom_card/src/probe-view";

const en = createLocalize("en");
const de = createLocalize("de");
const at = (iso: string) => Date.parse(iso);
const eta = (over: Partial<EtaView>): EtaView => ({ p50Ms: null, p10Ms: null, p90Ms: null, reason: null, method: null, remainingMin: null, forecast: [], ...over });

describe("createFormatContext", () => {
  it("uses the server's time zone when the profile says 'server', else the browser's", () => {
    const hass = { locale: { language: "en", time_zone: "server" }, config: { time_zone: "America/Chicago" } };
    expect(createFormatContext(hass).timeZone).toBe("America/Chicago");
    expect(createFormatContext({ ...hass, locale: { language: "en", time_zone: "local" } }).timeZone).toBeUndefined();
    expect(createFormatContext({ ...hass, config: { time_zone: "Not/AZone" } }).timeZone).toBeUndefined();
  });

  it("honours the number and time formats chosen in the profile", () => {
    const c = createFormatContext({ locale: { language: "en", number_format: "decimal_comma", time_format: "24" } });
    expect(formatNumber(c, 1234.56, 1)).toBe("1.234,6");
    expect(c.hour12).toBe(false);
    // "none" is how Home Assistant writes a number under it: a point and no grouping, in German too.
    const none = createFormatContext({ locale: { language: "de", number_format: "none" } });
    expect(none.useGrouping).toBe(false);
    expect(formatNumber(none, 1234.56, 1)).toBe("1234.6");
  });

  it("falls back to English for an invalid language tag", () => {
    expect(createFormatContext({ language: "not a tag!" }).locale).toBe("en");
  });
});

describe("numbers and temperatures", () => {
  it("formats in the user's locale", () => {
    expect(formatTemp(createFormatContext({ language: "en" }), 203.44, "°F")).toBe("203.4\u00a0°F");
    expect(formatTemp(createFormatContext({ language: "de" }), 95.25, "°C")).toBe("95,3\u00a0°C");
    expect(formatTemp(createFormatContext({ language: "en" }), null, "°F")).toBe("–");
  });
});

describe("times", () => {
  const chicago = createFormatContext({ locale: { language: "en-US", time_zone: "server", time_format: "language" }, config: { time_zone: "America/Chicago" } });
  const berlin = createFormatContext({ locale: { language: "de", time_zone: "server" }, config: { time_zone: "Europe/Berlin" } });
  const now = at("2026-07-04T20:00:00Z");

  it("shows the time of day in HA's zone and locale", () => {
    expect(formatTime(chicago, at("2026-07-04T23:42:00Z"), now)).toBe("6:42 PM");
    expect(formatTime(berlin, at("2026-07-04T16:42:00Z"), now)).toBe("18:42");
  });

  it("adds the weekday when the time is not today", () => {
    expect(formatTime(berlin, at("2026-07-05T08:00:00Z"), now)).toMatch(/^So\.?,? 10:00$/);
  });

  it("renders the ETA with its range, without a range, or the reason", () => {
    const e = eta({ p50Ms: at("2026-07-04T16:42:00Z"), p10Ms: at("2026-07-04T16:10:00Z"), p90Ms: at("2026-07-04T17:30:00Z") });
    const berlinNoon = at("2026-07-04T10:00:00Z");
    expect(formatEta(berlin, en, e, berlinNoon)).toBe("done ~18:42 (18:10–19:30)");
    expect(formatEta(berlin, de, e, berlinNoon)).toBe("fertig ~18:42 (18:10–19:30)");
    expect(formatEta(berlin, en, eta({ p50Ms: e.p50Ms }), berlinNoon)).toBe("done ~18:42");
    expect(formatEta(berlin, en, eta({ reason: "Waiting for a target" }), berlinNoon)).toBe("Waiting for a target");
    expect(formatEta(berlin, de, eta({}), berlinNoon)).toBe("noch keine Garzeit");
    // The add-on's reasons in the card's language; a done probe says when it got there.
    expect(formatEta(berlin, de, eta({ reason: "collecting readings (needs 15 min)" }), berlinNoon)).toBe("sammelt Messwerte (braucht 15\u00a0Min.)");
    expect(formatEta(berlin, en, eta({ reason: "collecting readings (needs 15 min)" }), berlinNoon)).toBe("collecting readings (needs 15\u00a0min)");
    const done = eta({ p50Ms: e.p50Ms, p10Ms: e.p50Ms, p90Ms: e.p50Ms, method: "done", reason: "target reached" });
    expect(formatEta(berlin, en, done, at("2026-07-04T17:00:00Z"))).toBe("target reached at 18:42");
    expect(formatEta(berlin, de, done, at("2026-07-04T17:00:00Z"))).toBe("Ziel erreicht um 18:42");
  });

  it("formats durations", () => {
    expect(formatDuration(en, 45)).toBe("45\u00a0min");
    expect(formatDuration(en, 125)).toBe("2\u00a0h 05\u00a0min");
    expect(formatDuration(de, 95)).toBe("1\u00a0Std. 35\u00a0Min.");
  });
});

describe("formatElapsed", () => {
  it("shows time since a start as h:mm without wrapping at 24 h", () => {
    expect(formatElapsed(0)).toBe("0:00");
    expect(formatElapsed(59 * 60 + 59)).toBe("0:59");
    expect(formatElapsed(26 * 3600 + 30 * 60)).toBe("26:30");
    expect(formatElapsed(26 * 3600 + 30 * 60 + 7, true)).toBe("26:30:07");
    expect(formatElapsed(-300)).toBe("-0:05");
  });
});

describe("formatRate", () => {
  it("writes the rate of rise with its sign and the temperature unit, in English and German", () => {
    const enCtx = createFormatContext({ language: "en" });
    const deCtx = createFormatContext({ language: "de" });
    expect(formatRate(enCtx, en, 32, "°F")).toBe("+32.0\u00a0°F/h");
    expect(formatRate(enCtx, en, -1.25, "°C")).toBe("−1.3\u00a0°C/h");
    expect(formatRate(deCtx, de, 17.8, "°C")).toBe("+17,8\u00a0°C/Std.");
  });

  it("shows nothing for a rate too small to matter or unknown", () => {
    const ctx = createFormatContext({ language: "en" });
    expect(formatRate(ctx, en, 0.04, "°F")).toBeNull();
    expect(formatRate(ctx, en, null, "°F")).toBeNull();
  });
});
