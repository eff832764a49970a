/**
 * Give the demo city's last full month what the ranking rests on beyond telemetry: responsible
 * teams and people (through the API), then recorded coverage, work orders through the loop and
 * citizens' reports (scripts/demo/month-history.ts) written into the local D1 with
 * `wrangler d1 execute --local`, since the API stamps new orders and reports "now".
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { localDay } from '../../worker/domain/local-time.ts';
import { monthsBefore, monthWindow } from '../../worker/domain/ranking/month.ts';
import { api, ApiFailure, type Api } from '../lib/api.ts';
import { ROOT, runWrangler } from '../lib/wrangler.ts';
import { demoCity, type DemoCity } from './city.ts';
import { historySql, monthHistory, type HistoryAlert, type HistoryUnit } from './month-history.ts';

/** The demo city's clock (the Worker's default TZ). */
const TZ = 'Asia/Shanghai';
export const DEMO_SUPERVISOR = 'demo-supervisor';

async function create(client: Api, path: string, body: object): Promise<void> {
  try {
    await client.request('POST', path, body);
  } catch (e) {
    if (!(e instanceof ApiFailure) || e.status !== 409) throw e;
  }
}

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

export interface SeedOptions {
  url: string;
  adminToken: string;
  seed: number;
  small?: boolean;
  persistTo?: string;
  now?: number;
  log?: (line: string) => void;
}

export async function seedLastMonth(opts: SeedOptions): Promise<{ month: string; orders: number; reports: number; coverageRows: number }> {
  const log = opts.log ?? (() => {});
  const client = api(opts.url, opts.adminToken);
  const city = demoCity({ small: opts.small, seed: opts.seed });
  const now = opts.now ?? Date.now();
  const month = monthsBefore(localDay(now, TZ).slice(0, 7), 1);
  const window = monthWindow(month, TZ);
  const units = demoUnits(city);

  await create(client, '/api/v1/people', { id: DEMO_SUPERVISOR, name: '督查员（演示）' });
  for (const u of units) {
    await create(client, '/api/v1/people', { id: u.handler, name: `${u.id} 处置员`, unit: u.id });
    await create(client, '/api/v1/teams', { id: u.team, name: `${u.id} 班组`, unit: u.id, members: [u.handler] });
  }

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

  const h = monthHistory({ seed: opts.seed, tz: TZ, window, units, supervisor: DEMO_SUPERVISOR, alerts, coverage });
  const path = join(ROOT, '.wrangler', `demo-${month}.sql`);
  await writeFile(path, `${historySql(h).join('\n')}\n`);
  const args = ['d1', 'execute', 'DB', '--local', '--file', path, '--yes'];
  if (opts.persistTo) args.push('--persist-to', opts.persistTo);
  await runWrangler(args, { quiet: true });
  const reports = h.orders.filter((o) => o.report).length;
  log(
    `${month}: ${h.orders.length - reports} work orders (${h.orders.filter((o) => o.alert).length} from alerts), ${reports} citizens' reports, ${h.coverage.length} hours of district coverage`,
  );
  return { month, orders: h.orders.length - reports, reports, coverageRows: h.coverage.length };
}
