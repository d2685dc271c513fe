/** 002 — per-probe settings and a small JSON key/value table. */
export const sql = `
CREATE TABLE probe_settings (
  probe_id   TEXT PRIMARY KEY,
  target_c   REAL,
  high_c     REAL,
  low_c      REAL,
  updated_ms INTEGER NOT NULL
);

CREATE TABLE kv (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL CHECK (json_valid(value)),
  updated_ms INTEGER NOT NULL
);
`;
