/**
 * Province scale: write a fleet of stations and benches across the generated province
 * (scripts/gen-province.ts) with a year of hourly and daily rollups, the raw telemetry of the
 * retention window, current state, alerts and work orders — straight into a local D1's SQLite
 * file (migrations applied, no server running), in minutes instead of the hours the API would
 * take. scripts/province/model.ts says what each device-hour holds.
 *
 *   node scripts/province/load.ts <persist dir> [--devices 2000] [--days 365] [--raw-days 7]
 *
 * The persist dir is wrangler's (`--persist-to`); migrations must have been applied to it.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { generateProvince, PROVINCE } from '../gen-province.ts';
import { hash32 } from '../sim/rng.ts';
import { HOUR, ITEMS, initialState, localDayHour, PAR_LEVELS, simulateHour, TZ_OFFSET, type DeviceSpec, type RawSink } from './model.ts';

export interface LoadOptions {
  devices: number;
  days: number;
  rawDays: number;
  /** the load's "now" (epoch ms): history ends at the start of its local hour */
  now: number;
  /** log progress */
  log?: (s: string) => void;
}

export interface LoadResult {
  stations: number;
  benches: number;
  rows: Record<string, number>;
  seconds: number;
}

/** The local D1's SQLite file under a wrangler persist dir. */
export function d1File(persistTo: string): string {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const f = readdirSync(dir).find((n) => n.endsWith('.sqlite') && n !== 'metadata.sqlite');
  if (!f) throw new Error(`no D1 database under ${dir}: apply the migrations first`);
  return join(dir, f);
}

/** Bytes per table (its indexes included), from SQLite's dbstat. */
export function tableBytes(file: string): Map<string, number> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db
      .prepare(
        `SELECT COALESCE(m.tbl_name, s.name) AS t, SUM(s.pgsize) AS b FROM dbstat s LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY t`,
      )
      .all() as Array<{ t: string; b: number }>;
    return new Map(rows.map((r) => [r.t, Number(r.b)]));
  } finally {
    db.close();
  }
}

export const fileBytes = (file: string) => statSync(file).size;

const RAW_TABLES = ['messages', 'events', 'stock_levels', 'samples', 'sessions'] as const;
const ROLLUP_TABLES = ['device_hourly', 'device_daily', 'item_hourly', 'item_daily'] as const;

export function loadProvince(file: string, o: LoadOptions): LoadResult {
  const t0 = performance.now();
  const log = o.log ?? (() => {});
  const db = new DatabaseSync(file);
  db.exec('PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY; PRAGMA cache_size = -200000;');
  const p = generateProvince(PROVINCE);
  const nStations = Math.round(o.devices * 0.4);
  const nBenches = o.devices - nStations;
  const nParks = Math.ceil(nBenches / 3);
  const rows: Record<string, number> = {};
  const count = (t: string, n = 1) => {
    rows[t] = (rows[t] ?? 0) + n;
  };
  const prep = (sql: string) => db.prepare(sql);
  const end = Math.floor((o.now + TZ_OFFSET) / HOUR) * HOUR - TZ_OFFSET; // start of the current local hour
  const firstDayStart = Math.floor((end + TZ_OFFSET) / (24 * HOUR)) * 24 * HOUR - TZ_OFFSET - (o.days - 1) * 24 * HOUR;
  const rawFrom = Math.floor((end + TZ_OFFSET) / (24 * HOUR)) * 24 * HOUR - TZ_OFFSET - (o.rawDays - 1) * 24 * HOUR;
  const created = firstDayStart - 24 * HOUR;

  // ─── Registry ────────────────────────────────────────────────────────────────────────────
  const devices: Array<DeviceSpec & { site: string; city: number }> = [];
  db.exec('BEGIN');
  const insDistrict = prep('INSERT INTO districts (id, name, created_at) VALUES (?, ?, ?)');
  const insUnit = prep(`INSERT INTO units (id, name, kind, district, created_at) VALUES (?, ?, 'street_office', ?, ?)`);
  for (const d of p.districts) {
    insDistrict.run(d.id, d.name, created);
    insUnit.run(`u-${d.id}`, `${d.name} street office`, d.id, created);
    count('districts');
  }
  const insStation = prep(
    `INSERT INTO stations (id, name, district, lat, lon, opening_hours, opened_on, created_at, open, open_at, updated_at, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insDevice = prep(
    `INSERT INTO devices (id, kind, site, name, lat, lon, ports, token_hash, created_at, last_seen, state_at, battery_soc, solar_w, load_w, ports_in_use, open)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const stride = p.stations.length / nStations;
  for (let i = 0; i < nStations; i++) {
    const s = p.stations[Math.floor(i * stride)]!;
    const allDay = i % 5 < 2; // 40 % open around the clock
    insStation.run(
      s.id,
      s.name,
      s.district,
      s.lat,
      s.lon,
      allDay ? '24/7' : 'Mo-Su 07:00-21:00',
      new Date(firstDayStart + TZ_OFFSET).toISOString().slice(0, 10),
      created,
      null,
      null,
      null,
      `u-${s.district}`,
    );
    devices.push({ id: `${s.id}-ctl`, kind: 'station', allDay, seed: hash32(s.id), site: s.id, city: Number(s.id.split('-')[1]) });
    count('stations');
  }
  const insPark = prep('INSERT INTO parks (id, name, district, lat, lon, created_at, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const ustride = p.units.length / nParks;
  for (let i = 0; i < nParks; i++) {
    const u = p.units[Math.floor(i * ustride)]!;
    const id = `pk-${i}`;
    insPark.run(id, `Pocket park ${i + 1}`, u.district, u.lat, u.lon, created, `u-${u.district}`);
    count('parks');
    for (let b = 0; b < 3 && devices.length < o.devices; b++) {
      const bid = `${id}-b${b}`;
      devices.push({ id: bid, kind: 'bench', allDay: true, seed: hash32(bid), site: id, city: Number(u.district.slice(1).split('-')[0]) });
      (devices.at(-1) as { lat?: number; lon?: number }).lat = u.lat + (b - 1) * 0.0002;
      (devices.at(-1) as { lat?: number; lon?: number }).lon = u.lon + 0.0001;
    }
  }
  const insStationItem = prep(
    'INSERT INTO station_items (station_id, item, par_level, reorder_point, on_hand, on_hand_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  db.exec('COMMIT');

  // ─── A year, hour by hour ────────────────────────────────────────────────────────────────
  const insDH = prep(
    `INSERT INTO device_hourly (device_id, day, hour, visitors, sessions, energy_wh, solar_wh, batt_min, batt_sum, batt_n, load_sum, load_n, samples) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insDD = prep(
    `INSERT INTO device_daily (device_id, day, visitors, sessions, energy_wh, solar_wh, batt_min, batt_sum, batt_n, load_sum, load_n, samples) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insIH = prep(
    `INSERT INTO item_hourly (device_id, item, day, hour, dispensed, restocked, lent, returned) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insID = prep(`INSERT INTO item_daily (device_id, item, day, dispensed, restocked, lent, returned) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const raw = rawStatements(db);
  const states = devices.map((d) => initialState(d));
  const last = devices.map(() => ({
    soc: null as number | null,
    solar: null as number | null,
    load: null as number | null,
    ports: null as number | null,
    at: 0,
  }));
  const round2 = (x: number) => Math.round(x * 100) / 100;
  for (let day = 0; day < o.days; day++) {
    const dayStart = firstDayStart + day * 24 * HOUR;
    const dayStr = localDayHour(dayStart).day;
    db.exec('BEGIN');
    for (let di = 0; di < devices.length; di++) {
      const d = devices[di]!;
      const s = states[di]!;
      const rainy = hash32(`${d.city}:${dayStr}`) % 100 < 18;
      const daily = {
        visitors: 0,
        sessions: 0,
        energy_wh: 0,
        solar_wh: 0,
        batt_min: null as number | null,
        batt_sum: 0,
        batt_n: 0,
        load_sum: 0,
        load_n: 0,
        samples: 0,
      };
      const itemDaily = new Map<string, { dispensed: number; restocked: number; lent: number; returned: number }>();
      for (let h = 0; h < 24; h++) {
        const start = dayStart + h * HOUR;
        if (start >= end) break;
        const sink = start >= rawFrom ? raw.sink(d.id, count) : undefined;
        const { hourly, items } = simulateHour(d, s, start, rainy, sink);
        insDH.run(
          d.id,
          dayStr,
          h,
          hourly.visitors,
          hourly.sessions,
          round2(hourly.energy_wh),
          hourly.solar_wh,
          hourly.batt_min,
          hourly.batt_sum,
          hourly.batt_n,
          hourly.load_sum,
          hourly.load_n,
          hourly.samples,
        );
        count('device_hourly');
        for (const k of ['visitors', 'sessions', 'energy_wh', 'solar_wh', 'batt_sum', 'batt_n', 'load_sum', 'load_n', 'samples'] as const)
          daily[k] += hourly[k];
        if (hourly.batt_min !== null)
          daily.batt_min = daily.batt_min === null ? hourly.batt_min : Math.min(daily.batt_min, hourly.batt_min);
        for (const it of items) {
          insIH.run(d.id, it.item, dayStr, h, it.dispensed, it.restocked, it.lent, it.returned);
          count('item_hourly');
          const a = itemDaily.get(it.item) ?? { dispensed: 0, restocked: 0, lent: 0, returned: 0 };
          a.dispensed += it.dispensed;
          a.restocked += it.restocked;
          a.lent += it.lent;
          a.returned += it.returned;
          itemDaily.set(it.item, a);
        }
      }
      insDD.run(
        d.id,
        dayStr,
        daily.visitors,
        daily.sessions,
        daily.energy_wh,
        daily.solar_wh,
        daily.batt_min,
        daily.batt_sum,
        daily.batt_n,
        daily.load_sum,
        daily.load_n,
        daily.samples,
      );
      count('device_daily');
      for (const [code, a] of itemDaily) {
        insID.run(d.id, code, dayStr, a.dispensed, a.restocked, a.lent, a.returned);
        count('item_daily');
      }
      if (d.kind === 'bench')
        Object.assign(last[di]!, { soc: Math.round(s.soc * 10) / 10, solar: s.lastSolarW, load: 2, ports: 0, at: s.lastTs });
    }
    db.exec('COMMIT');
    if (day % 30 === 29 || day === o.days - 1)
      log(`  day ${day + 1}/${o.days}: ${(rows.device_hourly ?? 0).toLocaleString('en-US')} device-hours`);
  }

  // ─── Current state: every device heard from just now ────────────────────────────────────
  db.exec('BEGIN');
  const lastSeen = o.now - 60_000;
  for (let di = 0; di < devices.length; di++) {
    const d = devices[di]!;
    const l = last[di]!;
    const pos = d as { lat?: number; lon?: number };
    insDevice.run(
      d.id,
      d.kind,
      d.site,
      d.kind === 'bench' ? `Bench ${d.id}` : null,
      pos.lat ?? null,
      pos.lon ?? null,
      d.kind === 'bench' ? 4 : null,
      `province-${d.id}`,
      created,
      lastSeen,
      lastSeen,
      l.soc,
      l.solar,
      l.load,
      l.ports,
      d.kind === 'station' ? 1 : null,
    );
    count('devices');
    if (d.kind === 'station') {
      const s = states[di]!;
      for (const code of ITEMS)
        insStationItem.run(d.site, code, PAR_LEVELS[code], Math.ceil(PAR_LEVELS[code] / 4), s.stock[code], lastSeen);
      db.prepare('UPDATE stations SET open = ?, open_at = ?, updated_at = ? WHERE id = ?').run(
        d.allDay ? 1 : null,
        d.allDay ? lastSeen : null,
        lastSeen,
        d.site,
      );
    }
  }
  operations(db, devices, o.now, count);
  db.exec('COMMIT');
  db.exec('ANALYZE');
  db.close();
  return { stations: nStations, benches: nBenches, rows, seconds: (performance.now() - t0) / 1000 };
}

/** Raw inserts of one device-hour (the columns ingest fills; day/hour are the reading's local ones). */
function rawStatements(db: DatabaseSync): { sink(device: string, count: (t: string) => void): RawSink } {
  const st = (sql: string): StatementSync => db.prepare(sql);
  const msg = st(`INSERT INTO messages (device_id, key, ts, type, body, ingest_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const ev = st(`INSERT INTO events (device_id, key, ts, day, hour, type, item, qty) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const stock = st(`INSERT INTO stock_levels (device_id, key, item, ts, day, hour, level) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const sample = st(
    `INSERT INTO samples (device_id, key, ts, day, hour, battery_soc, solar_w, load_w, ports_in_use, open, solar_wh) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const session = st(
    `INSERT INTO sessions (device_id, key, port, started_at, ended_at, energy_wh, day, hour) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    sink: (device, count) => ({
      message(key, ts, type, body) {
        // One request a quarter hour per device: its id stands for the batch that carried the reading.
        msg.run(device, key, ts, type, body, `${device}:${Math.floor(ts / 900_000)}`, ts + 2_000);
        count('messages');
      },
      event(key, ts, type, item, qty) {
        const l = localDayHour(ts);
        ev.run(device, key, ts, l.day, l.hour, type, item, qty);
        count('events');
      },
      stock(key, item, ts, level) {
        const l = localDayHour(ts);
        stock.run(device, key, item, ts, l.day, l.hour, level);
        count('stock_levels');
      },
      sample(key, ts, soc, solarW, loadW, ports, open, solarWh) {
        const l = localDayHour(ts);
        sample.run(device, key, ts, l.day, l.hour, soc, solarW, loadW, ports, open, solarWh);
        count('samples');
      },
      session(key, port, startedAt, endedAt, energyWh) {
        const l = localDayHour(startedAt);
        session.run(device, key, port, startedAt, endedAt, energyWh, l.day, l.hour);
        count('sessions');
      },
    }),
  };
}

/** Alerts and work orders of the last months: what the alerts page and the board list. */
function operations(db: DatabaseSync, devices: Array<DeviceSpec & { site: string }>, now: number, count: (t: string) => void): void {
  const insAlert = db.prepare(
    `INSERT INTO alerts (id, kind, site, site_kind, item, colour, opened_at, resolved_at, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insOrder = db.prepare(
    `INSERT INTO work_orders (id, site, site_kind, kind, item, alert_id, step, created_at, created_by, dispatched_at, arrived_at, handled_at, closed_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'province', ?, ?, ?, ?, ?)`,
  );
  const insStep = db.prepare(`INSERT INTO work_order_steps (order_id, seq, step, at, by) VALUES (?, ?, ?, ?, 'province')`);
  const steps = ['reported', 'registered', 'dispatched', 'handled', 'checked', 'closed'] as const;
  for (let i = 0; i < 3000; i++) {
    const d = devices[(i * 7919) % devices.length]!;
    const site = d.kind === 'station' ? d.site : d.id;
    const opened = now - ((i * 3_600_000 * 2.9) % (90 * 24 * HOUR)) - HOUR;
    const open = i < devices.length && i % 10 === 0; // one open alert per (site, kind) at most
    const kind = d.kind === 'station' ? 'low_stock' : 'low_battery';
    const item = d.kind === 'station' ? 'water' : null;
    const id = `al-${i}`;
    insAlert.run(
      id,
      kind,
      site,
      d.kind,
      item,
      ['yellow', 'orange', 'red'][i % 3]!,
      opened,
      open ? null : opened + 2 * HOUR,
      `${kind} ${site}`,
      opened,
    );
    count('alerts');
    // Most alerts get an order; an open alert's order is still running.
    if (i % 4 === 3) continue;
    const last = open ? 1 + (i % 4) : 5;
    const at = (k: number) => opened + k * 5 * 60_000;
    insOrder.run(
      `wo-${i}`,
      site,
      d.kind,
      d.kind === 'station' ? 'restock' : 'repair',
      item,
      id,
      steps[last]!,
      opened,
      last >= 2 ? at(2) : null,
      last >= 3 ? at(2) + 6 * 60_000 : null,
      last >= 3 ? at(3) : null,
      last >= 5 ? at(5) : null,
      at(last),
    );
    count('work_orders');
    for (let k = 0; k <= last; k++) insStep.run(`wo-${i}`, k + 1, steps[k]!, at(k));
  }
}

export const TABLE_GROUPS = { raw: RAW_TABLES, rollups: ROLLUP_TABLES };

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      devices: { type: 'string', default: '2000' },
      days: { type: 'string', default: '365' },
      'raw-days': { type: 'string', default: '7' },
    },
  });
  const persistTo = positionals[0];
  if (!persistTo) throw new Error('usage: node scripts/province/load.ts <persist dir> [--devices N] [--days N] [--raw-days N]');
  const file = d1File(persistTo);
  const r = loadProvince(file, {
    devices: Number(values.devices),
    days: Number(values.days),
    rawDays: Number(values['raw-days']),
    now: Date.now(),
    log: (s) => console.log(s),
  });
  console.log(
    `${r.stations} stations, ${r.benches} benches in ${r.seconds.toFixed(1)} s; rows ${JSON.stringify(r.rows)}; ${(fileBytes(file) / 1e6).toFixed(0)} MB`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
