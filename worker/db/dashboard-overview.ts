import { localParts } from '../domain/local-time.ts';
import { change, trailingWindow } from '../domain/report-periods.ts';
import { overviewDays } from './daily-totals.ts';
import { periodSums, soFar } from '../domain/overview-days.ts';
import type { Grade } from '../domain/health.ts';
import type { OverviewT } from '../schemas/dashboard.ts';
import { cardView, loadBenchStatus, loadStationStatus, round } from './dashboard-state.ts';
import { loadCards } from './alerts.ts';
import { byStanding, needsAttention } from '../domain/alerts/standing.ts';

/**
 * The overview: every figure from the daily rollups (the closed days' sums kept per day,
 * worker/db/daily-totals.ts), the monthly ones since opening, and current-state columns.
 */

// Every month ever: the monthly rollups (kept equal to the daily ones by triggers, migration 0013).
// Summed per month and item first, in the order of the covering month index, so only those few
// sums are sorted, not every row (half the time on a province).
const SUPPLY_TOTAL_SQL = `SELECT item, TOTAL(n) AS n FROM
  (SELECT item, TOTAL(dispensed + inferred_out) AS n FROM item_monthly GROUP BY month, item) GROUP BY item`;
const DISTRICTS_SQL = `SELECT id, name FROM districts ORDER BY id`;

const zeroGrades = (): Record<Grade, number> => ({ blue: 0, yellow: 0, orange: 0, red: 0 });
const figure = (current: number, previous: number) => ({ current, previous, change: change(current, previous) });

export async function loadOverview(db: D1Database, opts: { now: number; tz: string; today: string }): Promise<OverviewT> {
  const { today } = opts;
  const [cards, { days, yesterdayByHour }] = await Promise.all([loadCards(db, null, opts.now), overviewDays(db, today)]);
  const [stations, benches, [totals, districts]] = await Promise.all([
    loadStationStatus(db, { ...opts, cards }),
    loadBenchStatus(db, { ...opts, cards }),
    db.batch([db.prepare(SUPPLY_TOTAL_SQL), db.prepare(DISTRICTS_SQL)]),
  ]);
  // Today so far against yesterday up to the same local hour, so a morning is not compared with a whole day.
  const yesterdayRows = soFar(yesterdayByHour, localParts(opts.now, opts.tz).hour);
  const sums = periodSums(days, today);
  const w30 = trailingWindow(today, 30);

  const totalBy = new Map((totals!.results as Array<{ item: string; n: number }>).map((r) => [r.item, r.n]));
  const periodBy = sums.supply;
  const yesterdayBy = new Map(yesterdayRows.map((r) => [r.item, r.n]));
  const items = [...new Set([...totalBy.keys(), ...periodBy.keys()])].sort();
  const supplies = items.map((item) => {
    const p = periodBy.get(item) ?? { d1: 0, d7: 0, p7: 0, d30: 0, p30: 0 };
    return {
      item,
      today: figure(p.d1, yesterdayBy.get(item) ?? 0),
      last_7_days: figure(p.d7, p.p7),
      last_30_days: figure(p.d30, p.p30),
      since_opening: totalBy.get(item) ?? 0,
    };
  });

  const ch = sums.charging;
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

  const supplyBy = sums.districtSupply30;
  const chargeBy = sums.districtCharging30;
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
    .slice(0, 12)
    .map((x) => ({ ...x, card: cardView(x.card) }));

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
      rows: sums.trend.map((r) => ({
        day: r.day,
        item: r.item,
        distributed: r.n,
      })),
    },
    districts: districtRows,
  };
}
