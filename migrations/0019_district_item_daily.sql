-- The supplies report's sums per closed local day, district and item, kept so that a report by
-- day or week over months reads a few rows per day instead of every station device's daily
-- rollups (a year of a province by week summed 876,000 rows of item_daily: 0.8 s; by district
-- 1.2 s).
--
-- Only station controllers placed at a station count, as in the report. A day's rows are written
-- by the minute cron in the same transaction as the day's daily_totals row (migration 0016) and
-- are valid exactly while that row exists: its triggers delete it when any daily rollup of the
-- day is written (a late reading) and delete every row when the registry moves a device, station
-- or park. The report reads the rows of kept days and sums the other days live, so an answer is
-- always what summing the rollups would give (worker/db/dashboard-supplies.ts).
CREATE TABLE district_item_daily (
  day TEXT NOT NULL,                      -- YYYY-MM-DD, local
  district TEXT NOT NULL,
  item TEXT NOT NULL,
  dispensed REAL NOT NULL,
  inferred_out REAL NOT NULL,
  restocked REAL NOT NULL,
  inferred_in REAL NOT NULL,
  lent REAL NOT NULL,
  returned REAL NOT NULL,
  PRIMARY KEY (day, district, item)
) WITHOUT ROWID;

-- The cron now keeps every closed day with data, not only the overview's 59: the rows kept so far
-- have no district rows beside them, so they go and are written again (the overview sums live
-- meanwhile).
DELETE FROM daily_totals;
