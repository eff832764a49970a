/**
 * Give the demo city's last full month what the ranking rests on beyond telemetry: responsible
 * teams and people (through the API), then recorded coverage, work orders through the loop and
 * citizens' reports (scripts/demo/month-history.ts) written into the local D1 with
 * `wrangler d1 execute --local`, since the API stamps new orders and reports "now".
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api } from '../lib/api.ts';
import { ROOT, runWrangler } from '../lib/wrangler.ts';
import { demoCity } from './city.ts';
import { prepareLastMonth } from './last-month.ts';
import { historySql } from './month-history.ts';

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
  const city = demoCity({ small: opts.small, seed: opts.seed });
  const { month, history: h } = await prepareLastMonth(api(opts.url, opts.adminToken), city, opts.seed, opts.now ?? Date.now());
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
