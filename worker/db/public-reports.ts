/**
 * Public problem reports and the work order each one opens (kind 'report', at 'reported', created
 * by 'public'), written with the work-order module's own statements in the same batch.
 */
import { openOrderStatements } from './work-orders.ts';

export type ReportCategory = 'empty' | 'broken' | 'dirty' | 'closed' | 'other';

export interface PublicReportRow {
  id: string;
  site: string;
  site_kind: 'station' | 'bench';
  category: ReportCategory;
  text: string | null;
  photo_key: string | null;
  work_order: string;
  created_at: number;
  step: string;
  updated_at: number;
}

/** Where a report may point: a station, or an enabled bench. Null when neither. */
export async function siteKind(db: D1Database, site: string): Promise<'station' | 'bench' | null> {
  const r = await db
    .prepare(
      `SELECT CASE WHEN EXISTS (SELECT 1 FROM stations WHERE id = ?1) THEN 'station'
                   WHEN EXISTS (SELECT 1 FROM devices WHERE id = ?1 AND kind = 'bench' AND disabled = 0) THEN 'bench' END AS kind`,
    )
    .bind(site)
    .first<{ kind: 'station' | 'bench' | null }>();
  return r?.kind ?? null;
}

const CATEGORY_NOTE: Record<ReportCategory, string> = {
  empty: 'Public report: out of stock (缺货)',
  broken: 'Public report: broken (损坏)',
  dirty: 'Public report: dirty (不洁)',
  closed: 'Public report: closed when it should be open (应开未开)',
  other: 'Public report: other (其他)',
};

export interface NewReport {
  id: string;
  workOrder: string;
  site: string;
  siteKind: 'station' | 'bench';
  category: ReportCategory;
  text: string | null;
  client: string;
}

/** The report, its work order at 'reported' and that step: one batch, all or nothing. */
export async function insertPublicReport(db: D1Database, r: NewReport, now: number): Promise<void> {
  const note = r.text ? `${CATEGORY_NOTE[r.category]}: ${r.text}` : CATEGORY_NOTE[r.category];
  await db.batch([
    // The work order at 'reported', opened the way every order is (worker/db/work-orders.ts).
    ...openOrderStatements(db, {
      id: r.workOrder,
      site: r.site,
      site_kind: r.siteKind,
      kind: 'report',
      report: r.id,
      note,
      by: 'public',
      now,
    }),
    db
      .prepare(
        'INSERT INTO public_reports (id, site, site_kind, category, text, client, work_order, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .bind(r.id, r.site, r.siteKind, r.category, r.text, r.client, r.workOrder, now),
  ]);
}

export async function getPublicReport(db: D1Database, id: string): Promise<PublicReportRow | null> {
  return db
    .prepare(
      `SELECT r.id, r.site, r.site_kind, r.category, r.text, r.photo_key, r.work_order, r.created_at, w.step, w.updated_at
       FROM public_reports r JOIN work_orders w ON w.id = r.work_order WHERE r.id = ?`,
    )
    .bind(id)
    .first<PublicReportRow>();
}

/** Record the photo once; false when the report already has one. */
export async function setReportPhoto(db: D1Database, id: string, key: string, type: string, bytes: number): Promise<boolean> {
  const r = await db
    .prepare('UPDATE public_reports SET photo_key = ?2, photo_type = ?3, photo_bytes = ?4 WHERE id = ?1 AND photo_key IS NULL')
    .bind(id, key, type, bytes)
    .run();
  return r.meta.changes > 0;
}

/** What the reporter sees of the seven steps: received, being handled, done. */
export function reportState(step: string): 'received' | 'being_handled' | 'done' {
  if (step === 'reported' || step === 'registered') return 'received';
  if (step === 'closed' || step === 'evaluated') return 'done';
  return 'being_handled';
}
