-- Raw telemetry retention (RAW_RETENTION_DAYS) and indexes for province scale.

-- The hourly compaction job deletes ledger rows older than the window device by device. The
-- ledger's key is the envelope's seq or '<name>@<ms>', not time, so without this index each
-- device's whole ledger would be read to find its old rows. It also serves a device's newest
-- messages (station and bench pages).
CREATE INDEX messages_ts ON messages(device_id, ts);

-- Province scale (bench/province.ts: 2,000 devices, a year): the dashboards sum a day range of
-- the daily rollups over every device. Through an index on `day` alone, each entry cost a
-- look-up in the table (seconds at a province's year); these indexes carry the columns the
-- sums read, so a day range is one sequential read. They lead with `day`, so they replace the
-- old ones.
DROP INDEX item_daily_day;
CREATE INDEX item_daily_day ON item_daily(day, item, device_id, dispensed, restocked, lent, returned, inferred_out, inferred_in);
DROP INDEX device_daily_day;
CREATE INDEX device_daily_day ON device_daily(day, device_id, visitors, sessions, energy_wh, solar_wh, batt_min, batt_sum, batt_n, load_sum, load_n, samples);
