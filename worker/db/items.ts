/** Supply items: the registry of codes stations stock, including codes first seen in telemetry. */
import { isoOrNull } from '../domain/local-time.ts';

export interface ItemView {
  code: string;
  name_zh: string | null;
  name_en: string | null;
  unit: string | null;
  registered: boolean;
  first_seen: string | null;
}

interface ItemRow {
  code: string;
  name_zh: string | null;
  name_en: string | null;
  unit: string | null;
  registered: number;
  first_seen: number | null;
}

function rowToItem(r: ItemRow): ItemView {
  return {
    code: r.code,
    name_zh: r.name_zh,
    name_en: r.name_en,
    unit: r.unit,
    registered: r.registered === 1,
    first_seen: isoOrNull(r.first_seen),
  };
}

const COLUMNS = 'code, name_zh, name_en, unit, registered, first_seen';

export async function listItems(db: D1Database, filter: { registered?: boolean }): Promise<ItemView[]> {
  const reg = filter.registered === undefined ? null : filter.registered ? 1 : 0;
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM items WHERE (?1 IS NULL OR registered = ?1) ORDER BY registered, code`)
    .bind(reg)
    .all<ItemRow>();
  return results.map(rowToItem);
}

export async function getItem(db: D1Database, code: string): Promise<ItemView | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM items WHERE code = ?`).bind(code).first<ItemRow>();
  return row ? rowToItem(row) : null;
}

export interface ItemNames {
  name_zh: string;
  name_en: string;
  unit: string;
}

/**
 * Register an item: a new code, or one first seen in telemetry and waiting for a name.
 * False when the code is already registered.
 */
export async function registerItem(db: D1Database, code: string, n: ItemNames): Promise<boolean> {
  const r = await db
    .prepare(
      `INSERT INTO items (code, name_zh, name_en, unit, registered) VALUES (?1, ?2, ?3, ?4, 1)
       ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, unit = excluded.unit, registered = 1
       WHERE items.registered = 0`,
    )
    .bind(code, n.name_zh, n.name_en, n.unit)
    .run();
  return r.meta.changes > 0;
}

/** Update names; the item counts as registered from now on. */
export async function patchItem(db: D1Database, code: string, p: Partial<ItemNames>): Promise<boolean> {
  const r = await db
    .prepare(
      'UPDATE items SET name_zh = COALESCE(?2, name_zh), name_en = COALESCE(?3, name_en), unit = COALESCE(?4, unit), registered = 1 WHERE code = ?1',
    )
    .bind(code, p.name_zh ?? null, p.name_en ?? null, p.unit ?? null)
    .run();
  return r.meta.changes > 0;
}
