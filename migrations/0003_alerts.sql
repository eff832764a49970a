-- Alerts engine (issue 11): the state behind hysteresis and the card ladder, every change of an
-- alert (history, and the key of each notification), threshold overrides, cached consumption
-- profiles for the stock-out forecast, notification channels per team and their delivery log.

-- When a condition was first seen clear: the alert resolves once it stays clear for the dwell.
ALTER TABLE alerts ADD COLUMN clear_since INTEGER;
-- When an open alert is due to be dealt with; past it the alert is overdue (red on repetition).
ALTER TABLE alerts ADD COLUMN deadline_at INTEGER;
-- Structured figures behind `detail` (JSON), for the dashboard to word in its own language.
ALTER TABLE alerts ADD COLUMN data TEXT;

-- Every change of an alert, in order: opened, escalated (colour up), overdue, resolved.
-- Its id is the idempotency key of the notifications it causes.
CREATE TABLE alert_changes (
  id TEXT PRIMARY KEY,
  alert_id TEXT NOT NULL REFERENCES alerts(id),
  change TEXT NOT NULL CHECK (change IN ('opened', 'escalated', 'overdue', 'resolved')),
  colour TEXT NOT NULL,
  at INTEGER NOT NULL,
  -- Put on the notification queue (outbox: the scheduled handler sends what is still NULL).
  queued_at INTEGER
);
CREATE INDEX alert_changes_alert ON alert_changes(alert_id, at);
CREATE INDEX alert_changes_unqueued ON alert_changes(queued_at, at);
-- One overdue change per alert.
CREATE UNIQUE INDEX alert_changes_one_overdue ON alert_changes(alert_id) WHERE change = 'overdue';

-- Threshold overrides: '' for site or item means "any". The most specific row wins
-- (site+item, site, item, global), then the built-in default (worker/domain/alerts/settings.ts).
CREATE TABLE alert_settings (
  key TEXT NOT NULL,
  site TEXT NOT NULL DEFAULT '',
  item TEXT NOT NULL DEFAULT '',
  value REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (key, site, item)
) WITHOUT ROWID;

-- Hour-of-week consumption profile per station and item (168 numbers, JSON), from item_hourly;
-- recomputed by the scheduled handler when older than a few hours.
CREATE TABLE consumption_profiles (
  station_id TEXT NOT NULL,
  item TEXT NOT NULL,
  profile TEXT NOT NULL,
  computed_at INTEGER NOT NULL,
  PRIMARY KEY (station_id, item)
) WITHOUT ROWID;

-- Where a team hears about alerts: WeCom / DingTalk group robots, signed JSON webhooks.
CREATE TABLE notification_channels (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id),
  type TEXT NOT NULL CHECK (type IN ('wecom', 'dingtalk', 'webhook')),
  url TEXT NOT NULL,
  secret TEXT,
  -- JSON array of alert kinds, or NULL for every kind.
  kinds TEXT,
  min_colour TEXT NOT NULL DEFAULT 'yellow' CHECK (min_colour IN ('yellow', 'orange', 'red')),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX notification_channels_team ON notification_channels(team_id);

-- One row per (alert change, channel): a change is never delivered twice to a channel.
CREATE TABLE notification_deliveries (
  change_id TEXT NOT NULL REFERENCES alert_changes(id),
  channel_id TEXT NOT NULL REFERENCES notification_channels(id),
  status TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (change_id, channel_id)
) WITHOUT ROWID;
