-- Work orders: the 双十 targets per kind, escalation of overdue orders, and photo evidence in R2.
-- The work_orders and work_order_steps tables themselves are in 0002_operations.sql.

-- "双十" (Jinshui): on site within 10 minutes of dispatch, handled within 10 more. Configurable per
-- work-order kind; a kind without a row uses the defaults (WORK_ORDER_SLA_* vars, else 600 s each).
CREATE TABLE work_order_sla_targets (
  kind TEXT PRIMARY KEY,
  dispatch_to_arrival_s INTEGER NOT NULL CHECK (dispatch_to_arrival_s > 0),
  arrival_to_handled_s INTEGER NOT NULL CHECK (arrival_to_handled_s > 0),
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- When the scheduled handler found the current dispatch overdue and escalated it (NULL: not, or a
-- new dispatch after a failed check started the clock again).
ALTER TABLE work_orders ADD COLUMN escalated_at INTEGER;
CREATE INDEX work_orders_team ON work_orders(assignee_team, step);
CREATE INDEX work_orders_person ON work_orders(assignee_person, step);
CREATE INDEX work_orders_open_dispatch ON work_orders(step, dispatched_at) WHERE closed_at IS NULL;

-- Photo evidence: the bytes live in R2 (binding PHOTOS, key work-orders/<order>/<photo id>); this
-- is the index, with the step it documents and who took it.
CREATE TABLE work_order_photos (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES work_orders(id),
  step TEXT NOT NULL CHECK (step IN ('handled', 'checked')),
  r2_key TEXT NOT NULL UNIQUE,
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes INTEGER NOT NULL,
  at INTEGER NOT NULL,
  by TEXT NOT NULL
);
CREATE INDEX work_order_photos_order ON work_order_photos(order_id, at);
