-- The overview's figures per closed local day, kept so that the dashboard's first screen reads
-- 59 small rows instead of summing 60 days of a province's daily rollups (≈ 115,000 rows of
-- item_daily and 72,000 of device_daily) on every request.
--
-- One row per day: what the overview sums (supplies by item, stations' supplies by district,
-- charging, benches' charging by district) as JSON objects. The minute cron writes the rows of
-- the 59 days before today that are missing, each in one INSERT … SELECT, so no write can fall
-- between the count and the row (worker/db/daily-totals.ts). A row goes the moment anything it
-- summed changes: a daily rollup of its day (a late reading), or the registry that places a
-- device in a district. The overview sums live whatever is missing, so an answer is always what
-- summing the rollups would give.
CREATE TABLE daily_totals (
  day TEXT PRIMARY KEY,                   -- YYYY-MM-DD, local
  supply TEXT NOT NULL,                   -- {"item": distributed}, every device
  district_supply TEXT NOT NULL,          -- {"district": distributed}, station devices at stations
  sessions REAL NOT NULL,                 -- every device
  energy_wh REAL NOT NULL,
  district_charging TEXT NOT NULL,        -- {"district": [sessions, energy_wh]}, benches in parks
  -- [[hour, item, distributed], …] of station controllers, for "today so far against yesterday
  -- until the same hour"; kept for the day before today only (NULL on older days). Hourly rollups
  -- change only with their day's daily ones (ingest writes both), so the triggers below cover it.
  supply_by_hour TEXT,
  kept_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER daily_totals_item_insert AFTER INSERT ON item_daily BEGIN
  DELETE FROM daily_totals WHERE day = NEW.day;
END;
CREATE TRIGGER daily_totals_item_update AFTER UPDATE ON item_daily BEGIN
  DELETE FROM daily_totals WHERE day = OLD.day OR day = NEW.day;
END;
CREATE TRIGGER daily_totals_item_delete AFTER DELETE ON item_daily BEGIN
  DELETE FROM daily_totals WHERE day = OLD.day;
END;
CREATE TRIGGER daily_totals_device_insert AFTER INSERT ON device_daily BEGIN
  DELETE FROM daily_totals WHERE day = NEW.day;
END;
CREATE TRIGGER daily_totals_device_update AFTER UPDATE ON device_daily BEGIN
  DELETE FROM daily_totals WHERE day = OLD.day OR day = NEW.day;
END;
CREATE TRIGGER daily_totals_device_delete AFTER DELETE ON device_daily BEGIN
  DELETE FROM daily_totals WHERE day = OLD.day;
END;

-- What places a device in a district: every kept day goes (the registry changes rarely).
CREATE TRIGGER daily_totals_registry_device_insert AFTER INSERT ON devices BEGIN DELETE FROM daily_totals; END;
CREATE TRIGGER daily_totals_registry_device_delete AFTER DELETE ON devices BEGIN DELETE FROM daily_totals; END;
CREATE TRIGGER daily_totals_registry_device_move AFTER UPDATE OF site, kind ON devices BEGIN DELETE FROM daily_totals; END;
CREATE TRIGGER daily_totals_registry_station_delete AFTER DELETE ON stations BEGIN DELETE FROM daily_totals; END;
CREATE TRIGGER daily_totals_registry_station_move AFTER UPDATE OF district ON stations BEGIN DELETE FROM daily_totals; END;
CREATE TRIGGER daily_totals_registry_park_delete AFTER DELETE ON parks BEGIN DELETE FROM daily_totals; END;
CREATE TRIGGER daily_totals_registry_park_move AFTER UPDATE OF district ON parks BEGIN DELETE FROM daily_totals; END;
