import { describe, expect, it } from "vitest";
import { alarmText, deviceName } from "../../addon/panel/src/alarm-text";
import { compareKey, compareStyles, type CompareCook } from "../../addon/panel/src/compare-style";
import { eventsToBands, historyToChartData, PIT_COLOR, probeColors, settingsToLines } from "../../addon/panel/src/chart-data";
import { formatDuration, formatEta, formatRate, formatSince, formatTemp, fromLocalInput, parseTempInput, toLocalInput } from "../../addon/panel/src/format";
import { parseRoute, routeHref, type Route } from "../../addon/panel/src/router";
import { fromHistoryColumns } from "../../addon/panel/src/api";
import { encodeHistoryJson } from "../../src/http/routes/history";
import { PointColumns } from "../../src/store/columns";
import { closestPair } from "../card/color-distance";
import type { AlarmState, CookEvent, HistoryPoint, ProbeRole, ProbeState } from "../../src/shared";

describe("panel formatting", () => {
  it("shows temperatures in the chosen unit", () => {
    expect(formatTemp(95, "C")).toBe("95.0\u00a0°C");
    expect(formatTemp(95, "F")).toBe("203.0\u00a0°F");
    expect(formatTemp(null, "F")).toBe("–");
    expect(formatTemp(107.2, "F", "de", 0)).toBe("225\u00a0°F");
  });

  it("shows a rate of rise with its sign, converted as a difference", () => {
    expect(formatRate(10, "F")).toBe("+18.0\u00a0°F/h");
    expect(formatRate(-2, "C")).toBe("−2.0\u00a0°C/h");
    expect(formatRate(null, "C")).toBe("");
  });

  it("reads a typed temperature in the display unit back to °C", () => {
    expect(parseTempInput("203", "F")).toBe(95);
    expect(parseTempInput("95,5", "C")).toBe(95.5);
    expect(parseTempInput("", "C")).toBeNull();
    expect(parseTempInput("hot", "C")).toBe("invalid");
  });

  it("writes durations a person reads at a glance", () => {
    expect(formatDuration(30_000)).toBe("< 1 min");
    expect(formatDuration(42 * 60_000)).toBe("42\u00a0min");
    expect(formatDuration(5 * 3600_000 + 12 * 60_000)).toBe("5\u00a0h 12\u00a0min");
    expect(formatDuration(2 * 3600_000)).toBe("2\u00a0h");
  });

  it("describes an ETA with its range, or why it is unknown", () => {
    const now = Date.UTC(2024, 4, 27, 16, 0);
    const eta = formatEta({ doneMs: now + 2 * 3600_000, p10Ms: now + 90 * 60_000, p90Ms: now + 150 * 60_000, reason: null, method: "newton" }, now, "en-GB", "UTC");
    expect(eta).toEqual({ main: "Done ~18:00", detail: "17:30 – 18:30 · in 2\u00a0h" });
    expect(formatEta({ doneMs: null, p10Ms: null, p90Ms: null, reason: "not enough data yet", method: "none" }, now)).toEqual({ main: "ETA unknown", detail: "not enough data yet" });
    expect(formatEta(null, now)).toBeNull();
    const doneAt = now - 20 * 60_000;
    expect(formatEta({ doneMs: doneAt, p10Ms: doneAt, p90Ms: doneAt, reason: "target reached", method: "done" }, now, "en-GB", "UTC")).toEqual({ main: "Target reached", detail: "15:40" });
    // A forecast to the nearest minute, as Home Assistant's sensor and the card have it: 17:44:49 is
    // 17:45. A done time, which has been, is never rounded up (15:44:49 reached: 15:44).
    const soon = now + 104 * 60_000 + 49_000;
    expect(formatEta({ doneMs: soon, p10Ms: soon, p90Ms: soon, reason: null, method: "newton" }, now, "en-GB", "UTC")?.main).toBe("Done ~17:45");
    const late = now - 15 * 60_000 - 11_000;
    expect(formatEta({ doneMs: late, p10Ms: late, p90Ms: late, reason: "target reached", method: "done" }, now, "en-GB", "UTC")?.detail).toBe("15:44");
    // Overnight: a done time after midnight names its day, as the card's does.
    const evening = Date.UTC(2024, 4, 25, 22, 30);
    const overnight = formatEta({ doneMs: evening + 3 * 3600_000, p10Ms: evening + 60 * 60_000, p90Ms: evening + 5 * 3600_000, reason: null, method: "newton" }, evening, "en-GB", "UTC");
    expect(overnight).toEqual({ main: "Done ~Sun 01:30", detail: "23:30 – Sun 03:30 · in 3 h" });
    // In the viewer's zone: 01:30 UTC is still Saturday evening in New York.
    expect(formatEta({ doneMs: evening + 3 * 3600_000, p10Ms: null, p90Ms: null, reason: null, method: "newton" }, evening, "en-US", "America/New_York")?.main).toMatch(/^Done ~9:30\s?PM$/);
  });
});

describe("panel routes", () => {
  it.each([
    ["", { view: "live" }],
    ["#/live", { view: "live" }],
    ["#/cooks", { view: "cooks" }],
    ["#/cooks/12", { view: "cook", id: 12 }],
    ["#/compare?ids=1,2,2,x", { view: "compare", ids: [1, 2] }],
    ["#/alarms", { view: "alarms" }],
    ["#/whatever", { view: "live" }],
  ])("%s", (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it("builds hrefs that parse back to the same route", () => {
    const routes: Route[] = [{ view: "cook", id: 3 }, { view: "compare", ids: [4, 5] }];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });
});

describe("panel chart data", () => {
  it("turns ms/°C history into seconds and the display unit, keeping gaps", () => {
    const data = historyToChartData({ a: [[1000, 100], [2000, null], [3000, 0]] }, "F");
    expect(data).toEqual({ x: [1, 2, 3], y: { a: [212, null, 32] } });
  });

  it("aligns cooks at their start when given offsets (compare view)", () => {
    const data = historyToChartData({ a: [[10_000, 20]], b: [[50_000, 30]] }, "C", { a: 10_000, b: 50_000 });
    expect(data.x).toEqual([0]);
    expect(data.y).toEqual({ a: [20], b: [30] });
  });

  it("gives pits the pit colour and meats distinct colours", () => {
    const colors = probeColors([{ id: "d_2", name: "Pit", role: "pit" }, { id: "d_1", name: "A", role: "meat" }, { id: "d_3", name: "B", role: "meat" }]);
    expect(colors.get("d_2")).toBe(PIT_COLOR);
    expect(colors.get("d_1")).not.toBe(colors.get("d_3"));
  });

  it("keeps the meat colours of up to 7 probes away from the pit's orange", () => {
    const rgb = (hex: string): number[] => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    const probes = [{ id: "d_0", name: "Pit", role: "pit" as const }, ...Array.from({ length: 7 }, (_, i) => ({ id: `d_${i + 1}`, name: `M${i}`, role: "meat" as const }))];
    const colors = probeColors(probes);
    const pit = rgb(PIT_COLOR);
    for (const p of probes.slice(1)) {
      const c = rgb(colors.get(p.id) ?? "");
      expect(Math.hypot(...c.map((v, i) => v - (pit[i] as number))), `${p.name} ${colors.get(p.id)}`).toBeGreaterThan(100);
    }
  });

  it("gives a second pit and up to 12 other probes colours of their own, apart from each other", () => {
    const probes = [
      { id: "a_1", name: "Kettle", role: "pit" as const },
      { id: "d_0", name: "Pit", role: "pit" as const },
      ...Array.from({ length: 11 }, (_, i) => ({ id: `d_${i + 1}`, name: `M${i}`, role: "meat" as const })),
    ];
    const colors = [...probeColors(probes).values()];
    expect(new Set(colors).size).toBe(13);
    expect(colors).toContain(PIT_COLOR);
    const closest = closestPair(colors);
    expect(closest.deltaE, `${closest.a} ${closest.b}`).toBeGreaterThanOrEqual(14);
  });

  it("draws stalls as bands and annotations as markers", () => {
    const ev = (id: number, tsMs: number, kind: CookEvent["kind"], text = ""): CookEvent => ({ id, cookId: 1, tsMs, kind, text, probeId: "p" });
    const bands = eventsToBands([ev(1, 10_000, "stall_start"), ev(2, 70_000, "stall_end"), ev(3, 80_000, "wrap", "paper"), ev(4, 90_000, "stall_start")], 100_000);
    expect(bands).toEqual([
      expect.objectContaining({ fromS: 10, toS: 70, label: "Stall" }),
      expect.objectContaining({ fromS: 80, label: "paper" }),
      expect.objectContaining({ fromS: 90, toS: 100, label: "Stall" }),
    ]);
  });

  it("shades a lid opening from the opening to its probe's close, to now while open, never past now", () => {
    const ev = (id: number, tsMs: number, kind: CookEvent["kind"], probeId: string): CookEvent => ({ id, cookId: 1, tsMs, kind, text: "", probeId });
    const min = 60_000;
    const lids = (events: CookEvent[], nowMs: number) => eventsToBands(events, nowMs, 0).map((b) => [b.fromS / 60, b.toS / 60]);
    // Closed after 2 minutes; another probe's close does not end it.
    expect(lids([ev(1, 10 * min, "lid_open", "pit"), ev(2, 11 * min, "lid_closed", "kettle"), ev(3, 12 * min, "lid_closed", "pit")], 60 * min)).toEqual([[10, 12]]);
    // Still open: up to now, not into the forecast beyond it.
    expect(lids([ev(1, 10 * min, "lid_open", "pit")], 11 * min)).toEqual([[10, 11]]);
    // A close never recorded: at most 20 minutes, and the next opening's close is not this one's.
    expect(lids([ev(1, 10 * min, "lid_open", "pit"), ev(2, 50 * min, "lid_open", "pit"), ev(3, 55 * min, "lid_closed", "pit")], 90 * min)).toEqual([[10, 30], [50, 55]]);
    // A cook from before closes were noted (openings, never a close): a few minutes each, not 20.
    expect(lids([ev(1, 10 * min, "lid_open", "pit"), ev(2, 50 * min, "lid_open", "pit")], 90 * min)).toEqual([[10, 13], [50, 53]]);
  });

  it("shows notes of the same minute as one marker naming each, and a probe's note with the probe's name", () => {
    const ev = (id: number, tsMs: number, kind: CookEvent["kind"], text: string, probeId: string | null = null): CookEvent => ({ id, cookId: 1, tsMs, kind, text, probeId });
    const names = new Map([["b", "Brisket"]]);
    const hour = 3600_000;
    const bands = eventsToBands([ev(1, hour, "wrap", "Peach paper", "b"), ev(2, hour + 20_000, "spritz", ""), ev(3, hour + 30 * 60_000, "wood", "Oak")], 3 * hour, 0, undefined, names);
    expect(bands).toEqual([
      // Different kinds together: the neutral colour.
      { fromS: 3600, toS: 3660, color: "#757575", label: "Brisket: Peach paper · Spritz" },
      { fromS: 5400, toS: 5460, color: "#6d4c41", label: "Oak" },
    ]);
    // Two wraps (one per probe) keep the wrap colour.
    expect(eventsToBands([ev(1, hour, "wrap", "", "b"), ev(2, hour, "wrap", "", "x")], 2 * hour, 0, undefined, names)).toEqual([
      { fromS: 3600, toS: 3660, color: "#8d6e63", label: "Brisket: Wrap · Wrap" },
    ]);
  });

  it("draws target lines in the display unit", () => {
    const probe = { id: "p", name: "Brisket", targetC: 95, highC: null, lowC: null } as ProbeState;
    expect(settingsToLines([probe], new Map([["p", "#123"]]), "F")).toEqual([{ value: 203, color: "#123", label: "Brisket 203°F", dashed: true }]);
    // As the tiles write a setting: its decimal in the page's language.
    const butt = { ...probe, name: "Pork Butt", targetC: 93.3 };
    expect(settingsToLines([butt], new Map(), "C", undefined, "de-DE")[0]?.label).toBe("Pork Butt 93,3°C");
  });

  it("gives close lines one shared label so labels never overlap", () => {
    const probes = [
      { id: "a", name: "Brisket", targetC: 95, highC: null, lowC: null },
      { id: "b", name: "Butt", targetC: 93, highC: null, lowC: null },
      { id: "p", name: "Pit", targetC: null, highC: 135, lowC: 100 },
    ];
    const lines = settingsToLines(probes, new Map(), "C");
    expect(lines.map((l) => [l.value, l.label])).toEqual([
      [135, "Pit high 135°C"],
      [100, "Pit low 100°C"],
      [95, "Brisket 95°C · Butt 93°C"],
      [93, ""],
    ]);
  });

  it("does not carry a series past its last reading", () => {
    const data = historyToChartData({ short: [[0, 10], [60_000, 11]], long: [[30_000, 50], [120_000, 60]] }, "C");
    expect(data.x).toEqual([0, 30, 60, 120]);
    expect(data.y.short).toEqual([10, 10, 11, null]);
    expect(data.y.long).toEqual([null, 50, 50, 60]);
  });
});

describe("fromHistoryColumns", () => {
  it("turns the server's columns answer back into the points of its pairs answer", () => {
    const pts = (t0: number, n: number): HistoryPoint[] => Array.from({ length: n }, (_, i): HistoryPoint => [t0 + i * 4_999 + (i % 3) * 7, i % 5 === 4 ? null : Math.round((50 + i * 0.37) * 10) / 10]);
    const points = new Map([["a_1", pts(1_795_000_000_000, 300)], ["b_2", pts(1_794_999_000_000, 3)], ["c_3", []]]);
    const columns = new Map([...points].map(([id, p]) => [id, PointColumns.fromPoints(p)]));
    const ids = [...points.keys()];
    const encode = (format: "pairs" | "columns"): unknown => JSON.parse(encodeHistoryJson(ids, columns, 1_795_000_000_000, 1_795_003_600_000, 500, format).toString("utf8"));
    expect(fromHistoryColumns(encode("columns") as Parameters<typeof fromHistoryColumns>[0])).toEqual(encode("pairs"));
  });

  it("writes an alarm's text in the panel's language, unit and clock, and keeps the add-on's where a fact is missing", () => {
    const at = Date.UTC(2026, 10, 27, 17, 42);
    const alarm = (o: Partial<AlarmState>): AlarmState => ({
      id: "d_1:target", kind: "target", probeId: "d_1", deviceKey: null, phase: "firing", message: "from the add-on",
      valueC: 96, thresholdC: 95, sinceMs: at, snoozedUntilMs: null, repeatCount: 0, critical: true, ...o,
    });
    const probe = { name: "Brisket", eta: { doneMs: at + 12 * 60_000, p10Ms: null, p90Ms: null, reason: null, method: "newton" as const }, tsMs: at - 20 * 60_000 };
    const ctx = { probe, device: { label: "Signals", lastSeenMs: at - 30 * 60_000 }, unit: "C" as const, locale: "en-GB", nowMs: at };
    const clock = new Intl.DateTimeFormat("en-GB", { hour: "numeric", minute: "2-digit" }).format(at); // the viewer's zone
    expect(alarmText(alarm({}), ctx)).toBe(`Brisket reached 96\u00a0°C (target 95\u00a0°C) at ${clock}`);
    // One decimal where whole degrees would read the same; °F and German as the panel shows them.
    expect(alarmText(alarm({ kind: "high", valueC: 135.3, thresholdC: 135 }), ctx)).toBe("Brisket is 135.3\u00a0°C, above 135.0\u00a0°C");
    expect(alarmText(alarm({ kind: "high", valueC: 136, thresholdC: 135 }), { ...ctx, unit: "F" })).toBe("Brisket is 277\u00a0°F, above 275\u00a0°F");
    expect(alarmText(alarm({ kind: "low", valueC: 92.5, thresholdC: 93 }), { ...ctx, locale: "de-DE" })).toBe("Brisket liegt mit 92,5\u00a0°C unter 93,0\u00a0°C");
    expect(alarmText(alarm({ phase: "pre_alarm" }), ctx)).toMatch(/^Brisket will reach 95\u00a0°C in about 12\u00a0min \(/);
    expect(alarmText(alarm({ kind: "unplugged" }), ctx)).toBe("Brisket probe unplugged");
    expect(alarmText(alarm({ kind: "unplugged" }), { ...ctx, locale: "de" })).toBe("Brisket: Fühler nicht eingesteckt");
    expect(alarmText(alarm({ kind: "battery_low", probeId: null, deviceKey: "d", valueC: 12.4 }), ctx)).toBe("Signals battery at 12\u00a0%");
    // As the add-on sends it: no value on a battery alarm; the device's battery, in German too.
    const battery = alarm({ kind: "battery_low", probeId: null, deviceKey: "d", valueC: null, thresholdC: 15 });
    expect(alarmText(battery, { ...ctx, locale: "de-DE", device: { ...ctx.device, batteryPct: 4 } })).toBe("Signals: Akku bei 4\u00a0%");
    // No done time for a heads-up, an armed alarm's limits: the add-on's text as it came.
    expect(alarmText(alarm({ phase: "pre_alarm" }), { ...ctx, probe: { ...probe, eta: null } })).toBe("from the add-on");
    expect(alarmText(alarm({ phase: "armed", thresholdC: null }), ctx)).toBe("from the add-on");
    // An armed alarm's limit in the panel's unit (the add-on's message has Home Assistant's).
    expect(alarmText(alarm({ phase: "armed", kind: "high", thresholdC: 135 }), { ...ctx, unit: "F" })).toBe("Brisket: alarm above 275\u00a0°F");
    expect(alarmText(alarm({ phase: "armed", thresholdC: 62.5 }), ctx)).toBe("Brisket: alarm at the 62.5\u00a0°C target");
    // A stale probe's time is its last reading; without one, the add-on's text.
    const readAt = new Intl.DateTimeFormat("en-GB", { hour: "numeric", minute: "2-digit" }).format(at - 20 * 60_000);
    expect(alarmText(alarm({ kind: "stale" }), ctx)).toBe(`Brisket: no new reading since ${readAt}`);
    expect(alarmText(alarm({ kind: "stale" }), { ...ctx, probe: { ...probe, tsMs: null } })).toBe("from the add-on");
  });

  it("writes armed health alarms in the panel's language too, with the minutes the add-on counts", () => {
    const armed = (o: Partial<AlarmState>): AlarmState => ({
      id: "x", kind: "unplugged", probeId: "d_1", deviceKey: null, phase: "armed", message: "English from the add-on",
      valueC: null, thresholdC: null, sinceMs: 0, snoozedUntilMs: null, repeatCount: 0, critical: true, ...o,
    });
    const rule = (kind: string, params: Record<string, number>) => ({ probeId: null, deviceKey: "d", kind, enabled: true, params });
    const signals = { label: "Big Smoker", lastSeenMs: null, transmitIntervalSec: 5, reportDeltaC: null };
    const de = { probe: { name: "Brisket", eta: null, tsMs: null }, device: signals, unit: "C" as const, locale: "de", nowMs: 0 };
    expect(alarmText(armed({}), de)).toBe("Brisket: Alarm, wenn der Fühler nicht eingesteckt ist");
    const device = { probeId: null, deviceKey: "d" };
    expect(alarmText(armed({ kind: "offline", ...device }), { ...de, rule: rule("offline", { minutes: 10 }) })).toBe("Big Smoker: Alarm nach 10\u00a0Min. offline");
    expect(alarmText(armed({ kind: "battery_low", ...device }), { ...de, rule: rule("battery_low", { percent: 15 }) })).toBe("Big Smoker: Alarm bei 15\u00a0% Akku");
    // An RFX Meat probe uploads only on change: 3 × its 15-min silence, as the add-on counts.
    const rfx = { ...signals, label: "Turkey", transmitIntervalSec: null, reportDeltaC: 1.1 };
    expect(alarmText(armed({ kind: "stale" }), { ...de, device: rfx, rule: rule("stale", { minutes: 10 }) })).toMatch(/^Brisket: Alarm nach 45\u00a0Min\. ohne/);
    // Without its rule (another page): the add-on's text.
    expect(alarmText(armed({ kind: "offline", ...device }), de)).toBe("English from the add-on");
  });
});

describe("panel compare line styles", () => {
  const cook = (cookId: number, ...probes: Array<[string, ProbeRole]>): CompareCook => ({ cookId, probes: probes.map(([id, role]) => ({ id, role })) });
  const cooks = [cook(1, ["d_1", "meat"], ["d_2", "meat"], ["d_3", "pit"]), cook(2, ["d_1", "meat"], ["d_3", "pit"]), cook(3, ["d_1", "meat"], ["d_2", "meat"], ["e_1", "meat"])];

  it("gives every (cook, probe) line its own colour and every cook its own dash, the first solid", () => {
    const styles = compareStyles(cooks);
    expect(styles.size).toBe(8);
    expect(new Set([...styles.values()].map((x) => x.color)).size).toBe(8);
    expect(cooks.map((c) => [...new Set(c.probes.map((p) => JSON.stringify(styles.get(compareKey(c.cookId, p.id))?.dash ?? null)))])).toEqual([["null"], ["[10,5]"], ["[2,4]"]]);
  });

  it("keeps a probe's hue in every cook and the pit orange", () => {
    const styles = compareStyles(cooks);
    const color = (cookId: number, probeId: string): string => styles.get(compareKey(cookId, probeId))?.color ?? "";
    expect([color(1, "d_1"), color(2, "d_1"), color(3, "d_1")]).toEqual(["#1e88e5", "#1565c0", "#42a5f5"]);
    expect(color(1, "d_3")).toBe("#ef6c00");
    expect(color(3, "e_1")).not.toBe(color(3, "d_1"));
    // A second pit (another device) is not a second orange.
    const big = cook(1, ["a_1", "pit"], ["d_0", "pit"], ...Array.from({ length: 9 }, (_, i): [string, ProbeRole] => [`d_${i + 1}`, "meat"]));
    for (const k of [0, 1, 2]) {
      const cooks = [0, 1, 2].map((n) => ({ ...big, cookId: n + 1 }));
      const styles = compareStyles(cooks);
      const colors = big.probes.map((p) => styles.get(compareKey(k + 1, p.id))?.color ?? "");
      const closest = closestPair(colors);
      expect(closest.deltaE, `cook ${k + 1}: ${closest.a} ${closest.b}`).toBeGreaterThanOrEqual(15);
    }
    const two = compareStyles([cook(1, ["d_3", "pit"], ["e_3", "pit"])]);
    expect(two.get("1:e_3")?.color).not.toBe(two.get("1:d_3")?.color);
  });
});

describe("panel alarm table", () => {
  it("writes since when as short as a phone needs: the clock today, the weekday this week, else the date", () => {
    const now = new Date(2026, 10, 27, 15, 0).getTime();
    expect(formatSince(new Date(2026, 10, 27, 5, 47).getTime(), now, "en-US")).toBe("5:47 AM");
    expect(formatSince(new Date(2026, 10, 25, 22, 5).getTime(), now, "en-US")).toBe("Wed 10:05 PM");
    expect(formatSince(new Date(2026, 10, 25, 22, 5).getTime(), now, "de")).toBe("Mi., 22:05");
    expect(formatSince(new Date(2026, 10, 12, 9, 0).getTime(), now, "en-US")).toBe("Nov 12");
  });

  it("names a device by its label, else its serial, else its key", () => {
    expect(deviceName({ label: "Big Smoker", serial: "A4:CF:12:3B:5E:01" }, "a4cf123b5e01")).toBe("Big Smoker");
    expect(deviceName({ label: " ", serial: "A4:CF:12:3B:5E:01" }, "a4cf123b5e01")).toBe("A4:CF:12:3B:5E:01");
    expect(deviceName(undefined, "a4cf123b5e01")).toBe("a4cf123b5e01");
  });
});

describe("datetime-local fields in a time zone", () => {
  it("shows and reads a time on the wall clock of the zone given", () => {
    const at = Date.UTC(2025, 0, 15, 23, 30);
    expect(toLocalInput(at, "Europe/Berlin")).toBe("2025-01-16T00:30");
    expect(toLocalInput(at, "America/New_York")).toBe("2025-01-15T18:30");
    expect(toLocalInput(at, "Asia/Kolkata")).toBe("2025-01-16T05:00");
    expect(fromLocalInput("2025-01-16T00:30", "Europe/Berlin")).toBe(at);
    expect(fromLocalInput("2025-01-15T18:30", "America/New_York")).toBe(at);
    expect(fromLocalInput("2025-01-16T05:00:30", "Asia/Kolkata")).toBe(at + 30_000);
    expect(fromLocalInput("", "Europe/Berlin")).toBeNull();
    expect(fromLocalInput("tomorrow", "Europe/Berlin")).toBeNull();
    // Without a zone: the browser's own, as the field reads it.
    expect(fromLocalInput(toLocalInput(at))).toBe(at);
  });

  it("reads a time the change to summer time skips in the offset before it, and one the change back repeats as its first", () => {
    // Berlin, 30 Mar 2025: 02:00 CET is 03:00 CEST; 26 Oct 2025: 03:00 CEST is 02:00 CET again.
    expect(fromLocalInput("2025-03-30T02:30", "Europe/Berlin")).toBe(Date.UTC(2025, 2, 30, 1, 30));
    expect(fromLocalInput("2025-10-26T02:30", "Europe/Berlin")).toBe(Date.UTC(2025, 9, 26, 0, 30));
    expect(toLocalInput(Date.UTC(2025, 9, 26, 1, 30), "Europe/Berlin")).toBe("2025-10-26T02:30");
    expect(fromLocalInput("2025-10-26T03:30", "Europe/Berlin")).toBe(Date.UTC(2025, 9, 26, 2, 30));
  });
});
