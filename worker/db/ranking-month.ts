/**
 * One month's measures for the ranking, put together from worker/db/rankings.ts reads and the
 * pure domain in worker/domain/ranking/. Also what the monthly reports show per station, team
 * and district, so every figure in a ranking can be traced to the same numbers.
 */
import { aggregate, type DistrictFigure } from '../domain/coverage/aggregate.ts';
import { startOfLocalDay } from '../domain/local-time.ts';
import { openHourStarts } from '../domain/opening-hours.ts';
import { buildRanking, bottomOf, type Entity, type RankingRow } from '../domain/ranking/build.ts';
import { openOverlapMs, type Interval } from '../domain/ranking/intervals.ts';
import { hourStarts, monthsBefore, monthWindow, type MonthWindow } from '../domain/ranking/month.ts';
import type { Measures } from '../domain/ranking/parts.ts';
import { slaFigures, type SlaSample } from '../domain/ranking/stats.ts';
import { MANUAL_SOURCES, WEIGHT_KINDS, type ManualSource, type RankingConfig, type WeightKind } from '../domain/ranking/weights.ts';
import { runCoverage } from '../coverage/engine.ts';
import type { SlaTargets } from '../domain/sla-clock.ts';
import { listTargets } from './work-orders.ts';
import { loadConfig, loadSnapshot, type RankBy, type Snapshot } from './ranking-store.ts';
import {
  alertSpansStatement,
  benchChargedStatement,
  benchHoursOf,
  firstDays,
  loadDistricts,
  loadSites,
  loadUnits,
  manualScores,
  monthOrdersStatement,
  recordedCoverageStatement,
  type AlertSpan,
  type CoverageMonthRow,
  type OrderRow,
  type ScopeRow,
  type SiteRow,
} from './rankings.ts';

const HOUR = 3_600_000;

export interface StationMonth {
  site: SiteRow;
  opening_hours: number;
  up_hours: number;
  /** stock-out hours inside opening hours, per item */
  stock_out: Record<string, number>;
  /** the stock-out and offline alerts that overlap the month */
  alerts: string[];
}

export interface BenchMonth {
  site: SiteRow;
  hours: number;
  charged_hours: number;
}

export interface MonthData {
  window: MonthWindow;
  /** the end of what is measured: the month's end, or now for the current month */
  until: number;
  stations: StationMonth[];
  benches: BenchMonth[];
  orders: OrderRow[];
  /** district → its live 15-minute coverage over the month */
  coverage: Map<string, { share: number; population: number; source: 'recorded' | 'computed'; hours: number }>;
  sites: Map<string, SiteRow>;
}

/** How many of the ascending `hours` are at or after `from` (binary search: 2,000 sites × 720 hours a month otherwise). */
function countFrom(hours: readonly number[], from: number): number {
  let lo = 0;
  let hi = hours.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hours[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return hours.length - lo;
}

type CoverageByDistrict = MonthData['coverage'];

/** Recorded coverage per district (empty when the hourly job recorded nothing for the month). */
function recordedByDistrict(rows: CoverageMonthRow[]): CoverageByDistrict {
  return new Map(rows.map((r) => [r.district, { share: r.share, population: r.population, source: 'recorded', hours: r.hours }]));
}

/** The coverage engine's district figures now (live: open, stocked sites only). */
async function computedCoverage(db: D1Database, live: boolean, now: number, tz: string, speed: number): Promise<CoverageByDistrict> {
  const out: CoverageByDistrict = new Map();
  const run = await runCoverage(db, { kind: 'all', item: null, live }, now, tz);
  const pop = run.planning.population?.population;
  if (!pop) return out;
  const f = aggregate(run.metres, pop.pop, pop.district, pop.districts, [15], speed);
  for (const d of f.by_district as DistrictFigure[]) {
    if (d.district !== null) out.set(d.district, { share: d.levels[0]!.share, population: d.population, source: 'computed', hours: 0 });
  }
  return out;
}

/**
 * What one request has already read of its months: a ranking reads the months before it for the
 * low streak, a history or a monthly report asks for the same months again (by district and by
 * unit), and the site list is the same for every month. Made per request, never kept: the data
 * may change between requests.
 */
export interface RankingMemo {
  /** every site, as a list and by id: the same for every month */
  sites?: Promise<{ list: SiteRow[]; byId: Map<string, SiteRow> }>;
  config?: Promise<RankingConfig>;
  /** published snapshots per month and `by` (null: not published): each month of a history is also an earlier month's streak */
  snapshots: Map<string, Promise<Snapshot<RankingBody> | null>>;
  /** the districts or the units, the same for every month */
  scopes: Map<RankBy, Promise<ScopeRow[]>>;
  months: Map<string, Promise<MonthData>>;
  /**
   * a month's districts or units with their measures, per month and `by`: a history ranks month i
   * with its streak and reads it again, without, for month i − 1's streak
   */
  entities: Map<string, Promise<Entity[]>>;
  /** the computed coverage of months with none recorded: the same figure for every past month */
  coverage: Map<boolean, Promise<CoverageByDistrict>>;
}

export const newRankingMemo = (): RankingMemo => ({
  snapshots: new Map(),
  scopes: new Map(),
  months: new Map(),
  entities: new Map(),
  coverage: new Map(),
});

/** The value kept under `key`, made (and kept) on first use. */
function once<K, V>(memo: Map<K, V>, key: K, make: () => V): V {
  let v = memo.get(key);
  if (v === undefined) {
    v = make();
    memo.set(key, v);
  }
  return v;
}

/** The ranking configuration, read once per request. */
export const rankingConfig = (db: D1Database, memo: RankingMemo): Promise<RankingConfig> => (memo.config ??= loadConfig(db));

/** A month's published snapshot (null: not published), read once per request. */
export const rankingSnapshot = (db: D1Database, month: string, by: RankBy, memo: RankingMemo) =>
  once(memo.snapshots, `${month}|${by}`, () => loadSnapshot<RankingBody>(db, month, by));

export function loadMonthData(
  db: D1Database,
  month: string,
  cfg: RankingConfig,
  now: number,
  tz: string,
  speed: number,
  slaDefaults: SlaTargets,
  memo: RankingMemo = newRankingMemo(),
): Promise<MonthData> {
  return once(memo.months, month, () => {
    memo.sites ??= loadSites(db).then((list) => ({ list, byId: new Map(list.map((s) => [s.id, s])) }));
    const computed = (live: boolean) => once(memo.coverage, live, () => computedCoverage(db, live, now, tz, speed));
    return readMonthData(db, month, { cfg, now, tz, slaDefaults }, memo.sites, computed);
  });
}

async function readMonthData(
  db: D1Database,
  month: string,
  { cfg, now, tz, slaDefaults }: { cfg: RankingConfig; now: number; tz: string; slaDefaults: SlaTargets },
  allSites: NonNullable<RankingMemo['sites']>,
  computed: (live: boolean) => Promise<CoverageByDistrict>,
): Promise<MonthData> {
  const w = monthWindow(month, tz);
  const until = Math.max(w.start, Math.min(w.end, now));
  // The month's reads in one batch: one round trip to D1, not four.
  const [{ list: sites, byId }, [spanRes, benchRes, orderRes, coverageRes]] = await Promise.all([
    allSites,
    db.batch([
      alertSpansStatement(db, w.start, until),
      benchChargedStatement(db, w, cfg.bench_min_soc),
      monthOrdersStatement(db, w.start, w.end, slaDefaults),
      recordedCoverageStatement(db, w.firstDay, w.lastDay),
    ]),
  ]);
  const spans = spanRes!.results as AlertSpan[];
  const chargedById = benchHoursOf(benchRes!.results);
  const orders = orderRes!.results as OrderRow[];
  const recorded = recordedByDistrict(coverageRes!.results as CoverageMonthRow[]);
  // Nothing recorded for the month (the hourly job was not running then): the coverage engine's
  // figure now, live for the current month and for all sites otherwise. Marked 'computed'.
  const coverage = recorded.size ? recorded : await computed(now < w.end);
  // A site's first day matters only in the month it falls in; read exactly for those sites alone.
  const starting = sites.filter((s) => s.first_month === w.month).map((s) => s.id);
  const exact = starting.length ? await firstDays(db, starting) : new Map<string, string>();
  /** The site's first day, or a day that gives the same start in this month (its first day, or after it). */
  const firstDay = (s: SiteRow): string | null => {
    if (s.first_month === null) return null;
    if (s.first_month < w.month) return w.firstDay;
    if (s.first_month > w.month) return `${s.first_month}-01`;
    return exact.get(s.id) ?? null;
  };
  const hours = hourStarts(w.start, until);
  /** The first hour the site is measured from: the month's start for a site that began before it (most). */
  const fromDay = (day: string) => (day <= w.firstDay ? w.start : Math.max(w.start, startOfLocalDay(day, tz)));
  const openSets = new Map<number[], Set<number>>();
  const openSetOf = (list: number[]) => {
    let set = openSets.get(list);
    if (!set) openSets.set(list, (set = new Set(list)));
    return set;
  };
  const spansBySite = new Map<string, typeof spans>();
  for (const s of spans) spansBySite.set(s.site, [...(spansBySite.get(s.site) ?? []), s]);
  const stations: StationMonth[] = [];
  const benches: BenchMonth[] = [];
  for (const site of sites) {
    if (site.kind === 'station') {
      // Measured from the later of opening and the first data: a station the system never heard
      // from is not counted as open and stocked.
      const first = firstDay(site);
      if (!first) continue;
      const from = fromDay(site.opened_on && site.opened_on > first ? site.opened_on : first);
      const openList = openHourStarts(site.opening_hours, hours, tz);
      const openCount = countFrom(openList, from);
      const mine = spansBySite.get(site.id);
      // Most stations have no alert in a month: nothing was down, nothing ran out.
      if (!mine) {
        stations.push({ site, opening_hours: openCount, up_hours: openCount, stock_out: {}, alerts: [] });
        continue;
      }
      const openSet = openSetOf(openList);
      const isOpen = (h: number) => h >= from && openSet.has(h);
      const span = (a: (typeof mine)[number]): Interval => [a.opened_at, a.resolved_at ?? until];
      const byItem = new Map<string, Interval[]>();
      for (const a of mine) if (a.kind === 'stock_out') byItem.set(a.item ?? '', [...(byItem.get(a.item ?? '') ?? []), span(a)]);
      const downMs = openOverlapMs(mine.map(span), isOpen);
      const stock_out: Record<string, number> = {};
      for (const [item, iv] of byItem) stock_out[item] = openOverlapMs(iv, isOpen) / HOUR;
      stations.push({ site, opening_hours: openCount, up_hours: openCount - downMs / HOUR, stock_out, alerts: mine.map((a) => a.id) });
    } else {
      const charged = chargedById.get(site.id);
      const first = firstDay(site);
      if (charged === undefined || !first) continue; // never reported: not in service yet
      const n = countFrom(hours, fromDay(first));
      if (n > 0) benches.push({ site, hours: n, charged_hours: Math.min(n, charged) });
    }
  }
  return { window: w, until, stations, benches, orders, coverage, sites: byId };
}

/** The 双十 clock of an order dispatched in the month, against its kind's targets. */
export function slaSample(o: OrderRow, now: number): SlaSample {
  const a = o.dispatched_at !== null && o.arrived_at !== null ? (o.arrived_at - o.dispatched_at) / 1000 : null;
  const h = o.arrived_at !== null && o.handled_at !== null ? (o.handled_at - o.arrived_at) / 1000 : null;
  return {
    dispatch_to_arrival_s: a,
    arrival_to_handled_s: h,
    elapsed_s: o.dispatched_at !== null ? (now - o.dispatched_at) / 1000 : 0,
    target_arrival_s: o.target_a,
    target_handling_s: o.target_h,
  };
}

const HANDLED = new Set(['handled', 'checked', 'closed', 'evaluated']);
const ANSWERED = new Set(['closed', 'evaluated']);

/** Measures of the sites and orders of one scope (a district or unit: a part from `splitBy`; or the whole month). */
export function measuresOf(d: MonthData, now: number, districts: Set<string>, withSources = true): Measures {
  const st = d.stations;
  const be = d.benches;
  const orders = d.orders.filter((o) => d.sites.has(o.site));
  let cov: Measures['coverage'] = null;
  let pop = 0;
  let covered = 0;
  let hours = 0;
  let source: 'recorded' | 'computed' = 'recorded';
  for (const id of districts) {
    const c = d.coverage.get(id);
    if (!c) continue;
    pop += c.population;
    covered += c.share * c.population;
    hours = Math.max(hours, c.hours);
    if (c.source === 'computed') source = 'computed';
  }
  if (pop > 0) cov = { share: covered / pop, population: pop, source, hours };
  const ids = <T>(xs: T[], f: (x: T) => string) => xs.map(f).sort();
  const dispatched = orders.filter((o) => o.dispatched_at !== null && o.dispatched_at >= d.window.start && o.dispatched_at < d.window.end);
  const reports = orders.filter((o) => o.report_id !== null && o.created_at >= d.window.start && o.created_at < d.window.end);
  const sla = dispatched.length ? slaFigures(dispatched.map((o) => slaSample(o, now))) : null;
  return {
    coverage: cov,
    station_uptime: st.length ? { opening_hours: sum(st, (s) => s.opening_hours), up_hours: sum(st, (s) => s.up_hours) } : null,
    bench_uptime: be.length ? { hours: sum(be, (b) => b.hours), charged_hours: sum(be, (b) => b.charged_hours) } : null,
    stock_out: st.length ? { stations: st.length, hours: sum(st, (s) => Object.values(s.stock_out).reduce((a, b) => a + b, 0)) } : null,
    sla,
    reports: reports.length
      ? {
          opened: reports.length,
          handled: reports.filter((o) => HANDLED.has(o.step)).length,
          answered: reports.filter((o) => ANSWERED.has(o.step)).length,
        }
      : null,
    sources: withSources
      ? {
          districts: [...districts].filter((id) => d.coverage.has(id)).sort(),
          stations: ids(st, (s) => s.site.id),
          benches: ids(be, (b) => b.site.id),
          alerts: st.flatMap((s) => s.alerts).sort(),
          orders: ids(dispatched, (o) => o.id),
          reports: ids(reports, (o) => o.id),
        }
      : undefined,
  };
}

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

/**
 * The month's stations, benches and orders split by a key of their site (district, unit), once:
 * ranking 36 districts and as many units by filtering every site and order per scope crossed
 * the province's 2,700 of them 72 times a month.
 */
function splitBy(d: MonthData, key: (s: SiteRow) => string | null): Map<string, MonthData> {
  const parts = new Map<string, MonthData>();
  const part = (k: string) => {
    let p = parts.get(k);
    if (!p) {
      p = { ...d, stations: [], benches: [], orders: [] };
      parts.set(k, p);
    }
    return p;
  };
  for (const s of d.stations) {
    const k = key(s.site);
    if (k !== null) part(k).stations.push(s);
  }
  for (const b of d.benches) {
    const k = key(b.site);
    if (k !== null) part(k).benches.push(b);
  }
  for (const o of d.orders) {
    const site = d.sites.get(o.site);
    const k = site ? key(site) : null;
    if (k !== null) part(k).orders.push(o);
  }
  return parts;
}

const emptyPart = (d: MonthData): MonthData => ({ ...d, stations: [], benches: [], orders: [] });

const asKind = (k: string): WeightKind => ((WEIGHT_KINDS as readonly string[]).includes(k) ? (k as WeightKind) : 'other');

/** The districts and units to rank, with their measures and entered scores. */
async function entitiesOf(
  db: D1Database,
  d: MonthData,
  by: RankBy,
  now: number,
  memo: RankingMemo,
  withSources: boolean,
): Promise<Entity[]> {
  if (by === 'district') {
    const districts = await once(memo.scopes, by, () => loadDistricts(db));
    const parts = splitBy(d, (s) => s.district);
    return districts.map((x) => ({
      key: x.id,
      name: x.name,
      kind: 'district',
      manual: {},
      measures: measuresOf(parts.get(x.id) ?? emptyPart(d), now, new Set([x.id]), withSources),
    }));
  }
  const [units, scores] = await Promise.all([once(memo.scopes, by, () => loadUnits(db)), manualScores(db, d.window.month)]);
  const manual = new Map<string, Partial<Record<ManualSource, number>>>();
  for (const s of scores)
    if ((MANUAL_SOURCES as readonly string[]).includes(s.source)) manual.set(s.unit_id, { ...manual.get(s.unit_id), [s.source]: s.score });
  const parts = splitBy(d, (s) => s.unit_id);
  const unitDistricts = new Map<string, Set<string>>();
  for (const s of d.sites.values()) {
    if (s.unit_id === null) continue;
    const set = unitDistricts.get(s.unit_id) ?? new Set<string>();
    set.add(s.district);
    unitDistricts.set(s.unit_id, set);
  }
  return units.map((u) => {
    const districts = new Set<string>(u.district ? [u.district] : []);
    for (const x of unitDistricts.get(u.id) ?? []) districts.add(x);
    return {
      key: u.id,
      name: u.name,
      kind: asKind(u.kind),
      manual: manual.get(u.id) ?? {},
      measures: measuresOf(parts.get(u.id) ?? emptyPart(d), now, districts, withSources),
    };
  });
}

export interface RankingBody {
  month: string;
  by: RankBy;
  weights: {
    final: RankingConfig['final'];
    digital: RankingConfig['digital'][WeightKind] | RankingConfig['digital'];
    /** The 双十 targets the sla part judged orders by: the work orders' own, per kind, else the default. */
    sla_targets: { default: SlaTargets; by_kind: Record<string, SlaTargets> };
    stock_out_cap_hours: number;
    bench_min_soc: number;
    streak: RankingConfig['streak'];
  };
  computed_at: string;
  rows: RankingRow[];
}

/**
 * A month's ranking computed from the data now (no snapshot), with low streaks from earlier months.
 * `withSources`: list each row's sites, alerts and orders (what the ranking page links to). A
 * history and the wall show only scores and ranks, and an earlier month is read only for its
 * ranks, so they go without: sorted id lists of 2,700 sites and orders a month, for nothing.
 */
export async function computeRanking(
  db: D1Database,
  month: string,
  by: RankBy,
  cfg: RankingConfig,
  now: number,
  tz: string,
  speed: number,
  slaDefaults: SlaTargets,
  memo: RankingMemo = newRankingMemo(),
  withSources = true,
): Promise<RankingBody> {
  const entities = (m: string, sources: boolean): Promise<Entity[]> =>
    once(memo.entities, `${m}|${by}|${sources}`, () =>
      loadMonthData(db, m, cfg, now, tz, speed, slaDefaults, memo).then((d) => entitiesOf(db, d, by, now, memo, sources)),
    );
  /** An earlier month's rows for the streak: its snapshot when published, else computed without streaks. */
  const earlier = async (prev: string): Promise<RankingRow[]> => {
    const snap = await rankingSnapshot(db, prev, by, memo);
    return snap ? snap.body.rows : buildRanking(await entities(prev, false), cfg);
  };
  // The earlier months and this one are read at once: their round trips to D1 overlap.
  const previous = Array.from({ length: Math.max(cfg.streak.months - 1, 0) }, (_, i) => monthsBefore(month, i + 1));
  const [earlierRows, mine, targets] = await Promise.all([
    Promise.all(previous.map(earlier)),
    entities(month, withSources),
    listTargets(db),
  ]);
  const history = earlierRows.map((rows) => bottomOf(rows, cfg.streak.bottom_n));
  const rows = buildRanking(mine, cfg, history);
  const weights = {
    final: cfg.final,
    digital: by === 'district' ? cfg.digital.district : cfg.digital,
    sla_targets: {
      default: slaDefaults,
      by_kind: Object.fromEntries(
        targets.map((t) => [t.kind, { dispatch_to_arrival_s: t.dispatch_to_arrival_s, arrival_to_handled_s: t.arrival_to_handled_s }]),
      ),
    },
    stock_out_cap_hours: cfg.stock_out_cap_hours,
    bench_min_soc: cfg.bench_min_soc,
    streak: cfg.streak,
  };
  return { month, by, weights, computed_at: new Date(now).toISOString(), rows };
}
