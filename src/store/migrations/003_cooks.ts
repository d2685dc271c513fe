/** 003 — cooks and their timeline events. */
export const sql = `
CREATE TABLE cooks (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL,
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER,
  notes      TEXT NOT NULL DEFAULT '',
  probe_ids  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(probe_ids)),
  targets    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(targets)),
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  CHECK (end_ms IS NULL OR end_ms >= start_ms)
);
CREATE INDEX cooks_start ON cooks (start_ms DESC, id DESC);
CREATE INDEX cooks_active ON cooks (start_ms DESC) WHERE end_ms IS NULL;

CREATE TABLE cook_events (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  cook_id  INTEGER NOT NULL REFERENCES cooks (id) ON DELETE CASCADE,
  ts_ms    INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  text     TEXT NOT NULL,
  probe_id TEXT
);
CREATE INDEX cook_events_cook ON cook_events (cook_id, ts_ms);
`;
