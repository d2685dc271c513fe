/** 004 — alarm states, their transition log, rules, the notification outbox and delivery log. */
export const sql = `
CREATE TABLE alarms (
  id                TEXT PRIMARY KEY,
  kind              TEXT NOT NULL,
  probe_id          TEXT,
  device_key        TEXT,
  phase             TEXT NOT NULL,
  message           TEXT NOT NULL,
  value_c           REAL,
  threshold_c       REAL,
  since_ms          INTEGER NOT NULL,
  snoozed_until_ms  INTEGER,
  repeat_count      INTEGER NOT NULL,
  critical          INTEGER NOT NULL,
  updated_ms        INTEGER NOT NULL
);

CREATE TABLE alarm_transitions (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  alarm_id   TEXT NOT NULL,
  ts_ms      INTEGER NOT NULL,
  from_phase TEXT NOT NULL,
  to_phase   TEXT NOT NULL,
  transition TEXT NOT NULL,
  message    TEXT NOT NULL
);
CREATE INDEX alarm_transitions_ts ON alarm_transitions (ts_ms);
CREATE INDEX alarm_transitions_alarm ON alarm_transitions (alarm_id, ts_ms);

-- rule_key = probe_id|device_key|kind (NULLs are never equal in a UNIQUE constraint).
CREATE TABLE alarm_rules (
  rule_key   TEXT PRIMARY KEY,
  probe_id   TEXT,
  device_key TEXT,
  kind       TEXT NOT NULL,
  enabled    INTEGER NOT NULL,
  params     TEXT NOT NULL CHECK (json_valid(params)),
  updated_ms INTEGER NOT NULL
);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  key             TEXT NOT NULL UNIQUE,
  channel         TEXT NOT NULL,
  payload         TEXT NOT NULL CHECK (json_valid(payload)),
  created_ms      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_attempt_ms INTEGER,
  delivered_ms    INTEGER,
  last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (created_ms, id) WHERE delivered_ms IS NULL;
CREATE INDEX outbox_delivered ON outbox (delivered_ms) WHERE delivered_ms IS NOT NULL;

CREATE TABLE deliveries (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  ts_ms     INTEGER NOT NULL,
  channel   TEXT NOT NULL,
  ok        INTEGER NOT NULL,
  error     TEXT
);
CREATE INDEX deliveries_outbox ON deliveries (outbox_id);
CREATE INDEX deliveries_ts ON deliveries (ts_ms);
`;
