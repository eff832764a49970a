-- The rankings read each month's stock-out and offline spells: alerts of two kinds still open or
-- resolved after the month began (worker/db/rankings.ts). By opened_at alone that is every alert
-- opened before the month's end, of any kind, each looked up for its kind: a province's year of
-- 3,000 low-battery and low-stock alerts for none of those two kinds, growing every year. By
-- kind and resolution time it is the spells themselves (SQLite reads the OR as two ranges).
CREATE INDEX alerts_kind_resolved ON alerts(kind, resolved_at, opened_at);
