/**
 * Benchmark hook (used by `npm run bench` through test/card/fixtures/bench.html): renders the
 * real card with a synthetic `hass` holding N probes × H hours of history at S-second steps and
 * times the first full render and single live updates. No network; all in the page.
 */
import type { GrillStatsChart } from "./chart/live-chart";
import { CARD_TYPE } from "./const";
import type { GrillStatsCard } from "./grill-stats-card";
import type { HassEntities, HomeAssistant } from "./ha-types";

export interface BenchmarkOptions {
  probes?: number;
  hours?: number;
  stepS?: number;
}

export interface CardBenchmark {
  /** ms from creating the card until the chart has drawn the whole backfill. */
  renderMs: number;
  /** Rows in the merged history (before downsampling) and rows handed to uPlot. */
  rows: number;
  shownRows: number;
  /** Sets a new `hass` with one new reading per probe; resolves to ms until drawn. */
  update(): Promise<number>;
  dispose(): void;
}

const DEVICE = "bench0000001";
const curve = (i: number, t: number): number => 20 + 70 * (1 - Math.exp(-t / (3 * 3600 + i * 600))) + 3 * Math.sin(t / 400 + i);

const temperatureState = (key: string, i: number, tS: number, t0S: number): HassEntities[string] => {
  const iso = new Date(tS * 1000).toISOString();
  return {
    entity_id: `sensor.grill_stats_${key}_temperature`,
    state: curve(i, tS - t0S).toFixed(1),
    attributes: { friendly_name: `Probe ${i + 1}`, unit_of_measurement: "°C", role: i === 0 ? "pit" : "meat", status: "ok", device: "Bench" },
    last_changed: iso,
    last_updated: iso,
  };
};

const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));

export const benchmarkCard = async (host: HTMLElement, opts: BenchmarkOptions = {}): Promise<CardBenchmark> => {
  const n = opts.probes ?? 6;
  const stepS = opts.stepS ?? 5;
  const hours = Math.min(opts.hours ?? 12, 12);
  let nowS = Math.floor(Date.now() / 1000);
  const t0S = nowS - hours * 3600;
  const keys = Array.from({ length: n }, (_, i) => `${DEVICE}_${i + 1}`);
  const backfill: Record<string, Array<{ s: string; lu: number }>> = {};
  keys.forEach((k, i) => {
    const rows: Array<{ s: string; lu: number }> = [];
    for (let t = t0S; t <= nowS; t += stepS) rows.push({ s: curve(i, t - t0S).toFixed(1), lu: t });
    backfill[`sensor.grill_stats_${k}_temperature`] = rows;
  });
  const makeHass = (states: HassEntities): HomeAssistant => ({
    states,
    callService: async () => undefined,
    callWS: async <T>() => ({}) as T,
    connection: {
      subscribeMessage: async <T>(cb: (m: T) => void) => {
        setTimeout(() => cb({ states: backfill } as T), 0);
        return async () => undefined;
      },
    },
    language: "en",
    locale: { language: "en", time_zone: "server" },
    config: { time_zone: "UTC" },
    themes: { darkMode: false },
  });
  const states: HassEntities = {};
  keys.forEach((k, i) => (states[`sensor.grill_stats_${k}_temperature`] = temperatureState(k, i, nowS, t0S)));

  const start = performance.now();
  const card = document.createElement(CARD_TYPE) as GrillStatsCard;
  card.setConfig({ type: `custom:${CARD_TYPE}`, window: "12h" });
  card.hass = makeHass(states);
  host.appendChild(card);
  let chart: GrillStatsChart | null = null;
  while (!chart?.plot || chart.data.x.length < 2) {
    await nextFrame();
    chart = card.shadowRoot?.querySelector("grill-stats-chart") ?? null;
  }
  chart.drawNow();
  const renderMs = performance.now() - start;

  return {
    renderMs,
    rows: chart.data.x.length,
    shownRows: chart.shownRows,
    update: async () => {
      nowS += stepS;
      const next: HassEntities = { ...states };
      keys.forEach((k, i) => (next[`sensor.grill_stats_${k}_temperature`] = temperatureState(k, i, nowS, t0S)));
      Object.assign(states, next);
      const t = performance.now();
      card.hass = makeHass(next);
      await card.updateComplete;
      (card.shadowRoot?.querySelector("grill-stats-chart") as GrillStatsChart | null)?.drawNow();
      return performance.now() - t;
    },
    dispose: () => card.remove(),
  };
};
