-- Registry, auth, raw telemetry, its typed projections and the hourly/daily rollups.
-- Instants are epoch milliseconds (UTC). `day` (YYYY-MM-DD) and `hour` (0-23) are the city's
-- local calendar, computed by the Worker in the configured time zone when a reading is stored.

-- ─── Registry ───────────────────────────────────────────────────────────────────────────────
CREATE TABLE districts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE parks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  district TEXT NOT NULL REFERENCES districts(id),
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX parks_district ON parks(district);

CREATE TABLE stations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  district TEXT NOT NULL REFERENCES districts(id),
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  -- OpenStreetMap opening_hours syntax, read in the city's time zone.
  opening_hours TEXT NOT NULL DEFAULT '24/7',
  opened_on TEXT,              -- YYYY-MM-DD the station opened ("since opening" figures)
  created_at INTEGER NOT NULL,
  -- Current state, kept by ingestion.
  open INTEGER,                -- last reported open (1) / closed (0); NULL = never reported
  open_at INTEGER,             -- ts of that report
  updated_at INTEGER           -- latest reading ts from any of its devices
);
CREATE INDEX stations_district ON stations(district);

CREATE TABLE items (
  code TEXT PRIMARY KEY,
  name_zh TEXT,
  name_en TEXT,
  unit TEXT,
  -- 0: first seen in telemetry and not yet named by an admin (never refused, see CONTRACT).
  registered INTEGER NOT NULL DEFAULT 1,
  first_seen INTEGER
);
INSERT INTO items (code, name_zh, name_en, unit) VALUES
  ('water', '饮用水', 'Drinking water', 'bottle'),
  ('towel', '毛巾', 'Towel', 'piece'),
  ('umbrella', '雨伞', 'Umbrella', 'piece'),
  ('medicine_kit', '便民药箱用品', 'Medicine kit item', 'pack'),
  ('sunscreen', '防晒霜', 'Sunscreen', 'tube'),
  ('raincoat', '雨衣', 'Raincoat', 'piece');

-- Par level (full) and reorder point per station and item, plus the stock on hand now.
CREATE TABLE station_items (
  station_id TEXT NOT NULL REFERENCES stations(id),
  item TEXT NOT NULL,
  par_level INTEGER,
  reorder_point INTEGER,
  on_hand INTEGER,             -- last stock reading adjusted by the events after it
  on_hand_at INTEGER,          -- ts of the newest reading or event behind on_hand
  PRIMARY KEY (station_id, item)
) WITHOUT ROWID;

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('bench', 'station')),
  site TEXT NOT NULL,          -- park id (bench) or station id (station)
  name TEXT,
  lat REAL,                    -- a bench may stand apart from its park's point
  lon REAL,
  ports INTEGER,               -- bench: number of charging ports
  token_hash TEXT UNIQUE,      -- SHA-256 of the device token; NULL once disabled
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_seen INTEGER,           -- server time of the last accepted request
  -- Latest status sample (fields merged from the newest sample that carries each).
  state_at INTEGER,
  battery_soc REAL,
  battery_v REAL,
  solar_w REAL,
  load_w REAL,
  temp_c REAL,
  ports_in_use INTEGER,
  open INTEGER,
  fault_codes TEXT             -- JSON array from the newest status sample
);
CREATE INDEX devices_site ON devices(site);

-- Faults raised / cleared by `fault` messages; the newest message per code stands.
CREATE TABLE device_faults (
  device_id TEXT NOT NULL,
  code TEXT NOT NULL,
  active INTEGER NOT NULL,
  detail TEXT,
  ts INTEGER NOT NULL,
  PRIMARY KEY (device_id, code)
) WITHOUT ROWID;

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'planner')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

-- ─── Raw telemetry: the de-duplication ledger ───────────────────────────────────────────────
-- key: the envelope's seq in decimal, or '<name>@<ms>' for SenML / ThingsBoard records.
-- body: the message in canonical JSON; the same key with another body is a seq_conflict.
CREATE TABLE messages (
  device_id TEXT NOT NULL,
  key TEXT NOT NULL,
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  ingest_id TEXT NOT NULL,     -- the request that stored it
  received_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, key)
) WITHOUT ROWID;

-- ─── Typed projections of accepted messages (what rollups are recomputed from) ─────────────
CREATE TABLE events (          -- dispense, restock, lend, return, visit
  device_id TEXT NOT NULL,
  key TEXT NOT NULL,
  ts INTEGER NOT NULL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL,
  type TEXT NOT NULL,
  item TEXT,                   -- NULL for visit
  qty INTEGER NOT NULL,        -- visit: count
  by_ref TEXT,
  expires TEXT,
  PRIMARY KEY (device_id, key)
) WITHOUT ROWID;
CREATE INDEX events_item_ts ON events(device_id, item, ts);
CREATE INDEX events_hour ON events(device_id, day, hour);

CREATE TABLE stock_levels (    -- one row per item of a `stock` message
  device_id TEXT NOT NULL,
  key TEXT NOT NULL,
  item TEXT NOT NULL,
  ts INTEGER NOT NULL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL,
  level INTEGER NOT NULL,
  -- Change since the previous reading not explained by events in between (level-drop inference).
  inferred_out INTEGER NOT NULL DEFAULT 0,
  inferred_in INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, key, item)
) WITHOUT ROWID;
CREATE INDEX stock_levels_item_ts ON stock_levels(device_id, item, ts);
CREATE INDEX stock_levels_ts ON stock_levels(device_id, ts);
CREATE INDEX stock_levels_hour ON stock_levels(device_id, day, hour);

CREATE TABLE samples (         -- status messages
  device_id TEXT NOT NULL,
  key TEXT NOT NULL,
  ts INTEGER NOT NULL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL,
  battery_soc REAL,
  battery_v REAL,
  solar_w REAL,
  load_w REAL,
  temp_c REAL,
  ports_in_use INTEGER,
  open INTEGER,
  fault_codes TEXT,            -- JSON array, as sent
  -- Solar energy of the interval ending at this sample (trapezoid from the previous solar sample).
  solar_wh REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, key)
) WITHOUT ROWID;
CREATE INDEX samples_ts ON samples(device_id, ts);
CREATE INDEX samples_hour ON samples(device_id, day, hour);

CREATE TABLE sessions (        -- charging_session messages, placed at their start
  device_id TEXT NOT NULL,
  key TEXT NOT NULL,
  port INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  energy_wh REAL NOT NULL,
  peak_w REAL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL,
  PRIMARY KEY (device_id, key)
) WITHOUT ROWID;
CREATE INDEX sessions_hour ON sessions(device_id, day, hour);

CREATE TABLE fault_events (
  device_id TEXT NOT NULL,
  key TEXT NOT NULL,
  ts INTEGER NOT NULL,
  code TEXT NOT NULL,
  active INTEGER NOT NULL,
  detail TEXT,
  PRIMARY KEY (device_id, key)
) WITHOUT ROWID;
CREATE INDEX fault_events_ts ON fault_events(device_id, ts);

-- ─── Rollups (local day / hour). Dashboards and reports read only these. ───────────────────
CREATE TABLE item_hourly (
  device_id TEXT NOT NULL,
  item TEXT NOT NULL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL,
  dispensed INTEGER NOT NULL DEFAULT 0,   -- dispense events
  restocked INTEGER NOT NULL DEFAULT 0,   -- restock events
  lent INTEGER NOT NULL DEFAULT 0,
  returned INTEGER NOT NULL DEFAULT 0,
  inferred_out INTEGER NOT NULL DEFAULT 0, -- level drops not explained by events
  inferred_in INTEGER NOT NULL DEFAULT 0,  -- level rises not explained by events
  PRIMARY KEY (device_id, item, day, hour)
) WITHOUT ROWID;

CREATE TABLE item_daily (
  device_id TEXT NOT NULL,
  item TEXT NOT NULL,
  day TEXT NOT NULL,
  dispensed INTEGER NOT NULL DEFAULT 0,
  restocked INTEGER NOT NULL DEFAULT 0,
  lent INTEGER NOT NULL DEFAULT 0,
  returned INTEGER NOT NULL DEFAULT 0,
  inferred_out INTEGER NOT NULL DEFAULT 0,
  inferred_in INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, item, day)
) WITHOUT ROWID;
CREATE INDEX item_daily_day ON item_daily(day);

CREATE TABLE device_hourly (
  device_id TEXT NOT NULL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL,
  visitors INTEGER NOT NULL DEFAULT 0,
  sessions INTEGER NOT NULL DEFAULT 0,
  energy_wh REAL NOT NULL DEFAULT 0,      -- delivered by charging sessions (placed at their start)
  solar_wh REAL NOT NULL DEFAULT 0,       -- harvested, integrated from solar_w samples
  batt_min REAL,
  batt_sum REAL NOT NULL DEFAULT 0,
  batt_n INTEGER NOT NULL DEFAULT 0,
  load_sum REAL NOT NULL DEFAULT 0,
  load_n INTEGER NOT NULL DEFAULT 0,
  samples INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, day, hour)
) WITHOUT ROWID;

CREATE TABLE device_daily (
  device_id TEXT NOT NULL,
  day TEXT NOT NULL,
  visitors INTEGER NOT NULL DEFAULT 0,
  sessions INTEGER NOT NULL DEFAULT 0,
  energy_wh REAL NOT NULL DEFAULT 0,
  solar_wh REAL NOT NULL DEFAULT 0,
  batt_min REAL,
  batt_sum REAL NOT NULL DEFAULT 0,
  batt_n INTEGER NOT NULL DEFAULT 0,
  load_sum REAL NOT NULL DEFAULT 0,
  load_n INTEGER NOT NULL DEFAULT 0,
  samples INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, day)
) WITHOUT ROWID;
CREATE INDEX device_daily_day ON device_daily(day);

-- Scratch rows of one ingest batch: the local hours whose rollups it recomputes. Filled and
-- emptied inside the same D1 batch (one transaction), so it is empty between requests.
CREATE TABLE ingest_scope (
  ingest_id TEXT NOT NULL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL,
  PRIMARY KEY (ingest_id, day, hour)
) WITHOUT ROWID;
