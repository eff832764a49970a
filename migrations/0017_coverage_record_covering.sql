-- The rankings average each district's recorded live coverage over a month
-- (worker/db/rankings.ts, recordedCoverage): 36 districts × 720 hours a month. Through the index on
-- `day` alone every one of those rows was also looked up in the table; this index holds what the
-- average reads, so a month is one range of it.
CREATE INDEX coverage_district_hourly_day_cover ON coverage_district_hourly(day, district, population, covered);
DROP INDEX coverage_district_hourly_day;
