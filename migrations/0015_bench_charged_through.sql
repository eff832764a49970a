-- The current month's charged hours kept too, up to yesterday (the rankings' bench part).
--
-- Until now only past months were kept (bench_month_charged, migration 0013): the current month
-- was counted from device_hourly on every ranking request, 1,200 benches × every hour so far (on
-- the 20th of a month ≈ 580,000 rows, > 100 ms). A kept row now says which days it counts
-- (`through_day`, the month's last day for a past month, yesterday for the current one); a read
-- adds the hours after it, and the hourly rollups delete a row only when an hour it counted
-- changes, so today's readings leave the current month's row in place and a late one for an
-- earlier day takes it away (the cron counts it again within the hour).
ALTER TABLE bench_month_charged ADD COLUMN through_day TEXT;
UPDATE bench_month_charged SET through_day = month || '-31';

DROP TRIGGER device_hourly_charged_insert;
DROP TRIGGER device_hourly_charged_update;
DROP TRIGGER device_hourly_charged_delete;
CREATE TRIGGER device_hourly_charged_insert AFTER INSERT ON device_hourly BEGIN
  DELETE FROM bench_month_charged WHERE device_id = NEW.device_id AND month = substr(NEW.day, 1, 7) AND through_day >= NEW.day;
END;
CREATE TRIGGER device_hourly_charged_update AFTER UPDATE ON device_hourly BEGIN
  DELETE FROM bench_month_charged WHERE device_id = OLD.device_id AND month = substr(OLD.day, 1, 7) AND through_day >= OLD.day;
  DELETE FROM bench_month_charged WHERE device_id = NEW.device_id AND month = substr(NEW.day, 1, 7) AND through_day >= NEW.day;
END;
CREATE TRIGGER device_hourly_charged_delete AFTER DELETE ON device_hourly BEGIN
  DELETE FROM bench_month_charged WHERE device_id = OLD.device_id AND month = substr(OLD.day, 1, 7) AND through_day >= OLD.day;
END;
