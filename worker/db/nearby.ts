/**
 * Reads for the public nearby answer: the registry's positions (held in the isolate, behind a
 * spatial index, re-read only when the registry changes) and the live state of the few sites a
 * question looks at.
 */
import { SiteIndex, type SitePoint } from '../domain/nearby/site-index.ts';
import type { BenchLive, StationLive } from '../domain/nearby/serves.ts';

export interface RegistrySites {
  stations: SiteIndex<SitePoint>;
  benches: SiteIndex<SitePoint>;
}

let cached: { key: string; sites: RegistrySites } | null = null;

export async function registrySites(db: D1Database): Promise<RegistrySites> {
  // One single-row read: the counter that triggers move whenever a site is added, moved, removed
  // or (bench) disabled (migrations/0014_registry_version.sql).
  const key = String((await db.prepare('SELECT v FROM registry_version WHERE id = 1').first<{ v: number }>())?.v);
  if (cached?.key === key) return cached.sites;
  const [stations, benches] = await db.batch<SitePoint>([
    db.prepare('SELECT id, lat, lon FROM stations ORDER BY id'),
    db.prepare(
      `SELECT d.id, COALESCE(d.lat, p.lat) AS lat, COALESCE(d.lon, p.lon) AS lon
       FROM devices d LEFT JOIN parks p ON p.id = d.site
       WHERE d.kind = 'bench' AND d.disabled = 0 AND COALESCE(d.lat, p.lat) IS NOT NULL AND COALESCE(d.lon, p.lon) IS NOT NULL ORDER BY d.id`,
    ),
  ]);
  const sites = { stations: new SiteIndex(stations!.results), benches: new SiteIndex(benches!.results) };
  cached = { key, sites };
  return sites;
}

/** A station as read, before its stock is joined in. */
type StationRow = Omit<StationLive, 'stock'>;

/** Live state of these stations: opening, last contact of their devices, items on hand. */
export async function stationsLive(db: D1Database, ids: string[]): Promise<StationLive[]> {
  if (!ids.length) return [];
  const list = JSON.stringify(ids);
  const [rows, stock] = await db.batch<StationRow | { station_id: string; item: string; on_hand: number }>([
    db
      .prepare(
        `SELECT s.id, s.name, s.opening_hours, s.open, s.open_at,
           (SELECT MAX(d.last_seen) FROM devices d WHERE d.site = s.id AND d.kind = 'station' AND d.disabled = 0) AS last_seen
         FROM stations s WHERE s.id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(list),
    db
      .prepare('SELECT station_id, item, on_hand FROM station_items WHERE station_id IN (SELECT value FROM json_each(?1)) AND on_hand > 0')
      .bind(list),
  ]);
  const by = new Map<string, Record<string, number>>();
  for (const r of (stock!.results ?? []) as Array<{ station_id: string; item: string; on_hand: number }>) {
    let s = by.get(r.station_id);
    if (!s) by.set(r.station_id, (s = {}));
    Object.defineProperty(s, r.item, { value: r.on_hand, enumerable: true, writable: true, configurable: true });
  }
  return ((rows!.results ?? []) as StationRow[]).map((r) => ({ ...r, stock: by.get(r.id) ?? {} }));
}

/** Live state of these benches (enabled only). */
export async function benchesLive(db: D1Database, ids: string[]): Promise<BenchLive[]> {
  if (!ids.length) return [];
  const { results } = await db
    .prepare(
      `SELECT d.id, COALESCE(d.name, p.name) AS name, d.battery_soc, d.ports, d.ports_in_use, d.last_seen
       FROM devices d JOIN parks p ON p.id = d.site
       WHERE d.id IN (SELECT value FROM json_each(?1)) AND d.kind = 'bench' AND d.disabled = 0`,
    )
    .bind(JSON.stringify(ids))
    .all<BenchLive>();
  return results;
}
