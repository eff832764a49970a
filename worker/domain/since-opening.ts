/**
 * A station's figures since it opened: per month, imported totals win over the rollups of that
 * month (an import is the city's own record of a month the system did not fully see). The rollups
 * arrive summed per station with those months already left out (worker/db/monthly-totals.ts).
 * Pure.
 */
import type { z } from '@hono/zod-openapi';
import type { SinceAnswer } from '../schemas/reports.ts';
import { dayCount } from './local-time.ts';

interface ItemMonth {
  station: string;
  month: string;
  item: string;
  dispensed: number;
}
/** Rollups since opening, per station and item, the imported months already left out (SQL). */
interface ItemRolled {
  station: string;
  item: string;
  dispensed: number;
}
interface VisitMonth {
  station: string;
  month: string;
  visitors: number;
}

export type SinceOpening = z.infer<typeof SinceAnswer>['rows'][number];

export function sinceOpening(
  stations: ReadonlyArray<{ id: string; name: string; district: string; opened_on: string | null; first_day: string | null }>,
  rolled: readonly ItemRolled[],
  imported: readonly ItemMonth[],
  rolledVisitors: ReadonlyArray<{ station: string; visitors: number }>,
  importedVisitors: readonly VisitMonth[],
  today: string,
): SinceOpening[] {
  // Each station's rows, in their order: a province has 800 stations and tens of thousands of
  // station-months, which a scan of every row per station would cross 800 times.
  const importedBy = byStation(imported);
  const rolledBy = byStation(rolled);
  const importedVisitorsBy = byStation(importedVisitors);
  const rolledVisitorsBy = byStation(rolledVisitors);
  return stations.map((s) => {
    const since = s.opened_on ?? s.first_day;
    const openMonth = since ? since.slice(0, 7) : '0000-00';
    const by_item: Record<string, number> = {};
    const months = new Set<string>();
    for (const r of importedBy.get(s.id) ?? [])
      if (r.month >= openMonth) {
        by_item[r.item] = (by_item[r.item] ?? 0) + r.dispensed;
        months.add(r.month);
      }
    for (const r of rolledBy.get(s.id) ?? []) by_item[r.item] = (by_item[r.item] ?? 0) + r.dispensed;
    let visitors = 0;
    for (const r of importedVisitorsBy.get(s.id) ?? [])
      if (r.month >= openMonth) {
        visitors += r.visitors;
        months.add(r.month);
      }
    for (const r of rolledVisitorsBy.get(s.id) ?? []) visitors += r.visitors;
    return {
      station: s.id,
      name: s.name,
      district: s.district,
      opened_on: s.opened_on,
      since,
      days_open: since && since <= today ? dayCount(since, today) : 0,
      dispensed: Object.values(by_item).reduce((a, b) => a + b, 0),
      by_item,
      visitors,
      imported_months: [...months].sort(),
    };
  });
}

function byStation<T extends { station: string }>(rows: readonly T[]): Map<string, T[]> {
  const by = new Map<string, T[]>();
  for (const r of rows) {
    const l = by.get(r.station);
    if (l) l.push(r);
    else by.set(r.station, [r]);
  }
  return by;
}
