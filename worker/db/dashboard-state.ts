import { benchHealth, stationHealth, type Health } from '../domain/health.ts';
import type { DeviceRow } from './devices.ts';
import { stationOpen } from '../domain/opening-hours.ts';
import { addDays, isoOrNull } from '../domain/local-time.ts';
import type { BenchSummaryT, StationSummaryT } from '../schemas/dashboard.ts';
import { siteCard, type Card } from '../domain/alerts/cards.ts';
import { standing, type Standing } from '../domain/alerts/standing.ts';
import { loadCards } from './alerts.ts';

/**
 * Current state of stations and benches for the dashboard: registry rows, current-state columns
 * (station_items, devices, device_faults), 7-day totals from the daily rollups, and each site's
 * four-colour card from its alert history. Never raw telemetry.
 */

export interface StateOptions {
  now: number;
  today: string;
  id?: string;
  /** Cards already loaded (the overview reads them once for stations and benches). */
  cards?: Map<string, Card>;
}

/** The card of a site, next to its current severity (blue when it has no alert history). */
const standingOf = (cards: Map<string, Card>, site: string, health: Health, now: number): Standing =>
  standing(cards.get(site) ?? siteCard([], now, { windowDays: 1, cleanDays: 1 }), health);

/** A standing as answers show it: its time in ISO 8601. */
export const cardView = (s: Standing) => ({ ...s, since: isoOrNull(s.since) });

const cardsFor = (db: D1Database, opts: StateOptions) => opts.cards ?? loadCards(db, opts.id ? [opts.id] : null, opts.now);

interface StationRow {
  id: string;
  name: string;
  district: string;
  district_name: string;
  lat: number;
  lon: number;
  opening_hours: string;
  opened_on: string | null;
  open: number | null;
  open_at: number | null;
}
interface StockRow {
  station_id: string;
  item: string;
  par_level: number | null;
  reorder_point: number | null;
  on_hand: number | null;
  on_hand_at: number | null;
}
export interface DeviceStateRow extends Omit<DeviceRow, 'created_at'> {
  state_at: number | null;
  battery_soc: number | null;
  battery_v: number | null;
  solar_w: number | null;
  load_w: number | null;
  temp_c: number | null;
  ports_in_use: number | null;
  fault_codes: string | null;
}
export interface FaultRow {
  device_id: string;
  code: string;
  detail: string | null;
  ts: number | null;
}
interface BenchRow extends DeviceStateRow {
  park_name: string | null;
  district: string | null;
  district_name: string | null;
  park_lat: number | null;
  park_lon: number | null;
}

export interface Fault {
  device_id: string;
  code: string;
  detail: string | null;
  since: string | null;
}

/** Active faults of a device: `fault` messages still raised, plus the newest status sample's codes. */
export function activeFaults(device: Pick<DeviceStateRow, 'id' | 'fault_codes' | 'state_at'>, raised: FaultRow[]): Fault[] {
  const out: Fault[] = raised
    .filter((f) => f.device_id === device.id)
    .map((f) => ({ device_id: f.device_id, code: f.code, detail: f.detail, since: isoOrNull(f.ts) }));
  let codes: unknown = [];
  try {
    codes = JSON.parse(device.fault_codes ?? '[]');
  } catch {
    codes = [];
  }
  if (Array.isArray(codes)) {
    for (const c of codes) {
      if (typeof c === 'string' && !out.some((f) => f.code === c))
        out.push({ device_id: device.id, code: c, detail: null, since: isoOrNull(device.state_at) });
    }
  }
  return out;
}

export interface StationState extends StationSummaryT {
  opened_on: string | null;
  devices: DeviceStateRow[];
  faults: Fault[];
}

const STATION_SQL = `SELECT s.id, s.name, s.district, d.name AS district_name, s.lat, s.lon, s.opening_hours, s.opened_on,
  s.open, s.open_at
  FROM stations s JOIN districts d ON d.id = s.district WHERE ?1 IS NULL OR s.id = ?1 ORDER BY s.id`;
const STOCK_SQL = `SELECT station_id, item, par_level, reorder_point, on_hand, on_hand_at FROM station_items
  WHERE ?1 IS NULL OR station_id = ?1 ORDER BY station_id, item`;
const DEVICE_COLS = `dv.id, dv.kind, dv.site, dv.name, dv.lat, dv.lon, dv.ports, dv.disabled, dv.last_seen, dv.state_at,
  dv.battery_soc, dv.battery_v, dv.solar_w, dv.load_w, dv.temp_c, dv.ports_in_use, dv.fault_codes`;
// A station's restock ledger (restocks~<id>, no token) is bookkeeping, not a device to show.
const STATION_DEVICES_SQL = `SELECT ${DEVICE_COLS} FROM devices dv WHERE dv.kind = 'station' AND (?1 IS NULL OR dv.site = ?1) AND instr(dv.id, '~') = 0`;
const FAULTS_SQL = `SELECT f.device_id, f.code, f.detail, f.ts FROM device_faults f WHERE f.active = 1`;
// Every station: the week's days of the covering day index (item_daily's key leads with the
// device and item, so per device it would read all its days). One station: its own key range.
const station7dSql = (all: boolean) => `SELECT dv.site AS id, TOTAL(i.dispensed + i.inferred_out) AS n
  FROM item_daily i ${all ? 'INDEXED BY item_daily_day' : ''}
  JOIN devices dv ON dv.id = i.device_id AND dv.kind = 'station'
  WHERE i.day >= ?1 AND (?2 IS NULL OR dv.site = ?2) GROUP BY dv.site`;

/**
 * What the overview counts of a station: its standing now. The lists add times in ISO 8601, the
 * stock's percentages, devices and 7-day totals; for 2,000 sites that is ≈ 12 ms the overview,
 * which lists 12 of them, would spend for nothing.
 */
export interface StationStatus {
  id: string;
  name: string;
  district: string;
  district_name: string;
  open_now: boolean;
  health: Health;
  card: Standing;
  stock: StockRow[];
}

interface StationReads {
  stations: StationRow[];
  stockBy: Map<string, StockRow[]>;
  devicesBy: Map<string, DeviceStateRow[]>;
  raised: FaultRow[];
  week: Map<string, number>;
  cards: Map<string, Card>;
}

async function readStations(db: D1Database, opts: StateOptions, withWeek: boolean): Promise<StationReads> {
  const id = opts.id ?? null;
  const [[stations, stock, devices, faults, week], cards] = await Promise.all([
    db.batch([
      db.prepare(STATION_SQL).bind(id),
      db.prepare(STOCK_SQL).bind(id),
      db.prepare(STATION_DEVICES_SQL).bind(id),
      db.prepare(FAULTS_SQL),
      ...(withWeek ? [db.prepare(station7dSql(id === null)).bind(addDays(opts.today, -6), id)] : []),
    ]),
    cardsFor(db, opts),
  ]);
  return {
    stations: stations!.results as StationRow[],
    stockBy: group(stock!.results as StockRow[], (r) => r.station_id),
    devicesBy: group(devices!.results as DeviceStateRow[], (r) => r.site),
    raised: faults!.results as FaultRow[],
    week: new Map(((week?.results ?? []) as Array<{ id: string; n: number }>).map((r) => [r.id, r.n])),
    cards,
  };
}

/** A station's standing, with what it was worked out from. */
function stationStatus(s: StationRow, r: StationReads, opts: StateOptions & { tz: string }) {
  const items = r.stockBy.get(s.id) ?? [];
  const devs = (r.devicesBy.get(s.id) ?? []).filter((d) => !d.disabled);
  // As the registry's GET /stations: heard from = the newest request of its enabled devices.
  const lastSeen = maxOrNull(devs.map((d) => d.last_seen));
  const faults = devs.flatMap((d) => activeFaults(d, r.raised));
  const health: Health = stationHealth({ lastSeen, activeFaults: faults.length, items }, opts.now);
  const status: StationStatus = {
    id: s.id,
    name: s.name,
    district: s.district,
    district_name: s.district_name,
    open_now: stationOpen(s, opts.now, opts.tz),
    health,
    card: standingOf(r.cards, s.id, health, opts.now),
    stock: items,
  };
  return { status, lastSeen, faults };
}

export async function loadStationStatus(db: D1Database, opts: StateOptions & { tz: string }): Promise<StationStatus[]> {
  const r = await readStations(db, opts, false);
  return r.stations.map((s) => stationStatus(s, r, opts).status);
}

export async function loadStations(db: D1Database, opts: StateOptions & { tz: string }): Promise<StationState[]> {
  const r = await readStations(db, opts, true);
  return r.stations.map((s) => {
    const { status, lastSeen, faults } = stationStatus(s, r, opts);
    const pcts = status.stock
      .filter((i) => i.on_hand !== null && i.par_level !== null && i.par_level > 0)
      .map((i) => (100 * i.on_hand!) / i.par_level!);
    return {
      ...status,
      lat: s.lat,
      lon: s.lon,
      opening_hours: s.opening_hours,
      opened_on: s.opened_on,
      card: cardView(status.card),
      lowest_stock_pct: pcts.length ? Math.round(Math.min(...pcts) * 10) / 10 : null,
      last_seen: isoOrNull(lastSeen),
      distributed_7d: r.week.get(s.id) ?? 0,
      stock: status.stock.map((i) => ({
        item: i.item,
        on_hand: i.on_hand,
        par_level: i.par_level,
        reorder_point: i.reorder_point,
        updated_at: isoOrNull(i.on_hand_at),
      })),
      devices: r.devicesBy.get(s.id) ?? [],
      faults,
    };
  });
}

export interface BenchState extends BenchSummaryT {
  disabled: boolean;
  faults: Fault[];
}

const BENCH_SQL = `SELECT ${DEVICE_COLS}, p.name AS park_name, p.district, d.name AS district_name, p.lat AS park_lat, p.lon AS park_lon
  FROM devices dv LEFT JOIN parks p ON p.id = dv.site LEFT JOIN districts d ON d.id = p.district
  WHERE dv.kind = 'bench' AND (?1 IS NULL OR dv.id = ?1) ORDER BY dv.id`;
const BENCH_7D_SQL = `SELECT dd.device_id AS id, TOTAL(dd.sessions) AS sessions, TOTAL(dd.energy_wh) AS energy_wh FROM device_daily dd
  JOIN devices dv ON dv.id = dd.device_id AND dv.kind = 'bench'
  WHERE dd.day >= ?1 AND (?2 IS NULL OR dv.id = ?2) GROUP BY dd.device_id`;

/** What the overview counts of a bench: its standing now and its battery (see StationStatus). */
export interface BenchStatus {
  id: string;
  name: string | null;
  district: string | null;
  district_name: string | null;
  health: Health;
  card: Standing;
  battery_soc: number | null;
}

async function readBenches(db: D1Database, opts: StateOptions, withWeek: boolean) {
  const id = opts.id ?? null;
  const [[benches, faults, week], cards] = await Promise.all([
    db.batch([
      db.prepare(BENCH_SQL).bind(id),
      db.prepare(FAULTS_SQL),
      ...(withWeek ? [db.prepare(BENCH_7D_SQL).bind(addDays(opts.today, -6), id)] : []),
    ]),
    cardsFor(db, opts),
  ]);
  return {
    benches: benches!.results as BenchRow[],
    raised: faults!.results as FaultRow[],
    week: new Map(((week?.results ?? []) as Array<{ id: string; sessions: number; energy_wh: number }>).map((r) => [r.id, r])),
    cards,
  };
}

/** A bench's standing, with its active faults. */
function benchStatus(b: BenchRow, r: { raised: FaultRow[]; cards: Map<string, Card> }, now: number) {
  const faults = activeFaults(b, r.raised);
  const health = benchHealth({ lastSeen: b.last_seen, activeFaults: faults.length, batterySoc: b.battery_soc }, now);
  const status: BenchStatus = {
    id: b.id,
    name: b.name,
    district: b.district,
    district_name: b.district_name,
    health,
    card: standingOf(r.cards, b.id, health, now),
    battery_soc: b.battery_soc,
  };
  return { status, faults };
}

export async function loadBenchStatus(db: D1Database, opts: StateOptions): Promise<BenchStatus[]> {
  const r = await readBenches(db, opts, false);
  return r.benches.map((b) => benchStatus(b, r, opts.now).status);
}

export async function loadBenches(db: D1Database, opts: StateOptions): Promise<BenchState[]> {
  const r = await readBenches(db, opts, true);
  return r.benches.map((b) => {
    const { status, faults } = benchStatus(b, r, opts.now);
    const w = r.week.get(b.id);
    return {
      ...status,
      park: b.site,
      park_name: b.park_name,
      lat: b.lat ?? b.park_lat,
      lon: b.lon ?? b.park_lon,
      card: cardView(status.card),
      battery_v: b.battery_v,
      solar_w: b.solar_w,
      load_w: b.load_w,
      temp_c: b.temp_c,
      ports: b.ports,
      ports_in_use: b.ports_in_use,
      last_seen: isoOrNull(b.last_seen),
      state_at: isoOrNull(b.state_at),
      sessions_7d: w?.sessions ?? 0,
      energy_wh_7d: round(w?.energy_wh ?? 0, 2),
      disabled: b.disabled === 1,
      faults,
    };
  });
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function maxOrNull(xs: Array<number | null>): number | null {
  let m: number | null = null;
  for (const x of xs) if (x !== null && (m === null || x > m)) m = x;
  return m;
}

function group<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** Strip the internal fields the list endpoints do not answer with. */
export function stationSummary(s: StationState): StationSummaryT {
  const { opened_on: _o, devices: _d, faults: _f, ...rest } = s;
  return rest;
}
export function benchSummary(b: BenchState): BenchSummaryT {
  const { disabled: _d, faults: _f, ...rest } = b;
  return rest;
}
