/**
 * Newton's law of heating for the meat core: dT/dt = k·(Tpit − T).
 *
 * k (1/h) is the meat's heat-transfer constant (surface coefficient × area / heat capacity; its
 * inverse is the time constant, ~2–8 h for a big cut). It is estimated from the integral form
 * over a window, which needs no derivative of noisy readings:
 *   k = (T(t) − T(t − W)) / ∫ (Tpit − T) dt
 * The end temperatures are the robust local fits, the integral uses both series on a 1-min grid.
 */
import { localFit, MS_PER_HOUR, MS_PER_MIN, valueAt, type Series } from "./samples";

/** k over (atMs − windowMs, atMs] in 1/h, or null when the data do not cover the window. */
export const estimateK = (meat: Series, pit: Series, atMs: number, windowMs: number): number | null => {
  if (meat.length === 0 || pit.length === 0) return null;
  const fromMs = atMs - windowMs;
  if (meat.tsAt(0) > fromMs + 2 * MS_PER_MIN || pit.tsAt(0) > fromMs + 10 * MS_PER_MIN) return null;
  const fitWin = Math.min(10 * MS_PER_MIN, windowMs / 3);
  const end = localFit(meat, atMs, fitWin, 3);
  const start = localFit(meat, fromMs + fitWin / 2, fitWin, 3);
  const endC = end?.tempC ?? valueAt(meat, atMs);
  const startC = start ? start.tempC - (start.rateCPerHour * fitWin) / 2 / MS_PER_HOUR : valueAt(meat, fromMs);
  if (endC === null || startC === null) return null;
  const stepMs = MS_PER_MIN;
  let integral = 0;
  for (let t = fromMs; t < atMs; t += stepMs) {
    const dt = Math.min(stepMs, atMs - t);
    const mid = t + dt / 2;
    const gap = (valueAt(pit, mid) as number) - (valueAt(meat, mid) as number);
    integral += (gap * dt) / MS_PER_HOUR;
  }
  if (integral <= 1) return null;
  return (endC - startC) / integral;
};

/** Hours to go from tempC to targetC under Newton heating toward pitC with constant k. */
export const newtonHours = (tempC: number, pitC: number, targetC: number, k: number): number | null => {
  if (targetC <= tempC) return 0;
  if (k <= 0 || pitC <= targetC) return null;
  return Math.log((pitC - tempC) / (pitC - targetC)) / k;
};

/** Temperature after `hours` of Newton heating. */
export const newtonTemp = (tempC: number, pitC: number, k: number, hours: number): number =>
  pitC - (pitC - tempC) * Math.exp(-k * hours);
