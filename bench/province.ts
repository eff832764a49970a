/**
 * Province scale (`npm run bench:province`): 2,000 stations and benches with a year of rollups
 * and the raw rows of the retention window (scripts/province/load.ts, straight into the local D1
 * file), the province walking network and population through the API, then every dashboard and
 * public GET endpoint N times on local workerd: p50 / p95 / max per endpoint, database size and
 * storage per device-year. Then 8,000 more sites (10,000 in all) for GET /public/nearby from 1,000
 * origins: client time over loopback and the Worker's own Server-Timing.
 *
 *   npm run bench:province -- [--devices 2000] [--days 365] [--raw-days 7] [--runs 30] [--keep <dir>] [--reuse <dir>]
 *     [--only <text in the endpoint's name>] [--no-nearby]
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { DROP_OTHER_THRESHOLDS_SQL, KEEP_MONTH_SQL, keptMonths } from '../worker/db/bench-charged-sql.ts';
import { mergeConfig } from '../worker/domain/ranking/weights.ts';
import { daysToKeep, FIRST_DAY_SQL, keepStatements } from '../worker/db/daily-totals-sql.ts';
import { keepSinceStatements, keptThrough } from '../worker/db/since-opening-sql.ts';
import { monthsBefore } from '../worker/domain/ranking/month.ts';
import { addDays } from '../worker/domain/local-time.ts';
import { generateProvince, networkGeoJson, populationCsv, PROVINCE } from '../scripts/gen-province.ts';
import { applyMigrations, startDev, type DevServer } from '../scripts/lib/wrangler.ts';
import { d1File, fileBytes, loadProvince, TABLE_GROUPS, tableBytes } from '../scripts/province/load.ts';
import { HOUR, localDayHour } from '../scripts/province/model.ts';

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    days: { type: 'string', default: '365' },
    'raw-days': { type: 'string', default: '7' },
    runs: { type: 'string', default: '30' },
    keep: { type: 'string' },
    reuse: { type: 'string' },
    /** only the endpoints whose name contains one of these (comma-separated) */
    only: { type: 'string' },
    'no-nearby': { type: 'boolean', default: false },
  },
});
const log = (s: string) => process.stdout.write(`${s}\n`);
const RUNS = Number(args.runs);
/** Time spent on one endpoint before it is cut to the samples taken (at least 5). */
const BUDGET_MS = 20_000;
/** Rounds over every listed endpoint before any is timed, then warm-up requests of each endpoint. */
const WARM_ROUNDS = 3;
const WARM_UPS = 5;
const MB = 1e6;

interface Timing {
  name: string;
  times: number[];
  server?: number[];
  status: string;
}

const q = (xs: number[], f: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))]!;
};

async function timeGet(url: string, token: string | null, ip: string): Promise<{ ms: number; status: number; server: number | null }> {
  const headers: Record<string, string> = { 'cf-connecting-ip': ip };
  if (token) headers.authorization = `Bearer ${token}`;
  const a = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  const ms = performance.now() - a;
  const st = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
  return { ms, status: res.status, server: st ? Number(st[1]) : null };
}

let ipSeq = 0;
/** A new client address per request: the public rate limit is per client, and this is one load generator. */
const nextIp = () => {
  ipSeq++;
  return `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
};

async function measure(dev: DevServer, token: string, name: string, paths: string[], runs: number, auth = true): Promise<Timing> {
  const t: Timing = { name, times: [], server: [], status: '' };
  const statuses = new Map<number, number>();
  // Then a few of its own, the endpoint's code hot when its timing starts.
  for (let i = 0; i < Math.min(WARM_UPS, runs); i++) await timeGet(`${dev.url}${paths[i % paths.length]}`, auth ? token : null, nextIp());
  const budgetEnd = performance.now() + BUDGET_MS;
  for (let i = 0; i < runs; i++) {
    // A slow endpoint gets fewer samples (at least 5) so one run of the benchmark stays in minutes.
    if (i >= 5 && performance.now() > budgetEnd) break;
    const r = await timeGet(`${dev.url}${paths[i % paths.length]}`, auth ? token : null, nextIp());
    t.times.push(r.ms);
    if (r.server !== null) t.server!.push(r.server);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  }
  t.status = [...statuses].map(([s, n]) => (statuses.size === 1 ? String(s) : `${s}×${n}`)).join(' ');
  return t;
}

function table(rows: Timing[]): string {
  const w = Math.max(...rows.map((r) => r.name.length), 8);
  const head = `| ${'endpoint'.padEnd(w)} | status | n | p50 ms | p95 ms | max ms | ≤ 100 ms |`;
  const line = (r: Timing) => {
    const p95 = q(r.times, 0.95);
    return `| ${r.name.padEnd(w)} | ${r.status.padEnd(6)} | ${r.times.length} | ${q(r.times, 0.5).toFixed(1).padStart(6)} | ${p95.toFixed(1).padStart(6)} | ${Math.max(
      ...r.times,
    )
      .toFixed(1)
      .padStart(6)} | ${p95 <= 100 ? 'yes' : '**no**'} |`;
  };
  return [head, `|${'-'.repeat(w + 2)}|--------|---|--------|--------|--------|----------|`, ...rows.map(line)].join('\n');
}

/** Raw rows of the window summed again, against the stored hourly rollups: they must agree. */
function checkConsistency(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const one = (sql: string) => db.prepare(sql).get() as { n: number; ok: number };
    const items =
      one(`WITH r AS (SELECT device_id, item, day, hour, TOTAL(CASE type WHEN 'dispense' THEN qty END) d, TOTAL(CASE type WHEN 'restock' THEN qty END) rs,
        TOTAL(CASE type WHEN 'lend' THEN qty END) l, TOTAL(CASE type WHEN 'return' THEN qty END) rt FROM events WHERE item IS NOT NULL GROUP BY 1, 2, 3, 4)
      SELECT COUNT(*) n, TOTAL(r.d = h.dispensed AND r.rs = h.restocked AND r.l = h.lent AND r.rt = h.returned) ok FROM r JOIN item_hourly h USING (device_id, item, day, hour)`);
    const dev =
      one(`WITH r AS (SELECT device_id, day, hour, TOTAL(solar_wh) sw, COUNT(*) n, TOTAL(COALESCE(battery_soc, 0)) bs FROM samples GROUP BY 1, 2, 3)
      SELECT COUNT(*) n, TOTAL(abs(r.sw - h.solar_wh) < 1e-6 AND r.n = h.samples AND abs(r.bs - h.batt_sum) < 1e-6) ok FROM r JOIN device_hourly h USING (device_id, day, hour)`);
    return `raw window vs rollups: item hours ${items.ok}/${items.n} equal, device hours ${dev.ok}/${dev.n} equal`;
  } finally {
    db.close();
  }
}

/**
 * What the file holds (a reused one too), and every device heard from a minute ago: /nearby only
 * offers sites with fresh data, and a reused database may be hours old.
 */
function freshen(file: string, now: number): { devicesN: number; days: number; rawDays: number; planned: boolean } {
  const db = new DatabaseSync(file);
  try {
    const seen = now - 60_000;
    // Every run starts with no month published (the second pass below publishes them itself).
    db.exec('DELETE FROM ranking_snapshots; DELETE FROM ranking_log');
    db.prepare('UPDATE devices SET last_seen = ?1, state_at = ?1').run(seen);
    db.prepare('UPDATE stations SET updated_at = ?1, open_at = CASE WHEN open IS NULL THEN NULL ELSE ?1 END').run(seen);
    const n = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
    const devicesN = n(`SELECT COUNT(*) AS n FROM devices WHERE id NOT LIKE 'x%'`);
    return {
      devicesN,
      // device-hours stored, and the span of the raw window (its last day is the part until now)
      days: n('SELECT COUNT(*) AS n FROM device_hourly') / devicesN / 24,
      rawDays: n('SELECT MAX(ts) - MIN(ts) AS n FROM samples') / 86_400_000,
      planned: n(`SELECT COUNT(*) AS n FROM planning_layers WHERE layer = 'network'`) > 0,
    };
  } finally {
    db.close();
  }
}

/**
 * What the cron keeps (benches' charged hours of past months for the rankings, the overview's
 * sums of the closed days, each station's figures since opening), with the cron's own statements
 * on the file: workerd runs no cron here. The default ranking weights.
 */
function keepCronTables(file: string, now: number): void {
  const db = new DatabaseSync(file);
  /** One cron run's writes, in one transaction as the worker's batch. */
  const run = (writes: Array<[string, unknown[]]>) => {
    db.exec('BEGIN');
    for (const [sql, binds] of writes) db.prepare(sql).run(...(binds as SQLInputValue[]));
    db.exec('COMMIT');
  };
  try {
    const minSoc = mergeConfig(null).bench_min_soc;
    for (const w of keptMonths(now, 'Asia/Shanghai')) db.prepare(KEEP_MONTH_SQL).run(w.firstDay, w.throughDay, minSoc, w.month);
    db.prepare(DROP_OTHER_THRESHOLDS_SQL).run(minSoc);
    // Every closed day since the first with data, as the minute cron keeps them a batch at a time.
    const today = localDayHour(now).day;
    for (;;) {
      const first = (db.prepare(FIRST_DAY_SQL).get() as { day: string | null }).day;
      const have = new Set((db.prepare('SELECT day FROM daily_totals').all() as Array<{ day: string }>).map((r) => r.day));
      const keptPeriods = new Set((db.prepare('SELECT period FROM kept_periods').all() as Array<{ period: string }>).map((r) => r.period));
      const writes = keepStatements({ days: daysToKeep(today, first, have), have, keptPeriods }, now, addDays(today, -1));
      if (!writes.length) break;
      run(writes);
    }
    // Every station's figures since opening, through the last closed month (the hourly cron's).
    const stations = (db.prepare('SELECT id FROM stations').all() as Array<{ id: string }>).map((r) => r.id);
    run(keepSinceStatements(stations, keptThrough(today), now));
  } finally {
    db.close();
  }
}

interface DistrictCoverage {
  district: string | null;
  population: number;
  levels: Array<{ minutes: number; covered: number }>;
}

function hasRecordedCoverage(file: string): boolean {
  const db = new DatabaseSync(file);
  try {
    return db.prepare('SELECT 1 FROM coverage_district_hourly LIMIT 1').get() !== undefined;
  } finally {
    db.close();
  }
}

/** One row per district and hour from the first day with data to `now`, as recordDistrictCoverage writes them. */
function recordCoverage(file: string, districts: DistrictCoverage[], now: number): number {
  const db = new DatabaseSync(file);
  try {
    const first = (db.prepare('SELECT MIN(day) AS d FROM device_daily').get() as { d: string }).d;
    const rows = districts.flatMap((d) => {
      const covered = d.levels.find((l) => l.minutes === 15)?.covered;
      if (covered === undefined) throw new Error('the coverage answer has no 15-minute level');
      return d.district === null ? [] : [{ district: d.district, population: d.population, covered }];
    });
    const ins = db.prepare(
      'INSERT OR IGNORE INTO coverage_district_hourly (at, day, district, population, covered) VALUES (?, ?, ?, ?, ?)',
    );
    let hours = 0;
    db.exec('BEGIN');
    for (let at = Date.parse(`${first}T00:00:00+08:00`); at <= now; at += HOUR, hours++) {
      const day = localDayHour(at).day;
      for (const r of rows) ins.run(at, day, r.district, r.population, r.covered);
    }
    db.exec('COMMIT');
    return hours;
  } finally {
    db.close();
  }
}

/**
 * The nearby case's extra sites out again (a reused directory keeps them otherwise, and every list,
 * the overview and the public map would grade 10,000 sites instead of the province's 2,000).
 */
function dropExtraSites(file: string): number {
  const db = new DatabaseSync(file);
  try {
    db.exec('BEGIN');
    const n = Number(db.prepare(`DELETE FROM devices WHERE id LIKE 'xs-%' OR id LIKE 'xp-%'`).run().changes);
    db.prepare(`DELETE FROM station_items WHERE station_id LIKE 'xs-%'`).run();
    db.prepare(`DELETE FROM stations WHERE id LIKE 'xs-%'`).run();
    db.prepare(`DELETE FROM parks WHERE id LIKE 'xp-%'`).run();
    db.exec('COMMIT');
    return n;
  } finally {
    db.close();
  }
}

/** 8,000 more sites (stations and benches, heard from a minute ago) for the 10,000-site nearby case. */
function addSites(file: string, total: number, now: number): number {
  const db = new DatabaseSync(file);
  try {
    const have = (
      db.prepare(`SELECT (SELECT COUNT(*) FROM stations) + (SELECT COUNT(*) FROM devices WHERE kind = 'bench') AS n`).get() as { n: number }
    ).n;
    const p = generateProvince(PROVINCE);
    const seen = now - 60_000;
    db.exec('BEGIN');
    const st = db.prepare(
      `INSERT INTO stations (id, name, district, lat, lon, opening_hours, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
    );
    const dv = db.prepare(
      `INSERT INTO devices (id, kind, site, lat, lon, ports, created_at, last_seen, state_at, battery_soc, ports_in_use) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 0)`,
    );
    const si = db.prepare(
      `INSERT INTO station_items (station_id, item, par_level, reorder_point, on_hand, on_hand_at) VALUES (?, 'water', 48, 12, 30, ?)`,
    );
    const pk = db.prepare(`INSERT INTO parks (id, name, district, lat, lon, created_at) VALUES (?, ?, ?, ?, ?, 0)`);
    let added = 0;
    for (let i = 0; have + added < total; i++) {
      const u = p.units[(i * 7919) % p.units.length]!;
      const lat = u.lat + ((i % 7) - 3) * 0.0003;
      const lon = u.lon + ((i % 5) - 2) * 0.0003;
      if (i % 2 === 0) {
        const id = `xs-${i}`;
        st.run(id, `Extra station ${i}`, u.district, lat, lon, i % 4 === 0 ? '24/7' : 'Mo-Su 07:00-21:00', seen);
        dv.run(`${id}-ctl`, 'station', id, null, null, null, seen, seen, null);
        si.run(id, seen);
      } else {
        const park = `xp-${i}`;
        pk.run(park, `Extra park ${i}`, u.district, lat, lon);
        dv.run(`${park}-b0`, 'bench', park, lat, lon, 4, seen, seen, 60);
      }
      added++;
    }
    db.exec('COMMIT');
    return have + added;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  log(
    `Province benchmark: ${cpus().length} cores, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}, Node ${process.versions.node}`,
  );
  const persistTo = args.reuse ?? args.keep ?? (await mkdtemp(join(tmpdir(), 'province-bench-')));
  const token = `bench-${randomBytes(16).toString('hex')}`;
  const now = Date.now();
  let dev: DevServer | null = null;
  let extraAdded = false;
  const start = () =>
    startDev({ mode: 'serve', persistTo, quiet: true, timeoutMs: 300_000, vars: { ADMIN_TOKEN: token, PUBLIC_CACHE_S: '0' } });
  try {
    const reuse = args.reuse !== undefined && existsSync(join(persistTo, 'v3'));
    // A reused database gets the migrations added since it was loaded (none twice).
    await applyMigrations(persistTo, { quiet: true });
    if (!reuse) {
      const o = { devices: Number(args.devices), days: Number(args.days), rawDays: Number(args['raw-days']), now, log };
      log(`Writing ${o.devices.toLocaleString('en-US')} devices × ${o.days} days of rollups and ${o.rawDays} days of raw telemetry…`);
      const r = loadProvince(d1File(persistTo), o);
      log(
        `loaded in ${r.seconds.toFixed(0)} s: ${r.stations} stations, ${r.benches} benches; ${Object.entries(r.rows)
          .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
          .join(', ')}`,
      );
    }
    const file = d1File(persistTo);
    const dropped = dropExtraSites(file);
    if (dropped) log(`removed the ${dropped.toLocaleString('en-US')} extra sites a previous nearby run left`);
    const { devicesN, days, rawDays, planned } = freshen(file, Date.now());
    keepCronTables(file, Date.now());
    log(checkConsistency(file));
    const bytes = tableBytes(file);
    const sum = (ts: readonly string[]) => ts.reduce((s, t) => s + (bytes.get(t) ?? 0), 0);
    const rollupB = sum(TABLE_GROUPS.rollups);
    const rawB = sum(TABLE_GROUPS.raw);
    const rollupPerDeviceYear = (rollupB / devicesN) * (365 / days);
    const rawPerDeviceDay = rawB / devicesN / rawDays;
    log(
      `database file ${(fileBytes(file) / MB).toFixed(0)} MB: rollups ${(rollupB / MB).toFixed(0)} MB, raw (${rawDays.toFixed(1)} days) ${(rawB / MB).toFixed(0)} MB`,
    );
    log(`per device: rollups ${(rollupPerDeviceYear / MB).toFixed(2)} MB a year, raw ${(rawPerDeviceDay / 1e3).toFixed(1)} kB a day`);
    for (const keep of [7, 16, 30, 92, 120, 400]) {
      const perDevice = rollupPerDeviceYear + rawPerDeviceDay * Math.min(keep, 365);
      // A fleet of this size: its raw window, then its rollups year after year, until 10 GB.
      const years = (10e9 - rawPerDeviceDay * keep * devicesN) / (rollupPerDeviceYear * devicesN);
      log(
        `  raw kept ${keep} days: ${(perDevice / MB).toFixed(1)} MB per device in its first year; one 10 GB database holds ${Math.floor(10e9 / perDevice).toLocaleString('en-US')} device-years;` +
          ` ${devicesN.toLocaleString('en-US')} devices ${years > 0 ? `fill it in ${years.toFixed(1)} years` : 'do not fit'}`,
      );
    }

    dev = await start();
    const p = generateProvince(PROVINCE);
    if (!planned) {
      for (const [path, body, type] of [
        ['/api/v1/network', [...networkGeoJson(p)].join(''), 'application/geo+json'],
        ['/api/v1/population', populationCsv(p), 'text/csv'],
      ] as const) {
        const res = await fetch(`${dev.url}${path}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': type },
          body,
        });
        if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      }
      log('walking network and population loaded through the API');
    }
    const get = async <T>(path: string) =>
      (await (await fetch(`${dev!.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
    // What the hourly cron records for the rankings (live 15-minute coverage per district), for
    // every hour the province holds: a city that ran the year has it, and the rankings read it.
    // Simplified: today's live figure for every hour (workerd runs no cron here).
    if (!hasRecordedCoverage(file)) {
      const cov = await get<{ by_district: DistrictCoverage[] }>('/api/v1/coverage?live=true');
      await dev.stop();
      dev = null;
      log(
        `recorded live coverage per district for ${recordCoverage(file, cov.by_district, Date.now()).toLocaleString('en-US')} hours, as the hourly cron would have`,
      );
      dev = await start();
    }
    const today = localDayHour(now - HOUR).day;
    const back = (n: number) => localDayHour(Date.parse(`${today}T12:00:00+08:00`) - n * 24 * HOUR).day;
    const month = today.slice(0, 7);
    const stations = await get<{ stations?: Array<{ id: string }> } | Array<{ id: string }>>('/api/v1/stations');
    const stationIds = (Array.isArray(stations) ? stations : (stations.stations ?? [])).map((s) => s.id).slice(0, 400);
    const pick = (ids: string[], n: number) => Array.from({ length: n }, (_, i) => ids[(i * 37) % ids.length]!);
    const benchIds = Array.from({ length: 30 }, (_, i) => `pk-${(i * 13) % 400}-b${i % 3}`);
    const st = pick(stationIds, 30);
    const origins = Array.from({ length: 30 }, (_, i) => p.units[(i * 7919) % p.units.length]!);
    const alerts = await get<{ alerts?: Array<{ id: string }> }>('/api/v1/alerts?state=open&limit=50');
    const alertIds = (alerts.alerts ?? []).map((a) => a.id);
    const rows: Timing[] = [];
    /** The endpoints listed for the next `measureListed()`. */
    let listed: Array<{ name: string; paths: string[]; auth: boolean }> = [];
    const m = (name: string, paths: string[], auth = true): void => {
      if (args.only && !args.only.split(',').some((x) => name.includes(x))) return;
      listed.push({ name, paths, auth });
    };
    // Every listed endpoint is asked WARM_ROUNDS times round before any is timed: otherwise the
    // first ones timed also pay for the server's cold start, which a server in service paid long
    // before: the isolate compiling and optimising its code, V8 growing its young generation
    // (until it has, a request of the province's size collects garbage more often), SQLite
    // filling its page cache. Measured: the overview's first 60 requests after one round had a
    // p50 of 96 ms, the next 60 87 ms, the 60 after 57 ms.
    const measureListed = async () => {
      for (let round = 0; round < WARM_ROUNDS; round++)
        for (const e of listed) await timeGet(`${dev!.url}${e.paths[round % e.paths.length]}`, e.auth ? token : null, nextIp());
      for (const e of listed) {
        const t = await measure(dev!, token, e.name, e.paths, RUNS, e.auth);
        rows.push(t);
        log(`  ${e.name}: ${t.status} p95 ${q(t.times, 0.95).toFixed(1)} ms`);
      }
      listed = [];
    };
    log(`Dashboard and public endpoints, ${RUNS} requests each, one at a time:`);
    m('GET /dashboard/overview', ['/api/v1/dashboard/overview']);
    m('GET /dashboard/me, /config', ['/api/v1/dashboard/me', '/api/v1/dashboard/config']);
    m('GET /dashboard/stations', ['/api/v1/dashboard/stations']);
    m(
      'GET /dashboard/stations/{id}',
      st.map((id) => `/api/v1/dashboard/stations/${id}`),
    );
    m(
      'GET /dashboard/stations/{id}/series (30 days)',
      st.map((id) => `/api/v1/dashboard/stations/${id}/series?from=${back(29)}&to=${today}`),
    );
    m('GET /dashboard/benches', ['/api/v1/dashboard/benches']);
    m(
      'GET /dashboard/benches/{id}',
      benchIds.map((id) => `/api/v1/dashboard/benches/${id}`),
    );
    m(
      'GET /dashboard/benches/{id}/series?range=24h',
      benchIds.map((id) => `/api/v1/dashboard/benches/${id}/series?range=24h`),
    );
    m(
      'GET /dashboard/benches/{id}/series?range=30d',
      benchIds.map((id) => `/api/v1/dashboard/benches/${id}/series?range=30d`),
    );
    m(
      'GET /dashboard/devices/{id}/messages',
      benchIds.map((id) => `/api/v1/dashboard/devices/${id}/messages?limit=50`),
    );
    m('GET /dashboard/supplies (30 days by day)', [`/api/v1/dashboard/supplies?from=${back(29)}&to=${today}`]);
    m('GET /dashboard/supplies (a year by month)', [`/api/v1/dashboard/supplies?from=${back(364)}&to=${today}&period=month`]);
    // The supplies page's own grouping (by district and week) over 90 days and a year.
    m('GET /dashboard/supplies (90 days by week, by district)', [
      `/api/v1/dashboard/supplies?from=${back(89)}&to=${today}&group=district&period=week`,
    ]);
    m('GET /dashboard/supplies (a year by week, by district)', [
      `/api/v1/dashboard/supplies?from=${back(364)}&to=${today}&group=district&period=week`,
    ]);
    m('GET /dashboard/map', ['/api/v1/dashboard/map']);
    for (const by of ['item', 'station', 'district', 'day'])
      m(`GET /supplies?by=${by} (30 days)`, [`/api/v1/supplies?from=${back(29)}&to=${today}&by=${by}`]);
    m('GET /supplies?by=district (a year)', [`/api/v1/supplies?from=${back(364)}&to=${today}&by=district`]);
    for (const by of ['bench', 'park', 'district', 'day'])
      m(`GET /charging?by=${by} (30 days)`, [`/api/v1/charging?from=${back(29)}&to=${today}&by=${by}`]);
    m('GET /stations', ['/api/v1/stations']);
    m(
      'GET /stations/{id}',
      st.map((id) => `/api/v1/stations/${id}`),
    );
    m('GET /devices, /districts, /parks, /items', ['/api/v1/devices', '/api/v1/districts', '/api/v1/parks', '/api/v1/items']);
    m('GET /coverage', ['/api/v1/coverage']);
    m('GET /coverage?live=true&item=water', ['/api/v1/coverage?live=true&item=water']);
    m('GET /coverage/trend', [`/api/v1/coverage/trend?from=${back(6)}&to=${today}`]);
    m(
      'GET /coverage/area',
      st.map((id) => `/api/v1/coverage/area?amenity=${id}&minutes=15`),
    );
    m('GET /alerts?state=open', ['/api/v1/alerts?state=open']);
    m('GET /alerts (all, by district)', ['/api/v1/alerts?district=c0-ne', '/api/v1/alerts']);
    if (alertIds.length)
      m(
        'GET /alerts/{id}',
        pick(alertIds, 30).map((id) => `/api/v1/alerts/${id}`),
      );
    m('GET /cards', ['/api/v1/cards']);
    m('GET /work-orders (board: open)', ['/api/v1/work-orders?state=open']);
    m('GET /work-orders (all)', ['/api/v1/work-orders']);
    m(
      'GET /work-orders/{id}',
      Array.from({ length: 30 }, (_, i) => `/api/v1/work-orders/wo-${i * 4}`),
    );
    m('GET /work-orders/stats (30 days)', [`/api/v1/work-orders/stats?from=${back(29)}&to=${today}&by=unit`]);
    m('GET /rankings (month, by district)', [`/api/v1/rankings?month=${month}&by=district`]);
    m('GET /rankings (month, by unit)', [`/api/v1/rankings?month=${month}&by=unit`]);
    m('GET /rankings/history', ['/api/v1/rankings/history?by=district&months=6']);
    m('GET /monthly/report', [`/api/v1/monthly/report?month=${month}`]);
    m('GET /monthly/uptime', [`/api/v1/monthly/uptime?month=${month}`]);
    m('GET /monthly/since-opening (every station)', ['/api/v1/monthly/since-opening']);
    m(
      'GET /monthly/since-opening?station=',
      st.map((id) => `/api/v1/monthly/since-opening?station=${id}`),
    );
    m('GET /units, /teams, /people', ['/api/v1/units', '/api/v1/teams', '/api/v1/people']);
    m('GET /public/map', ['/api/v1/public/map'], false);
    m('GET /public/places', ['/api/v1/public/places'], false);
    m('GET /public/wall', ['/api/v1/public/wall'], false);
    m(
      'GET /public/stations/{id}',
      st.map((id) => `/api/v1/public/stations/${id}`),
      false,
    );
    m(
      'GET /public/nearest',
      origins.map((u) => `/api/v1/public/nearest?lat=${u.lat}&lon=${u.lon}&item=water`),
      false,
    );
    m(
      'GET /public/nearby',
      origins.map((u) => `/api/v1/public/nearby?lat=${u.lat}&lon=${u.lon}&need=water`),
      false,
    );
    await measureListed();
    // A city that has run for a year has published its past months (the assessment office freezes
    // each month once it is checked; docs/rankings.md), and a ranking's low streak then reads
    // their snapshots. Measured again in that state: every month before the last full one
    // published, the last full one (its check still under way) and the current one computed.
    const dataMonths = new Set<string>();
    for (let i = 2; i <= 13; i++) dataMonths.add(back(i * 30).slice(0, 7));
    const toPublish = [...dataMonths].filter((m) => m < monthsBefore(month, 1)).sort();
    if (!args.only || 'rankings monthly'.split(' ').some((x) => args.only!.includes(x))) {
      for (const pm of toPublish) {
        const res = await fetch(`${dev.url}/api/v1/rankings/${pm}/publish`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        if (res.status !== 200 && res.status !== 409) throw new Error(`publishing ${pm}: ${res.status} ${await res.text()}`);
      }
      log(`published ${toPublish[0]} … ${toPublish.at(-1)} (${toPublish.length} months), as a city a year in would have:`);
      const pub = (name: string) => `${name}, months before the last full one published`;
      m(pub('GET /rankings (month, by district)'), [`/api/v1/rankings?month=${month}&by=district`]);
      m(pub('GET /rankings (month, by unit)'), [`/api/v1/rankings?month=${month}&by=unit`]);
      m(pub('GET /rankings/history'), ['/api/v1/rankings/history?by=district&months=6']);
      m(pub('GET /monthly/report'), [`/api/v1/monthly/report?month=${month}`]);
      await measureListed();
    }
    log('');
    log(table(rows));
    const missed = rows.filter((r) => q(r.times, 0.95) > 100).map((r) => r.name);
    log(missed.length ? `p95 over 100 ms: ${missed.join('; ')}` : 'every endpoint p95 ≤ 100 ms');

    // ─── Nearby at 10,000 sites ────────────────────────────────────────────────────────────
    if (args['no-nearby']) return;
    await dev.stop();
    dev = null;
    const sites = addSites(file, 10_000, Date.now());
    extraAdded = true;
    dev = await start();
    log(`\nGET /public/nearby at ${sites.toLocaleString('en-US')} sites, province network, 1,000 origins (fastest 5, with routes):`);
    const nearbyPaths = Array.from({ length: 1000 }, (_, i) => {
      const u = p.units[(i * 104_729 + 17) % p.units.length]!;
      return `/api/v1/public/nearby?lat=${u.lat}&lon=${u.lon}&limit=5`;
    });
    const nb = await measure(dev, token, 'nearby', nearbyPaths, 1000, false);
    log(
      `  status ${nb.status}; client over loopback p50 ${q(nb.times, 0.5).toFixed(1)} ms, p95 ${q(nb.times, 0.95).toFixed(1)} ms, max ${Math.max(...nb.times).toFixed(1)} ms`,
    );
    if (nb.server!.length)
      log(
        `  Server-Timing (the Worker's clock) p50 ${q(nb.server!, 0.5).toFixed(1)} ms, p95 ${q(nb.server!, 0.95).toFixed(1)} ms, max ${Math.max(...nb.server!).toFixed(1)} ms`,
      );
    log(
      `load average at the end: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await dev?.stop();
    // a kept or reused directory goes back to the province alone
    if (extraAdded) dropExtraSites(d1File(persistTo));
    if (!args.keep && !args.reuse) await rm(persistTo, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
