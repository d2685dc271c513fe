/**
 * An alarm's text written where it is shown (the panel, the card), in the viewer's language,
 * unit and clock, from the alarm's facts and the add-on's own alarm texts. The add-on writes
 * `message` once (messages.ts), in Home Assistant's language and unit and the add-on's time zone,
 * for the push and the history; a viewer may be in another language (the user's profile), unit
 * or zone. Pure and safe in a browser bundle: it needs the text tables and the string-table
 * helper only, not messages.ts (which reads the process's time zone).
 */
import { stringTables } from "../shared/localize";
import type { AlarmKind, AlarmPhase } from "../shared/model";
import de from "./translations/de.json";
import en from "./translations/en.json";
import fr from "./translations/fr.json";
import nl from "./translations/nl.json";

/** The add-on's alarm texts: English, German, French and Dutch. */
export const ALARM_TEXTS = stringTables(en, { de, fr, nl });

/** What a viewer knows of an alarm; null where it does not know. */
export interface AlarmTextFacts {
  kind: AlarmKind;
  phase: AlarmPhase;
  /** Probe and device as the viewer names them: untrusted cloud text, used as plain text only. */
  probe: string | null;
  device: string | null;
  /** In the viewer's unit (percent for battery_low). */
  value: number | null;
  threshold: number | null;
  /** When the alarm fired (the time of a reached target). */
  sinceMs: number | null;
  /** The probe's predicted done time (a pre-alarm's). */
  doneMs: number | null;
  /** The probe's last reading (a stale alarm's). */
  readingMs: number | null;
  /** The device's last contact (an offline alarm's). */
  lastSeenMs: number | null;
}

/** How the viewer writes: its language tag, a value of its unit with `digits` decimals ("96 °C"), a time ("18:42"), and its now. */
export interface AlarmTextFormat {
  language: string;
  temp: (value: number, digits: number) => string;
  clock: (ms: number) => string;
  nowMs: number;
  /**
   * Write "?" for a missing value, "a while" for a missing time and now for a missing done time,
   * instead of giving up: the add-on's own message (messages.ts) must always have a text.
   */
  placeholders?: boolean;
}

/** "Chicken probe", but "Signals probe 2" stays as it is (the English unplugged message's `{noun}`). */
export const probeNoun = (name: string): string => (/\bprobe\b/i.test(name) ? name : `${name} probe`);

/** Decimals of a temperature next to `versus`: one only when whole degrees would hide the difference. */
export const decimalsVersus = (value: number, versus: number | null): number =>
  versus !== null && versus !== value && Math.round(value) === Math.round(versus) ? 1 : 0;

/** One decimal for a setting made with one (a 73.9 °C target, 165 °F), none for a whole one. */
export const settingDecimals = (setting: number | null): number => (setting !== null && Math.abs(setting - Math.round(setting)) >= 0.05 ? 1 : 0);

/**
 * "Brisket reached 96 °C (target 95 °C) at 18:42" in the viewer's words; null for an armed alarm
 * and, without `placeholders`, where a fact the text needs is missing (the viewer then shows the
 * add-on's message).
 */
export const composeAlarmText = (f: AlarmTextFacts, fmt: AlarmTextFormat): string | null => {
  if (f.phase === "armed") return null;
  const l = ALARM_TEXTS.localize(fmt.language);
  const fill = fmt.placeholders === true;
  const probe = f.probe ?? l("name.probe");
  const device = f.device ?? l("name.device");
  // As precisely as the limit was set ("target 73.9 °C", not 74), the reading alike beside it.
  const own = settingDecimals(f.threshold);
  const t = (v: number | null, versus: number | null): string | null => (v === null ? (fill ? "?" : null) : fmt.temp(v, Math.max(own, decimalsVersus(v, versus))));
  const clock = (ms: number | null): string | null => (ms === null ? (fill ? l("time.unknown") : null) : fmt.clock(ms));
  const value = t(f.value, f.threshold);
  const threshold = t(f.threshold, f.value);
  const kind = f.phase === "pre_alarm" ? "pre_alarm" : f.kind;
  switch (kind) {
    case "target": {
      const time = clock(f.sinceMs);
      return value === null || threshold === null || time === null ? null : l("fired.target", { probe, value, threshold, time });
    }
    case "pre_alarm": {
      const doneMs = f.doneMs ?? (fill ? fmt.nowMs : null);
      const alone = t(f.threshold, null);
      if (doneMs === null || alone === null) return null;
      const minutes = Math.max(1, Math.round((doneMs - fmt.nowMs) / 60_000));
      return l("fired.pre_alarm", { probe, threshold: alone, minutes, time: fmt.clock(doneMs) });
    }
    case "high":
    case "low":
      return value === null || threshold === null ? null : l(`fired.${kind}`, { probe, value, threshold });
    case "unplugged":
      return l("fired.unplugged", { probe, noun: probeNoun(probe) });
    case "stale": {
      const time = clock(f.readingMs);
      return time === null ? null : l("fired.stale", { probe, time });
    }
    case "offline": {
      const time = clock(f.lastSeenMs);
      return time === null ? null : l("fired.offline", { device, time });
    }
    case "battery_low":
      return f.value === null && !fill ? null : l("fired.battery_low", { device, value: f.value === null ? "?" : Math.round(f.value) });
  }
};

/**
 * An alarm text (or any text the add-on wrote) for a narrow tile or banner: a no-break space
 * between each number and its unit ("230 °F", "15 %", "180 min"), so they never wrap apart.
 */
export const joinUnits = (text: string): string => text.replace(/(\d) (?=°[CF]|%|min\b|Min\.|h\b|Std\.)/g, "$1\u00a0");
