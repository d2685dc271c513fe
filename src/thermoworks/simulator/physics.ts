/**
 * Pure cooking physics for the simulator. Temperatures in °C, times in simulated seconds.
 *
 * - Pit: relaxes toward its setpoint plus a slow wobble; a lid opening drops it by 20–40 °C
 *   within a minute or so, then it recovers with a time constant of a few minutes.
 * - Meat: Newton's law of heating, dT/dt = k (pit − T), with the rate suppressed by an
 *   evaporative term that peaks around 70 °C while the surface is still wet (the stall).
 *   The surface moisture dries out while stalled, which ends the stall; so does wrapping it
 *   (foil or paper: the moisture stays, but no longer evaporates).
 */
import type { Rng } from "./rng";

export interface PitParams {
  setpointC: number;
  /** Amplitude of the slow setpoint wobble, °C. */
  wobbleC: number;
  /** Recovery time constant after a disturbance, s. */
  recoverTauSec: number;
  /** Mean time between lid openings, s (0 = never). */
  lidEverySec: number;
}

export interface PitState {
  tempC: number;
  /** Slow random component of the wobble (Ornstein–Uhlenbeck), °C. */
  driftC: number;
  /** Seconds the lid stays open from now (0 = closed). */
  lidOpenSec: number;
  /** °C per second the pit loses while the lid is open. */
  lidDropCPerSec: number;
  /** Simulated second of the next scheduled lid opening (Infinity = none). */
  nextLidAtSec: number;
}

export interface MeatParams {
  /** Heat-transfer coefficient, 1/s. */
  k: number;
  /** Fraction of the heating rate the evaporation can cancel at its peak (0 = no stall). */
  stallDepth: number;
  /** How long the surface stays wet while stalled at the peak, s. */
  stallSec: number;
}

export interface MeatState {
  tempC: number;
  /** Surface moisture, 1 = wet … 0 = dry bark. */
  moisture: number;
  /** Wrapped in foil or paper: nothing evaporates any more. */
  wrapped?: boolean;
}

export const STALL_CENTER_C = 70;
const STALL_WIDTH_C = 6;

/** Strength (0–1) of evaporative cooling at a meat temperature: a bell around 70 °C. */
export const evaporation = (tempC: number): number => Math.exp(-(((tempC - STALL_CENTER_C) / STALL_WIDTH_C) ** 2));

/** The surface stays fully wet until 60 % of its moisture is gone, then dries out (ends the stall). */
const wetness = (moisture: number): number => Math.min(1, moisture / 0.4);

/** Rate of rise of the meat in °C/s for the given pit temperature. */
export const meatRate = (p: MeatParams, s: MeatState, pitC: number): number =>
  p.k * (pitC - s.tempC) * (s.wrapped ? 1 : 1 - p.stallDepth * wetness(s.moisture) * evaporation(s.tempC));

export const stepMeat = (p: MeatParams, s: MeatState, pitC: number, dtSec: number): MeatState => {
  const rate = meatRate(p, s, pitC);
  const drying = p.stallSec > 0 && !s.wrapped ? (evaporation(s.tempC) / p.stallSec) * dtSec : 0;
  return { ...s, tempC: s.tempC + rate * dtSec, moisture: Math.max(0, s.moisture - drying) };
};

export const initialPit = (p: PitParams, rng: Rng, nowSec: number): PitState => ({
  tempC: p.setpointC,
  driftC: 0,
  lidOpenSec: 0,
  lidDropCPerSec: 0,
  nextLidAtSec: p.lidEverySec > 0 ? nowSec + rng.range(0.5, 1.5) * p.lidEverySec : Number.POSITIVE_INFINITY,
});

/** Open the lid now: the pit loses 20–40 °C over 45–90 s. */
export const openLid = (s: PitState, rng: Rng): PitState => {
  const dropC = rng.range(20, 40);
  const openSec = rng.range(45, 90);
  return { ...s, lidOpenSec: openSec, lidDropCPerSec: dropC / openSec };
};

export const stepPit = (p: PitParams, s: PitState, rng: Rng, nowSec: number, dtSec: number): PitState => {
  let next = s;
  if (nowSec >= s.nextLidAtSec) {
    next = { ...openLid(s, rng), nextLidAtSec: nowSec + rng.range(0.6, 1.4) * p.lidEverySec };
  }
  // Slow drift (OU process, ~20 min correlation) plus two sines: a few °C of wobble.
  const driftC = next.driftC - (next.driftC / 1200) * dtSec + p.wobbleC * 0.015 * Math.sqrt(dtSec) * rng.normal();
  const wobble = 0.5 * p.wobbleC * Math.sin((2 * Math.PI * nowSec) / 900) + 0.3 * p.wobbleC * Math.sin((2 * Math.PI * nowSec) / 2700 + 1);
  if (next.lidOpenSec > 0) {
    const openDt = Math.min(dtSec, next.lidOpenSec);
    return { ...next, driftC, tempC: next.tempC - next.lidDropCPerSec * openDt, lidOpenSec: next.lidOpenSec - openDt };
  }
  const targetC = p.setpointC + wobble + driftC;
  const tempC = next.tempC + ((targetC - next.tempC) * dtSec) / p.recoverTauSec;
  return { ...next, driftC, tempC };
};
