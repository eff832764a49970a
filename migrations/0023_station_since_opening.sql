-- Each station's figures since it opened, kept through a closed month, so that "every station
-- since opening" sums a few rows per station plus the months after, instead of every monthly
-- rollup of every station device since it opened (a province: 29,000 rows and 2,400 look-ups
-- in item_daily, ≈ 40 ms of SQL on every request).
--
-- station_since_marks says a station's kept figures are valid through `through` (YYYY-MM): its
-- items in station_since_items (the sums and the "a month after the opening one" flag, before
-- the report drops items that net to 0) and its visitors here. The hourly cron writes them for
-- the month before the current one (worker/db/since-opening.ts), with the report's own SQL limited
-- to months up to `through`; the report adds the months after it, or sums everything for a
-- station without a mark. So an answer is always what summing the rollups would give.
--
-- A mark goes with anything its figures summed: a monthly rollup of one of the station's devices
-- in a month up to `through` (written, changed, removed: a late reading), the registry that
-- places a device at the station, the station's opening day, its imported monthly totals. The
-- rollup triggers fire on the ingest path too; there they cost a look-up of the device and of the
-- station's mark, and delete nothing (the current month is after every mark). A monthly row's key
-- never changes (migration 0013's triggers update its sums only), so an update is judged by NEW.
CREATE TABLE station_since_marks (
  station TEXT PRIMARY KEY,
  through TEXT NOT NULL,
  visitors REAL NOT NULL,
  kept_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE station_since_items (
  station TEXT NOT NULL,
  item TEXT NOT NULL,
  through TEXT NOT NULL,
  dispensed REAL NOT NULL,
  later INTEGER NOT NULL,
  PRIMARY KEY (station, item)
) WITHOUT ROWID;

CREATE TRIGGER station_since_item_insert AFTER INSERT ON item_monthly BEGIN
  DELETE FROM station_since_marks WHERE station = (SELECT site FROM devices WHERE id = NEW.device_id AND kind = 'station') AND through >= NEW.month;
END;
CREATE TRIGGER station_since_item_update AFTER UPDATE ON item_monthly BEGIN
  DELETE FROM station_since_marks WHERE station = (SELECT site FROM devices WHERE id = NEW.device_id AND kind = 'station') AND through >= NEW.month;
END;
CREATE TRIGGER station_since_item_delete AFTER DELETE ON item_monthly BEGIN
  DELETE FROM station_since_marks WHERE station = (SELECT site FROM devices WHERE id = OLD.device_id AND kind = 'station') AND through >= OLD.month;
END;

CREATE TRIGGER station_since_visits_insert AFTER INSERT ON device_monthly BEGIN
  DELETE FROM station_since_marks WHERE station = (SELECT site FROM devices WHERE id = NEW.device_id AND kind = 'station') AND through >= NEW.month;
END;
CREATE TRIGGER station_since_visits_update AFTER UPDATE ON device_monthly BEGIN
  DELETE FROM station_since_marks WHERE station = (SELECT site FROM devices WHERE id = NEW.device_id AND kind = 'station') AND through >= NEW.month;
END;
CREATE TRIGGER station_since_visits_delete AFTER DELETE ON device_monthly BEGIN
  DELETE FROM station_since_marks WHERE station = (SELECT site FROM devices WHERE id = OLD.device_id AND kind = 'station') AND through >= OLD.month;
END;

-- The registry: which devices a station has, and its opening day.
CREATE TRIGGER station_since_device_insert AFTER INSERT ON devices BEGIN
  DELETE FROM station_since_marks WHERE station = NEW.site;
END;
CREATE TRIGGER station_since_device_move AFTER UPDATE OF site, kind ON devices BEGIN
  DELETE FROM station_since_marks WHERE station IN (OLD.site, NEW.site);
END;
CREATE TRIGGER station_since_device_delete AFTER DELETE ON devices BEGIN
  DELETE FROM station_since_marks WHERE station = OLD.site;
END;
CREATE TRIGGER station_since_opened AFTER UPDATE OF opened_on ON stations BEGIN
  DELETE FROM station_since_marks WHERE station = OLD.id;
END;
CREATE TRIGGER station_since_station_delete AFTER DELETE ON stations BEGIN
  DELETE FROM station_since_marks WHERE station = OLD.id;
  DELETE FROM station_since_items WHERE station = OLD.id;
END;

-- Imported monthly totals win over the rollups of their month.
CREATE TRIGGER station_since_totals_insert AFTER INSERT ON station_monthly_totals BEGIN
  DELETE FROM station_since_marks WHERE station = NEW.station_id;
END;
CREATE TRIGGER station_since_totals_update AFTER UPDATE ON station_monthly_totals BEGIN
  DELETE FROM station_since_marks WHERE station IN (OLD.station_id, NEW.station_id);
END;
CREATE TRIGGER station_since_totals_delete AFTER DELETE ON station_monthly_totals BEGIN
  DELETE FROM station_since_marks WHERE station = OLD.station_id;
END;
CREATE TRIGGER station_since_visitors_insert AFTER INSERT ON station_monthly_visitors BEGIN
  DELETE FROM station_since_marks WHERE station = NEW.station_id;
END;
CREATE TRIGGER station_since_visitors_update AFTER UPDATE ON station_monthly_visitors BEGIN
  DELETE FROM station_since_marks WHERE station IN (OLD.station_id, NEW.station_id);
END;
CREATE TRIGGER station_since_visitors_delete AFTER DELETE ON station_monthly_visitors BEGIN
  DELETE FROM station_since_marks WHERE station = OLD.station_id;
END;
