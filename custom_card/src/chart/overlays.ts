import type uPlot from "uplot";
import { BAND_ALPHA, colorAlpha } from "./colors";
import type { ChartBand, ChartForecast, ChartLine } from "./types";

type Resolve = (css: string) => string;

const withAlpha = (ctx: CanvasRenderingContext2D, color: string, draw: () => void): void => {
  ctx.save();
  ctx.fillStyle = color;
  if (colorAlpha(color) >= 1) ctx.globalAlpha = BAND_ALPHA;
  draw();
  ctx.restore();
};

const clipToPlot = (u: uPlot, ctx: CanvasRenderingContext2D): void => {
  const { left, top, width, height } = u.bbox;
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
};

/**
 * The text row of each band label: the first row whose last label ends `gap` before this one
 * starts, so a lid opening inside a stall does not print "Lid" over "Stall". Spans in drawing
 * order; x and width in the same unit.
 */
export const labelRows = (spans: readonly { x: number; width: number }[], gap: number): number[] => {
  const rowEnds: number[] = [];
  return spans.map(({ x, width }) => {
    let row = rowEnds.findIndex((end) => x >= end + gap);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = x + width;
    return row;
  });
};

/** Shaded x-ranges under the series, labelled where there is room. */
export const drawBands = (u: uPlot, bands: readonly ChartBand[], resolve: Resolve, fontPx: number, font: string): void => {
  if (bands.length === 0) return;
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  const pr = devicePixelRatio || 1;
  const labels: { text: string; color: string; x: number; width: number }[] = [];
  ctx.save();
  ctx.font = `${Math.round(fontPx * pr)}px ${font}`;
  clipToPlot(u, ctx);
  for (const b of bands) {
    if (!(b.toS > b.fromS)) continue;
    const x0 = u.valToPos(b.fromS, "x", true);
    const x1 = u.valToPos(b.toS, "x", true);
    const color = resolve(b.color);
    withAlpha(ctx, color, () => ctx.fillRect(x0, top, Math.max(x1 - x0, pr), height));
    if (b.label && x1 - x0 > 40 * pr) {
      const x = Math.max(x0, u.bbox.left) + 4 * pr;
      labels.push({ text: b.label, color, x, width: ctx.measureText(b.label).width });
    }
  }
  // uPlot leaves its own text settings on the context: set every one we rely on.
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  const rows = labelRows(labels, 6 * pr);
  labels.forEach((l, i) => {
    ctx.fillStyle = l.color;
    ctx.fillText(l.text, l.x, top + 4 * pr + (rows[i] as number) * Math.round(fontPx * 1.3 * pr));
  });
  ctx.restore();
};

/** The P10–P90 range of each forecast as a translucent band in the series colour. */
export const drawForecastBands = (
  u: uPlot,
  forecasts: readonly ChartForecast[],
  colorOf: (seriesKey: string) => string | undefined,
  startOf: (seriesKey: string) => { tsS: number; value: number } | null,
): void => {
  const ctx = u.ctx;
  for (const f of forecasts) {
    const color = colorOf(f.seriesKey);
    const start = startOf(f.seriesKey);
    const pts = f.points.filter((p) => p.every(Number.isFinite) && (!start || p[0] > start.tsS));
    if (!color || pts.length === 0) continue;
    const upper: Array<[number, number]> = pts.map((p) => [p[0], p[3]]);
    const lower: Array<[number, number]> = pts.map((p) => [p[0], p[2]]);
    if (start) {
      upper.unshift([start.tsS, start.value]);
      lower.unshift([start.tsS, start.value]);
    }
    ctx.save();
    clipToPlot(u, ctx);
    withAlpha(ctx, color, () => {
      ctx.beginPath();
      upper.forEach(([t, v], i) => {
        const x = u.valToPos(t, "x", true);
        const y = u.valToPos(v, "y", true);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      for (let i = lower.length - 1; i >= 0; i--) {
        const [t, v] = lower[i] as [number, number];
        ctx.lineTo(u.valToPos(t, "x", true), u.valToPos(v, "y", true));
      }
      ctx.closePath();
      ctx.fill();
    });
    ctx.restore();
  }
};

/**
 * `text` cut in the middle ("Whole packer bri…14 lb target") until `measure` says it fits in
 * `maxWidth`: a long probe name keeps its start and what the line is. Empty when not even "…" fits.
 */
export const fitText = (text: string, maxWidth: number, measure: (s: string) => number): string => {
  if (measure(text) <= maxWidth) return text;
  const chars = [...text];
  const cut = (keep: number): string => `${chars.slice(0, Math.ceil(keep / 2)).join("")}…${chars.slice(chars.length - Math.floor(keep / 2)).join("")}`;
  let lo = 0;
  let hi = chars.length - 1;
  if (measure(cut(0)) > maxWidth) return "";
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(cut(mid)) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
};

/** Horizontal lines with their label at the right end, above the series; labels never overlap. */
export const drawLines = (u: uPlot, lines: readonly ChartLine[], resolve: Resolve, fontPx: number, font: string): void => {
  if (lines.length === 0) return;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const pr = devicePixelRatio || 1;
  const labelH = (fontPx + 3) * pr;
  const placed: Array<[number, number]> = [];
  const visible = lines
    .filter((l) => Number.isFinite(l.value))
    .map((l) => ({ line: l, y: Math.round(u.valToPos(l.value, "y", true)) + 0.5 }))
    .filter(({ y }) => y >= top - 1 && y <= top + height + 1)
    .sort((a, b) => a.y - b.y);
  for (const { line, y } of visible) {
    const color = resolve(line.color);
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5 * pr;
    ctx.setLineDash(line.dashed ? [6 * pr, 4 * pr] : []);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    if (line.label) {
      // Above the line unless that collides with a label already placed; then below; else skip.
      const above: [number, number] = [y - 2 * pr - labelH, y - 2 * pr];
      const below: [number, number] = [y + 2 * pr, y + 2 * pr + labelH];
      const free = (r: [number, number]) => r[0] >= top - labelH && placed.every(([a, b]) => r[1] <= a || r[0] >= b);
      const slot = free(above) ? above : free(below) ? below : null;
      if (slot) {
        placed.push(slot);
        ctx.font = `${Math.round(fontPx * pr)}px ${font}`;
        ctx.fillStyle = color;
        ctx.textAlign = "right";
        ctx.textBaseline = "bottom";
        // Inside the plot: a long name would run over the y axis and out of the card.
        ctx.fillText(fitText(line.label, width - 8 * pr, (s) => ctx.measureText(s).width), left + width - 4 * pr, slot[1]);
      }
    }
    ctx.restore();
  }
};
