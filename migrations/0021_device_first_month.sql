-- Each device's first local month with a monthly rollup, kept so that the rankings and the
-- monthly report need not look it up per device in item_monthly and device_monthly on every
-- request (a province's 2,000 sites: 4,400 index look-ups, ≈ 20 ms of a ranking's SQL).
--
-- Two columns because stations and benches count from different rollups: a station from its
-- devices' first month of either (item_month, visits_month), a bench from its visitors' and
-- charging rollups alone (visits_month) (worker/db/rankings.ts). NULL: no such rollup.
--
-- The triggers fire when a monthly row is inserted, i.e. once per device, item and month (an
-- ingest adds to an existing month's row through an upsert, which fires no INSERT trigger), and
-- when one is deleted (its month emptied). So the ingest path gains nothing but a device's first
-- rows of a month.
CREATE TABLE device_first_month (
  device_id TEXT PRIMARY KEY,
  item_month TEXT,
  visits_month TEXT
) WITHOUT ROWID;

INSERT INTO device_first_month (device_id, item_month, visits_month)
  SELECT device_id, MIN(item_month), MIN(visits_month) FROM (
    SELECT device_id, MIN(month) AS item_month, NULL AS visits_month FROM item_monthly GROUP BY device_id
    UNION ALL
    SELECT device_id, NULL, MIN(month) FROM device_monthly GROUP BY device_id
  ) GROUP BY device_id;

CREATE TRIGGER device_first_month_item_insert AFTER INSERT ON item_monthly BEGIN
  INSERT INTO device_first_month (device_id, item_month) VALUES (NEW.device_id, NEW.month)
    ON CONFLICT (device_id) DO UPDATE SET item_month = excluded.item_month
    WHERE device_first_month.item_month IS NULL OR excluded.item_month < device_first_month.item_month;
END;
CREATE TRIGGER device_first_month_item_delete AFTER DELETE ON item_monthly BEGIN
  UPDATE device_first_month SET item_month = (SELECT MIN(month) FROM item_monthly WHERE device_id = OLD.device_id)
    WHERE device_id = OLD.device_id AND item_month = OLD.month;
END;
CREATE TRIGGER device_first_month_visits_insert AFTER INSERT ON device_monthly BEGIN
  INSERT INTO device_first_month (device_id, visits_month) VALUES (NEW.device_id, NEW.month)
    ON CONFLICT (device_id) DO UPDATE SET visits_month = excluded.visits_month
    WHERE device_first_month.visits_month IS NULL OR excluded.visits_month < device_first_month.visits_month;
END;
CREATE TRIGGER device_first_month_visits_delete AFTER DELETE ON device_monthly BEGIN
  UPDATE device_first_month SET visits_month = (SELECT MIN(month) FROM device_monthly WHERE device_id = OLD.device_id)
    WHERE device_id = OLD.device_id AND visits_month = OLD.month;
END;
