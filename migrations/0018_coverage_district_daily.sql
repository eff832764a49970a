-- A month's coverage part averages each district's recorded hours (worker/db/rankings.ts,
-- recordedCoverage): 26,000 rows a month on a province, and a six-month history reads eight
-- months. This keeps each district-day's sums, so a month reads 30 rows a district. The hourly
-- cron writes 36 rows an hour; each write recomputes its district-day from that day's (at most
-- 24) hourly rows, so a sum never drifts and no writer can leave a day behind.
CREATE TABLE coverage_district_daily (
  day TEXT NOT NULL,
  district TEXT NOT NULL,
  hours INTEGER NOT NULL,
  share_sum REAL NOT NULL,        -- Σ covered / population over the hours (0 where population is 0)
  population_sum REAL NOT NULL,   -- Σ population over the hours
  PRIMARY KEY (day, district)
) WITHOUT ROWID;

INSERT INTO coverage_district_daily (day, district, hours, share_sum, population_sum)
  SELECT day, district, COUNT(*), TOTAL(CASE WHEN population > 0 THEN covered / population ELSE 0 END), TOTAL(population)
  FROM coverage_district_hourly GROUP BY day, district;

CREATE TRIGGER coverage_daily_insert AFTER INSERT ON coverage_district_hourly BEGIN
  DELETE FROM coverage_district_daily WHERE day = NEW.day AND district = NEW.district;
  INSERT INTO coverage_district_daily (day, district, hours, share_sum, population_sum)
    SELECT day, district, COUNT(*), TOTAL(CASE WHEN population > 0 THEN covered / population ELSE 0 END), TOTAL(population)
    FROM coverage_district_hourly WHERE day = NEW.day AND district = NEW.district GROUP BY day, district;
END;

CREATE TRIGGER coverage_daily_update AFTER UPDATE ON coverage_district_hourly BEGIN
  DELETE FROM coverage_district_daily WHERE (day = OLD.day AND district = OLD.district) OR (day = NEW.day AND district = NEW.district);
  INSERT INTO coverage_district_daily (day, district, hours, share_sum, population_sum)
    SELECT day, district, COUNT(*), TOTAL(CASE WHEN population > 0 THEN covered / population ELSE 0 END), TOTAL(population)
    FROM coverage_district_hourly WHERE (day = OLD.day AND district = OLD.district) OR (day = NEW.day AND district = NEW.district)
    GROUP BY day, district;
END;

CREATE TRIGGER coverage_daily_delete AFTER DELETE ON coverage_district_hourly BEGIN
  DELETE FROM coverage_district_daily WHERE day = OLD.day AND district = OLD.district;
  INSERT INTO coverage_district_daily (day, district, hours, share_sum, population_sum)
    SELECT day, district, COUNT(*), TOTAL(CASE WHEN population > 0 THEN covered / population ELSE 0 END), TOTAL(population)
    FROM coverage_district_hourly WHERE day = OLD.day AND district = OLD.district GROUP BY day, district;
END;
