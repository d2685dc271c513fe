/** Per-probe settings and the JSON key/value table. */
import { BadRequestError, type Clock, type ProbeSettings } from "../shared";
import type { Db } from "./db";

interface SettingsRow {
  probe_id: string;
  target_c: number | null;
  high_c: number | null;
  low_c: number | null;
}

const toSettings = (r: SettingsRow): ProbeSettings => ({ probeId: r.probe_id, targetC: r.target_c, highC: r.high_c, lowC: r.low_c });

const checkTemp = (name: string, v: number | null | undefined): number | null => {
  if (v === null || v === undefined) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new BadRequestError(`${name} must be a temperature in °C or null`);
  return v;
};

/** Throws a BadRequestError for settings that can never be stored (no probe id, a value that is no temperature). */
export const checkSettings = (s: ProbeSettings): void => {
  if (typeof s.probeId !== "string" || s.probeId === "") throw new BadRequestError("probeId is required");
  for (const [name, v] of [["targetC", s.targetC], ["highC", s.highC], ["lowC", s.lowC]] as const) checkTemp(name, v);
};

export const createSettings = (db: Db, clock: Clock) => {
  const select = db.prepare("SELECT probe_id, target_c, high_c, low_c FROM probe_settings WHERE probe_id = ?");
  const selectAll = db.prepare("SELECT probe_id, target_c, high_c, low_c FROM probe_settings ORDER BY probe_id");
  const upsert = db.prepare(`
    INSERT INTO probe_settings (probe_id, target_c, high_c, low_c, updated_ms) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (probe_id) DO UPDATE SET target_c = excluded.target_c, high_c = excluded.high_c,
      low_c = excluded.low_c, updated_ms = excluded.updated_ms`);
  const getKv = db.prepare("SELECT value FROM kv WHERE key = ?").pluck();
  const setKv = db.prepare(`
    INSERT INTO kv (key, value, updated_ms) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms`);
  const deleteKv = db.prepare("DELETE FROM kv WHERE key = ?");

  return {
    /** Stored settings, or all-null settings for a probe that has none. */
    getSettings(probeId: string): ProbeSettings {
      const row = select.get(probeId) as SettingsRow | undefined;
      return row ? toSettings(row) : { probeId, targetC: null, highC: null, lowC: null };
    },
    listSettings: (): ProbeSettings[] => (selectAll.all() as SettingsRow[]).map(toSettings),
    saveSettings(s: ProbeSettings): void {
      checkSettings(s);
      upsert.run(s.probeId, checkTemp("targetC", s.targetC), checkTemp("highC", s.highC), checkTemp("lowC", s.lowC), clock.now());
    },
    getKv<T = unknown>(key: string): T | null {
      const value = getKv.get(key) as string | undefined;
      return value === undefined ? null : (JSON.parse(value) as T);
    },
    /** Stores any JSON value; `undefined` or `null` deletes the key. */
    setKv(key: string, value: unknown): void {
      const json = value === undefined || value === null ? undefined : JSON.stringify(value);
      if (json === undefined) deleteKv.run(key);
      else setKv.run(key, json, clock.now());
    },
  };
};
