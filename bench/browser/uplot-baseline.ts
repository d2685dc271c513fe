/**
 * Browser side of the card render baseline: the same 12 h × 6 probe history at 5 s (the curve
 * of custom_card/src/bench.ts, 0.1 °C like Home Assistant states) drawn by a bare uPlot with
 * every row (no downsampling), then one live update (append a row, setData). Times end after
 * uPlot's commit microtask has drawn, the same point the card's timing ends at.
 */
import uPlot from "uplot";

export interface BaselineOptions {
  probes: number;
  hours: number;
  stepS: number;
  width: number;
  height: number;
}

export interface BaselineResult {
  renderMs: number;
  updateMs: number;
  rows: number;
}

const curve = (i: number, t: number): number => 20 + 70 * (1 - Math.exp(-t / (3 * 3600 + i * 600))) + 3 * Math.sin(t / 400 + i);
const flush = (): Promise<void> => Promise.resolve();
const COLORS = ["#e53935", "#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41", "#3949ab"];

const buildData = (o: BaselineOptions, nowS: number): number[][] => {
  const t0S = nowS - o.hours * 3600;
  const x: number[] = [];
  for (let t = t0S; t <= nowS; t += o.stepS) x.push(t);
  const ys = Array.from({ length: o.probes }, (_, i) => x.map((t) => Number(curve(i, t - t0S).toFixed(1))));
  return [x, ...ys];
};

export const runBaseline = async (host: HTMLElement, o: BaselineOptions): Promise<BaselineResult> => {
  const nowS = Math.floor(Date.now() / 1000);
  const data = buildData(o, nowS);
  const opts: uPlot.Options = {
    width: o.width,
    height: o.height,
    series: [{}, ...Array.from({ length: o.probes }, (_, i) => ({ label: `Probe ${i + 1}`, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false }))],
    scales: { x: { time: true } },
  };
  const t0 = performance.now();
  const u = new uPlot(opts, data as uPlot.AlignedData, host);
  await flush();
  const renderMs = performance.now() - t0;

  const t1 = performance.now();
  const nextS = nowS + o.stepS;
  data[0]!.push(nextS);
  for (let i = 0; i < o.probes; i++) data[i + 1]!.push(Number(curve(i, nextS - (nowS - o.hours * 3600)).toFixed(1)));
  u.setData(data as uPlot.AlignedData);
  await flush();
  const updateMs = performance.now() - t1;
  const rows = data[0]!.length;
  u.destroy();
  return { renderMs, updateMs, rows };
};

(window as unknown as { runBaseline: typeof runBaseline }).runBaseline = runBaseline;
