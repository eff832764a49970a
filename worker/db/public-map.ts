/** What the public map shows of benches: position, charge, free ports, health. Nothing else. */
import { activeFaultCountSql } from './faults.ts';
import { benchHealth, type Grade } from '../domain/health.ts';

export interface PublicBench {
  id: string;
  name: string | null;
  park: string;
  park_name: string;
  district: string;
  lat: number;
  lon: number;
  battery_soc: number | null;
  ports: number | null;
  free_ports: number | null;
  health: Grade;
}

/** A bench as read: the public fields, and what its free ports and health are worked out from. */
interface BenchRow extends Omit<PublicBench, 'free_ports' | 'health'> {
  ports_in_use: number | null;
  last_seen: number | null;
  active_faults: number;
}

/** Enabled benches, standing at their own point or else at their park's. */
export async function publicBenches(db: D1Database, now: number): Promise<PublicBench[]> {
  const { results } = await db
    .prepare(
      `SELECT d.id, d.name, d.site AS park, p.name AS park_name, p.district, COALESCE(d.lat, p.lat) AS lat, COALESCE(d.lon, p.lon) AS lon,
         d.battery_soc, d.ports, d.ports_in_use, d.last_seen,
         ${activeFaultCountSql('d')} AS active_faults
       FROM devices d JOIN parks p ON p.id = d.site
       WHERE d.kind = 'bench' AND d.disabled = 0 ORDER BY d.id`,
    )
    .all<BenchRow>();
  return results.map((b) => ({
    id: b.id,
    name: b.name,
    park: b.park,
    park_name: b.park_name,
    district: b.district,
    lat: b.lat,
    lon: b.lon,
    battery_soc: b.battery_soc === null ? null : Math.round(b.battery_soc),
    ports: b.ports,
    free_ports: b.ports === null || b.ports_in_use === null ? null : Math.max(0, b.ports - b.ports_in_use),
    health: benchHealth({ lastSeen: b.last_seen, activeFaults: b.active_faults, batterySoc: b.battery_soc }, now).grade,
  }));
}
