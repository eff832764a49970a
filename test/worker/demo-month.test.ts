import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { demoCity } from '../../scripts/demo/city.ts';
import { prepareLastMonth } from '../../scripts/demo/last-month.ts';
import { assignResponsibility, registryGeoJson } from '../../scripts/demo/load.ts';
import { historySql } from '../../scripts/demo/month-history.ts';
import { demoPopulation } from '../../scripts/demo/population.ts';
import { api } from '../../scripts/lib/api.ts';
import { monthsBefore } from '../../worker/domain/ranking/month.ts';
import { localDay } from '../../worker/domain/local-time.ts';
import { RankingAnswer } from '../../worker/schemas/rankings.ts';
import { ADMIN } from './helpers.ts';

/**
 * The demo's last full month through the Worker: the small demo city loaded by its own loader,
 * a stock-out per station in that month (as the alert engine stores them), then the month's rows
 * as `npm start` writes them. The ranking of every unit then rests on coverage, 双十, handling
 * and feedback, and each figure names the records behind it.
 */
describe('the demo city’s last full month', () => {
  it('gives every unit coverage, 双十, handling, feedback and the entered scores, traced to their records', async () => {
    const client = api('https://demo.local', ADMIN, (input, init) => SELF.fetch(input, init));
    const city = demoCity({ small: true, seed: 5 });
    await client.request('POST', '/api/v1/import', registryGeoJson(city), 'application/geo+json');
    await assignResponsibility(client, city);
    await client.request(
      'PUT',
      '/api/v1/population',
      demoPopulation({ seed: 5, districts: city.districts.map((d) => d.id), units: 60 }),
      'application/geo+json',
    );
    const now = Date.now();
    const month = monthsBefore(localDay(now, 'Asia/Shanghai').slice(0, 7), 1);
    const start = Date.parse(`${month}-03T02:00:00Z`);
    await env.DB.batch(
      city.stations.map((s, i) =>
        env.DB.prepare(
          `INSERT INTO alerts (id, kind, site, site_kind, item, colour, opened_at, resolved_at, detail, updated_at) VALUES (?1, 'stock_out', ?2, 'station', 'water', 'yellow', ?3, ?4, 'demo', ?4)`,
        ).bind(`al-demo-${s.id}`, s.id, start + i * 86_400_000, start + i * 86_400_000 + 2 * 3_600_000),
      ),
    );
    const prepared = await prepareLastMonth(client, city, 5, now);
    expect(prepared.month).toBe(month);
    await env.DB.batch(historySql(prepared.history).map((q) => env.DB.prepare(q)));
    // Written twice (a re-run): nothing doubles.
    await env.DB.batch(historySql(prepared.history).map((q) => env.DB.prepare(q)));

    const res = await client.request('GET', `/api/v1/rankings?month=${month}&by=unit`);
    const r = RankingAnswer.parse(res);
    const demoUnits = r.rows.filter((x) => city.districts.some((d) => x.key.startsWith(`${d.id}-`)));
    expect(demoUnits.length).toBeGreaterThanOrEqual(3);
    for (const row of demoUnits) {
      const has = (p: string) => row.parts[p as keyof typeof row.parts]?.score ?? null;
      for (const p of ['coverage', 'sla', 'handling', 'feedback', 'third_party', 'departmental', 'assessment_office'])
        expect(has(p), `${row.key} ${p}`).not.toBeNull();
      const f = row.figures as {
        coverage: { source: string; hours: number };
        sla: { orders: number };
        sources: { orders: string[]; reports: string[] };
      };
      expect(f.coverage.source).toBe('recorded');
      expect(f.coverage.hours).toBeGreaterThan(0);
      expect(f.sources.orders.length).toBe(f.sla.orders);
      expect(f.sources.reports.length).toBeGreaterThan(0);
    }
    // Orders from alerts, and every order's steps read back through the API (attributed, timestamped).
    const fromAlert = prepared.history.orders.find((o) => o.alert)!;
    const order = await client.request<{ alert: string; steps: Array<{ by: string; at: string }> }>(
      'GET',
      `/api/v1/work-orders/${fromAlert.id}`,
    );
    expect(order.alert).toBe(fromAlert.alert);
    expect(order.steps.map((s) => Date.parse(s.at))).toEqual(fromAlert.steps.map((s) => s.at));
  });
});
