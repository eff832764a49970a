-- Problem reports from the public page and the station QR pages (no sign-in). Each opens a work
-- order at step 'reported'; the reporter checks its state by the report's unguessable id.
CREATE TABLE public_reports (
  id TEXT PRIMARY KEY,                  -- 128 random bits, base64url: the reporter's reference
  site TEXT NOT NULL,
  site_kind TEXT NOT NULL CHECK (site_kind IN ('station', 'bench')),
  category TEXT NOT NULL CHECK (category IN ('empty', 'broken', 'dirty', 'closed', 'other')),
  text TEXT,
  photo_key TEXT,                       -- R2 key in PHOTOS, once a photo is sent
  photo_type TEXT,
  photo_bytes INTEGER,
  client TEXT NOT NULL,                 -- SHA-256 of the client address: rate limit and abuse review only
  work_order TEXT NOT NULL REFERENCES work_orders(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX public_reports_site ON public_reports(site, created_at);
CREATE INDEX public_reports_order ON public_reports(work_order);
