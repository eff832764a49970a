import { addDays, localParts } from '../domain/local-time.ts';
import { change, trailingWindow } from '../domain/report-periods.ts';
import type { Grade } from '../domain/health.ts';
import type { OverviewT } from '../schemas/dashboard.ts';
import { loadBenches, loadStations, round } from './dashboard-state.ts';
import { loadCards } from './alerts.ts';
import { byStanding, needsAttention } from '../domain/alerts/standing.ts';

/** The overview: every figure from the daily (and, since opening, monthly) rollups and current-state columns. */

// Distributed = dispense events + stock drops no event explains (stations that only count stock).
// Summed per day and item first, in the day index's order (60 days × a province's devices), so the
// five period tests run on a few hundred rows, not on every daily row.
const SUPPLY_PERIODS_SQL = `SELECT i.item,
  TOTAL(CASE WHEN i.day = ?1 THEN i.n ELSE 0 END) AS d1,
  TOTAL(CASE WHEN i.day >= ?3 THEN i.n ELSE 0 END) AS d7,
  TOTAL(CASE WHEN i.day >= ?4 AND i.day < ?3 THEN i.n ELSE 0 END) AS p7,
  TOTAL(CASE WHEN i.day >= ?5 THEN i.n ELSE 0 END) AS d30,
  TOTAL(CASE WHEN i.day < ?5 THEN i.n ELSE 0 END) AS p30
  FROM (SELECT day, item, TOTAL(dispensed + inferred_out) AS n FROM item_daily WHERE day >= ?2 AND day <= ?1 GROUP BY day, item) i
  GROUP BY i.item`;
// Today so far against yesterday up to the same local hour, so a morning is not compared with a whole day.
// The IN lists let SQLite seek item_hourly's primary key (device_id, item, day, hour) instead of scanning it.
const YESTERDAY_SO_FAR_SQL = `SELECT item, TOTAL(dispensed + inferred_out) AS n FROM item_hourly
  WHERE device_id IN (SELECT id FROM devices WHERE kind = 'station') AND item IN (SELECT code FROM items) AND day = ?1 AND hour <= ?2
  GROUP BY item`;
// Every month ever: the monthly rollups (kept equal to the daily ones by triggers, migration 0013).
const SUPPLY_TOTAL_SQL = `SELECT item, TOTAL(dispensed + inferred_out) AS n FROM item_monthly GROUP BY item`;
const CHARGING_SQL = `SELECT
  COALESCE(TOTAL(CASE WHEN day = ?1 THEN sessions END), 0) AS s1, COALESCE(TOTAL(CASE WHEN day = ?1 THEN energy_wh END), 0) AS e1,
  COALESCE(TOTAL(CASE WHEN day >= ?2 THEN sessions END), 0) AS s7, COALESCE(TOTAL(CASE WHEN day >= ?2 THEN energy_wh END), 0) AS e7,
  COALESCE(TOTAL(sessions), 0) AS s30, COALESCE(TOTAL(energy_wh), 0) AS e30
  FROM device_daily WHERE day >= ?3 AND day <= ?1`;
const TREND_SQL = `SELECT day, item, TOTAL(dispensed + inferred_out) AS n FROM item_daily WHERE day >= ?1 AND day <= ?2 GROUP BY day, item ORDER BY day, item`;
// Summed per device first (the day index's range, no joins), then placed: 2,000 look-ups, not one
// per daily row (≈ 57,000 in a province's 30 days).
const DISTRICT_SUPPLY_SQL = `SELECT s.district AS id, TOTAL(i.n) AS n FROM (
    SELECT device_id, TOTAL(dispensed + inferred_out) AS n FROM item_daily WHERE day >= ?1 AND day <= ?2 GROUP BY device_id) i
  JOIN devices dv ON dv.id = i.device_id AND dv.kind = 'station' JOIN stations s ON s.id = dv.site
  GROUP BY s.district`;
const DISTRICT_CHARGING_SQL = `SELECT p.district AS id, TOTAL(dd.sessions) AS sessions, TOTAL(dd.energy_wh) AS energy_wh FROM device_daily dd
  JOIN devices dv ON dv.id = dd.device_id AND dv.kind = 'bench' JOIN parks p ON p.id = dv.site
  WHERE dd.day >= ?1 AND dd.day <= ?2 GROUP BY p.district`;
const DISTRICTS_SQL = `SELECT id, name FROM districts ORDER BY id`;

interface SupplyRow {
  item: string;
  d1: number;
  d7: number;
  p7: number;
  d30: number;
  p30: number;
}
interface ChargingRow {
  s1: number;
  e1: number;
  s7: number;
  e7: number;
  s30: number;
  e30: number;
}

const zeroGrades = (): Record<Grade, number> => ({ blue: 0, yellow: 0, orange: 0, red: 0 });
const figure = (current: number, previous: number) => ({ current, previous, change: change(current, previous) });

export async function loadOverview(db: D1Database, opts: { now: number; tz: string; today: string }): Promise<OverviewT> {
  const { today } = opts;
  const w7 = trailingWindow(today, 7);
  const w30 = trailingWindow(today, 30);
  const cards = await loadCards(db, null, opts.now);
  const [stations, benches, batch] = await Promise.all([
    loadStations(db, { ...opts, cards }),
    loadBenches(db, { ...opts, cards }),
    db.batch([
      db.prepare(SUPPLY_PERIODS_SQL).bind(today, w30.prevFrom, w7.from, w7.prevFrom, w30.from),
      db.prepare(SUPPLY_TOTAL_SQL),
      db.prepare(YESTERDAY_SO_FAR_SQL).bind(addDays(today, -1), localParts(opts.now, opts.tz).hour),
      db.prepare(CHARGING_SQL).bind(today, w7.from, w30.from),
      db.prepare(TREND_SQL).bind(w30.from, today),
      db.prepare(DISTRICT_SUPPLY_SQL).bind(w30.from, today),
      db.prepare(DISTRICT_CHARGING_SQL).bind(w30.from, today),
      db.prepare(DISTRICTS_SQL),
    ]),
  ]);
  const [periods, totals, yesterday, charging, trend, dSupply, dCharging, districts] = batch;

  const totalBy = new Map((totals!.results as Array<{ item: string; n: number }>).map((r) => [r.item, r.n]));
  const periodBy = new Map((periods!.results as SupplyRow[]).map((r) => [r.item, r]));
  const yesterdayBy = new Map((yesterday!.results as Array<{ item: string; n: number }>).map((r) => [r.item, r.n]));
  const items = [...new Set([...totalBy.keys(), ...periodBy.keys()])].sort();
  const supplies = items.map((item) => {
    const p = periodBy.get(item) ?? { item, d1: 0, d7: 0, p7: 0, d30: 0, p30: 0 };
    return {
      item,
      today: figure(p.d1, yesterdayBy.get(item) ?? 0),
      last_7_days: figure(p.d7, p.p7),
      last_30_days: figure(p.d30, p.p30),
      since_opening: totalBy.get(item) ?? 0,
    };
  });

  const ch = (charging!.results as ChargingRow[])[0] ?? { s1: 0, e1: 0, s7: 0, e7: 0, s30: 0, e30: 0 };
  const stationGrades = zeroGrades();
  const benchGrades = zeroGrades();
  const battery = { good: 0, low: 0, very_low: 0, critical: 0, unknown: 0 };
  const cardCounts = { stations: zeroGrades(), benches: zeroGrades(), urgent: 0 };
  for (const s of stations) {
    stationGrades[s.health.grade]++;
    cardCounts.stations[s.card.colour]++;
  }
  cardCounts.urgent = [...stations, ...benches].filter((x) => x.card.urgent).length;
  for (const b of benches) {
    benchGrades[b.health.grade]++;
    cardCounts.benches[b.card.colour]++;
    const soc = b.battery_soc;
    if (soc === null) battery.unknown++;
    else if (soc < 10) battery.critical++;
    else if (soc < 20) battery.very_low++;
    else if (soc < 40) battery.low++;
    else battery.good++;
  }

  const supplyBy = new Map((dSupply!.results as Array<{ id: string; n: number }>).map((r) => [r.id, r.n]));
  const chargeBy = new Map((dCharging!.results as Array<{ id: string; sessions: number; energy_wh: number }>).map((r) => [r.id, r]));
  const districtRows = (districts!.results as Array<{ id: string; name: string }>).map((d) => {
    const ss = stations.filter((s) => s.district === d.id);
    const bs = benches.filter((b) => b.district === d.id);
    const graded = [...ss.map((s) => s.health.grade), ...bs.map((b) => b.health.grade)];
    const cards = [...ss.map((s) => s.card), ...bs.map((b) => b.card)];
    return {
      id: d.id,
      name: d.name,
      stations: ss.length,
      benches: bs.length,
      distributed_30d: supplyBy.get(d.id) ?? 0,
      sessions_30d: chargeBy.get(d.id)?.sessions ?? 0,
      energy_wh_30d: round(chargeBy.get(d.id)?.energy_wh ?? 0, 2),
      red: graded.filter((g) => g === 'red').length,
      orange: graded.filter((g) => g === 'orange').length,
      cards: {
        red: cards.filter((c) => c.colour === 'red').length,
        orange: cards.filter((c) => c.colour === 'orange').length,
        urgent: cards.filter((c) => c.urgent).length,
      },
    };
  });

  const attention = [
    ...stations.map((s) => ({
      kind: 'station' as const,
      id: s.id,
      name: s.name,
      district_name: s.district_name,
      health: s.health,
      card: s.card,
    })),
    ...benches.map((b) => ({
      kind: 'bench' as const,
      id: b.id,
      name: b.name ?? b.id,
      district_name: b.district_name,
      health: b.health,
      card: b.card,
    })),
  ]
    .filter(needsAttention)
    .sort((a, b) => byStanding(a, b) || a.id.localeCompare(b.id))
    .slice(0, 12);

  return {
    today,
    attention,
    generated_at: new Date(opts.now).toISOString(),
    supplies,
    stations: {
      total: stations.length,
      open_now: stations.filter((s) => s.open_now).length,
      below_reorder: stations.filter((s) =>
        s.stock.some((i) => i.on_hand !== null && i.reorder_point !== null && i.on_hand <= i.reorder_point),
      ).length,
      stock_out: stations.filter((s) => s.stock.some((i) => i.on_hand !== null && i.on_hand <= 0)).length,
    },
    benches: { total: benches.length, battery },
    charging: {
      today: { sessions: ch.s1, energy_wh: round(ch.e1, 2) },
      last_7_days: { sessions: ch.s7, energy_wh: round(ch.e7, 2) },
      last_30_days: { sessions: ch.s30, energy_wh: round(ch.e30, 2) },
    },
    health: { stations: stationGrades, benches: benchGrades },
    cards: cardCounts,
    trend: {
      from: w30.from,
      to: today,
      rows: (trend!.results as Array<{ day: string; item: string; n: number }>).map((r) => ({
        day: r.day,
        item: r.item,
        distributed: r.n,
      })),
    },
    districts: districtRows,
  };
}
