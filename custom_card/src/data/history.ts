/**
 * The only code in the card that fetches or subscribes. Loads a window of history for the
 * chosen probes and keeps it live:
 * - windows up to 12 h: `history/stream` (backfill + live changes on one subscription);
 *   when the core does not know the command, one `history/history_during_period` call
 *   (live points then come from `hass` updates only);
 * - longer windows: `recorder/statistics_during_period` (5-minute mean/min/max) up to the newest
 *   compiled period, then `history/stream` from there on; stall sensors once via
 *   `history/history_during_period`.
 * All calls are allowed for non-admin users.
 */
import type { SeriesPoint } from "../chart/series";
import type { HomeAssistant } from "../ha-types";
import { parseHistoryStates, statisticsEndS, statisticsToPoints, toOnOff, toTemperaturePoints } from "./history-parse";

export interface HistoryRequest {
  /** probe key → temperature entity id */
  temperature: Record<string, string>;
  /** probe key → stall binary_sensor id */
  stall: Record<string, string>;
  fromS: number;
  useStatistics: boolean;
}

export interface HistoryChunk {
  /** true for the first (backfill) chunk: replace everything; false: append. */
  initial: boolean;
  points: Record<string, SeriesPoint[]>;
  stall: Record<string, Array<[number, boolean]>>;
}

export interface HistorySink {
  onChunk(chunk: HistoryChunk): void;
  onError(message: string): void;
}

const iso = (s: number): string => new Date(s * 1000).toISOString();

export class HistorySource {
  private generation = 0;
  private unsub: (() => Promise<void>) | undefined;

  constructor(private readonly sink: HistorySink) {}

  /** Starts (or restarts) loading; any previous subscription is closed first. */
  start(hass: HomeAssistant, req: HistoryRequest): void {
    this.stop();
    const gen = ++this.generation;
    this.load(hass, req, gen).catch((err: unknown) => {
      if (gen === this.generation) this.sink.onError(err instanceof Error ? err.message : String(err));
    });
  }

  stop(): void {
    this.generation++;
    const unsub = this.unsub;
    this.unsub = undefined;
    if (unsub) unsub().catch((err: unknown) => console.debug("grill-stats-card: unsubscribe failed (connection gone?)", err));
  }

  private byKey(req: HistoryRequest, states: Record<string, Array<[number, string]>>): Omit<HistoryChunk, "initial"> {
    const points: Record<string, SeriesPoint[]> = {};
    const stall: Record<string, Array<[number, boolean]>> = {};
    for (const [key, id] of Object.entries(req.temperature)) if (states[id]) points[key] = toTemperaturePoints(states[id]);
    for (const [key, id] of Object.entries(req.stall)) if (states[id]) stall[key] = toOnOff(states[id]);
    return { points, stall };
  }

  private async load(hass: HomeAssistant, req: HistoryRequest, gen: number): Promise<void> {
    const tempIds = Object.values(req.temperature);
    const stallIds = Object.values(req.stall);
    const base: Omit<HistoryChunk, "initial"> = { points: {}, stall: {} };
    let streamFromS = req.fromS;
    if (req.useStatistics && tempIds.length > 0) {
      const stats = await hass.callWS<Record<string, unknown[]>>({
        type: "recorder/statistics_during_period",
        start_time: iso(req.fromS),
        statistic_ids: tempIds,
        period: "5minute",
        types: ["mean", "min", "max"],
      });
      for (const [key, id] of Object.entries(req.temperature)) base.points[key] = statisticsToPoints(stats?.[id] ?? []);
      streamFromS = Math.max(req.fromS, statisticsEndS(stats ?? {}) ?? req.fromS);
      if (stallIds.length > 0) {
        const st = await hass.callWS<unknown>({
          type: "history/history_during_period",
          start_time: iso(req.fromS),
          entity_ids: stallIds,
          minimal_response: true,
          no_attributes: true,
          significant_changes_only: false,
        });
        base.stall = this.byKey(req, parseHistoryStates(st)).stall;
      }
      if (gen !== this.generation) return;
    }
    await this.stream(hass, req, gen, base, streamFromS);
  }

  private async stream(hass: HomeAssistant, req: HistoryRequest, gen: number, base: Omit<HistoryChunk, "initial">, fromS: number): Promise<void> {
    const entityIds = [...Object.values(req.temperature), ...(req.useStatistics ? [] : Object.values(req.stall))];
    if (entityIds.length === 0) {
      this.sink.onChunk({ initial: true, ...base });
      return;
    }
    const msg = {
      start_time: iso(Math.min(fromS, Date.now() / 1000 - 1)),
      entity_ids: entityIds,
      minimal_response: true,
      no_attributes: true,
      significant_changes_only: false,
    };
    let first = true;
    const onEvent = (ev: unknown): void => {
      if (gen !== this.generation) return;
      const got = this.byKey(req, parseHistoryStates(ev));
      if (first) {
        first = false;
        this.sink.onChunk({ initial: true, points: concat(base.points, got.points), stall: concat(base.stall, got.stall) });
      } else {
        this.sink.onChunk({ initial: false, ...got });
      }
    };
    try {
      const unsub = await hass.connection.subscribeMessage<unknown>(onEvent, { type: "history/stream", ...msg });
      if (gen !== this.generation) {
        unsub().catch((err: unknown) => console.debug("grill-stats-card: late unsubscribe failed", err));
        return;
      }
      this.unsub = unsub;
    } catch (err) {
      // Cores without history/stream answer "unknown_command": fall back to one query.
      console.debug("grill-stats-card: history/stream failed, using history_during_period", err);
      const result = await hass.callWS<unknown>({ type: "history/history_during_period", ...msg });
      if (gen !== this.generation) return;
      const got = this.byKey(req, parseHistoryStates(result));
      this.sink.onChunk({ initial: true, points: concat(base.points, got.points), stall: concat(base.stall, got.stall) });
    }
  }
}

const concat = <T>(a: Record<string, T[]>, b: Record<string, T[]>): Record<string, T[]> => {
  const out: Record<string, T[]> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? []).concat(v);
  return out;
};
