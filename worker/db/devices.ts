/** Devices (benches and stations' controllers): provisioning rows and token look-ups. */
import type { z } from '@hono/zod-openapi';
import { isoOrNull } from '../domain/local-time.ts';
import type { Device } from '../schemas/devices.ts';

export type DeviceKind = 'bench' | 'station';

export interface DeviceInput {
  id: string;
  kind: DeviceKind;
  site: string;
  name?: string | null;
  lat?: number | null;
  lon?: number | null;
  ports?: number | null;
}

/** What admins see of a device (the Device schema): never its token or token hash. */
export type DeviceView = z.infer<typeof Device>;

/** The devices columns a device's registry row carries; timestamps in ms, flags as 0/1. */
export type DeviceRow = Pick<DeviceView, 'id' | 'kind' | 'site' | 'name' | 'lat' | 'lon' | 'ports'> & {
  disabled: number;
  created_at: number;
  last_seen: number | null;
};

const VIEW_COLUMNS = 'id, kind, site, name, lat, lon, ports, disabled, created_at, last_seen';

export function rowToDevice(r: DeviceRow): DeviceView {
  return {
    id: r.id,
    kind: r.kind,
    site: r.site,
    name: r.name,
    lat: r.lat,
    lon: r.lon,
    ports: r.ports,
    disabled: r.disabled === 1,
    created_at: new Date(r.created_at).toISOString(),
    last_seen: isoOrNull(r.last_seen),
  };
}

/** The insert for one new device, to be run alone or inside a caller's batch. */
export function deviceInsertStatement(db: D1Database, d: DeviceInput, tokenHash: string, now = Date.now()): D1PreparedStatement {
  return db
    .prepare('INSERT INTO devices (id, kind, site, name, lat, lon, ports, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(d.id, d.kind, d.site, d.name ?? null, d.lat ?? null, d.lon ?? null, d.ports ?? null, tokenHash, now);
}

/**
 * Many new devices in a few statements (json_each, 500 a statement), for bulk imports: a
 * province's benches stay far below D1's statement and bound-value limits.
 */
export function devicesInsertStatements(
  db: D1Database,
  devices: Array<DeviceInput & { tokenHash: string }>,
  now = Date.now(),
): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < devices.length; i += 500) {
    const chunk = devices
      .slice(i, i + 500)
      .map((d) => ({ ...d, name: d.name ?? null, lat: d.lat ?? null, lon: d.lon ?? null, ports: d.ports ?? null }));
    out.push(
      db
        .prepare(
          `INSERT INTO devices (id, kind, site, name, lat, lon, ports, token_hash, created_at)
           SELECT j.value->>'id', j.value->>'kind', j.value->>'site', j.value->>'name', j.value->>'lat', j.value->>'lon', j.value->>'ports', j.value->>'tokenHash', ?2
           FROM json_each(?1) j`,
        )
        .bind(JSON.stringify(chunk), now),
    );
  }
  return out;
}

export async function getDevice(db: D1Database, id: string): Promise<DeviceView | null> {
  const row = await db.prepare(`SELECT ${VIEW_COLUMNS} FROM devices WHERE id = ?`).bind(id).first<DeviceRow>();
  return row ? rowToDevice(row) : null;
}

export async function listDevices(db: D1Database, filter: { kind?: DeviceKind; site?: string }): Promise<DeviceView[]> {
  const { results } = await db
    .prepare(
      `SELECT ${VIEW_COLUMNS} FROM devices WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR site = ?2) AND instr(id, '~') = 0 ORDER BY id`,
    )
    .bind(filter.kind ?? null, filter.site ?? null)
    .all<DeviceRow>();
  return results.map(rowToDevice);
}

/** Whether a device's site exists: a park for a bench, a station for a station device. */
export async function siteExists(db: D1Database, kind: DeviceKind, site: string): Promise<boolean> {
  const sql = kind === 'bench' ? 'SELECT 1 AS x FROM parks WHERE id = ?' : 'SELECT 1 AS x FROM stations WHERE id = ?';
  return (await db.prepare(sql).bind(site).first()) !== null;
}

/** Replace the token hash; the old token stops working with this write. */
export async function setTokenHash(db: D1Database, id: string, tokenHash: string): Promise<boolean> {
  const r = await db.prepare('UPDATE devices SET token_hash = ? WHERE id = ?').bind(tokenHash, id).run();
  return r.meta.changes > 0;
}

export interface DevicePatch {
  disabled?: boolean;
  name?: string | null;
  lat?: number | null;
  lon?: number | null;
  ports?: number | null;
  site?: string;
}

/**
 * `revokedHash` replaces the token hash when a disabled device is enabled again: the token it had
 * is gone for good, and an admin issues a new one (POST /devices/{id}/token). While disabled, the
 * old hash stays so that the device is answered 403 "disabled", as the contract says.
 */
export async function patchDevice(db: D1Database, id: string, p: DevicePatch, revokedHash: string): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE devices SET
         token_hash = CASE WHEN ?2 = 0 AND disabled = 1 THEN ?11 ELSE token_hash END,
         disabled = COALESCE(?2, disabled),
         name = CASE WHEN ?3 THEN ?4 ELSE name END,
         lat = CASE WHEN ?5 THEN ?6 ELSE lat END,
         lon = CASE WHEN ?5 THEN ?7 ELSE lon END,
         ports = CASE WHEN ?8 THEN ?9 ELSE ports END,
         site = COALESCE(?10, site)
       WHERE id = ?1`,
    )
    .bind(
      id,
      p.disabled === undefined ? null : p.disabled ? 1 : 0,
      p.name !== undefined ? 1 : 0,
      p.name ?? null,
      p.lat !== undefined || p.lon !== undefined ? 1 : 0,
      p.lat ?? null,
      p.lon ?? null,
      p.ports !== undefined ? 1 : 0,
      p.ports ?? null,
      p.site ?? null,
      revokedHash,
    )
    .run();
  return r.meta.changes > 0;
}

/** The device a telemetry token belongs to, with what ingestion needs to know. */
export interface TokenDevice {
  id: string;
  kind: DeviceKind;
  site: string;
  disabled: number;
}

export async function deviceByTokenHash(db: D1Database, tokenHash: string): Promise<TokenDevice | null> {
  return db.prepare('SELECT id, kind, site, disabled FROM devices WHERE token_hash = ?').bind(tokenHash).first<TokenDevice>();
}
