/** Pocket parks (口袋公园): where benches stand. */

export interface ParkView {
  id: string;
  name: string;
  district: string;
  lat: number;
  lon: number;
  benches: number;
  created_at: string;
}

interface ParkRow extends Omit<ParkView, 'created_at'> {
  created_at: number;
}

const SELECT = `SELECT p.id, p.name, p.district, p.lat, p.lon, p.created_at,
  (SELECT COUNT(*) FROM devices d WHERE d.kind = 'bench' AND d.site = p.id) AS benches
  FROM parks p`;

function rowToPark(r: ParkRow): ParkView {
  return {
    id: r.id,
    name: r.name,
    district: r.district,
    lat: r.lat,
    lon: r.lon,
    benches: r.benches,
    created_at: new Date(r.created_at).toISOString(),
  };
}

export async function listParks(db: D1Database, filter: { district?: string }): Promise<ParkView[]> {
  const { results } = await db
    .prepare(`${SELECT} WHERE (?1 IS NULL OR p.district = ?1) ORDER BY p.id`)
    .bind(filter.district ?? null)
    .all<ParkRow>();
  return results.map(rowToPark);
}

export async function getPark(db: D1Database, id: string): Promise<ParkView | null> {
  const row = await db.prepare(`${SELECT} WHERE p.id = ?`).bind(id).first<ParkRow>();
  return row ? rowToPark(row) : null;
}

export interface ParkInput {
  id: string;
  name: string;
  district: string;
  lat: number;
  lon: number;
}

/** Insert a new park; false when the id is taken. The caller has checked the district. */
export async function insertPark(db: D1Database, p: ParkInput, now = Date.now()): Promise<boolean> {
  const r = await db
    .prepare('INSERT INTO parks (id, name, district, lat, lon, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
    .bind(p.id, p.name, p.district, p.lat, p.lon, now)
    .run();
  return r.meta.changes > 0;
}

export async function patchPark(db: D1Database, id: string, p: Partial<Omit<ParkInput, 'id'>>): Promise<boolean> {
  const r = await db
    .prepare(
      'UPDATE parks SET name = COALESCE(?2, name), district = COALESCE(?3, district), lat = COALESCE(?4, lat), lon = COALESCE(?5, lon) WHERE id = ?1',
    )
    .bind(id, p.name ?? null, p.district ?? null, p.lat ?? null, p.lon ?? null)
    .run();
  return r.meta.changes > 0;
}
