/** Stations and parks as landmarks for the public page: names and positions only. */
export interface PlaceRow {
  kind: 'station' | 'park';
  id: string;
  name: string;
  district: string;
  lat: number;
  lon: number;
}

export async function publicPlaces(db: D1Database): Promise<PlaceRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM (
         SELECT 'station' AS kind, s.id AS id, s.name AS name, d.name AS district, s.lat AS lat, s.lon AS lon FROM stations s JOIN districts d ON d.id = s.district
         UNION ALL
         SELECT 'park', p.id, p.name, d.name, p.lat, p.lon FROM parks p JOIN districts d ON d.id = p.district)
       ORDER BY district, name, id`,
    )
    .all<PlaceRow>();
  return results;
}
