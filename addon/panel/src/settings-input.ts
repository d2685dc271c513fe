/**
 * Probe settings and alarm-rule parameters as a person types them: read in the display unit and
 * checked against the add-on's bounds before anything is sent, so a mistake is answered in the
 * person's language and unit ("must be between -4 °F and 752 °F"), not as the API's °C message.
 * The bounds repeat the add-on's (src/http/validate.ts, src/alarms/rules.ts — importing them would
 * bundle zod into the panel); test/panel/helpers.test.ts keeps them equal. The add-on still checks
 * everything: what it refuses is shown as it answers.
 */
import type { ProbeState, TemperatureUnit } from "../../../src/shared/model";
import { parseNumberInput, toNumberInput } from "../../../src/shared/number-input";
import { deltaToUnit, round1 } from "../../../src/shared/units";
import { formatSetting, formatSettingNumber, parseTempInput } from "./format";
import type { PanelLocalize } from "./localize";

/** The API's bounds of a temperature setting, °C (TEMP_MIN_C, TEMP_MAX_C). */
export const SETTING_MIN_C = -20;
export const SETTING_MAX_C = 400;

export type SettingField = "targetC" | "highC" | "lowC";

/** What a typed value means: a value to save (null: off / default), or why it cannot be saved. */
export type InputResult = { value: number | null } | { error: string };

/** How a typed probe setting reads: the field's label and the probe's settings now (to name what stays, and low below high). */
export interface SettingContext {
  label: string;
  probe: Pick<ProbeState, SettingField>;
  unit: TemperatureUnit;
  locale: string;
  localize: PanelLocalize;
}

/**
 * A target / high / low typed in a tile, in the number format of `ctx.locale`. What is not a
 * number ("-", "1e", "abc") must not read as "off": only an empty field turns the setting off.
 */
export const readSetting = (field: SettingField, text: string, ctx: SettingContext): InputResult => {
  const { label, probe, unit, locale, localize } = ctx;
  const parsed = parseTempInput(text, unit, locale);
  if (parsed === "invalid") return { error: localize("tile.invalid", { field: label, value: probe[field] === null ? localize("tile.off") : formatSetting(probe[field], unit, locale) }) };
  if (parsed === null) return { value: null };
  if (parsed < SETTING_MIN_C || parsed > SETTING_MAX_C) {
    return { error: localize("input.range", { field: label, min: formatSetting(SETTING_MIN_C, unit, locale), max: formatSetting(SETTING_MAX_C, unit, locale) }) };
  }
  if (field === "lowC" && probe.highC !== null && parsed >= probe.highC) return { error: localize("tile.low_above_high", { high: formatSetting(probe.highC, unit, locale) }) };
  if (field === "highC" && probe.lowC !== null && parsed <= probe.lowC) return { error: localize("tile.high_below_low", { low: formatSetting(probe.lowC, unit, locale) }) };
  return { value: parsed };
};

interface ParamBounds {
  min: number;
  max: number;
  whole: boolean;
  /** A temperature difference in °C: shown and typed in the display unit. */
  delta?: true;
}

const REPEAT: ParamBounds = { min: 1, max: 240, whole: true };
const HYSTERESIS_C: ParamBounds = { min: 0, max: 20, whole: false, delta: true };
const PARAM_BOUNDS: Record<string, ParamBounds> = {
  repeatMinutes: REPEAT,
  hysteresisC: HYSTERESIS_C,
  minutes: { min: 1, max: 1440, whole: true },
  percent: { min: 1, max: 99, whole: true },
  hysteresisPct: { min: 0, max: 50, whole: false },
};
/** Where a kind's parameter has other bounds than the same name elsewhere. */
const KIND_BOUNDS: Record<string, ParamBounds> = { "pre_alarm.minutes": { min: 1, max: 240, whole: true } };

/** The add-on's bounds of a rule parameter; undefined for one the panel does not know (the add-on checks it). */
export const paramBounds = (kind: string, key: string): ParamBounds | undefined => KIND_BOUNDS[`${kind}.${key}`] ?? PARAM_BOUNDS[key];

/** Whether a parameter is a temperature difference (hysteresisC): shown in the display unit. */
export const isDeltaParam = (key: string): boolean => PARAM_BOUNDS[key]?.delta === true;

/** A numeric parameter as the value of its field, in `locale`'s format: a temperature difference in the display unit, to 0.1. */
export const paramToInput = (key: string, value: number | null, unit: TemperatureUnit, locale = "en"): string =>
  value === null ? "" : toNumberInput(isDeltaParam(key) ? round1(deltaToUnit(value, unit)) : value, locale, 6);

export interface ParamContext {
  kind: string;
  label: string;
  /** The value now (°C for a difference), named when a typo leaves it as it is. */
  current: number | null;
  unit: TemperatureUnit;
  locale: string;
  localize: PanelLocalize;
}

/** A rule parameter typed in the alarms view, in `ctx.locale`'s format → the API's value (°C for a difference); empty is null (back to the default). */
export const readParam = (key: string, text: string, ctx: ParamContext): InputResult => {
  const { kind, label, current, unit, locale, localize } = ctx;
  const typed = parseNumberInput(text, locale);
  if (typed === null) return { value: null };
  if (typed === "invalid") return { error: localize("param.invalid", { field: label, value: current === null ? "–" : paramToInput(key, current, unit, locale) }) };
  const bounds = paramBounds(kind, key);
  if (!bounds) return { value: typed };
  const shown = (v: number): string => formatSettingNumber(bounds.delta ? deltaToUnit(v, unit) : v, locale);
  if (bounds.whole && !Number.isInteger(typed)) return { error: localize("input.whole", { field: label }) };
  // A difference goes back to °C with two decimals, so one typed in °F with one decimal reads back as typed.
  const value = bounds.delta ? Math.round((round1(typed) / deltaToUnit(1, unit)) * 100) / 100 : typed;
  if (value < bounds.min || value > bounds.max) return { error: localize("input.range", { field: label, min: shown(bounds.min), max: shown(bounds.max) }) };
  return { value };
};
