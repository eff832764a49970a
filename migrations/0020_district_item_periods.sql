-- The supplies report's sums per closed week (Monday to Sunday, local) and closed month, per
-- district and item, kept so that a report by week or month over a year reads a few thousand rows
-- instead of grouping every kept day's (a province year by week and district grouped 34,000 rows
-- of district_item_daily: 45 ms of SQL; a year by month summed 43,000 monthly rollups of station
-- devices: 120 ms).
--
-- `period` is a week's Monday (YYYY-MM-DD) or a month (YYYY-MM). Built by the minute cron from
-- the period's district_item_daily rows, in the same batch that keeps days, once every day of the
-- period is kept. Valid exactly while its kept_periods row exists; that row goes with any of its
-- days' daily_totals rows (the trigger below), so a late reading or a registry move, which already
-- drop the day rows (migration 0016), drop the week and the month too. The report reads whole
-- periods in range from here and every other day as before, so an answer is always what summing
-- the rollups would give (worker/db/dashboard-supplies.ts).
CREATE TABLE district_item_periods (
  period TEXT NOT NULL,
  district TEXT NOT NULL,
  item TEXT NOT NULL,
  dispensed REAL NOT NULL,
  inferred_out REAL NOT NULL,
  restocked REAL NOT NULL,
  inferred_in REAL NOT NULL,
  lent REAL NOT NULL,
  returned REAL NOT NULL,
  PRIMARY KEY (period, district, item)
) WITHOUT ROWID;

CREATE TABLE kept_periods (
  period TEXT PRIMARY KEY,
  kept_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Fires only when a kept day goes (rare): nothing new on the ingest path.
CREATE TRIGGER kept_periods_day_gone AFTER DELETE ON daily_totals BEGIN
  DELETE FROM kept_periods WHERE period IN (date(OLD.day, '-6 days', 'weekday 1'), substr(OLD.day, 1, 7));
END;
