/**
 * What the demo city's last full month needs from the running Worker before its rows are made:
 * responsible teams and people (through the API), the month's alerts and each district's
 * coverage. No Node built-ins: the workerd tests use it too.
 */
import { localDay } from '../../worker/domain/local-time.ts';
import { monthsBefore, monthWindow } from '../../worker/domain/ranking/month.ts';
import { createOrKeep, type Api } from '../lib/api.ts';
import { rngFor } from '../sim/rng.ts';
import type { DemoCity } from './city.ts';
import { monthHistory, type HistoryAlert, type HistoryUnit, type MonthHistory } from './month-history.ts';

/** The demo city's clock (the Worker's default TZ). */
const TZ = 'Asia/Shanghai';
export const DEMO_SUPERVISOR = 'demo-supervisor';

/** The units assignResponsibility made (street office: parks' benches; sanitation: stations), each with a team and a handler. */
export function demoUnits(city: DemoCity): HistoryUnit[] {
  return city.districts.flatMap((d) => {
    const parks = new Set(city.parks.filter((p) => p.district === d.id).map((p) => p.id));
    const units: Array<[string, HistoryUnit['sites']]> = [
      [`${d.id}-street`, city.benches.filter((b) => parks.has(b.park)).map((b) => ({ id: b.id, kind: 'bench' as const }))],
      [`${d.id}-sanitation`, city.stations.filter((s) => s.district === d.id).map((s) => ({ id: s.id, kind: 'station' as const }))],
    ];
    return units.filter(([, sites]) => sites.length).map(([id, sites]) => ({ id, team: `${id}-team`, handler: `${id}-handler`, sites }));
  });
}

interface AlertJson {
  id: string;
  kind: string;
  site: string;
  site_kind: 'station' | 'bench';
  item: string | null;
  opened_at: string;
  resolved_at: string | null;
}

/**
 * Through the API: the units' teams and handlers, the month's alerts and the districts'
 * coverage; then the month's rows (pure). Writes nothing but the teams and people.
 */
export async function prepareLastMonth(
  client: Api,
  city: DemoCity,
  seed: number,
  now: number,
): Promise<{ month: string; history: MonthHistory }> {
  const month = monthsBefore(localDay(now, TZ).slice(0, 7), 1);
  const window = monthWindow(month, TZ);
  const units = demoUnits(city);

  await createOrKeep(client, '/api/v1/people', { id: DEMO_SUPERVISOR, name: '督查员（演示）' });
  for (const u of units) {
    await createOrKeep(client, '/api/v1/people', { id: u.handler, name: `${u.id} 处置员`, unit: u.id });
    await createOrKeep(client, '/api/v1/teams', { id: u.team, name: `${u.id} 班组`, unit: u.id, members: [u.handler] });
  }

  // The hand-entered sources (第三方督查, 部门考核, 考核办) as a supervisor would enter them.
  const scores = units.flatMap((u) => {
    const rng = rngFor(seed, 'scores', u.id, month);
    return (['third_party', 'departmental', 'assessment_office'] as const).map((source) => ({
      unit: u.id,
      source,
      score: Math.round(rng.uniform(70, 96) * 10) / 10,
    }));
  });
  await client.request('PUT', `/api/v1/rankings/${month}/scores`, { scores });

  const alerts: HistoryAlert[] = [];
  for (const d of city.districts) {
    const r = await client.request<{ alerts: AlertJson[] }>('GET', `/api/v1/alerts?state=all&district=${d.id}&limit=1000`);
    for (const a of r.alerts) {
      const opened = Date.parse(a.opened_at);
      if (opened < window.start || opened >= window.end) continue;
      alerts.push({ ...a, opened_at: opened, resolved_at: a.resolved_at ? Date.parse(a.resolved_at) : null });
    }
  }
  alerts.sort((a, b) => a.opened_at - b.opened_at || (a.id < b.id ? -1 : 1));

  const cov = await client.request<{ by_district: Array<{ district: string; population: number; levels: Array<{ share: number }> }> }>(
    'GET',
    '/api/v1/coverage?levels=15&kind=all&live=false',
  );
  const coverage = cov.by_district
    .filter((d) => d.district && d.population > 0)
    .map((d) => ({ district: d.district, population: d.population, share: d.levels[0]!.share }));

  return { month, history: monthHistory({ seed, tz: TZ, window, units, supervisor: DEMO_SUPERVISOR, alerts, coverage }) };
}
