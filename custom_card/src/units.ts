/** Temperature units as Home Assistant spells them. */
export type TempUnit = "°C" | "°F";

/** "°F", "F", "fahrenheit" → "°F"; anything else with a C → "°C"; unknown → null. */
export const parseTempUnit = (raw: unknown): TempUnit | null => {
  if (typeof raw !== "string") return null;
  const s = raw.trim().toLowerCase().replace("°", "");
  if (s === "f" || s === "fahrenheit") return "°F";
  if (s === "c" || s === "celsius") return "°C";
  return null;
};

/** Converts a temperature between display units (identity when either is unknown). */
export const convertTemp = (value: number, from: TempUnit | null, to: TempUnit | null): number => {
  if (!from || !to || from === to) return value;
  return from === "°C" ? value * 1.8 + 32 : (value - 32) / 1.8;
};

/** Parses a Home Assistant numeric state: "71.4" → 71.4; "unavailable", "unknown", "" → null. */
export const parseNumericState = (state: unknown): number | null => {
  if (typeof state === "number") return Number.isFinite(state) ? state : null;
  if (typeof state !== "string" || state.trim() === "") return null;
  const n = Number(state);
  return Number.isFinite(n) ? n : null;
};

/** A numeric attribute, or null. */
export const numAttr = (attrs: Record<string, unknown> | undefined, name: string): number | null =>
  parseNumericState(attrs?.[name]);
