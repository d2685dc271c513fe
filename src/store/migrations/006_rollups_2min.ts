/**
 * 006 — a 2-minute rollup level, filled from the 1-minute level.
 *
 * Between 1 min and 10 min the levels were ten times apart, so a day drawn at 1000 points read
 * 1440 one-minute buckets per probe (and five days 7200). With 2-min buckets, and the level
 * picked by the width of a drawn min/max pair (range / (points / 2)), a day reads 720.
 *
 * Each 2-min bucket is its even minute (e) and its odd minute (o) combined: counts and sums
 * added, the lower minimum and the higher maximum with their times (on a tie the earlier one, as
 * the rollup upsert does), the first and last reading times. Two statements (even minutes with
 * their odd partner, then odd minutes alone), each a scan with primary-key lookups.
 */
const COLUMNS = "level_ms, bucket_ms, probe_pk, n, n_null, sum_c, min_c, min_ts, max_c, max_ts, first_ts, last_ts";

export const sql = `
INSERT INTO rollups (${COLUMNS})
SELECT
  120000, e.bucket_ms, e.probe_pk,
  e.n + coalesce(o.n, 0),
  e.n_null + coalesce(o.n_null, 0),
  e.sum_c + coalesce(o.sum_c, 0),
  CASE WHEN o.min_c IS NOT NULL AND (e.min_c IS NULL OR o.min_c < e.min_c) THEN o.min_c ELSE e.min_c END,
  CASE WHEN o.min_c IS NOT NULL AND (e.min_c IS NULL OR o.min_c < e.min_c) THEN o.min_ts ELSE e.min_ts END,
  CASE WHEN o.max_c IS NOT NULL AND (e.max_c IS NULL OR o.max_c > e.max_c) THEN o.max_c ELSE e.max_c END,
  CASE WHEN o.max_c IS NOT NULL AND (e.max_c IS NULL OR o.max_c > e.max_c) THEN o.max_ts ELSE e.max_ts END,
  min(e.first_ts, coalesce(o.first_ts, e.first_ts)),
  max(e.last_ts, coalesce(o.last_ts, e.last_ts))
FROM rollups AS e
LEFT JOIN rollups AS o ON o.level_ms = 60000 AND o.bucket_ms = e.bucket_ms + 60000 AND o.probe_pk = e.probe_pk
WHERE e.level_ms = 60000 AND e.bucket_ms % 120000 = 0;

INSERT INTO rollups (${COLUMNS})
SELECT 120000, o.bucket_ms - 60000, o.probe_pk, o.n, o.n_null, o.sum_c, o.min_c, o.min_ts, o.max_c, o.max_ts, o.first_ts, o.last_ts
FROM rollups AS o
WHERE o.level_ms = 60000 AND o.bucket_ms % 120000 = 60000
  AND NOT EXISTS (SELECT 1 FROM rollups AS e WHERE e.level_ms = 60000 AND e.bucket_ms = o.bucket_ms - 60000 AND e.probe_pk = o.probe_pk);
`;
