-- Raw telemetry retention (RAW_RETENTION_DAYS): the hourly compaction job deletes ledger rows
-- older than the window device by device. The ledger's key is the envelope's seq or
-- '<name>@<ms>', not time, so without this index each device's whole ledger would be read to
-- find its old rows. It also serves a device's newest messages (station and bench pages).
CREATE INDEX messages_ts ON messages(device_id, ts);
