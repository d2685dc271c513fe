import { describe, expect, it } from "vitest";
import { isQuietTime, planDeliveries } from "../../src/alarms";
import { markdownText, pushText } from "../../src/alarms/deliveries";
import type { AlarmKind, AlarmState, AlarmTransition } from "../../src/shared";

const at = (iso: string): number => Date.parse(iso);

const alarm = (kind: AlarmKind, over: Partial<AlarmState> = {}): AlarmState => ({
  id: `abc_1:${kind}`,
  kind,
  probeId: "abc_1",
  deviceKey: null,
  phase: "firing",
  message: "Pit is 140 °C, above 135 °C",
  valueC: 140,
  thresholdC: 135,
  sinceMs: 1_000,
  snoozedUntilMs: null,
  repeatCount: 0,
  critical: kind !== "battery_low" && kind !== "stale",
  ...over,
});

const channels = (a: AlarmState, transition: AlarmTransition, quiet = false, fromPhase: AlarmState["phase"] = "armed"): string[] =>
  planDeliveries(a, transition, { notifyTargets: ["notify.mobile_app_pixel", "telegram_family"], quiet, title: "t", unit: "C", fromPhase, message: a.message, language: "en" }).map((d) => d.channel);

describe("quiet hours", () => {
  const night = { start: "22:00", end: "07:00" };

  it("wrap midnight in the local time zone", () => {
    // 22:30 and 06:59 in Amsterdam (UTC+2 in summer) are quiet; 07:00 and 21:59 are not.
    expect(isQuietTime(at("2026-06-20T20:30:00Z"), night, "Europe/Amsterdam")).toBe(true);
    expect(isQuietTime(at("2026-06-21T04:59:00Z"), night, "Europe/Amsterdam")).toBe(true);
    expect(isQuietTime(at("2026-06-21T05:00:00Z"), night, "Europe/Amsterdam")).toBe(false);
    expect(isQuietTime(at("2026-06-20T19:59:00Z"), night, "Europe/Amsterdam")).toBe(false);
    // The same instants in UTC fall on the other side.
    expect(isQuietTime(at("2026-06-20T20:30:00Z"), night, "UTC")).toBe(false);
  });

  it("also work as a window inside one day, and are off without a window", () => {
    const nap = { start: "13:00", end: "15:00" };
    expect(isQuietTime(at("2026-06-20T14:00:00Z"), nap, "UTC")).toBe(true);
    expect(isQuietTime(at("2026-06-20T15:00:00Z"), nap, "UTC")).toBe(false);
    expect(isQuietTime(at("2026-06-20T14:00:00Z"), null, "UTC")).toBe(false);
    expect(isQuietTime(at("2026-06-20T14:00:00Z"), { start: "09:00", end: "09:00" }, "UTC")).toBe(false);
  });
});

describe("planned deliveries", () => {
  it("send a raised alarm to every notify target, as a persistent notification and as an event, with idempotency keys", () => {
    const a = alarm("high");
    const plan = planDeliveries(a, "raised", { notifyTargets: ["notify.mobile_app_pixel", "telegram_family"], quiet: false, title: "Grill Stats · Too hot", unit: "F", fromPhase: "armed", message: a.message, language: "en" });
    expect(plan.map((p) => p.channel)).toEqual(["notify.mobile_app_pixel", "notify.telegram_family", "persistent_notification", "event"]);
    expect(plan.map((p) => p.key)).toEqual([
      "abc_1:high:1000:raised:0:notify.mobile_app_pixel",
      "abc_1:high:1000:raised:0:notify.telegram_family",
      "abc_1:high:1000:raised:0:persistent_notification",
      "abc_1:high:1000:raised:0:event",
    ]);
    const [push, telegram, persistent, event] = plan;
    expect(push?.payload).toMatchObject({ title: "Grill Stats · Too hot", message: "Pit is 140 °C, above 135 °C", alarmId: "abc_1:high", actions: true, language: "en" });
    expect(push?.payload.data).toMatchObject({ priority: "high", ttl: 0 });
    // Mobile-app push extras are not sent to other notify platforms.
    expect(telegram?.payload.data).toBeUndefined();
    expect(persistent?.payload.data).toEqual({ notification_id: "grill_stats_abc_1_high" });
    expect(event?.payload.data).toMatchObject({ alarm_id: "abc_1:high", transition: "raised", value: 284, threshold: 275, unit: "°F", value_c: 140, muted: false });
  });

  it("ring a critical alarm through silent mode with critical_alerts (iOS critical alert, Android alarm stream); time-sensitive without it; never a heads-up or a low battery", () => {
    const ctx = { notifyTargets: ["notify.mobile_app_pixel", "telegram_family"], quiet: false, title: "t", unit: "C" as const, fromPhase: "armed" as const, message: "m", language: "en" };
    const pushOf = (a: AlarmState, transition: AlarmTransition, criticalAlerts?: boolean) => planDeliveries(a, transition, { ...ctx, ...(criticalAlerts === undefined ? {} : { criticalAlerts }) })[0]?.payload.data;
    expect(pushOf(alarm("high"), "raised")).toEqual({ tag: "grill_stats_abc_1_high", group: "grill_stats", priority: "high", ttl: 0, push: { "interruption-level": "time-sensitive" } });
    expect(pushOf(alarm("high"), "raised", true)).toEqual({
      tag: "grill_stats_abc_1_high", group: "grill_stats", priority: "high", ttl: 0, channel: "alarm_stream",
      push: { "interruption-level": "critical", sound: { name: "default", critical: 1, volume: 1 } },
    });
    expect(pushOf(alarm("target", { phase: "firing" }), "repeated", true)).toMatchObject({ channel: "alarm_stream", push: { "interruption-level": "critical" } });
    // A heads-up and a low battery stay ordinary pushes.
    expect(pushOf(alarm("target", { phase: "pre_alarm" }), "pre_alarm", true)).toEqual({ tag: "grill_stats_abc_1_target", group: "grill_stats" });
    expect(pushOf(alarm("battery_low"), "raised", true)).toEqual({ tag: "grill_stats_abc_1_battery_low", group: "grill_stats" });
    // Other notify platforms get none of it.
    expect(planDeliveries(alarm("high"), "raised", { ...ctx, criticalAlerts: true })[1]?.payload.data).toBeUndefined();
  });

  it("dismiss the persistent notification and clear the phones' pushes on acknowledge and clear, but only once", () => {
    expect(channels(alarm("high", { phase: "acknowledged" }), "acknowledged", false, "firing")).toEqual(["notify.mobile_app_pixel", "persistent_notification.dismiss", "event"]);
    expect(channels(alarm("high", { phase: "armed" }), "cleared", false, "snoozed")).toEqual(["notify.mobile_app_pixel", "persistent_notification.dismiss", "event"]);
    const [clear] = planDeliveries(alarm("high", { phase: "acknowledged" }), "acknowledged", { notifyTargets: ["mobile_app_pixel", "telegram_family"], quiet: false, title: "t", unit: "C", fromPhase: "firing", message: "m", language: "en" });
    // The companion app's command, for the push with the same tag (a repeat's tag: the alarm's).
    expect(clear?.payload).toMatchObject({ message: "clear_notification", data: { tag: "grill_stats_abc_1_high" } });
    expect(clear?.payload.actions).toBeUndefined();
    expect(channels(alarm("high", { phase: "armed" }), "cleared", false, "acknowledged")).toEqual(["event"]);
    expect(channels(alarm("high", { phase: "snoozed" }), "snoozed", false, "firing")).toEqual(["event"]);
  });

  it("mute only the pushes of non-critical alarms in quiet hours (the persistent notification and the event, marked muted, still go out)", () => {
    expect(channels(alarm("high"), "raised", true)).toEqual(["notify.mobile_app_pixel", "notify.telegram_family", "persistent_notification", "event"]);
    expect(channels(alarm("target"), "repeated", true)).toEqual(["notify.mobile_app_pixel", "notify.telegram_family", "persistent_notification", "event"]);
    expect(channels(alarm("battery_low"), "raised", true)).toEqual(["persistent_notification", "event"]);
    expect(channels(alarm("stale"), "repeated", true)).toEqual(["persistent_notification", "event"]);
    // A pre-alarm is a heads-up, not an emergency: muted even though the target alarm is critical.
    const pre = planDeliveries(alarm("target", { phase: "pre_alarm" }), "pre_alarm", { notifyTargets: ["x"], quiet: true, title: "t", unit: "C", fromPhase: "armed", message: "m", language: "en" });
    expect(pre.map((p) => p.channel)).toEqual(["persistent_notification", "event"]);
    expect(pre[1]?.payload.data).toMatchObject({ muted: true });
    expect(channels(alarm("battery_low"), "raised", false)).toEqual(["notify.mobile_app_pixel", "notify.telegram_family", "persistent_notification", "event"]);
  });

  it("give each repeat its own key, so a repeat is never swallowed and a retry never doubles", () => {
    const keys = (n: number) => planDeliveries(alarm("high", { repeatCount: n }), "repeated", { notifyTargets: [], quiet: false, title: "t", unit: "C", fromPhase: "firing", message: "m", language: "en" }).map((p) => p.key);
    expect(keys(1)).toEqual(keys(1));
    expect(keys(1)).not.toEqual(keys(2));
  });
});

describe("the event of a heads-up", () => {
  it("is not critical, even on the critical target alarm (quiet hours hold its push back)", () => {
    const ctx = { notifyTargets: [], quiet: false, title: "t", unit: "C" as const, fromPhase: "armed" as const, message: "m", language: "en" };
    const event = (transition: AlarmTransition) => planDeliveries(alarm("target", { phase: transition === "pre_alarm" ? "pre_alarm" : "firing" }), transition, ctx).find((p) => p.channel === "event")?.payload.data;
    expect(event("pre_alarm")).toMatchObject({ transition: "pre_alarm", critical: false });
    expect(event("raised")).toMatchObject({ transition: "raised", critical: true });
  });
});

describe("a cloud label in a persistent notification", () => {
  const label = "[Tap to sign in again](https://evil.example/p) ![t](https://evil.example/t.png) <img src=x onerror=alert(1)> **Pit**";
  const plan = planDeliveries(alarm("high", { message: `${label} is 140 °C, above 135 °C` }), "raised", {
    notifyTargets: ["mobile_app_pixel"], quiet: false, title: "t", unit: "C", fromPhase: "armed", message: `${label} is 140 °C, above 135 °C`, language: "en",
  });
  const byChannel = (c: string) => plan.find((p) => p.channel === c)?.payload.message;

  it("is escaped for Markdown there, so it shows as typed and links nothing", () => {
    const md = byChannel("persistent_notification") as string;
    expect(md.startsWith("\\[Tap to sign in again\\]\\(https\\://evil\\.example/p\\) \\!\\[t\\]")).toBe(true);
    expect(md).toContain("\\<img src=x onerror=alert\\(1\\)\\> \\*\\*Pit\\*\\* is 140 °C, above 135 °C");
    // Undoing the escapes gives the text back.
    expect(md.replace(/\\(.)/g, "$1")).toBe(`${label} is 140 °C, above 135 °C`);
  });
  it("escapes what GFM links by itself: bare addresses, www and e-mail", () => {
    expect(markdownText("https://evil.example/login")).toBe("https\\://evil\\.example/login");
    expect(markdownText("www.evil.example")).toBe("www\\.evil\\.example");
    expect(markdownText("me@evil.example")).toBe("me\\@evil\\.example");
    expect(markdownText("95.5 °C")).toBe("95\\.5 °C");
  });
  it("stays plain text in a push and in the event", () => {
    expect(byChannel("notify.mobile_app_pixel")).toBe(`${label} is 140 °C, above 135 °C`);
    expect(byChannel("event")).toBe(`${label} is 140 °C, above 135 °C`);
  });
  it("leaves an ordinary label alone in a push to any service, and shows it as typed in Home Assistant's Markdown", () => {
    const text = "Brisket (flat) #2 reached 96 °C (target 95 °C) at 18:42";
    for (const channel of ["notify.mobile_app_pixel", "notify.telegram_family", "notify.signal_group"]) expect(pushText(channel, text)).toBe(text);
    expect(pushText("notify.persistent_notification", text)).toBe(markdownText(text));
    expect(markdownText(text).replace(/\\(.)/g, "$1")).toBe(text);
  });
  it("escapes a backslash too", () => {
    expect(markdownText("a\\b_c")).toBe("a\\\\b\\_c");
  });
});
