-- Monthly assessment (月度考核排名): configurable weights, hand-entered scores, published
-- (frozen) rankings with their log, per-district live coverage recorded hourly, and monthly
-- totals imported for history older than the ingest window.

-- Weights and targets, one JSON document per key ('config'); absent = the documented defaults.
CREATE TABLE ranking_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,             -- JSON
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);

-- Scores entered by hand per unit and month: third-party inspection (第三方督查), the
-- departments' own assessment (部门考核) and the assessment office (考核办), each 0–100.
CREATE TABLE ranking_scores (
  month TEXT NOT NULL,             -- YYYY-MM
  unit_id TEXT NOT NULL REFERENCES units(id),
  source TEXT NOT NULL CHECK (source IN ('third_party', 'departmental', 'assessment_office')),
  score REAL NOT NULL CHECK (score >= 0 AND score <= 100),
  note TEXT,
  entered_by TEXT NOT NULL,
  entered_at INTEGER NOT NULL,
  PRIMARY KEY (month, unit_id, source)
) WITHOUT ROWID;

-- A published month: the answer as it was computed, served unchanged afterwards.
CREATE TABLE ranking_snapshots (
  month TEXT NOT NULL,
  by TEXT NOT NULL CHECK (by IN ('district', 'unit')),
  body TEXT NOT NULL,              -- JSON: the GET answer's weights and rows
  published_at INTEGER NOT NULL,
  published_by TEXT NOT NULL,
  PRIMARY KEY (month, by)
) WITHOUT ROWID;

-- Every publication and recomputation, with the reason and the scores before and after.
CREATE TABLE ranking_log (
  id TEXT PRIMARY KEY,
  month TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('publish', 'recompute')),
  reason TEXT,
  at INTEGER NOT NULL,
  by TEXT NOT NULL,
  before TEXT,                     -- JSON {by: {key: score}} or NULL on first publication
  after TEXT NOT NULL
);
CREATE INDEX ranking_log_month ON ranking_log(month, at);

-- Live 15-minute coverage per district, recorded hourly by the cron (the city-wide figure is in
-- coverage_trend): a month's coverage part is the mean of its recorded hours.
CREATE TABLE coverage_district_hourly (
  at INTEGER NOT NULL,
  day TEXT NOT NULL,
  district TEXT NOT NULL,
  population REAL NOT NULL,
  covered REAL NOT NULL,           -- population within 15 minutes of a live amenity
  PRIMARY KEY (district, at)
) WITHOUT ROWID;
CREATE INDEX coverage_district_hourly_day ON coverage_district_hourly(day);

-- Monthly totals per station and item from before the ingest window (a city's paper records),
-- so "since it opened" figures start at stations.opened_on. A month with imported totals uses
-- them instead of the rollups for that station.
CREATE TABLE station_monthly_totals (
  station_id TEXT NOT NULL REFERENCES stations(id),
  month TEXT NOT NULL,
  item TEXT NOT NULL,
  dispensed INTEGER NOT NULL CHECK (dispensed >= 0),
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (station_id, month, item)
) WITHOUT ROWID;

CREATE TABLE station_monthly_visitors (
  station_id TEXT NOT NULL REFERENCES stations(id),
  month TEXT NOT NULL,
  visitors INTEGER NOT NULL CHECK (visitors >= 0),
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (station_id, month)
) WITHOUT ROWID;
