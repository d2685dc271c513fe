/**
 * 005 — rollups keyed by (level, bucket, probe) instead of (level, probe, bucket).
 *
 * One poll updates the same bucket of every probe at every level; with the bucket before the
 * probe in the key those rows sit side by side, so a commit dirties about one rollup page per
 * level instead of one per probe and level (fewer WAL bytes per poll: SD-card wear on a Pi, and
 * a cheaper commit). History reads one level's bucket range for all probes in one index scan.
 */
export const sql = `
CREATE TABLE rollups_by_bucket (
  level_ms  INTEGER NOT NULL,
  bucket_ms INTEGER NOT NULL,
  probe_pk  INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  n_null    INTEGER NOT NULL,
  sum_c     REAL NOT NULL,
  min_c     REAL,
  min_ts    INTEGER,
  max_c     REAL,
  max_ts    INTEGER,
  first_ts  INTEGER NOT NULL,
  last_ts   INTEGER NOT NULL,
  PRIMARY KEY (level_ms, bucket_ms, probe_pk)
) WITHOUT ROWID;

INSERT INTO rollups_by_bucket (level_ms, bucket_ms, probe_pk, n, n_null, sum_c, min_c, min_ts, max_c, max_ts, first_ts, last_ts)
  SELECT level_ms, bucket_ms, probe_pk, n, n_null, sum_c, min_c, min_ts, max_c, max_ts, first_ts, last_ts
  FROM rollups ORDER BY level_ms, bucket_ms, probe_pk;

DROP TABLE rollups;
ALTER TABLE rollups_by_bucket RENAME TO rollups;
`;
