-- Planning layers for 15-minute life-circle coverage: the walking network, the population units
-- and the units' joins to the network, each stored as typed arrays packed into one buffer, split into chunks below
-- D1's 2 MB row limit (a province is a few tens of MB; one row per edge would be read back on
-- every query). A layer is replaced by writing the new version's chunks first and then switching
-- `planning_layers.version` in one batch, so readers never see a half-written layer.
CREATE TABLE planning_layers (
  layer TEXT PRIMARY KEY CHECK (layer IN ('network', 'population', 'unit_snaps')),
  version INTEGER NOT NULL,
  meta TEXT NOT NULL,          -- JSON: counts, array layout, the versions a derived layer was built from
  bytes INTEGER NOT NULL,
  chunks INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE planning_chunks (
  layer TEXT NOT NULL,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  data TEXT NOT NULL,           -- base64 (D1 returns BLOBs as arrays of numbers: slow to rebuild)
  PRIMARY KEY (layer, version, seq)
) WITHOUT ROWID;

-- Live coverage recorded hourly by the cron job (one row per hour and amenity kind).
CREATE TABLE coverage_trend (
  at INTEGER NOT NULL,         -- the scheduled instant (epoch ms)
  day TEXT NOT NULL,           -- city-local day and hour of `at`
  hour INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('station', 'bench', 'all')),
  method TEXT NOT NULL,
  speed_m_per_min REAL NOT NULL,
  population REAL NOT NULL,
  amenities INTEGER NOT NULL,  -- amenities counted live (open, stocked, charged, a free port)
  levels TEXT NOT NULL,        -- JSON [{minutes, covered, share}]
  PRIMARY KEY (kind, at)
) WITHOUT ROWID;
