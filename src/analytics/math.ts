/**
 * Small numeric helpers for the analytics core: robust statistics, straight-line fits and the
 * normal / log-normal functions the done-time ranges are built from. All pure.
 */

export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Linear-interpolated quantile of ascending values (q in [0, 1]); NaN for an empty list. */
const quantileOfSorted = (sorted: Float64Array, q: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const pos = clamp(q, 0, 1) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
};

/**
 * Linear-interpolated quantile (q in [0, 1]); NaN for an empty list. Sorted as a typed array:
 * numeric order without a comparator call per comparison, 3–4× faster on a 15-min window.
 */
export const quantile = (values: readonly number[], q: number): number => quantileOfSorted(Float64Array.from(values).sort(), q);

const swapIfAbove = (a: Float64Array, i: number, j: number): void => {
  const x = a[i] as number;
  const y = a[j] as number;
  if (y < x) {
    a[i] = y;
    a[j] = x;
  }
};

/**
 * The k-th smallest of a[0..n) (0-based), found in place by quickselect (Hoare partition,
 * median-of-three pivot): linear on average, against n·log n for a sort. Afterwards every
 * a[i] with i < k is ≤ a[k] and every one after it ≥.
 */
const selectKth = (a: Float64Array, k: number): number => {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Order a[lo] ≤ a[mid] ≤ a[hi]; a[mid] is the pivot.
    swapIfAbove(a, lo, mid);
    swapIfAbove(a, lo, hi);
    swapIfAbove(a, mid, hi);
    const pivot = a[mid] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
};

/** `quantile(values, 0.5)` of the values in `a` (reordered), to the last bit, without a sort. */
const medianInPlace = (a: Float64Array): number => {
  const n = a.length;
  const hi = n >> 1;
  const b = selectKth(a, hi);
  if (n % 2 === 1) return b;
  let below = a[0] as number;
  for (let i = 1; i < hi; i++) if ((a[i] as number) > below) below = a[i] as number;
  return below + (b - below) * 0.5;
};

/** Median absolute deviation scaled to a normal σ. */
export const madSigma = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  // One scratch array: the values, then (in place) their distances from the median.
  const a = Float64Array.from(values);
  const m = medianInPlace(a);
  for (let i = 0; i < a.length; i++) a[i] = Math.abs((a[i] as number) - m);
  return 1.4826 * medianInPlace(a);
};

export interface LineFit {
  /** Value of the line at x = x0 (the reference point the caller chose). */
  intercept: number;
  /** Slope per unit of x. */
  slope: number;
  /** Weighted RMS of the residuals. */
  residualSd: number;
  /** Standard error of the slope (0 when it cannot be computed). */
  slopeSe: number;
  n: number;
}

/**
 * Weighted least-squares line y = intercept + slope·(x − x0). Returns null with fewer than two
 * distinct x values.
 */
export const fitLine = (xs: readonly number[], ys: readonly number[], x0 = 0, weights?: readonly number[]): LineFit | null => {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights?.[i] ?? 1;
    sw += w;
    sx += w * ((xs[i] as number) - x0);
    sy += w * (ys[i] as number);
  }
  if (sw <= 0) return null;
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights?.[i] ?? 1;
    const dx = (xs[i] as number) - x0 - mx;
    sxx += w * dx * dx;
    sxy += w * dx * ((ys[i] as number) - my);
  }
  if (sxx <= 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const w = weights?.[i] ?? 1;
    const r = (ys[i] as number) - intercept - slope * ((xs[i] as number) - x0);
    sse += w * r * r;
  }
  const residualSd = Math.sqrt(sse / sw);
  const dof = Math.max(1, n - 2);
  const slopeSe = Math.sqrt((sse / sw) * (n / dof) / (sxx / sw) / n);
  return { intercept, slope, residualSd, slopeSe: Number.isFinite(slopeSe) ? slopeSe : 0, n };
};

/**
 * Robust line: an ordinary fit, then one refit with Tukey-biweight weights on the residuals, so a
 * stray reading cannot tilt the slope.
 */
export const fitLineRobust = (xs: readonly number[], ys: readonly number[], x0 = 0): LineFit | null => {
  const first = fitLine(xs, ys, x0);
  if (!first || xs.length < 5) return first;
  const res = xs.map((x, i) => (ys[i] as number) - first.intercept - first.slope * (x - x0));
  const scale = Math.max(madSigma(res), 0.05) * 4.685;
  const w = res.map((r) => {
    const u = r / scale;
    return Math.abs(u) >= 1 ? 0 : (1 - u * u) ** 2;
  });
  return fitLine(xs, ys, x0, w) ?? first;
};

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export const normCdf = (z: number): number => {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
};

/** Inverse standard normal CDF (Acklam's rational approximation; relative error < 1.2e-9). */
export const normInv = (p: number): number => {
  const q = clamp(p, 1e-12, 1 - 1e-12);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (q < low) {
    const r = Math.sqrt(-2 * Math.log(q));
    return (((((c0 * r + c1) * r + c2) * r + c3) * r + c4) * r + c5) / ((((d0 * r + d1) * r + d2) * r + d3) * r + 1);
  }
  if (q > 1 - low) {
    const r = Math.sqrt(-2 * Math.log(1 - q));
    return -(((((c0 * r + c1) * r + c2) * r + c3) * r + c4) * r + c5) / ((((d0 * r + d1) * r + d2) * r + d3) * r + 1);
  }
  const r = q - 0.5;
  const s = r * r;
  return ((((((a0 * s + a1) * s + a2) * s + a3) * s + a4) * s + a5) * r) / (((((b0 * s + b1) * s + b2) * s + b3) * s + b4) * s + 1);
};

/** One log-normal component of a mixture: ln(X) ~ N(mu, sigma²), with a weight. */
export interface LogNormalPart {
  weight: number;
  mu: number;
  sigma: number;
}

/** CDF of the mixture at e^logX. */
const mixtureCdfLog = (parts: readonly LogNormalPart[], logX: number, totalWeight: number): number => {
  let acc = 0;
  for (const p of parts) acc += p.weight * normCdf((logX - p.mu) / Math.max(p.sigma, 1e-6));
  return acc / totalWeight;
};

/**
 * Quantile of a mixture of log-normals, found by bisection in log space to a relative precision
 * of 1e-9 (a few microseconds of a done time).
 */
export const mixtureQuantile = (parts: readonly LogNormalPart[], q: number): number => {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  if (parts.length === 0 || total <= 0) return Number.NaN;
  let lo = Math.min(...parts.map((p) => p.mu - 8 * p.sigma));
  let hi = Math.max(...parts.map((p) => p.mu + 8 * p.sigma));
  for (let i = 0; i < 60 && hi - lo > 1e-9; i++) {
    const mid = (lo + hi) / 2;
    if (mixtureCdfLog(parts, mid, total) < q) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
};
