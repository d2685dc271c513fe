/**
 * The card's chart data: history backfill (via HistorySource) plus live rows from `hass`,
 * kept in one columnar `ChartData` that the chart element appends to in place.
 */
import type { GrillStatsChart } from "../chart/live-chart";
import { appendRow, emptyData, mergeToColumns, trimBefore, type ChartData, type SeriesPoint } from "../chart/series";
import { WINDOW_SECONDS, type WindowKey } from "../config";
import { probeEntityIds } from "../entities";
import type { HomeAssistant } from "../ha-types";
import { isoToS } from "../probe-view";
import { parseNumericState } from "../units";
import { HistorySource, type HistoryChunk } from "./history";
import { findCookStartS } from "./history-parse";

/** Windows longer than this come from 5-minute statistics. */
const STATS_THRESHOLD_S = 12 * 3600;

export interface HistoryHost {
  requestUpdate(): void;
  chart(): GrillStatsChart | null;
}

export interface HistoryTarget {
  keys: string[];
  window: WindowKey;
  cookHours: number;
  /** The running cook's start (epoch s) as the add-on says; the "cook" window begins there. */
  cookStartS?: number | null;
}

/** Readings from a little before the cook began (the probes going in, the pit coming up). */
const COOK_LEAD_S = 10 * 60;

export class CardHistory {
  data: ChartData = emptyData([]);
  /** On/off rows of each probe's stall sensor (history + live). */
  stall: Record<string, Array<[number, boolean]>> = {};
  cookStartS: number | null = null;
  status: "idle" | "loading" | "ready" | "error" = "idle";
  error = "";

  private target: HistoryTarget | undefined;
  private key = "";
  private readonly seen = new Map<string, string>();
  private readonly source = new HistorySource({
    onChunk: (chunk) => this.onChunk(chunk),
    onError: (message) => {
      this.status = "error";
      this.error = message;
      this.host.requestUpdate();
    },
  });

  constructor(private readonly host: HistoryHost) {}

  /** Left edge of the window at `nowS` (for "cook": how far back we look). */
  windowFromS(nowS: number): number {
    const t = this.target;
    if (!t) return nowS - 3600;
    if (t.window !== "cook") return nowS - WINDOW_SECONDS[t.window];
    const limitS = nowS - t.cookHours * 3600;
    // A cook of two hours is read as readings, not as 5-minute statistics of the last cook_hours.
    return t.cookStartS != null ? Math.max(limitS, t.cookStartS - COOK_LEAD_S) : limitS;
  }

  /** (Re)starts loading when the probes or the window changed; stops when `target` is null. */
  sync(hass: HomeAssistant, target: HistoryTarget | null): void {
    if (!target || target.keys.length === 0) {
      this.stop();
      return;
    }
    const key = [target.window, target.cookHours, target.window === "cook" ? (target.cookStartS ?? "") : "", ...target.keys].join("|");
    if (key === this.key) return;
    this.key = key;
    this.target = target;
    this.data = emptyData(target.keys);
    this.stall = {};
    this.seen.clear();
    this.cookStartS = null;
    this.status = "loading";
    const nowS = Date.now() / 1000;
    const fromS = this.windowFromS(nowS);
    const temperature: Record<string, string> = {};
    const stall: Record<string, string> = {};
    for (const k of target.keys) {
      const ids = probeEntityIds(k);
      temperature[k] = ids.temperature;
      stall[k] = ids.stall;
    }
    this.source.start(hass, { temperature, stall, fromS, useStatistics: nowS - fromS > STATS_THRESHOLD_S });
  }

  stop(): void {
    if (this.key) this.source.stop();
    this.key = "";
    this.status = "idle";
  }

  /** Live states from `hass`: one row per new last_updated of a temperature sensor. */
  appendLive(hass: HomeAssistant): void {
    const t = this.target;
    if (this.status !== "ready" || !t) return;
    for (const k of t.keys) {
      const ids = probeEntityIds(k);
      const st = hass.states[ids.temperature];
      if (st && this.seen.get(st.entity_id) !== st.last_updated) {
        this.seen.set(st.entity_id, st.last_updated);
        const ts = isoToS(st.last_updated);
        if (ts !== null) this.append(ts, { [k]: parseNumericState(st.state) });
      }
      const stall = hass.states[ids.stall];
      if (stall && this.seen.get(stall.entity_id) !== stall.last_changed) {
        this.seen.set(stall.entity_id, stall.last_changed);
        const ts = isoToS(stall.last_changed);
        if (ts !== null) (this.stall[k] ??= []).push([ts, stall.state === "on"]);
      }
    }
    if (t.window !== "cook") trimBefore(this.data, this.windowFromS(Date.now() / 1000));
  }

  private append(tsS: number, values: Record<string, number | null>): void {
    const chart = this.host.chart();
    // The chart holds the same arrays: let it append (it schedules its own redraw).
    if (chart && chart.data === this.data) chart.appendPoint(tsS, values);
    else appendRow(this.data, tsS, values);
  }

  private onChunk(chunk: HistoryChunk): void {
    const t = this.target;
    if (!t) return;
    if (chunk.initial) {
      const rows: Record<string, SeriesPoint[]> = {};
      for (const k of t.keys) rows[k] = chunk.points[k] ?? [];
      this.data = mergeToColumns(rows);
      this.stall = chunk.stall;
      if (t.window === "cook") this.cookStartS = findCookStartS(this.data.x, Object.values(this.data.y));
      this.seen.clear();
      this.status = "ready";
    } else {
      for (const [k, pts] of Object.entries(chunk.points)) for (const [ts, v] of pts) this.append(ts, { [k]: v });
      for (const [k, rows] of Object.entries(chunk.stall)) (this.stall[k] ??= []).push(...rows);
    }
    this.host.requestUpdate();
  }
}
