/**
 * Test support: how different two colours look, as CIEDE2000 (the CIE's colour-difference
 * formula; about 2 is "just noticeable", 10 and more reads as another colour on patches, thin
 * chart lines need more). Accepts "#rrggbb" and the "rgb(r, g, b)" getComputedStyle returns.
 */

const toRgb = (color: string): [number, number, number] => {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (hex) return [0, 2, 4].map((i) => parseInt((hex[1] as string).slice(i, i + 2), 16)) as [number, number, number];
  const rgb = /^rgba?\((\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(color.trim());
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`not a colour this helper reads: ${color}`);
};

const toLab = (color: string): [number, number, number] => {
  const [r, g, b] = toRgb(color).map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  // sRGB → XYZ (D65), normalized by the white point.
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
};

const rad = (deg: number) => (deg * Math.PI) / 180;
const hue = (b: number, a: number) => {
  const h = (Math.atan2(b, a) * 180) / Math.PI;
  return h < 0 ? h + 360 : h;
};

/** CIEDE2000 difference of two colours (Sharma, Wu and Dalal's formulation). */
export const deltaE2000 = (c1: string, c2: string): number => {
  const [L1, a1, b1] = toLab(c1);
  const [L2, a2, b2] = toLab(c2);
  const cBar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const g = 0.5 * (1 - Math.sqrt(cBar ** 7 / (cBar ** 7 + 25 ** 7)));
  const a1p = a1 * (1 + g);
  const a2p = a2 * (1 + g);
  const C1 = Math.hypot(a1p, b1);
  const C2 = Math.hypot(a2p, b2);
  const h1 = hue(b1, a1p);
  const h2 = hue(b2, a2p);
  let dh = C1 * C2 === 0 ? 0 : h2 - h1;
  if (dh > 180) dh -= 360;
  else if (dh < -180) dh += 360;
  const dH = 2 * Math.sqrt(C1 * C2) * Math.sin(rad(dh / 2));
  const lBar = (L1 + L2) / 2;
  const cBarP = (C1 + C2) / 2;
  let hBar = h1 + h2;
  if (C1 * C2 !== 0) hBar = Math.abs(h1 - h2) > 180 ? (h1 + h2 + (h1 + h2 < 360 ? 360 : -360)) / 2 : (h1 + h2) / 2;
  const t = 1 - 0.17 * Math.cos(rad(hBar - 30)) + 0.24 * Math.cos(rad(2 * hBar)) + 0.32 * Math.cos(rad(3 * hBar + 6)) - 0.2 * Math.cos(rad(4 * hBar - 63));
  const sL = 1 + (0.015 * (lBar - 50) ** 2) / Math.sqrt(20 + (lBar - 50) ** 2);
  const sC = 1 + 0.045 * cBarP;
  const sH = 1 + 0.015 * cBarP * t;
  const rT = -Math.sin(rad(60 * Math.exp(-(((hBar - 275) / 25) ** 2)))) * 2 * Math.sqrt(cBarP ** 7 / (cBarP ** 7 + 25 ** 7));
  const l = (L2 - L1) / sL;
  const c = (C2 - C1) / sC;
  const h = dH / sH;
  return Math.sqrt(l * l + c * c + h * h + rT * c * h);
};

/** The closest pair among `colors` and its difference. */
export const closestPair = (colors: readonly string[]): { a: string; b: string; deltaE: number } => {
  let best = { a: "", b: "", deltaE: Infinity };
  for (let i = 0; i < colors.length; i++) {
    for (let j = i + 1; j < colors.length; j++) {
      const d = deltaE2000(colors[i] as string, colors[j] as string);
      if (d < best.deltaE) best = { a: colors[i] as string, b: colors[j] as string, deltaE: d };
    }
  }
  return best;
};
