-- The supplies report's sums per closed week (Monday to Sunday, local), district and item, kept
-- so that a report by week over a year reads a few thousand rows instead of grouping every kept
-- day's (a province year by week and district grouped 34,000 rows of district_item_daily: 45 ms
-- of SQL, the slowest dashboard read left).
--
-- Built by the minute cron from the seven days' district_item_daily rows, in the same batch that
-- keeps days, once all seven days of a week are kept. Valid exactly while its kept_weeks row
-- exists; that row goes with any of its days' daily_totals rows (the trigger below), so a late
-- reading or a registry move, which already drop the day rows (migration 0016), drop the week
-- too. The report reads whole weeks kept here and every other day as before, so an answer is
-- always what summing the rollups would give (worker/db/dashboard-supplies.ts).
CREATE TABLE district_item_weekly (
  week TEXT NOT NULL,                     -- YYYY-MM-DD, the local Monday
  district TEXT NOT NULL,
  item TEXT NOT NULL,
  dispensed REAL NOT NULL,
  inferred_out REAL NOT NULL,
  restocked REAL NOT NULL,
  inferred_in REAL NOT NULL,
  lent REAL NOT NULL,
  returned REAL NOT NULL,
  PRIMARY KEY (week, district, item)
) WITHOUT ROWID;

CREATE TABLE kept_weeks (
  week TEXT PRIMARY KEY,                  -- YYYY-MM-DD, the local Monday
  kept_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Fires only when a kept day goes (rare): nothing new on the ingest path.
CREATE TRIGGER kept_weeks_day_gone AFTER DELETE ON daily_totals BEGIN
  DELETE FROM kept_weeks WHERE week = date(OLD.day, '-6 days', 'weekday 1');
END;
