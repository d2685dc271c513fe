/** Devices, probes, and the integer key (`series.pk`) that readings use for each probe id. */
import type { Clock, Device, DeviceKind, Probe, ProbeRole } from "../shared";
import type { Db } from "./db";

interface DeviceRow {
  key: string;
  serial: string;
  label: string;
  kind: string;
  model: string;
  firmware: string | null;
  battery_pct: number | null;
  battery_state: string | null;
  signal_dbm: number | null;
  last_seen_ms: number | null;
  transmit_interval_sec: number | null;
  report_delta_c: number | null;
}

interface ProbeRow {
  id: string;
  device_serial: string;
  device_key: string;
  channel: string;
  label: string;
  type: string;
  role: string;
}

const toDevice = (r: DeviceRow): Device => ({
  serial: r.serial,
  key: r.key,
  label: r.label,
  kind: r.kind as DeviceKind,
  model: r.model,
  firmware: r.firmware,
  batteryPct: r.battery_pct,
  batteryState: r.battery_state,
  signalDbm: r.signal_dbm,
  lastSeenMs: r.last_seen_ms,
  transmitIntervalSec: r.transmit_interval_sec,
  reportDeltaC: r.report_delta_c,
});

const toProbe = (r: ProbeRow): Probe => ({
  id: r.id,
  deviceSerial: r.device_serial,
  deviceKey: r.device_key,
  channel: r.channel,
  label: r.label,
  type: r.type,
  role: r.role as ProbeRole,
});

export const createCatalog = (db: Db, clock: Clock) => {
  const upsertDevice = db.prepare(`
    INSERT INTO devices (key, serial, label, kind, model, firmware, battery_pct, battery_state, signal_dbm, last_seen_ms, transmit_interval_sec, report_delta_c, updated_ms)
    VALUES (@key, @serial, @label, @kind, @model, @firmware, @batteryPct, @batteryState, @signalDbm, @lastSeenMs, @transmitIntervalSec, @reportDeltaC, @updatedMs)
    ON CONFLICT (key) DO UPDATE SET serial = excluded.serial, label = excluded.label, kind = excluded.kind, model = excluded.model,
      firmware = excluded.firmware, battery_pct = excluded.battery_pct, battery_state = excluded.battery_state,
      signal_dbm = excluded.signal_dbm, last_seen_ms = excluded.last_seen_ms,
      transmit_interval_sec = excluded.transmit_interval_sec, report_delta_c = excluded.report_delta_c, updated_ms = excluded.updated_ms
    -- Unchanged rows are not rewritten: main.ts upserts the catalog on every poll, and each
    -- rewritten row dirties a page that goes to the WAL (disk wear on an SD card).
    WHERE (serial, label, kind, model, firmware, battery_pct, battery_state, signal_dbm, last_seen_ms, transmit_interval_sec, report_delta_c)
      IS NOT (excluded.serial, excluded.label, excluded.kind, excluded.model, excluded.firmware, excluded.battery_pct,
              excluded.battery_state, excluded.signal_dbm, excluded.last_seen_ms, excluded.transmit_interval_sec, excluded.report_delta_c)`);
  const upsertProbe = db.prepare(`
    INSERT INTO probes (id, device_serial, device_key, channel, label, type, role, updated_ms)
    VALUES (@id, @deviceSerial, @deviceKey, @channel, @label, @type, @role, @updatedMs)
    ON CONFLICT (id) DO UPDATE SET device_serial = excluded.device_serial, device_key = excluded.device_key,
      channel = excluded.channel, label = excluded.label, type = excluded.type, role = excluded.role, updated_ms = excluded.updated_ms
    WHERE (device_serial, device_key, channel, label, type, role)
      IS NOT (excluded.device_serial, excluded.device_key, excluded.channel, excluded.label, excluded.type, excluded.role)`);
  const selectDevices = db.prepare("SELECT * FROM devices ORDER BY key");
  const selectProbes = db.prepare("SELECT * FROM probes ORDER BY device_key, CAST(channel AS INTEGER), channel");
  const insertSeries = db.prepare("INSERT INTO series (probe_id) VALUES (?) ON CONFLICT (probe_id) DO NOTHING");
  const selectSeries = db.prepare("SELECT pk FROM series WHERE probe_id = ?").pluck();
  const selectAllSeries = db.prepare("SELECT pk, probe_id FROM series ORDER BY pk").raw(true);
  const selectShape = db.prepare("SELECT count(*), coalesce(max(pk), 0) FROM series").raw(true);
  const pkCache = new Map<string, number>();

  const nullable = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

  return {
    upsertDevices: db.transaction((devices: Device[]) => {
      const updatedMs = clock.now();
      for (const d of devices) {
        upsertDevice.run({
          ...d,
          firmware: nullable(d.firmware),
          batteryPct: nullable(d.batteryPct),
          batteryState: nullable(d.batteryState),
          signalDbm: nullable(d.signalDbm),
          lastSeenMs: nullable(d.lastSeenMs),
          transmitIntervalSec: nullable(d.transmitIntervalSec),
          reportDeltaC: nullable(d.reportDeltaC),
          updatedMs,
        });
      }
    }),
    upsertProbes: db.transaction((probes: Probe[]) => {
      const updatedMs = clock.now();
      for (const p of probes) {
        upsertProbe.run({ ...p, updatedMs });
        insertSeries.run(p.id);
      }
    }),
    listDevices: (): Device[] => (selectDevices.all() as DeviceRow[]).map(toDevice),
    listProbes: (): Probe[] => (selectProbes.all() as ProbeRow[]).map(toProbe),

    /** The integer key of a probe id, created on first use (call inside a write transaction). */
    pkFor(probeId: string): number {
      const cached = pkCache.get(probeId);
      if (cached !== undefined) return cached;
      insertSeries.run(probeId);
      const pk = selectSeries.get(probeId) as number;
      pkCache.set(probeId, pk);
      return pk;
    },
    /** The integer key of a probe id, or null when it never had readings or metadata. */
    findPk(probeId: string): number | null {
      const cached = pkCache.get(probeId);
      if (cached !== undefined) return cached;
      const pk = selectSeries.get(probeId) as number | undefined;
      if (pk === undefined) return null;
      pkCache.set(probeId, pk);
      return pk;
    },
    allSeries: (): [pk: number, probeId: string][] => selectAllSeries.all() as [number, string][],
    /** How many probe keys exist and the largest. */
    seriesShape(): { count: number; maxPk: number } {
      const [count, maxPk] = selectShape.get() as [number, number];
      return { count, maxPk };
    },
    /** Forget cached keys (after a rolled-back transaction that may have created some). */
    resetCache(): void {
      pkCache.clear();
    },
  };
};

export type Catalog = ReturnType<typeof createCatalog>;
