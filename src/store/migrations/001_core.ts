/**
 * 001 — devices, probes, readings and their rollups.
 *
 * Readings are keyed by an integer probe key (`series.pk`) and the device's own timestamp in a
 * WITHOUT ROWID table, so a row is a few bytes and the primary key is the only index.
 * Rollups keep, per probe and bucket (levels in rollups.ts), the count, sum, min and max with the
 * time of the min and max so long ranges are drawn from a few thousand rows with peaks in place.
 */
export const sql = `
CREATE TABLE devices (
  key                   TEXT PRIMARY KEY,
  serial                TEXT NOT NULL UNIQUE,
  label                 TEXT NOT NULL,
  kind                  TEXT NOT NULL,
  model                 TEXT NOT NULL,
  firmware              TEXT,
  battery_pct           REAL,
  battery_state         TEXT,
  signal_dbm            REAL,
  last_seen_ms          INTEGER,
  transmit_interval_sec REAL,
  updated_ms            INTEGER NOT NULL
);

CREATE TABLE probes (
  id            TEXT PRIMARY KEY,
  device_serial TEXT NOT NULL,
  device_key    TEXT NOT NULL,
  channel       TEXT NOT NULL,
  label         TEXT NOT NULL,
  type          TEXT NOT NULL,
  role          TEXT NOT NULL,
  updated_ms    INTEGER NOT NULL
);
CREATE INDEX probes_device ON probes (device_key, channel);

-- Integer key per probe id; readings may arrive before the probe's metadata.
CREATE TABLE series (
  pk       INTEGER PRIMARY KEY,
  probe_id TEXT NOT NULL UNIQUE
);

CREATE TABLE readings (
  probe_pk INTEGER NOT NULL,
  ts_ms    INTEGER NOT NULL,
  temp_c   REAL,
  PRIMARY KEY (probe_pk, ts_ms)
) WITHOUT ROWID;

CREATE TABLE rollups (
  level_ms  INTEGER NOT NULL,
  probe_pk  INTEGER NOT NULL,
  bucket_ms INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  n_null    INTEGER NOT NULL,
  sum_c     REAL NOT NULL,
  min_c     REAL,
  min_ts    INTEGER,
  max_c     REAL,
  max_ts    INTEGER,
  first_ts  INTEGER NOT NULL,
  last_ts   INTEGER NOT NULL,
  PRIMARY KEY (level_ms, probe_pk, bucket_ms)
) WITHOUT ROWID;
`;
