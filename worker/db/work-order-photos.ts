/** The index of a work order's photo evidence; the bytes are in R2 (binding PHOTOS). */

export interface PhotoRecord {
  id: string;
  order_id: string;
  step: 'handled' | 'checked';
  r2_key: string;
  content_type: string;
  bytes: number;
  at: number;
  by: string;
}

export function photoKey(orderId: string, photoId: string): string {
  return `work-orders/${orderId}/${photoId}`;
}

export function newPhotoId(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return 'ph_' + [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export async function insertPhoto(db: D1Database, p: PhotoRecord): Promise<void> {
  await db
    .prepare('INSERT INTO work_order_photos (id, order_id, step, r2_key, content_type, bytes, at, by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(p.id, p.order_id, p.step, p.r2_key, p.content_type, p.bytes, p.at, p.by)
    .run();
}

export async function getPhoto(db: D1Database, orderId: string, photoId: string): Promise<PhotoRecord | null> {
  return db.prepare('SELECT * FROM work_order_photos WHERE order_id = ? AND id = ?').bind(orderId, photoId).first<PhotoRecord>();
}
