import { applyD1Migrations, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../worker/auth/tokens.ts';
import { keepSinceOpening } from '../../worker/db/since-opening.ts';

/**
 * Deploy rehearsal (docs/operations.md): a database built with the first schema (0001 only) and
 * holding data is upgraded by applying the later migrations, as `npm run deploy` does with
 * `wrangler d1 migrations apply DB --remote`; every row and every column it had survives.
 */
const db = env.UPGRADE_DB;
const T = 1_780_000_000_000;

async function rows(table: string, columns: string[]): Promise<unknown[]> {
  const { results } = await db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" ORDER BY 1, 2`).all();
  return results;
}

describe('upgrading a database built with the previous schema', () => {
  it('applies every later migration to a 0001 database with data, losing nothing', async () => {
    const all = env.TEST_MIGRATIONS;
    expect(all[0]!.name).toMatch(/^0001_/);
    expect(all.length).toBeGreaterThan(1);
    await applyD1Migrations(db, all.slice(0, 1));

    const adminHash = await hashToken('api_upgrade-admin');
    await db.batch([
      db.prepare("INSERT INTO districts (id, name, created_at) VALUES ('dcf', '东昌府区', ?)").bind(T),
      db.prepare("INSERT INTO parks (id, name, district, lat, lon, created_at) VALUES ('p1', '印象公园', 'dcf', 36.45, 115.98, ?)").bind(T),
      db
        .prepare(
          "INSERT INTO stations (id, name, district, lat, lon, opening_hours, created_at, open, open_at, updated_at) VALUES ('s1', '人民广场驿站', 'dcf', 36.456, 115.985, 'Mo-Su 06:00-22:00', ?, 1, ?, ?)",
        )
        .bind(T, T, T),
      db
        .prepare(
          "INSERT INTO devices (id, kind, site, token_hash, created_at, last_seen, battery_soc) VALUES ('ctl-1', 'station', 's1', 'h1', ?, ?, NULL), ('bench-1', 'bench', 'p1', 'h2', ?, ?, 77.5)",
        )
        .bind(T, T, T, T),
      db
        .prepare(
          "INSERT INTO api_tokens (id, name, role, token_hash, created_at) VALUES ('t1', 'planning office', 'planner', 'h3', ?), ('t2', 'ops', 'admin', ?, ?)",
        )
        .bind(T, adminHash, T),
      db
        .prepare(
          "INSERT INTO station_items (station_id, item, par_level, reorder_point, on_hand, on_hand_at) VALUES ('s1', 'water', 48, 12, 30, ?)",
        )
        .bind(T),
      db
        .prepare(
          "INSERT INTO messages (device_id, key, ts, type, body, ingest_id, received_at) VALUES ('ctl-1', '1', ?, 'dispense', '{\"item\":\"water\",\"qty\":2}', 'i1', ?)",
        )
        .bind(T, T),
      db.prepare("INSERT INTO item_daily (device_id, item, day, dispensed) VALUES ('ctl-1', 'water', '2026-05-28', 2)"),
      db.prepare("INSERT INTO device_daily (device_id, day, sessions, energy_wh) VALUES ('bench-1', '2026-05-28', 3, 12.5)"),
    ]);
    const tables = (
      await db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
        )
        .all<{ name: string }>()
    ).results.map((r) => r.name);
    const before = new Map<string, { columns: string[]; rows: unknown[] }>();
    for (const t of tables) {
      const columns = (await db.prepare('SELECT name FROM pragma_table_info(?)').bind(t).all<{ name: string }>()).results.map(
        (c) => c.name,
      );
      before.set(t, { columns, rows: await rows(t, columns) });
    }
    expect(before.get('api_tokens')!.rows.length).toBe(2);

    await applyD1Migrations(db, all);

    const applied = (await db.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>()).results.map((r) => r.name);
    expect(applied).toEqual(all.map((m) => m.name));
    for (const [t, { columns, rows: old }] of before) {
      expect(await rows(t, columns), `table ${t}`).toEqual(old);
    }
    // Tables kept from the rollups start from the rows the database had: each device's first month
    // (0021), and, once the cron has run, each station's figures since opening (0023).
    expect((await db.prepare('SELECT device_id, item_month, visits_month FROM device_first_month ORDER BY 1').all()).results).toEqual([
      { device_id: 'bench-1', item_month: null, visits_month: '2026-05' },
      { device_id: 'ctl-1', item_month: '2026-05', visits_month: null },
    ]);
    expect(await keepSinceOpening(db, Date.parse('2026-07-10T04:00:00Z'), 'Asia/Shanghai')).toBe(1);
    expect((await db.prepare('SELECT station, item, through, dispensed FROM station_since_items').all()).results).toEqual([
      { station: 's1', item: 'water', through: '2026-06', dispensed: 2 },
    ]);
    // The rebuilt token table still knows the admin token, with the new columns empty.
    const token = await db.prepare('SELECT id, role, person_id FROM api_tokens WHERE token_hash = ?').bind(adminHash).first();
    expect(token).toEqual({ id: 't2', role: 'admin', person_id: null });
    // And the upgraded schema is the one a fresh database gets (schema.sql is generated from the same files).
    const shape = async (d: D1Database) =>
      (
        await d
          .prepare(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY type, name",
          )
          .all()
      ).results;
    expect(await shape(db)).toEqual(await shape(env.DB));
  });
});
