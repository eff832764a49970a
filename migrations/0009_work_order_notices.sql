-- Escalation notices of overdue work orders (双十), sent through the alert channels and queue.
-- One notice per (order, dispatch, stage): the arrival stage overdue, then the handling stage
-- overdue; a failed check (回头看) dispatches again and starts a new round. The unique key is
-- what makes "never twice" hold even when two scheduled runs overlap.
CREATE TABLE work_order_notices (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES work_orders(id),
  -- Which dispatch of the order (1 = the first; each failed check adds one).
  dispatch_no INTEGER NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('arrival', 'handling')),
  -- The missed deadline (ms) and when the scheduled handler found it missed.
  due_at INTEGER NOT NULL,
  at INTEGER NOT NULL,
  -- Put on the notification queue (outbox, as alert_changes.queued_at).
  queued_at INTEGER,
  UNIQUE (order_id, dispatch_no, stage)
);
CREATE INDEX work_order_notices_unqueued ON work_order_notices(queued_at, at);

-- One row per (notice, channel), as notification_deliveries is for alert changes.
CREATE TABLE work_order_notice_deliveries (
  notice_id TEXT NOT NULL REFERENCES work_order_notices(id),
  channel_id TEXT NOT NULL REFERENCES notification_channels(id),
  status TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (notice_id, channel_id)
) WITHOUT ROWID;
