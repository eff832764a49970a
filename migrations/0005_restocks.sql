-- Staff restocks (POST /api/v1/stations/{id}/restocks): one row per client-made id, so a
-- resend is recognised and counted once. The items also enter `events` as `restock` events of
-- the station's restock ledger (a devices row `restocks~<station>`, kind 'station', disabled,
-- without a token: `~` is outside the id syntax, so no device can be registered or addressed
-- under that id). That way the supplies report, the item rollups, stock on hand and level-drop
-- inference see a staff restock exactly as they see a device's restock event: once.
CREATE TABLE restocks (
  id TEXT PRIMARY KEY,             -- the client-made id
  station_id TEXT NOT NULL REFERENCES stations(id),
  items TEXT NOT NULL,             -- canonical JSON {code: qty}, keys sorted
  note TEXT,
  by TEXT NOT NULL,                -- person id of the caller's token, else the token id
  token_id TEXT NOT NULL,
  at INTEGER NOT NULL              -- server time it was recorded (epoch ms)
);
CREATE INDEX restocks_station ON restocks(station_id, at);
