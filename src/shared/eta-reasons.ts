/**
 * Why a probe has no done time (`Eta.reason`): the English words the add-on sends everywhere
 * (API, stream, Home Assistant attributes), written here once so that the card and the panel can
 * recognise each one and show it in their own language. A reason they do not know shows as sent.
 */
export const ETA_REASONS = {
  no_target: "no target set",
  no_readings: "no readings yet",
  no_recent: "no recent readings",
  reached: "target reached",
  frozen: "frozen: waiting for the meat to thaw",
  not_rising: "temperature is not rising",
  no_rate: "not enough data to estimate the rate",
  stalled_no_rate: "stalled; no heating rate to forecast from",
} as const;

const COLLECTING = /^collecting readings \(needs (\d+) min\)$/;
const TOO_FAR = /^more than (\d+) h away at the current rate$/;

export const collectingReason = (minutes: number): string => `collecting readings (needs ${minutes} min)`;
export const tooFarReason = (hours: number): string => `more than ${hours} h away at the current rate`;

export type EtaReasonKey = keyof typeof ETA_REASONS | "collecting" | "too_far";

/** The reason's key and its number (minutes of "collecting", hours of "too_far"); null for one this version does not know. */
export const parseEtaReason = (reason: string): { key: EtaReasonKey; n: number | null } | null => {
  for (const [key, text] of Object.entries(ETA_REASONS)) if (text === reason) return { key: key as keyof typeof ETA_REASONS, n: null };
  const collecting = COLLECTING.exec(reason);
  if (collecting) return { key: "collecting", n: Number(collecting[1]) };
  const tooFar = TOO_FAR.exec(reason);
  if (tooFar) return { key: "too_far", n: Number(tooFar[1]) };
  return null;
};

/** A string table that has every reason (the card's and the panel's must: the compiler checks). */
export type EtaReasonLocalize = (key: `reason.${EtaReasonKey}`, vars?: Record<string, string | number>) => string;

/** The reason in the table's language; one this version does not know, as it came. */
export const localizeEtaReason = (reason: string, localize: EtaReasonLocalize): string => {
  const parsed = parseEtaReason(reason);
  if (!parsed) return reason;
  return parsed.n === null ? localize(`reason.${parsed.key}`) : localize(`reason.${parsed.key}`, { n: parsed.n });
};
