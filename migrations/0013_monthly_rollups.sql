-- Province scale (bench/province.ts: 2,000 devices, a year): monthly rollups and a bounded
-- alert read.
--
-- "Since opening" figures (overview, monthly report) and year-long supplies reports summed every
-- daily row of the province (≈ 730,000 a year). A month of item_daily / device_daily is kept
-- summed in item_monthly / device_monthly by triggers, so the two can never disagree: whatever
-- writes a daily row (the ingest batch, a test), its month's row follows in the same statement.
CREATE TABLE item_monthly (
  device_id TEXT NOT NULL,
  item TEXT NOT NULL,
  month TEXT NOT NULL,                    -- YYYY-MM, local
  dispensed INTEGER NOT NULL DEFAULT 0,
  restocked INTEGER NOT NULL DEFAULT 0,
  lent INTEGER NOT NULL DEFAULT 0,
  returned INTEGER NOT NULL DEFAULT 0,
  inferred_out INTEGER NOT NULL DEFAULT 0,
  inferred_in INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, item, month)
) WITHOUT ROWID;
CREATE INDEX item_monthly_month ON item_monthly(month, item, device_id, dispensed, restocked, lent, returned, inferred_out, inferred_in);

CREATE TABLE device_monthly (
  device_id TEXT NOT NULL,
  month TEXT NOT NULL,
  visitors INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, month)
) WITHOUT ROWID;

-- TOTAL, not SUM: stored sums past 2^63 (test/worker/bounds.test.ts) must not fail the migration.
INSERT INTO item_monthly (device_id, item, month, dispensed, restocked, lent, returned, inferred_out, inferred_in)
  SELECT device_id, item, substr(day, 1, 7), TOTAL(dispensed), TOTAL(restocked), TOTAL(lent), TOTAL(returned), TOTAL(inferred_out), TOTAL(inferred_in)
  FROM item_daily GROUP BY device_id, item, substr(day, 1, 7);
INSERT INTO device_monthly (device_id, month, visitors)
  SELECT device_id, substr(day, 1, 7), TOTAL(visitors) FROM device_daily GROUP BY device_id, substr(day, 1, 7);

-- Each daily row's change is added to its month's row (integers: the sums stay exact). Writers of
-- the daily rows use INSERT, INSERT OR REPLACE (the ingest batch), UPDATE and DELETE, never INSERT
-- OR IGNORE nor an upsert: a REPLACE deletes the row it replaces without firing a delete trigger,
-- so the BEFORE INSERT trigger takes that row out of its month first.
CREATE TRIGGER item_daily_month_replace BEFORE INSERT ON item_daily BEGIN
  UPDATE item_monthly SET dispensed = item_monthly.dispensed - o.dispensed, restocked = item_monthly.restocked - o.restocked, lent = item_monthly.lent - o.lent, returned = item_monthly.returned - o.returned, inferred_out = item_monthly.inferred_out - o.inferred_out, inferred_in = item_monthly.inferred_in - o.inferred_in
    FROM (SELECT dispensed, restocked, lent, returned, inferred_out, inferred_in FROM item_daily WHERE device_id = NEW.device_id AND item = NEW.item AND day = NEW.day) o
    WHERE item_monthly.device_id = NEW.device_id AND item_monthly.item = NEW.item AND item_monthly.month = substr(NEW.day, 1, 7);
END;
CREATE TRIGGER item_daily_month_insert AFTER INSERT ON item_daily BEGIN
  INSERT INTO item_monthly (device_id, item, month, dispensed, restocked, lent, returned, inferred_out, inferred_in)
    VALUES (NEW.device_id, NEW.item, substr(NEW.day, 1, 7), NEW.dispensed, NEW.restocked, NEW.lent, NEW.returned, NEW.inferred_out, NEW.inferred_in)
    ON CONFLICT (device_id, item, month) DO UPDATE SET dispensed = dispensed + excluded.dispensed, restocked = restocked + excluded.restocked, lent = lent + excluded.lent, returned = returned + excluded.returned, inferred_out = inferred_out + excluded.inferred_out, inferred_in = inferred_in + excluded.inferred_in;
END;
CREATE TRIGGER item_daily_month_update AFTER UPDATE ON item_daily BEGIN
  UPDATE item_monthly SET dispensed = dispensed - OLD.dispensed, restocked = restocked - OLD.restocked, lent = lent - OLD.lent, returned = returned - OLD.returned, inferred_out = inferred_out - OLD.inferred_out, inferred_in = inferred_in - OLD.inferred_in
    WHERE device_id = OLD.device_id AND item = OLD.item AND month = substr(OLD.day, 1, 7);
  INSERT INTO item_monthly (device_id, item, month, dispensed, restocked, lent, returned, inferred_out, inferred_in)
    VALUES (NEW.device_id, NEW.item, substr(NEW.day, 1, 7), NEW.dispensed, NEW.restocked, NEW.lent, NEW.returned, NEW.inferred_out, NEW.inferred_in)
    ON CONFLICT (device_id, item, month) DO UPDATE SET dispensed = dispensed + excluded.dispensed, restocked = restocked + excluded.restocked, lent = lent + excluded.lent, returned = returned + excluded.returned, inferred_out = inferred_out + excluded.inferred_out, inferred_in = inferred_in + excluded.inferred_in;
  DELETE FROM item_monthly WHERE device_id = OLD.device_id AND item = OLD.item AND month = substr(OLD.day, 1, 7)
    AND NOT EXISTS (SELECT 1 FROM item_daily WHERE device_id = OLD.device_id AND item = OLD.item AND day BETWEEN substr(OLD.day, 1, 7) || '-01' AND substr(OLD.day, 1, 7) || '-31');
END;
CREATE TRIGGER item_daily_month_delete AFTER DELETE ON item_daily BEGIN
  UPDATE item_monthly SET dispensed = dispensed - OLD.dispensed, restocked = restocked - OLD.restocked, lent = lent - OLD.lent, returned = returned - OLD.returned, inferred_out = inferred_out - OLD.inferred_out, inferred_in = inferred_in - OLD.inferred_in
    WHERE device_id = OLD.device_id AND item = OLD.item AND month = substr(OLD.day, 1, 7);
  DELETE FROM item_monthly WHERE device_id = OLD.device_id AND item = OLD.item AND month = substr(OLD.day, 1, 7)
    AND NOT EXISTS (SELECT 1 FROM item_daily WHERE device_id = OLD.device_id AND item = OLD.item AND day BETWEEN substr(OLD.day, 1, 7) || '-01' AND substr(OLD.day, 1, 7) || '-31');
END;

CREATE TRIGGER device_daily_month_replace BEFORE INSERT ON device_daily BEGIN
  UPDATE device_monthly SET visitors = device_monthly.visitors - o.visitors
    FROM (SELECT visitors FROM device_daily WHERE device_id = NEW.device_id AND day = NEW.day) o
    WHERE device_monthly.device_id = NEW.device_id AND device_monthly.month = substr(NEW.day, 1, 7);
END;
CREATE TRIGGER device_daily_month_insert AFTER INSERT ON device_daily BEGIN
  INSERT INTO device_monthly (device_id, month, visitors) VALUES (NEW.device_id, substr(NEW.day, 1, 7), NEW.visitors)
    ON CONFLICT (device_id, month) DO UPDATE SET visitors = visitors + excluded.visitors;
END;
CREATE TRIGGER device_daily_month_update AFTER UPDATE ON device_daily BEGIN
  UPDATE device_monthly SET visitors = visitors - OLD.visitors WHERE device_id = OLD.device_id AND month = substr(OLD.day, 1, 7);
  INSERT INTO device_monthly (device_id, month, visitors) VALUES (NEW.device_id, substr(NEW.day, 1, 7), NEW.visitors)
    ON CONFLICT (device_id, month) DO UPDATE SET visitors = visitors + excluded.visitors;
  DELETE FROM device_monthly WHERE device_id = OLD.device_id AND month = substr(OLD.day, 1, 7)
    AND NOT EXISTS (SELECT 1 FROM device_daily WHERE device_id = OLD.device_id AND day BETWEEN substr(OLD.day, 1, 7) || '-01' AND substr(OLD.day, 1, 7) || '-31');
END;
CREATE TRIGGER device_daily_month_delete AFTER DELETE ON device_daily BEGIN
  UPDATE device_monthly SET visitors = visitors - OLD.visitors WHERE device_id = OLD.device_id AND month = substr(OLD.day, 1, 7);
  DELETE FROM device_monthly WHERE device_id = OLD.device_id AND month = substr(OLD.day, 1, 7)
    AND NOT EXISTS (SELECT 1 FROM device_daily WHERE device_id = OLD.device_id AND day BETWEEN substr(OLD.day, 1, 7) || '-01' AND substr(OLD.day, 1, 7) || '-31');
END;

-- The four-colour cards read every open alert and those resolved or opened in the last 90 days
-- (worker/db/alerts.ts). alerts_open (resolved_at, opened_at) answers the first two ranges; with
-- this index SQLite answers the third by index too (a multi-index OR) instead of reading every
-- alert ever raised, which grows by thousands a quarter at a province.
CREATE INDEX alerts_opened ON alerts(opened_at);

-- A bench's charged hours in a month for one battery threshold (the rankings' bench part, which
-- otherwise counts ≈ 720 hourly rows per bench and month, three months per ranking). Filled by
-- the hourly cron for past months (worker/db/bench-charged.ts); any write to a device's hourly
-- rollups of a month deletes that device-month's rows in the same statement, so a row present is
-- always what counting the hourly rows would give, and a missing one is counted at read time.
CREATE TABLE bench_month_charged (
  device_id TEXT NOT NULL,
  month TEXT NOT NULL,                    -- YYYY-MM, local
  min_soc REAL NOT NULL,                  -- the ranking's bench_min_soc when counted
  hours INTEGER NOT NULL,
  PRIMARY KEY (device_id, month, min_soc)
) WITHOUT ROWID;
CREATE TRIGGER device_hourly_charged_insert AFTER INSERT ON device_hourly BEGIN
  DELETE FROM bench_month_charged WHERE device_id = NEW.device_id AND month = substr(NEW.day, 1, 7);
END;
CREATE TRIGGER device_hourly_charged_update AFTER UPDATE ON device_hourly BEGIN
  DELETE FROM bench_month_charged WHERE device_id = OLD.device_id AND month = substr(OLD.day, 1, 7);
  DELETE FROM bench_month_charged WHERE device_id = NEW.device_id AND month = substr(NEW.day, 1, 7);
END;
CREATE TRIGGER device_hourly_charged_delete AFTER DELETE ON device_hourly BEGIN
  DELETE FROM bench_month_charged WHERE device_id = OLD.device_id AND month = substr(OLD.day, 1, 7);
END;
