-- A counter that moves whenever a site's position or presence changes, kept by triggers, so the
-- public nearby search can tell in one single-row read whether the spatial index it holds in the
-- isolate is still right (it used to fingerprint 10,000 rows on every request).
-- Ingest updates devices' state columns all the time; only the columns that place a bench
-- (lat, lon, site, kind, disabled) move the counter. It moves by a random step, so two databases
-- (a restored copy, the tests' fresh ones) do not arrive at the same value with different sites.
-- A later migration that rebuilds one of these tables drops its triggers and must create them again.
CREATE TABLE registry_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  v INTEGER NOT NULL
);
INSERT INTO registry_version (id, v) VALUES (1, abs(random() % 1000000000));

CREATE TRIGGER registry_version_station_insert AFTER INSERT ON stations
BEGIN UPDATE registry_version SET v = v + 1 + abs(random() % 1000000000) WHERE id = 1; END;
CREATE TRIGGER registry_version_station_delete AFTER DELETE ON stations
BEGIN UPDATE registry_version SET v = v + 1 + abs(random() % 1000000000) WHERE id = 1; END;
CREATE TRIGGER registry_version_station_move AFTER UPDATE OF lat, lon ON stations
BEGIN UPDATE registry_version SET v = v + 1 + abs(random() % 1000000000) WHERE id = 1; END;

CREATE TRIGGER registry_version_device_insert AFTER INSERT ON devices
BEGIN UPDATE registry_version SET v = v + 1 + abs(random() % 1000000000) WHERE id = 1; END;
CREATE TRIGGER registry_version_device_delete AFTER DELETE ON devices
BEGIN UPDATE registry_version SET v = v + 1 + abs(random() % 1000000000) WHERE id = 1; END;
CREATE TRIGGER registry_version_device_move AFTER UPDATE OF lat, lon, site, kind, disabled ON devices
BEGIN UPDATE registry_version SET v = v + 1 + abs(random() % 1000000000) WHERE id = 1; END;

CREATE TRIGGER registry_version_park_delete AFTER DELETE ON parks
BEGIN UPDATE registry_version SET v = v + 1 + abs(random() % 1000000000) WHERE id = 1; END;
CREATE TRIGGER registry_version_park_move AFTER UPDATE OF lat, lon ON parks
BEGIN UPDATE registry_version SET v = v + 1 + abs(random() % 1000000000) WHERE id = 1; END;
