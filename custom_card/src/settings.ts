/** Pure: what the user typed into a target/high/low field → the value for input_number.set_value. */
import { parseNumberInput } from "../../src/shared/number-input";
import type { FormatContext } from "./format";
import type { HelperSetting } from "./probe-view";
import { convertTemp, type TempUnit } from "./units";

export type SettingInput =
  | { ok: true; value: number }
  | { ok: false; reason: "not_a_number" | "out_of_range"; min: number; max: number };

/**
 * Parses "93", "93,5" or "93.5" (display unit, the profile's number format: its decimal mark, or
 * a point), converts it to the helper's unit and rounds it to the helper's step. An empty field
 * clears the setting: the helper's minimum means "not set". Limits are checked in the helper's
 * unit (where Home Assistant checks them), and told in the display unit.
 */
export const parseSettingInput = (
  raw: string,
  setting: HelperSetting,
  displayUnit: TempUnit | null,
  fmt: Pick<FormatContext, "numberLocale" | "useGrouping"> = { numberLocale: "en", useGrouping: true },
): SettingInput => {
  // The limits as the user types: in the display unit (a °C helper's 0–300 is 32–572 °F).
  const shown = (v: number): number => Math.round(convertTemp(v, setting.unit, displayUnit) * 10) / 10;
  const limits = { min: shown(setting.min), max: shown(setting.max) };
  const n = parseNumberInput(raw, fmt.numberLocale, fmt.useGrouping);
  if (n === null) return { ok: true, value: setting.min };
  if (n === "invalid") return { ok: false, reason: "not_a_number", ...limits };
  const inHelperUnit = convertTemp(n, displayUnit, setting.unit);
  const step = setting.step > 0 ? setting.step : 1;
  const decimals = Math.min(6, (String(step).split(".")[1] ?? "").length);
  const snapped = Number((Math.round(inHelperUnit / step) * step).toFixed(decimals));
  if (snapped <= setting.min || snapped > setting.max) return { ok: false, reason: "out_of_range", ...limits };
  return { ok: true, value: snapped };
};
