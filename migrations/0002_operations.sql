-- Operations: responsibility (包片), people and teams, the supervisor role, alerts and work
-- orders. These are the tables several features share; each feature adds its own columns and
-- tables in a later migration.

-- ─── Responsibility ─────────────────────────────────────────────────────────────────────────
-- A responsible unit: 街道办事处 (street office), 环卫所 (sanitation office), park management...
-- Its kind selects the ranking weights (they differ by kind of unit).
CREATE TABLE units (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('street_office', 'sanitation', 'park_management', 'other')),
  district TEXT REFERENCES districts(id),
  created_at INTEGER NOT NULL
);

CREATE TABLE people (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  unit_id TEXT REFERENCES units(id),
  phone TEXT,
  created_at INTEGER NOT NULL
);

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  unit_id TEXT REFERENCES units(id),
  created_at INTEGER NOT NULL
);

CREATE TABLE team_members (
  team_id TEXT NOT NULL REFERENCES teams(id),
  person_id TEXT NOT NULL REFERENCES people(id),
  PRIMARY KEY (team_id, person_id)
) WITHOUT ROWID;
CREATE INDEX team_members_person ON team_members(person_id);

-- Every station and bench has a responsible unit; a bench without its own takes its park's.
ALTER TABLE stations ADD COLUMN unit_id TEXT REFERENCES units(id);
ALTER TABLE parks ADD COLUMN unit_id TEXT REFERENCES units(id);
ALTER TABLE devices ADD COLUMN unit_id TEXT REFERENCES units(id);

-- ─── API tokens: the supervisor role (督查), and a token belongs to a person ────────────────
-- SQLite cannot change a CHECK constraint in place: rebuild the table, keeping every token.
CREATE TABLE api_tokens_new (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'staff', 'planner')),
  token_hash TEXT NOT NULL UNIQUE,
  person_id TEXT REFERENCES people(id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
INSERT INTO api_tokens_new (id, name, role, token_hash, created_at, revoked_at)
  SELECT id, name, role, token_hash, created_at, revoked_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;

-- ─── Alerts ─────────────────────────────────────────────────────────────────────────────────
-- While a condition holds there is exactly one open alert per (site, kind, item).
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  site TEXT NOT NULL,              -- station id, or a bench's device id
  site_kind TEXT NOT NULL CHECK (site_kind IN ('station', 'bench')),
  item TEXT,                       -- item code, or NULL when the kind has none
  colour TEXT NOT NULL CHECK (colour IN ('yellow', 'orange', 'red')),
  opened_at INTEGER NOT NULL,
  resolved_at INTEGER,
  detail TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX alerts_one_open ON alerts(site, kind, IFNULL(item, '')) WHERE resolved_at IS NULL;
CREATE INDEX alerts_site ON alerts(site, opened_at);
CREATE INDEX alerts_open ON alerts(resolved_at, opened_at);

-- ─── Work orders on the seven-step closed loop (七步闭环) ───────────────────────────────────
CREATE TABLE work_orders (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  site_kind TEXT NOT NULL CHECK (site_kind IN ('station', 'bench')),
  kind TEXT NOT NULL DEFAULT 'other',   -- restock, repair, report, cleaning, other
  item TEXT,
  alert_id TEXT REFERENCES alerts(id),
  report_id TEXT,                       -- a citizen's report that opened it
  note TEXT,
  step TEXT NOT NULL CHECK (step IN ('reported', 'registered', 'dispatched', 'handled', 'checked', 'closed', 'evaluated')),
  assignee_team TEXT REFERENCES teams(id),
  assignee_person TEXT REFERENCES people(id),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,             -- api token id / person id / 'public'
  dispatched_at INTEGER,                -- the latest dispatch (a failed check dispatches again)
  arrived_at INTEGER,                   -- arrival on site after that dispatch
  handled_at INTEGER,
  closed_at INTEGER,
  updated_at INTEGER NOT NULL
);
-- One order for an open alert: a second click on "open an order" finds the first.
CREATE UNIQUE INDEX work_orders_one_per_alert ON work_orders(alert_id) WHERE alert_id IS NOT NULL AND closed_at IS NULL;
CREATE INDEX work_orders_step ON work_orders(step, created_at);
CREATE INDEX work_orders_site ON work_orders(site, created_at);

-- Every step, arrival and note, timestamped and attributed, in order.
CREATE TABLE work_order_steps (
  order_id TEXT NOT NULL REFERENCES work_orders(id),
  seq INTEGER NOT NULL,
  step TEXT NOT NULL,                   -- one of the seven, or 'arrived'
  at INTEGER NOT NULL,
  by TEXT NOT NULL,
  note TEXT,
  assignee TEXT,
  passed INTEGER,
  PRIMARY KEY (order_id, seq)
) WITHOUT ROWID;
