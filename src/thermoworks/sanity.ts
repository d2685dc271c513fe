/**
 * What a cloud document may claim and still be believed. The schemas check types; these check
 * that a well-typed value is possible at all: a time a device could have sent, a temperature a
 * probe could read, a label that fits on a screen. A value that fails is dropped (no time, no
 * reading) or shortened and reported as a `MappingProblem`, which the client logs rate-limited;
 * it never costs the rest of the document or the snapshot.
 */
import { UNSHOWN } from "../shared";

/** Something in a document that was not taken at face value. `value` is short and never secret. */
export interface MappingProblem {
  field: string;
  problem: string;
  value: string;
}

/**
 * The earliest time a reading can carry. ThermoWorks' cloud thermometers came years later; a
 * date before this (1900, the epoch) is a device without a clock, not a reading of that time.
 */
export const EARLIEST_READING_MS = Date.UTC(2015, 0, 1);

/**
 * How far a device's time may run ahead of ours. Clocks drift a little; a reading from the
 * future (9999-12-31) would be kept as the newest forever, and every real one after it dropped
 * as older (analytics keeps only readings newer than the last), so the probe would freeze.
 */
export const MAX_AHEAD_MS = 5 * 60_000;

/** Null when `tsMs` is a time a device could have sent at `nowMs`, else why not (and `outcome`, what was done). */
export const timeProblem = (field: string, tsMs: number, nowMs: number, outcome = "ignored"): MappingProblem | null => {
  const why = tsMs < EARLIEST_READING_MS ? "is before 2015" : tsMs > nowMs + MAX_AHEAD_MS ? `is more than ${MAX_AHEAD_MS / 60_000} min ahead of our clock` : null;
  return why === null ? null : { field, problem: `${why}; ${outcome}`, value: new Date(tsMs).toISOString() };
};

/**
 * Temperatures a probe can read, °C (after unit conversion). Probes go to about 300 °C (a pit
 * probe in a pizza oven a little more); 1000 °C leaves room for anything real. The low end
 * must let ThermoWorks' "no probe" value through (about −300 °C, −508 °F), which analytics
 * reads as unplugged (≤ −50 °C) as before; lower than that is neither a temperature nor that
 * value. Humidity is a percentage.
 */
export const MIN_TEMP_C = -330;
export const MAX_TEMP_C = 1000;
const MIN_HUMIDITY = 0;
const MAX_HUMIDITY = 100;

/** Null when `value` (°C, or %RH when `humidity`) is possible, else why not. */
export const valueProblem = (value: number, humidity: boolean): MappingProblem | null => {
  const [min, max, unit] = humidity ? [MIN_HUMIDITY, MAX_HUMIDITY, "%RH"] : [MIN_TEMP_C, MAX_TEMP_C, "°C"];
  if (value >= min && value <= max) return null;
  return { field: "value", problem: `is outside ${min}…${max} ${unit}; read as no reading`, value: String(value) };
};

/** Longest label, type or model name we take from the cloud, in characters. */
export const MAX_CLOUD_TEXT = 64;

/**
 * Cloud text as we show and store it: control characters become spaces, runs of white space
 * one space, trimmed, and at most `max` characters (code points, so an emoji is not cut in
 * half) ending in "…" when it was longer. A megabyte label would otherwise be in every
 * /api/probes answer and Home Assistant entity.
 */
export const toCloudText = (raw: string, max = MAX_CLOUD_TEXT): string => {
  // Only the start can survive: cleaning a megabyte every poll would be work for nothing.
  const clean = raw.slice(0, max * 8).replace(UNSHOWN, " ").replace(/\s+/gu, " ").trim();
  const chars = Array.from(clean);
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
};

/** Null when the text was usable as sent, else what was done to it (the value is its length, never the text). */
export const textProblem = (field: string, raw: string | null | undefined, max = MAX_CLOUD_TEXT): MappingProblem | null =>
  raw && raw.length > max && Array.from(toCloudText(raw, max + 1)).length > max
    ? { field, problem: `is longer than ${max} characters; shortened`, value: `${raw.length} characters` }
    : null;
