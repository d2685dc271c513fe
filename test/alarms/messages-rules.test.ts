import { describe, expect, it } from "vitest";
import { alarmLanguage, alarmTitle, describeAlarm, describeTransition, type AlarmFacts, type FormatContext } from "../../src/alarms";
import { resolveRule, toEffectiveRule, validateRule } from "../../src/alarms/rules";
import de from "../../src/alarms/translations/de.json";
import en from "../../src/alarms/translations/en.json";
import fr from "../../src/alarms/translations/fr.json";
import nl from "../../src/alarms/translations/nl.json";
import { BadRequestError, type AlarmKind, type AlarmRule, type AlarmState } from "../../src/shared";

const AT_1842_UTC = Date.UTC(2026, 5, 20, 18, 42);

const alarm = (kind: AlarmKind, over: Partial<AlarmState> = {}): AlarmState => ({
  id: `abc_1:${kind}`, kind, probeId: "abc_1", deviceKey: "abc", phase: "firing", message: "", valueC: null, thresholdC: null,
  sinceMs: AT_1842_UTC, snoozedUntilMs: null, repeatCount: 0, critical: true, ...over,
});
const facts = (over: Partial<AlarmFacts>): AlarmFacts => ({
  probeName: "Brisket", deviceName: "Signals", value: null, threshold: null, readingTsMs: null, etaDoneMs: null, lastSeenMs: null, limitMinutes: null, ...over,
});
const ctx = (over: Partial<FormatContext> = {}): FormatContext => ({ unit: "C", timeZone: "UTC", language: "en", nowMs: AT_1842_UTC, ...over });

describe("alarm messages", () => {
  it("a repeated target alarm names the reading it went off at, not the reading of now", () => {
    const fired = alarm("target", { valueC: 74.4, thresholdC: 73.9, repeatCount: 6 });
    expect(describeAlarm(fired, "repeated", facts({ probeName: "Chicken", value: 107, threshold: 73.9 }), ctx())).toBe("Chicken reached 74.4 °C (target 73.9 °C) at 18:42");
    // A high alarm tells the pit as it is (its value follows the probe).
    expect(describeAlarm(alarm("high", { valueC: 141 }), "repeated", facts({ probeName: "Pit", value: 141, threshold: 135 }), ctx())).toBe("Pit is 141 °C, above 135 °C");
  });

  it("say what happened with number, unit and local time", () => {
    expect(describeAlarm(alarm("target"), "raised", facts({ value: 96.2, threshold: 95 }), ctx())).toBe("Brisket reached 96 °C (target 95 °C) at 18:42");
    expect(describeAlarm(alarm("target"), "raised", facts({ value: 96.2, threshold: 95 }), ctx({ timeZone: "America/Chicago" }))).toBe("Brisket reached 96 °C (target 95 °C) at 13:42");
    expect(describeAlarm(alarm("high"), "raised", facts({ probeName: "Pit", value: 140, threshold: 135 }), ctx())).toBe("Pit is 140 °C, above 135 °C");
    expect(describeAlarm(alarm("low"), "raised", facts({ probeName: "Pit", value: 98, threshold: 107 }), ctx({ unit: "F" }))).toBe("Pit is 208.4 °F, below 224.6 °F");
    // A limit set with a decimal says so ("target 73.9 °C", 165 °F), and the reading beside it too.
    expect(describeAlarm(alarm("target"), "raised", facts({ probeName: "Chicken", value: 74.6, threshold: 73.9 }), ctx())).toBe("Chicken reached 74.6 °C (target 73.9 °C) at 18:42");
    expect(describeAlarm(alarm("target"), "raised", facts({ probeName: "Chicken", value: 74.6, threshold: 73.9 }), ctx({ unit: "F" }))).toBe("Chicken reached 166 °F (target 165 °F) at 18:42");
    expect(describeAlarm(alarm("unplugged"), "raised", facts({ probeName: "Chicken" }), ctx())).toBe("Chicken probe unplugged");
    expect(describeAlarm(alarm("unplugged"), "raised", facts({ probeName: "Signals probe 2" }), ctx())).toBe("Signals probe 2 unplugged");
    expect(describeAlarm(alarm("battery_low"), "raised", facts({ value: 12 }), ctx())).toBe("Signals battery at 12 %");
    expect(describeAlarm(alarm("offline"), "raised", facts({ lastSeenMs: AT_1842_UTC - 12 * 60_000 }), ctx())).toBe("Signals offline: no contact since 18:30");
  });

  it("announce a pre-alarm with the minutes left and the predicted time", () => {
    const eta = AT_1842_UTC + 15 * 60_000;
    const text = describeAlarm(alarm("target", { phase: "pre_alarm" }), "pre_alarm", facts({ value: 90, threshold: 95, etaDoneMs: eta }), ctx());
    expect(text).toBe("Brisket will reach 95 °C in about 15 min (18:57)");
  });

  it("show a decimal only where whole degrees would hide the difference", () => {
    expect(describeAlarm(alarm("high"), "raised", facts({ probeName: "Pit", value: 135.4, threshold: 135 }), ctx())).toBe("Pit is 135.4 °C, above 135.0 °C");
  });

  it("keep the fired message through acknowledge and describe the armed rule otherwise", () => {
    const fired = alarm("high", { message: "Pit is 140 °C, above 135 °C", phase: "acknowledged" });
    expect(describeAlarm(fired, "acknowledged", facts({ value: 139, threshold: 135 }), ctx())).toBe("Pit is 140 °C, above 135 °C");
    expect(describeAlarm(alarm("high", { phase: "armed" }), null, facts({ probeName: "Pit", threshold: 135 }), ctx({ unit: "F" }))).toBe("Pit: alarm above 275 °F");
  });
});

describe("alarm messages in Home Assistant's language", () => {
  const german = (over: Partial<FormatContext> = {}): FormatContext => ctx({ language: "de", ...over });
  const twelveMinutesAgo = AT_1842_UTC - 12 * 60_000;

  it("have every English text in German, French and Dutch too", () => {
    for (const table of [de, fr, nl]) expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
  });

  it("take the table of the language, a regional tag its base, anything else English", () => {
    expect(["de", "de-CH", "de-AT", "DE", "de_DE"].map(alarmLanguage)).toEqual(["de", "de", "de", "de", "de"]);
    expect(["fr", "fr-BE", "fr-CA", "nl", "nl-BE", "NL"].map(alarmLanguage)).toEqual(["fr", "fr", "fr", "nl", "nl", "nl"]);
    expect(["en", "en-GB", "it", "es", "zh-Hans", ""].map(alarmLanguage)).toEqual(["en", "en", "en", "en", "en", "en"]);
    const high = (language: string): string => describeAlarm(alarm("high"), "raised", facts({ probeName: "Pit", value: 140, threshold: 135 }), ctx({ language }));
    expect(high("de-AT")).toBe("Pit liegt mit 140 °C über 135 °C");
    expect(high("fr-BE")).toBe("Pit est à 140 °C, au-dessus de 135 °C");
    expect(high("nl")).toBe("Pit is 140 °C, boven 135 °C");
    expect(high("it-IT")).toBe("Pit is 140 °C, above 135 °C");
  });

  it("name an unlabelled probe in the message's language", () => {
    const unlabelled = facts({ probeName: "Signals probe 2", probeAutoName: { device: "Signals", channel: "2" } });
    expect(describeAlarm(alarm("unplugged"), "raised", unlabelled, german())).toBe("Signals Fühler 2: Fühler nicht eingesteckt");
    expect(describeAlarm(alarm("unplugged"), "raised", unlabelled, ctx())).toBe("Signals probe 2 unplugged");
  });

  it("say in German what fired, with the same numbers (a decimal comma), units and local times", () => {
    expect(describeAlarm(alarm("target"), "raised", facts({ value: 96.2, threshold: 95 }), german())).toBe("Brisket hat 96 °C erreicht (Ziel 95 °C), um 18:42");
    expect(describeAlarm(alarm("target"), "raised", facts({ value: 96.2, threshold: 95 }), german({ timeZone: "Europe/Berlin" }))).toBe("Brisket hat 96 °C erreicht (Ziel 95 °C), um 20:42");
    const eta = AT_1842_UTC + 15 * 60_000;
    expect(describeAlarm(alarm("target", { phase: "pre_alarm" }), "pre_alarm", facts({ value: 90, threshold: 95, etaDoneMs: eta }), german())).toBe("Brisket erreicht 95 °C in etwa 15 Min. (18:57)");
    expect(describeAlarm(alarm("high"), "raised", facts({ probeName: "Pit", value: 140, threshold: 135 }), german())).toBe("Pit liegt mit 140 °C über 135 °C");
    expect(describeAlarm(alarm("high"), "raised", facts({ probeName: "Pit", value: 135.4, threshold: 135 }), german())).toBe("Pit liegt mit 135,4 °C über 135,0 °C");
    expect(describeAlarm(alarm("low"), "raised", facts({ probeName: "Pit", value: 98, threshold: 107 }), german({ unit: "F" }))).toBe("Pit liegt mit 208,4 °F unter 224,6 °F");
    expect(describeAlarm(alarm("unplugged"), "raised", facts({ probeName: "Chicken" }), german())).toBe("Chicken: Fühler nicht eingesteckt");
    expect(describeAlarm(alarm("unplugged"), "raised", facts({ probeName: "Signals probe 2" }), german())).toBe("Signals probe 2: Fühler nicht eingesteckt");
    expect(describeAlarm(alarm("stale"), "raised", facts({ readingTsMs: twelveMinutesAgo }), german())).toBe("Brisket: keine neuen Daten seit 18:30");
    expect(describeAlarm(alarm("stale"), "raised", facts({}), german())).toBe("Brisket: keine neuen Daten seit längerem");
    expect(describeAlarm(alarm("offline"), "raised", facts({ lastSeenMs: twelveMinutesAgo }), german())).toBe("Signals offline: keine Verbindung seit 18:30");
    expect(describeAlarm(alarm("offline"), "raised", facts({}), german())).toBe("Signals offline: keine Verbindung seit längerem");
    expect(describeAlarm(alarm("battery_low"), "raised", facts({ value: 12 }), german())).toBe("Signals: Akku bei 12 %");
    expect(describeAlarm(alarm("battery_low"), "raised", facts({ deviceName: null }), german())).toBe("abc: Akku bei ? %");
    expect(describeAlarm(alarm("battery_low", { deviceKey: null }), "raised", facts({ deviceName: null, value: 12 }), german())).toBe("Gerät: Akku bei 12 %");
  });

  it("say in French and Dutch what fired, with the language's decimal comma, an unlabelled probe named in it", () => {
    const say = (language: string, kind: AlarmKind, f: Partial<AlarmFacts>, over: Partial<AlarmState> = {}): string =>
      describeAlarm(alarm(kind, over), over.phase === "pre_alarm" ? "pre_alarm" : "raised", facts(f), ctx({ language }));
    const eta = AT_1842_UTC + 15 * 60_000;
    const unlabelled = { probeName: "Signals probe 2", probeAutoName: { device: "Signals", channel: "2" } };
    expect(say("fr", "target", { value: 96.2, threshold: 95 })).toBe("Brisket a atteint 96 °C (cible 95 °C) à 18:42");
    expect(say("fr", "target", { value: 90, threshold: 95, etaDoneMs: eta }, { phase: "pre_alarm" })).toBe("Brisket atteindra 95 °C dans environ 15 min (18:57)");
    expect(say("fr", "high", { probeName: "Pit", value: 135.4, threshold: 135 })).toBe("Pit est à 135,4 °C, au-dessus de 135,0 °C");
    expect(say("fr", "unplugged", unlabelled)).toBe("Signals sonde 2\u00a0: sonde débranchée");
    expect(say("fr", "stale", {})).toBe("Brisket\u00a0: aucune nouvelle mesure depuis un moment");
    expect(say("fr", "battery_low", { value: 12 })).toBe("Signals\u00a0: batterie à 12 %");
    expect(say("nl-BE", "target", { value: 96.2, threshold: 95 })).toBe("Brisket bereikte 96 °C (doel 95 °C) om 18:42");
    expect(say("nl", "target", { value: 90, threshold: 95, etaDoneMs: eta }, { phase: "pre_alarm" })).toBe("Brisket bereikt 95 °C over ongeveer 15 min (18:57)");
    expect(say("nl", "low", { probeName: "Pit", value: 98, threshold: 107 })).toBe("Pit is 98 °C, onder 107 °C");
    expect(say("nl", "unplugged", unlabelled)).toBe("Signals sonde 2: sonde niet ingeplugd");
    expect(say("nl", "offline", { lastSeenMs: AT_1842_UTC - 12 * 60_000 })).toBe("Signals offline: geen contact sinds 18:30");
    expect(say("nl", "battery_low", { value: 12 })).toBe("Signals: batterij op 12 %");
    expect(alarmTitle(alarm("unplugged"), "fr-CA")).toBe("Grill Stats · Sonde débranchée");
    expect(alarmTitle(alarm("battery_low"), "nl")).toBe("Grill Stats · Batterij bijna leeg");
  });

  it("describe armed rules in German", () => {
    const armed = (kind: AlarmKind, f: Partial<AlarmFacts>, over: Partial<FormatContext> = {}): string => describeAlarm(alarm(kind, { phase: "armed" }), null, facts(f), german(over));
    expect(armed("target", { threshold: 95 })).toBe("Brisket: Alarm beim Ziel von 95 °C");
    expect(armed("pre_alarm", { threshold: 95 })).toBe("Brisket: Alarm beim Ziel von 95 °C");
    // As precisely as it was set, with the language's decimal comma.
    expect(armed("target", { threshold: 73.9 })).toBe("Brisket: Alarm beim Ziel von 73,9 °C");
    expect(armed("high", { probeName: "Pit", threshold: 135 }, { unit: "F" })).toBe("Pit: Alarm über 275 °F");
    expect(armed("low", { probeName: "Pit", threshold: 105 })).toBe("Pit: Alarm unter 105 °C");
    expect(armed("low", { probeName: "Pit" })).toBe("Pit: Alarm unter ?");
    expect(armed("unplugged", {})).toBe("Brisket: Alarm, wenn der Fühler nicht eingesteckt ist");
    expect(armed("stale", { limitMinutes: 15 })).toBe("Brisket: Alarm nach 15 Min. ohne neue Daten");
    expect(armed("offline", { limitMinutes: 10 })).toBe("Signals: Alarm nach 10 Min. offline");
    expect(armed("battery_low", { threshold: 15 })).toBe("Signals: Alarm bei 15 % Akku");
  });

  it("title every kind as the card and the panel do; English stays as it was", () => {
    const kinds: AlarmKind[] = ["target", "pre_alarm", "high", "low", "unplugged", "offline", "stale", "battery_low"];
    expect(kinds.map((k) => alarmTitle(alarm(k), "de-DE"))).toEqual([
      "Grill Stats · Ziel erreicht", "Grill Stats · Fast fertig", "Grill Stats · Zu heiß", "Grill Stats · Zu kalt",
      "Grill Stats · Fühler nicht eingesteckt", "Grill Stats · Gerät offline", "Grill Stats · Keine neuen Daten", "Grill Stats · Akku schwach",
    ]);
    expect(kinds.map((k) => alarmTitle(alarm(k), "en"))).toEqual([
      "Grill Stats · Target reached", "Grill Stats · Almost done", "Grill Stats · Too hot", "Grill Stats · Too cold",
      "Grill Stats · Probe unplugged", "Grill Stats · Device offline", "Grill Stats · No new readings", "Grill Stats · Battery low",
    ]);
    expect(alarmTitle(alarm("target", { phase: "pre_alarm" }), "de")).toBe("Grill Stats · Fast fertig");
  });

  it("keep the language an alarm fired in through acknowledge and snooze", () => {
    const fired = alarm("high", { message: "Pit liegt mit 140 °C über 135 °C", phase: "acknowledged" });
    expect(describeAlarm(fired, "acknowledged", facts({ probeName: "Pit", value: 139, threshold: 135 }), ctx())).toBe("Pit liegt mit 140 °C über 135 °C");
    expect(describeAlarm({ ...fired, phase: "snoozed" }, "snoozed", facts({ probeName: "Pit", value: 139, threshold: 135 }), ctx())).toBe("Pit liegt mit 140 °C über 135 °C");
  });

  it("record acknowledge, snooze and clear in the message's language, with who did it", () => {
    const fired = (message: string, over: Partial<AlarmState> = {}): AlarmState => alarm("high", { message, thresholdC: 135, snoozedUntilMs: AT_1842_UTC + 10 * 60_000, ...over });
    const record = (transition: "acknowledged" | "snoozed" | "cleared", message: string, source: string | null, c: FormatContext, fromPhase: AlarmState["phase"] = "firing"): string =>
      describeTransition({ transition, fromPhase, source }, fired(message), "", 131, c);
    expect(record("acknowledged", "Pit is 140 °C, above 135 °C", "notification", ctx())).toBe("Pit is 140 °C, above 135 °C — acknowledged via notification");
    expect(record("acknowledged", "Pit is 140 °C, above 135 °C", "homeassistant", ctx())).toBe("Pit is 140 °C, above 135 °C — acknowledged via Home Assistant");
    expect(record("snoozed", "Pit is 140 °C, above 135 °C", "api", ctx())).toBe("Pit is 140 °C, above 135 °C — snoozed until 18:52 via the panel");
    expect(record("cleared", "Pit is 140 °C, above 135 °C", null, ctx())).toBe("Pit is 140 °C, above 135 °C — cleared (now 131 °C)");
    expect(record("cleared", "Pit: alarm above 135 °C", null, ctx(), "acknowledged")).toBe("Re-armed: Pit: alarm above 135 °C");
    const de = "Pit liegt mit 140 °C über 135 °C";
    expect(record("acknowledged", de, "notification", german())).toBe(`${de} — bestätigt über die Benachrichtigung`);
    expect(record("snoozed", de, "homeassistant", german())).toBe(`${de} — schlummert bis 18:52 über Home Assistant`);
    expect(record("acknowledged", de, "api", german())).toBe(`${de} — bestätigt über das Panel`);
    expect(record("acknowledged", de, "cli", german())).toBe(`${de} — bestätigt über cli`);
    expect(record("cleared", de, null, german())).toBe(`${de} — aufgehoben (jetzt 131 °C)`);
    expect(record("cleared", "Pit: Alarm über 135 °C", null, german(), "acknowledged")).toBe("Wieder scharf: Pit: Alarm über 135 °C");
  });

  it("use probe names as plain text, placeholders and replacement patterns included", () => {
    expect(describeAlarm(alarm("high"), "raised", facts({ probeName: "{threshold} $& <b>", value: 140, threshold: 135 }), german())).toBe("{threshold} $& <b> liegt mit 140 °C über 135 °C");
  });
});

const DEFAULTS = { repeatMinutes: 5, preAlarmMinutes: 15, batteryLowPct: 15 };
const rule = (over: Partial<AlarmRule>): AlarmRule => ({ probeId: "abc_1", deviceKey: null, kind: "target", enabled: true, params: {}, ...over });
const badRequest = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof BadRequestError) return err.message;
    throw err;
  }
  throw new Error("expected a BadRequestError");
};

describe("alarm rules", () => {
  it("take defaults from the options and thresholds from the probe settings", () => {
    const settings = { probeId: "abc_1", targetC: 95, highC: null, lowC: null };
    const target = resolveRule("target", { probeId: "abc_1", deviceKey: null }, [], DEFAULTS, settings);
    expect(target).toEqual({ probeId: "abc_1", deviceKey: null, kind: "target", enabled: true, params: { repeatMinutes: 5, hysteresisC: 2, thresholdC: 95 } });
    const pre = resolveRule("pre_alarm", { probeId: "abc_1", deviceKey: null }, [], DEFAULTS, settings);
    expect(toEffectiveRule(target, pre)).toMatchObject({ threshold: 95, hysteresis: 2, repeatMinutes: 5, preAlarmMinutes: 15, critical: true });
    // No high limit set: no high alarm.
    expect(toEffectiveRule(resolveRule("high", { probeId: "abc_1", deviceKey: null }, [], DEFAULTS, settings), null)).toBeNull();
  });

  it("layer a per-probe rule over the general one over the defaults", () => {
    const stored = [
      rule({ probeId: null, kind: "high", params: { repeatMinutes: 10 } }),
      rule({ kind: "high", params: { hysteresisC: 4 } }),
      rule({ probeId: "abc_2", kind: "high", enabled: false, params: {} }),
    ];
    const settings = (id: string) => ({ probeId: id, targetC: null, highC: 135, lowC: null });
    expect(resolveRule("high", { probeId: "abc_1", deviceKey: null }, stored, DEFAULTS, settings("abc_1")).params).toEqual({ repeatMinutes: 10, hysteresisC: 4, thresholdC: 135 });
    expect(toEffectiveRule(resolveRule("high", { probeId: "abc_2", deviceKey: null }, stored, DEFAULTS, settings("abc_2")), null)).toBeNull();
  });

  it("reject wrong rules with a message that says what to fix", () => {
    expect(badRequest(() => validateRule(rule({ kind: "boom" }), []))).toMatch(/^kind: unknown alarm kind "boom" \(one of target, /);
    expect(badRequest(() => validateRule(rule({ params: { repeatMinutes: 0 } }), []))).toBe("params.repeatMinutes: must be at least 1 minute");
    expect(badRequest(() => validateRule(rule({ params: { color: "red" } }), []))).toMatch(/^params: .*color/);
    expect(badRequest(() => validateRule(rule({ params: { thresholdC: 90 } }), []))).toMatch(/probe setting/);
    expect(badRequest(() => validateRule(rule({ kind: "offline" }), []))).toMatch(/^probeId: the offline alarm belongs to a device/);
    expect(badRequest(() => validateRule(rule({ probeId: "Not A Probe" }), []))).toMatch(/^probeId: "Not A Probe" is not a probe id/);
  });

  it("merge a change onto the stored rule; null puts a parameter back to its default", () => {
    const stored = [rule({ kind: "stale", params: { minutes: 20, repeatMinutes: 60 } })];
    expect(validateRule(rule({ kind: "stale", enabled: false, params: { minutes: null } }), stored)).toEqual(rule({ kind: "stale", enabled: false, params: { repeatMinutes: 60 } }));
  });
});
