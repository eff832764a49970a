import { describe, expect, it } from 'vitest';
import { demoCity } from '../../scripts/demo/city.ts';
import { demoUnits } from '../../scripts/demo/last-month.ts';
import { historySql, monthHistory, orderState, type HistoryInput } from '../../scripts/demo/month-history.ts';
import { monthWindow } from '../../worker/domain/ranking/month.ts';
import { slaFigures } from '../../worker/domain/ranking/stats.ts';
import { transition, type OrderState, type Step } from '../../worker/domain/work-order-steps.ts';

/** The demo's last full month: every unit's ranking parts rest on orders, reports and coverage. */
const city = demoCity({ seed: 20260721 });
const window = monthWindow('2026-06', 'Asia/Shanghai');
const units = demoUnits(city);
const H = 3_600_000;
const input: HistoryInput = {
  seed: 20260721,
  tz: 'Asia/Shanghai',
  window,
  units,
  supervisor: 'demo-supervisor',
  // Two stock-outs per station (one resolved, one still open at the month's end) and an offline bench per park unit.
  alerts: [
    ...city.stations.flatMap((s, i) => [
      {
        id: `a-${s.id}-1`,
        kind: 'stock_out',
        site: s.id,
        site_kind: 'station' as const,
        item: 'water',
        opened_at: window.start + (i + 2) * 24 * H,
        resolved_at: window.start + (i + 2) * 24 * H + 3 * H,
      },
      {
        id: `a-${s.id}-2`,
        kind: 'below_reorder',
        site: s.id,
        site_kind: 'station' as const,
        item: 'towel',
        opened_at: window.end - 5 * H,
        resolved_at: null,
      },
    ]),
    ...city.benches.map((b, i) => ({
      id: `a-${b.id}`,
      kind: 'offline',
      site: b.id,
      site_kind: 'bench' as const,
      item: null,
      opened_at: window.start + (i % 25) * 24 * H + 10 * H,
      resolved_at: window.start + (i % 25) * 24 * H + 12 * H,
    })),
  ],
  coverage: city.districts.map((d, i) => ({ district: d.id, population: 10_000 * (i + 1), share: 0.5 + i * 0.08 })),
};
const h = monthHistory(input);

describe('the demo’s last full month', () => {
  it('records coverage for every hour of the month and district, lower at night', () => {
    expect(h.coverage).toHaveLength(30 * 24 * city.districts.length);
    const d0 = h.coverage.filter((c) => c.district === city.districts[0]!.id);
    const noon = d0.filter((c) => new Date(c.at).getUTCHours() === 4); // 12:00 in Liaocheng
    const night = d0.filter((c) => new Date(c.at).getUTCHours() === 19); // 03:00
    const mean = (xs: typeof d0) => xs.reduce((a, c) => a + c.covered / c.population, 0) / xs.length;
    expect(mean(noon)).toBeGreaterThan(mean(night));
    expect(mean(noon)).toBeLessThanOrEqual(0.5);
  });

  it('gives every unit orders dispatched in the month (some late, some sent back) and citizens’ reports', () => {
    for (const u of units) {
      const mine = h.orders.filter((o) => o.team === u.team);
      const dispatched = mine.filter((o) => !o.report && orderState(o).dispatched_at !== null);
      expect(dispatched.length, u.id).toBeGreaterThanOrEqual(4);
      expect(mine.filter((o) => o.report).length, u.id).toBeGreaterThanOrEqual(3);
    }
    const states = h.orders.map(orderState);
    const late = states.filter((s) => s.arrived_at !== null && s.dispatched_at !== null && s.arrived_at - s.dispatched_at > 600_000);
    expect(late.length).toBeGreaterThan(0);
    expect(h.orders.some((o) => o.steps.some((s) => s.step === 'checked' && s.passed === 0))).toBe(true);
    expect(h.orders.filter((o) => o.alert).length).toBeGreaterThan(h.orders.length / 2);
    // 双十 over the month: neither all met nor none.
    const f = slaFigures(
      states
        .filter((s) => s.dispatched_at !== null)
        .map((s) => ({
          dispatch_to_arrival_s: s.arrived_at === null ? null : (s.arrived_at - s.dispatched_at!) / 1000,
          arrival_to_handled_s: s.arrived_at === null || s.handled_at === null ? null : (s.handled_at - s.arrived_at) / 1000,
          elapsed_s: (window.end - s.dispatched_at!) / 1000,
          target_arrival_s: 600,
          target_handling_s: 600,
        })),
    );
    expect(f.share_met).toBeGreaterThan(0.4);
    expect(f.share_met).toBeLessThan(0.95);
  });

  it('moves every order only through legal steps, attributed, in time order; closes an alert’s order only once it is resolved', () => {
    const resolved = new Map(input.alerts.map((a) => [a.id, a.resolved_at]));
    for (const o of h.orders) {
      expect(o.steps[0]!.step).toBe('reported');
      let s: OrderState = { step: 'reported', arrived: false, alertOpen: false };
      for (const [i, x] of o.steps.slice(1).entries()) {
        if (i > 0 && x.step === 'dispatched' && o.steps[i]!.passed === 0) continue; // the failed check's own re-dispatch
        const t = transition(s, {
          step: x.step as Step,
          ...(x.step === 'dispatched' ? { assignee: x.assignee! } : {}),
          ...(x.step === 'checked' ? { passed: x.passed === 1 } : {}),
        });
        expect(t.ok, `${o.id} ${x.step} from ${s.step}`).toBe(true);
        if (t.ok) s = { step: t.step, arrived: x.step === 'arrived' || (s.arrived && t.step !== 'dispatched'), alertOpen: false };
      }
      expect(s.step).toBe(orderState(o).step);
      for (let i = 1; i < o.steps.length; i++) expect(o.steps[i]!.at).toBeGreaterThanOrEqual(o.steps[i - 1]!.at);
      expect(o.steps.at(-1)!.at).toBeLessThan(window.end);
      if (o.alert && orderState(o).closed_at !== null) expect(orderState(o).closed_at!).toBeGreaterThanOrEqual(resolved.get(o.alert)!);
      if (o.alert && resolved.get(o.alert) === null) expect(orderState(o).closed_at).toBeNull();
    }
  });

  it('is the same for the same seed, and its SQL re-runs without duplicating (INSERT OR IGNORE)', () => {
    expect(historySql(monthHistory(input))).toEqual(historySql(h));
    expect(historySql(h).every((q) => q.startsWith('INSERT OR IGNORE INTO '))).toBe(true);
  });
});
