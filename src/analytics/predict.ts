/**
 * Done-time prediction for one meat probe with a target.
 *
 * The remaining time is a mixture of scenarios, each log-normal:
 *  - heating: Newton heating toward the pit with the k fitted on the recent window (a pit
 *    channel with fresh readings), or the recent rate of rise (no pit: wider range);
 *  - stall: while stalled, the rest of the stall (a log-normal prior on its length, conditioned
 *    on how long it has lasted) plus heating from the stall to the target with the k the meat
 *    had before the stall; before a stall in a low-and-slow cook, a chance that one will come.
 * The spread of each scenario comes from the fit (k over several windows, reading noise, pit
 * scatter) and a model error proportional to the horizon, so ranges widen with noise and regime
 * uncertainty and narrow as the cook nears its end. P10/P50/P90 are quantiles of the mixture.
 */
import type { Eta, ForecastPoint, StallState } from "../shared";
import { collectingReason, ETA_REASONS, tooFarReason } from "../shared/eta-reasons";
import { clamp, mixtureQuantile, type LogNormalPart } from "./math";
import { newtonHours } from "./newton";
import { buildContext, DEFAULT_PREDICT_PARAMS, type PredictContext, type PredictParams } from "./predict-context";
import { EMPTY_SERIES, MS_PER_HOUR, MS_PER_MIN, tailOf, typicalGapMs, widenFor, type Series } from "./samples";

export { DEFAULT_PREDICT_PARAMS, type PredictParams } from "./predict-context";

export interface PredictInput {
  nowMs: number;
  targetC: number | null;
  /** Clean meat readings since the probe was (re)inserted, ascending. */
  meat: Series;
  /** Clean pit readings (lid openings removed), ascending; empty or omitted without a pit. */
  pit?: Series;
  stall?: StallState | null;
  /** When the meat was wrapped (a "wrap" note of the cook), or null. */
  wrappedMs?: number | null;
  params?: Partial<PredictParams>;
}

export interface Prediction {
  eta: Eta;
  forecast: ForecastPoint[];
}

/** Above this the answer is "unknown", not a number nobody can use. */
const MAX_HOURS = 36;
/** A cook with the pit above this (a roast, hot and fast) is not expected to stall. */
const HOT_PIT_C = 150;
/**
 * Nor a meat with a target below this: the stall belongs to the cuts taken past 80 °C to render
 * their collagen (brisket, pork butt, ribs). Poultry (74 °C) and roasts come off before it matters
 * (a roast chicken in a 140–160 °C oven, target 75 °C, was forecast 164 min late 17 min in when
 * its targets were allowed a stall).
 */
const STALL_TARGET_MIN_C = 80;
/**
 * Without a pit channel, the pit is assumed at 120 °C (250 °F, the middle of the usual
 * 225–275 °F low-and-slow range) to scale the heating rate after a stall from the peak rate
 * before it (Newton: the rate is proportional to the pit − meat difference).
 */
const VIRTUAL_PIT_C = 120;

/**
 * Where a stall starts, when it comes: a triangular prior on 60–80 °C, most likely 70 °C (the
 * wet-bulb plateau; stalls start anywhere from about 60 to 80 °C, the four recorded ones at
 * 63–72 °C). As the meat climbs without stalling, the prior is conditioned on the onset lying
 * above it, so the chance of a stall still to come fades smoothly to nothing at 80 °C.
 */
const ONSET_LO_C = 60;
const ONSET_MODE_C = 70;
const ONSET_HI_C = 80;
const ONSET_POINTS = 5;
/** A stall starting within this of the target does not hold the meat below it. */
const ONSET_MARGIN_C = 1;
/**
 * How fast meat creeps up through a stall: the recorded stalls crept 0.5–1.2 °C/h (brisket, the
 * course file), 4–7 °C/h (the mild ones). A target a few degrees above the plateau is reached
 * by creeping before the stall would have ended.
 */
const STALL_CRAWL_C_PER_H = 1;
/**
 * Wrapped meat (foil or butcher paper, the "Texas crutch") no longer loses its heat to
 * evaporation: a stall it is in ends soon after, one still to come does not come. Median of the
 * rest of a stall from the wrap: the two documented wraps, the brisket and the pork shoulder,
 * were followed by the rise 30 and 40 min later.
 */
const WRAPPED_STALL_MEDIAN_H = 0.5;

const onsetCdf = (x: number): number => {
  if (x <= ONSET_LO_C) return 0;
  if (x >= ONSET_HI_C) return 1;
  const [a, m, b] = [ONSET_LO_C, ONSET_MODE_C, ONSET_HI_C];
  return x <= m ? (x - a) ** 2 / ((b - a) * (m - a)) : 1 - (b - x) ** 2 / ((b - a) * (b - m));
};
const onsetQuantile = (u: number): number => {
  const [a, m, b] = [ONSET_LO_C, ONSET_MODE_C, ONSET_HI_C];
  const fm = (m - a) / (b - a);
  return u <= fm ? a + Math.sqrt(u * (b - a) * (m - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - m));
};
/** n equally likely stall onsets above `aboveC` (the prior conditioned on no stall so far). */
const onsetPoints = (aboveC: number, n: number): number[] => {
  const f0 = onsetCdf(aboveC);
  return Array.from({ length: n }, (_, i) => onsetQuantile(f0 + ((1 - f0) * (i + 0.5)) / n));
};

/** One stretch of heating, as a time and a log-normal spread. */
interface Leg {
  method: "newton" | "linear";
  hours: number;
  sigma: number;
  /** Temperature after h hours of this heating (for the forecast curve). */
  tempAfter: (h: number) => number;
}

/**
 * Frozen meat: at or below this the core is still turning ice into water (about 0 °C for meat,
 * a plateau held by the latent heat of fusion, as the stall is held by evaporation). Newton's
 * law does not hold across it: a heating constant fitted over the plateau comes out several
 * times too small (a partly frozen pork shoulder read 0.0 °C for an hour, then showed 34 h left
 * of a cook that took 8). Fridge-cold meat is 1–4 °C and never reads this low.
 */
const FROZEN_C = 0.5;
/** How long after thawing the plateau still falls inside the heating fits' windows (67.5 min). */
const THAW_LOOKBACK_MS = 90 * MS_PER_MIN;

/**
 * The meat's history from its last frozen reading on, if that was within THAW_LOOKBACK_MS: the
 * predictor then starts over from the thaw as from an insertion ("collecting readings" first).
 */
export const sinceThawed = (meat: Series): Series => {
  const n = meat.length;
  if (n === 0) return meat;
  const fromMs = meat.tsAt(n - 1) - THAW_LOOKBACK_MS;
  let i = n - 1;
  while (i >= 0 && meat.tsAt(i) >= fromMs && meat.tempAt(i) > FROZEN_C) i--;
  return i >= 0 && meat.tsAt(i) >= fromMs ? tailOf(meat, i) : meat;
};

const unknown = (reason: string, method = "none"): Prediction => ({
  eta: { doneMs: null, p10Ms: null, p90Ms: null, reason, method },
  forecast: [],
});

/** Newton heating from `fromC` to `toC` toward the measured pit. */
const newtonLeg = (c: PredictContext, fromC: number, toC: number, k: number | null, kRelSd: number, p: PredictParams): Leg | null => {
  if (c.pitC === null || k === null || k <= 0.01 || c.pitC <= toC + 2) return null;
  const pitC = c.pitC;
  const hours = newtonHours(fromC, pitC, toC, k);
  if (hours === null) return null;
  // Sensitivity to the pit level: redo the forecast with the pit one scatter lower.
  const lowPit = newtonHours(fromC, Math.max(pitC - c.pitSdC, toC + 1), toC, k) ?? hours * 2;
  const sPit = Math.log(Math.max(lowPit, 1e-6) / Math.max(hours, 1e-6));
  const sigma = Math.sqrt(p.sigmaNewton ** 2 + p.varPerHour * hours + Math.min(kRelSd, 1) ** 2 + sPit ** 2);
  return { method: "newton", hours, sigma, tempAfter: (h) => pitC - (pitC - fromC) * Math.exp(-k * h) };
};

/**
 * Log spread of a forecast from the rate alone: model error, the horizon, and the rate's own
 * uncertainty (the time to go is inversely proportional to it, so its relative error carries over).
 */
const rateOnlySigma = (p: PredictParams, hours: number, rateRelSe: number): number =>
  Math.sqrt(p.sigmaLinear ** 2 + p.varPerHour * hours + Math.min(rateRelSe, 1) ** 2);

const linearLeg = (fromC: number, toC: number, rate: number | null, p: PredictParams, rateRelSe = 0): Leg | null => {
  if (rate === null || rate < 0.3) return null;
  const hours = Math.max(0, toC - fromC) / rate;
  const sigma = rateOnlySigma(p, hours, rateRelSe);
  return { method: "linear", hours, sigma, tempAfter: (h) => fromC + rate * h };
};

/**
 * Without a pit channel: Newton toward VIRTUAL_PIT_C with the k that gives the current rate, so
 * the forecast slows down as the meat nears the pit as every cook does. A straight line at the
 * current rate was always too early: the 18 lb brisket (no pit channel) was forecast 36 % short
 * in its second hour, its range never holding the truth. Rate-only still ("linear").
 * The rate is a line's slope over the last half hour, which is the rate at the window's middle,
 * so k is that rate over the pit gap there, not now (cooks without their pit, pooled over 11
 * targets: 2 h 22.5 → 19.4 %, 30 min 18.3 → 17.5 %).
 */
const virtualPitLeg = (c: PredictContext, fromC: number, toC: number, p: PredictParams): Leg | null => {
  const rate = c.rateNow;
  if (c.pitC !== null || rate === null || rate < 0.3 || toC > VIRTUAL_PIT_C - 5 || fromC >= toC) return null;
  const k = rate / (VIRTUAL_PIT_C - Math.min(c.rateNowAtC ?? fromC, fromC));
  const hours = newtonHours(fromC, VIRTUAL_PIT_C, toC, k);
  if (hours === null) return null;
  const sigma = rateOnlySigma(p, hours, c.rateNowRelSe);
  return { method: "linear", hours, sigma, tempAfter: (h) => VIRTUAL_PIT_C - (VIRTUAL_PIT_C - fromC) * Math.exp(-k * h) };
};

/**
 * Heating after a stall. With a pit: Newton with the k the meat had before the stall, or the
 * current k once the meat heats faster than that. Without: the peak rate before the stall scaled
 * by Newton to the temperatures still to go (virtual pit), or the current rate if higher.
 */
const postStallLeg = (c: PredictContext, fromC: number, toC: number, p: PredictParams, rateNow: number | null = null): Leg | null => {
  const kRef = (c.kRef ?? 0) * p.postStallKFactor;
  const useNow = c.k !== null && c.k > kRef;
  const newton = newtonLeg(c, fromC, toC, useNow ? c.k : kRef > 0 ? kRef : null, useNow ? Math.min(c.kRelSd, 0.5) : 0.25, p);
  if (newton) return newton;
  if (c.pitC !== null) return null;
  const fromPeak = c.peakRate !== null && c.peakRateAtC !== null
    ? (c.peakRate * Math.max(VIRTUAL_PIT_C - (fromC + toC) / 2, 5)) / Math.max(VIRTUAL_PIT_C - c.peakRateAtC, 10)
    : 0;
  // The current rate, when it is the faster, brings its uncertainty along.
  return rateNow !== null && rateNow > fromPeak ? linearLeg(fromC, toC, rateNow, p, c.rateNowRelSe) : linearLeg(fromC, toC, fromPeak, p);
};

/**
 * Quantile points of the remaining stall length given it has lasted `elapsedH`. The prior on the
 * length is a Weibull with median `stallMedianH` and shape `stallShape` > 1: an increasing hazard,
 * because the surface water that feeds the stall is finite — the longer it has lasted, the closer
 * the surface is to drying out (or to being wrapped).
 */
const stallRemainder = (elapsedH: number, p: PredictParams, medianH = p.stallMedianH, n = 9): number[] => {
  const shape = p.stallShape;
  const scale = medianH / Math.LN2 ** (1 / shape);
  const hazardSoFar = (Math.max(0, elapsedH) / scale) ** shape;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = (i + 0.5) / n;
    out.push(Math.max(0, scale * (hazardSoFar - Math.log(1 - u)) ** (1 / shape) - elapsedH));
  }
  return out;
};

const part = (weight: number, hours: number, sigma: number): LogNormalPart => ({ weight, mu: Math.log(Math.max(hours, 1 / 60)), sigma });

/** Adds the scenarios "heat to the stall, stall d_i more hours, then heat to the target" (equal weights). */
const addStallParts = (parts: LogNormalPart[], weight: number, remainders: number[], pre: Leg | null, post: Leg, crawlH: number | null): void => {
  const preH = pre?.hours ?? 0;
  for (const d of remainders) {
    let hours = preH + d + post.hours;
    if (crawlH !== null) hours = Math.min(hours, crawlH);
    // The heating legs carry their own error; the stall part is already spread by the prior.
    const sd = Math.hypot((pre?.sigma ?? 0) * preH, post.sigma * post.hours);
    parts.push(part(weight / remainders.length, hours, Math.max(sd / Math.max(hours, 1e-6), 0.05)));
  }
};

interface Plan {
  parts: LogNormalPart[];
  method: string;
  /** The heating the forecast curve follows. */
  shape: Leg;
}

/**
 * While stalled: the rest of the stall (prior conditioned on its age), then post-stall heating.
 * Once wrapped, the rest is that of a wrapped stall, counted from the wrap.
 */
const planStalled = (c: PredictContext, tempC: number, targetC: number, sinceMs: number, wrappedMs: number | null, p: PredictParams): Plan | Prediction => {
  const post = postStallLeg(c, tempC, targetC, p);
  if (!post) return unknown(ETA_REASONS.stalled_no_rate, "stall");
  // Creeping up through the stall can also get there (a target inside the stall band).
  const crawlH = c.rate60 !== null && c.rate60 > 0.2 ? (targetC - tempC) / c.rate60 : null;
  const parts: LogNormalPart[] = [];
  const fromMs = wrappedMs === null ? sinceMs : Math.max(sinceMs, wrappedMs);
  const remainders = stallRemainder(Math.max(0, c.nowMs - fromMs) / MS_PER_HOUR, p, wrappedMs === null ? p.stallMedianH : WRAPPED_STALL_MEDIAN_H);
  addStallParts(parts, 1, remainders, null, post, crawlH);
  return { parts, method: "stall", shape: post };
};

/** Heating (before or after a stall), with the chance of a stall still to come in a low-and-slow cook. */
const planHeating = (c: PredictContext, tempC: number, targetC: number, stallEnded: boolean, wrapped: boolean, p: PredictParams): Plan | Prediction => {
  const rateNow = c.rateNow;
  // Without a pit channel, meat past the stall zone of a low-and-slow cook keeps its current pace,
  // whether a stall was seen or not (the probe went in late, the log is sparse, the plateau was
  // mild): its evaporative cooling is over, and it does not slow toward a pit it cannot see. Its
  // own pace, not the peak rate before a stall: with none seen, that peak is the cold meat's
  // warm-up, far too fast (the six cooks without their pits, 1 h / 30 min: 43.4 / 17.1 % with
  // the peak, 21.8 / 13.5 % with the pace; a brisket logged every 15 min from inside its stall,
  // at 90.5 °C 2 h / 1 h / 30 min: virtual pit 103 / 42 / 6 min late, peak 41 / 31 / 2, pace 74 / 31 / 2).
  const pastStallZone = c.pitC === null && targetC >= STALL_TARGET_MIN_C && tempC >= ONSET_HI_C;
  const heat =
    (stallEnded
      ? postStallLeg(c, tempC, targetC, p, rateNow)
      : pastStallZone
        ? linearLeg(tempC, targetC, rateNow, p, c.rateNowRelSe)
        : (newtonLeg(c, tempC, targetC, c.k, c.kRelSd, p) ?? virtualPitLeg(c, tempC, targetC, p))) ?? linearLeg(tempC, targetC, rateNow, p, c.rateNowRelSe);
  if (!heat) return unknown(rateNow !== null && rateNow <= 0.3 ? ETA_REASONS.not_rising : ETA_REASONS.no_rate);
  // Noise of the current temperature, as time: δt = noise / rate.
  const sNoise = c.noiseC / Math.max(rateNow ?? 0, 0.5) / Math.max(heat.hours, 0.05);
  const sigma = Math.sqrt(heat.sigma ** 2 + Math.min(sNoise, 1) ** 2);
  // Short horizons: the recent rate of rise is the better guide (persistence); Newton's
  // deceleration matters more the further out the target is.
  let hours = heat.hours;
  if (heat.method === "newton" && rateNow !== null && rateNow > 0.3 && p.blendHours > 0) {
    const w = heat.hours / (heat.hours + p.blendHours);
    hours = Math.exp(w * Math.log(heat.hours) + (1 - w) * Math.log((targetC - tempC) / rateNow));
  }
  const noStall = (): Plan => ({ parts: [part(1, hours, sigma)], method: heat.method, shape: heat });
  if (stallEnded || wrapped || targetC < STALL_TARGET_MIN_C || (c.pitC !== null && c.pitC > HOT_PIT_C)) return noStall();
  // A stall still to come starts somewhere above the current temperature (none has so far).
  const stayed = 1 - onsetCdf(tempC);
  const pStall = (p.stallProbability * stayed) / (1 - p.stallProbability + p.stallProbability * stayed);
  if (pStall < 0.01) return noStall();
  // Equally likely onsets; one that starts at or above the target does not delay it.
  const w = pStall / ONSET_POINTS;
  const delaying = onsetPoints(tempC, ONSET_POINTS).filter((stallC) => stallC < targetC - ONSET_MARGIN_C);
  if (delaying.length === 0) return noStall();
  const parts: LogNormalPart[] = [part(1 - w * delaying.length, hours, sigma)];
  const remainders = stallRemainder(0, p);
  for (const stallC of delaying) {
    const pre = stallC > tempC ? (newtonLeg(c, tempC, stallC, c.k, c.kRelSd, p) ?? linearLeg(tempC, stallC, rateNow, p)) : null;
    const post = postStallLeg(c, stallC, targetC, p) ?? heat;
    // Meat creeps up through a stall, so a target just above it is reached before the stall ends.
    const crawlH = (pre?.hours ?? 0) + (targetC - stallC) / STALL_CRAWL_C_PER_H;
    addStallParts(parts, w, remainders, pre, post, crawlH);
  }
  return { parts, method: heat.method, shape: heat };
};

export function predictDone(input: PredictInput): Prediction {
  const p: PredictParams = { ...DEFAULT_PREDICT_PARAMS, ...input.params };
  const { targetC, nowMs } = input;
  const stall = input.stall ?? null;
  if (targetC === null) return unknown(ETA_REASONS.no_target);
  const meat = sinceThawed(input.meat);
  const n = meat.length;
  if (n === 0) return unknown(ETA_REASONS.no_readings);
  const lastMs = meat.tsAt(n - 1);
  // A probe that reports every 10 min is not "silent" after 12 min; nor has it enough after 15.
  const gapMs = typicalGapMs(meat);
  if (nowMs - lastMs > widenFor(15 * MS_PER_MIN, gapMs, 2.5)) return unknown(ETA_REASONS.no_recent);
  let recentMinC = Number.POSITIVE_INFINITY;
  for (let i = Math.max(0, n - 3); i < n; i++) recentMinC = Math.min(recentMinC, meat.tempAt(i));
  if (recentMinC >= targetC || meat.tempAt(n - 1) >= targetC + 0.5) {
    let i = n - 1;
    while (i > 0 && meat.tempAt(i - 1) >= targetC) i--;
    const doneMs = meat.tsAt(i);
    return { eta: { doneMs, p10Ms: doneMs, p90Ms: doneMs, reason: ETA_REASONS.reached, method: "done" }, forecast: [] };
  }
  if (meat.tempAt(n - 1) <= FROZEN_C) return unknown(ETA_REASONS.frozen);
  const spanMs = lastMs - meat.tsAt(0);
  const needMs = widenFor(15 * MS_PER_MIN, gapMs, 3);
  if (spanMs < needMs) return unknown(collectingReason(Math.round(needMs / MS_PER_MIN)));
  const c = buildContext(nowMs, meat, input.pit ?? EMPTY_SERIES, stall, p);
  if (!c) return unknown(ETA_REASONS.no_readings);
  const tempC = Math.min(c.tempC, targetC - 0.05);

  const wrappedMs = input.wrappedMs != null && input.wrappedMs <= nowMs ? input.wrappedMs : null;
  const plan =
    stall?.stalled && stall.sinceMs !== null
      ? planStalled(c, tempC, targetC, stall.sinceMs, wrappedMs, p)
      : planHeating(c, tempC, targetC, stall?.endedMs != null, wrappedMs !== null, p);
  if ("eta" in plan) return plan;
  const { parts, method, shape } = plan;
  const early = p.earlyVar * clamp(1 - spanMs / MS_PER_HOUR / p.earlyHours, 0, 1);
  if (early > 0) for (const part of parts) part.sigma = Math.sqrt(part.sigma ** 2 + early);

  const q = (x: number): number => mixtureQuantile(parts, x);
  const [h10, h50, h90] = [q(0.1), q(0.5), q(0.9)];
  if (!Number.isFinite(h50) || h50 > MAX_HOURS) return unknown(tooFarReason(MAX_HOURS), method);
  // Times count from the last reading (the temperature we forecast from), never before now.
  const at = (h: number): number => Math.max(nowMs, Math.round(c.lastMs + h * MS_PER_HOUR));
  const eta: Eta = { doneMs: at(h50), p10Ms: at(h10), p90Ms: at(Math.min(h90, MAX_HOURS * 2)), reason: null, method };
  return { eta, forecast: buildForecast(c, tempC, targetC, shape, method === "stall", h10, h50, h90) };
}

/**
 * ~16 points from the last reading to the P50 done time: the heating curve, time-scaled to land on
 * the target at P50 (after a flat stretch for the rest of a stall). The bounds are the same curve
 * scaled to P90 (slow, low) and P10 (fast, high).
 */
const buildForecast = (c: PredictContext, tempC: number, targetC: number, h: Leg, stalled: boolean, h10: number, h50: number, h90: number): ForecastPoint[] => {
  const n = 16;
  // While stalled, the share of the remaining time that is still stall (flat), then heating.
  const flatShare = stalled ? clamp(1 - h.hours / h50, 0, 0.9) : 0;
  const end = h.tempAfter(h.hours);
  const heatCurve = (f: number): number =>
    end === tempC ? tempC + (targetC - tempC) * f : tempC + ((h.tempAfter(h.hours * f) - tempC) * (targetC - tempC)) / (end - tempC);
  const curve = (frac: number): number => {
    const f = clamp(frac, 0, 1);
    return f <= flatShare ? tempC : heatCurve((f - flatShare) / (1 - flatShare));
  };
  const out: ForecastPoint[] = [];
  for (let i = 0; i <= n; i++) {
    const hours = (h50 * i) / n;
    out.push({
      tsMs: Math.round(c.lastMs + hours * MS_PER_HOUR),
      tempC: curve(hours / h50),
      lowC: curve(h90 > 0 ? hours / h90 : 1),
      highC: curve(h10 > 0 ? hours / h10 : 1),
    });
  }
  return out;
};
