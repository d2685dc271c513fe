/**
 * Card configuration: type, defaults and validation. `validateConfig` throws a plain Error
 * whose message tells the user what to change (Home Assistant shows it in an error card).
 */
import { normalizeProbeRef } from "./entities";

export const WINDOWS = ["1h", "4h", "12h", "cook"] as const;
export type WindowKey = (typeof WINDOWS)[number];

/** Window lengths in seconds; "cook" looks back up to `cook_hours` and starts at the cook's start. */
export const WINDOW_SECONDS: Record<Exclude<WindowKey, "cook">, number> = { "1h": 3600, "4h": 4 * 3600, "12h": 12 * 3600 };

export interface ProbeConfig {
  /** Probe key `<devicekey>_<channel>` (an entity id of the probe is accepted in YAML). */
  probe: string;
  /** Palette name (`red`, `blue`, …) or any CSS colour; automatic when omitted. */
  color?: string;
  name?: string;
}

export interface CardConfig {
  type: string;
  title?: string;
  /** undefined = every Grill Stats probe, including ones added later. */
  probes?: ProbeConfig[];
  window: WindowKey;
  show_chart: boolean;
  show_forecast: boolean;
  show_alarm_lines: boolean;
  show_device: boolean;
  /** Chart height in CSS pixels. */
  chart_height: number;
  /** How far back the "cook" window may reach, hours. */
  cook_hours: number;
}

export const DEFAULTS = {
  window: "4h" as WindowKey,
  show_chart: true,
  show_forecast: true,
  show_alarm_lines: true,
  show_device: true,
  chart_height: 220,
  cook_hours: 24,
};

/**
 * Probe colours by name (YAML `color: blue`, the editor's list), each Home Assistant's palette
 * variable with a literal fallback; this order is the order automatic colours are handed out.
 * The first eight stay apart in HA's default values and in the fallbacks alike (CIEDE2000 of 17
 * or more between any two, checked by the tests), and none is the red of the high/low alarm
 * lines. The old order (red, blue, green, orange, …, pink, amber) gave eight probes four warm
 * hues: the pit's red line read as its own alarm line, and red, orange and amber ran together.
 * Orange comes after the first five because it is also the stall band's and the stall badge's
 * colour; amber (too close to orange) and red are left for those who pick them.
 */
export const PALETTE: ReadonlyArray<{ name: string; css: string }> = [
  { name: "blue", css: "var(--blue-color, #1e88e5)" },
  { name: "green", css: "var(--green-color, #43a047)" },
  { name: "purple", css: "var(--purple-color, #8e24aa)" },
  { name: "pink", css: "var(--pink-color, #d81b60)" },
  { name: "teal", css: "var(--teal-color, #00897b)" },
  { name: "orange", css: "var(--orange-color, #fb8c00)" },
  { name: "brown", css: "var(--brown-color, #6d4c41)" },
  { name: "indigo", css: "var(--indigo-color, #3949ab)" },
  { name: "amber", css: "var(--amber-color, #ffb300)" },
  { name: "red", css: "var(--red-color, #e53935)" },
];

// Letters, digits and the punctuation of CSS colour syntax only: no ";", "{", quotes or url().
const SAFE_COLOR = /^(?!.*url\()[#a-z0-9(),.%\s_-]{1,80}$/i;

const paletteEntry = (color: string) => PALETTE.find((p) => p.name === color.toLowerCase());

/**
 * CSS colour per probe, for the probes in the order shown (pits included): a configured colour as
 * given (palette name or any CSS colour); the others take the palette in order, skipping the
 * palette colours configured for other probes, so up to eight probes shown together never share
 * one. A theme can set the automatic colour of the n-th probe with `--grill-stats-probe-<n>-color`.
 */
export const assignProbeColors = (probes: ReadonlyArray<{ probe: string; color?: string }>): Record<string, string> => {
  const taken = new Set(probes.map((p) => (p.color ? paletteEntry(p.color)?.name : undefined)));
  const free = PALETTE.filter((p) => !taken.has(p.name));
  const pool = free.length > 0 ? free : PALETTE;
  const out: Record<string, string> = {};
  let next = 0;
  probes.forEach((p, i) => {
    if (p.color) {
      out[p.probe] = paletteEntry(p.color)?.css ?? p.color;
      return;
    }
    const auto = pool[next++ % pool.length] as { css: string };
    out[p.probe] = `var(--grill-stats-probe-${i + 1}-color, ${auto.css})`;
  });
  return out;
};

const fail = (msg: string): never => {
  throw new Error(`Grill Stats card: ${msg}`);
};

const bool = (raw: Record<string, unknown>, key: string, dflt: boolean): boolean => {
  const v = raw[key];
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") fail(`"${key}" must be true or false (got ${JSON.stringify(v)}).`);
  return v as boolean;
};

const num = (raw: Record<string, unknown>, key: string, dflt: number, min: number, max: number): number => {
  const v = raw[key];
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) fail(`"${key}" must be a number from ${min} to ${max} (got ${JSON.stringify(v)}).`);
  return v as number;
};

const parseProbe = (item: unknown, i: number): ProbeConfig => {
  const where = `probes[${i}]`;
  const obj = typeof item === "string" ? { probe: item } : item;
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return fail(`${where} must be a probe id like "1234567890ab_2" or { probe, color, name }.`);
  const rec = obj as Record<string, unknown>;
  const ref = rec["probe"] ?? rec["entity"];
  if (typeof ref !== "string") return fail(`${where}.probe is missing; use a probe id like "1234567890ab_2".`);
  const probe = normalizeProbeRef(ref);
  if (!probe) return fail(`${where}.probe "${ref}" is neither a probe id ("1234567890ab_2") nor a Grill Stats entity id.`);
  const out: ProbeConfig = { probe };
  if (rec["color"] !== undefined) {
    if (typeof rec["color"] !== "string" || !SAFE_COLOR.test(rec["color"])) fail(`${where}.color must be a palette name (${PALETTE.map((p) => p.name).join(", ")}) or a CSS colour.`);
    out.color = rec["color"] as string;
  }
  if (rec["name"] !== undefined) {
    if (typeof rec["name"] !== "string") fail(`${where}.name must be text.`);
    out.name = rec["name"] as string;
  }
  return out;
};

/** Validates a raw Lovelace config and fills in defaults. */
export const validateConfig = (raw: unknown): CardConfig => {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return fail("the configuration must be a mapping (type: custom:grill-stats-card).");
  const r = raw as Record<string, unknown>;
  if (r["title"] !== undefined && typeof r["title"] !== "string") fail(`"title" must be text.`);
  if (r["window"] !== undefined && !WINDOWS.includes(r["window"] as WindowKey)) fail(`"window" must be one of ${WINDOWS.join(", ")} (got ${JSON.stringify(r["window"])}).`);
  let probes: ProbeConfig[] | undefined;
  if (r["probes"] !== undefined && r["probes"] !== null) {
    if (!Array.isArray(r["probes"])) fail(`"probes" must be a list of probe ids (or leave it out to show every probe).`);
    const listed = (r["probes"] as unknown[]).map(parseProbe);
    const seen = new Set<string>();
    for (const p of listed) {
      if (seen.has(p.probe)) fail(`probe "${p.probe}" is listed twice.`);
      seen.add(p.probe);
    }
    // An empty list (every probe unticked in the editor) is no choice: show them all.
    if (listed.length > 0) probes = listed;
  }
  return {
    type: typeof r["type"] === "string" ? r["type"] : "custom:grill-stats-card",
    ...(typeof r["title"] === "string" ? { title: r["title"] } : {}),
    ...(probes ? { probes } : {}),
    window: (r["window"] as WindowKey | undefined) ?? DEFAULTS.window,
    show_chart: bool(r, "show_chart", DEFAULTS.show_chart),
    show_forecast: bool(r, "show_forecast", DEFAULTS.show_forecast),
    show_alarm_lines: bool(r, "show_alarm_lines", DEFAULTS.show_alarm_lines),
    show_device: bool(r, "show_device", DEFAULTS.show_device),
    chart_height: num(r, "chart_height", DEFAULTS.chart_height, 80, 800),
    cook_hours: num(r, "cook_hours", DEFAULTS.cook_hours, 1, 240),
  };
};
