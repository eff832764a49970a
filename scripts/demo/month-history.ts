/**
 * The demo city's last full month, as the ranking reads it: hourly recorded coverage per district,
 * work orders through the seven-step loop (most opened from the month's alerts; dispatched,
 * arrived, handled, checked, closed with 双十 times drawn around the targets — some late, some
 * sent back by a failed check), and citizens' reports with their orders. Devices cannot post
 * work orders or reports in the past (the API stamps them "now"), so these are rows for the local
 * D1, written as SQL. Pure and seeded: the same inputs give the same rows.
 */
import { hourStarts, type MonthWindow } from '../../worker/domain/ranking/month.ts';
import { localParts } from '../../worker/domain/local-time.ts';
import { KIND_OF_ALERT } from '../../worker/domain/work-order-steps.ts';
import { rngFor, type Rng } from '../sim/rng.ts';

const MIN = 60_000;

export interface HistoryUnit {
  id: string;
  /** The unit's team (its orders are dispatched to it) and the person who handles them. */
  team: string;
  handler: string;
  sites: Array<{ id: string; kind: 'station' | 'bench' }>;
}

export interface HistoryAlert {
  id: string;
  kind: string;
  site: string;
  site_kind: 'station' | 'bench';
  item: string | null;
  opened_at: number;
  resolved_at: number | null;
}

export interface HistoryInput {
  seed: number;
  tz: string;
  window: MonthWindow;
  units: HistoryUnit[];
  /** The supervisor (督查) who registers, dispatches, checks and closes. */
  supervisor: string;
  /** Alerts opened in the month (the ones orders are opened from). */
  alerts: HistoryAlert[];
  /** Each district's population and its 15-minute coverage with all amenities open. */
  coverage: Array<{ district: string; population: number; share: number }>;
}

export interface Step {
  step: string;
  at: number;
  by: string;
  note: string | null;
  assignee: string | null;
  passed: number | null;
}

export interface HistoryOrder {
  id: string;
  site: string;
  site_kind: 'station' | 'bench';
  kind: string;
  item: string | null;
  alert: string | null;
  report: { id: string; category: string; text: string } | null;
  steps: Step[];
  team: string;
}

export interface MonthHistory {
  coverage: Array<{ at: number; day: string; district: string; population: number; covered: number }>;
  orders: HistoryOrder[];
}

const REPORTS: Array<{ category: string; text: string }> = [
  { category: 'empty', text: '饮用水没有了' },
  { category: 'broken', text: '充电口坏了，插上没反应' },
  { category: 'dirty', text: '座椅太阳能板很脏' },
  { category: 'closed', text: '白天驿站没开门' },
  { category: 'other', text: '药箱里的创可贴用完了' },
];

/** Minutes drawn around a target: most well inside it, `lateShare` of them past it. */
function stageMinutes(rng: Rng, target: number, lateShare: number): number {
  return rng.chance(lateShare) ? target + rng.uniform(0.5, 12) : rng.uniform(2, target - 0.5);
}

/**
 * One order through the loop from `opened`, by its unit's team; the steps the month's end cuts off
 * are left out. `alert`: the order's alert, whose resolution closing waits for (as the API's
 * closing rule asks); undefined for an order without one.
 */
function loop(rng: Rng, u: HistoryUnit, supervisor: string, opened: number, end: number, alert?: { resolved_at: number | null }): Step[] {
  const steps: Step[] = [];
  const add = (step: string, at: number, by: string, extra: Partial<Step> = {}) =>
    at < end && steps.push({ step, at: Math.round(at), by, note: null, assignee: null, passed: null, ...extra });
  let t = opened + rng.uniform(3, 25) * MIN;
  add('registered', t, supervisor);
  const rounds = rng.chance(0.12) ? 2 : 1; // 回头看: some are sent back by the check
  for (let round = 1; round <= rounds; round++) {
    if (round === 1) {
      t += rng.uniform(1, 15) * MIN;
      add('dispatched', t, supervisor, { assignee: u.team });
    }
    t += stageMinutes(rng, 10, 0.18) * MIN;
    add('arrived', t, u.handler);
    t += stageMinutes(rng, 10, 0.14) * MIN;
    add('handled', t, u.handler);
    t += rng.uniform(20, 180) * MIN;
    const passed = round === rounds;
    add('checked', t, supervisor, { passed: passed ? 1 : 0, note: passed ? null : '回头看：现场复核未通过' });
    if (!passed) add('dispatched', t, supervisor, { assignee: u.team });
  }
  // Closing an order from an alert waits for the alert to be resolved.
  if (alert && alert.resolved_at === null) return steps;
  const closeAt = Math.max(t + rng.uniform(10, 240) * MIN, alert?.resolved_at ?? 0);
  if (steps.at(-1)?.step === 'checked') add('closed', closeAt, supervisor);
  if (steps.at(-1)?.step === 'closed' && rng.chance(0.5)) add('evaluated', closeAt + rng.uniform(60, 1440) * MIN, supervisor);
  return steps;
}

export function monthHistory(input: HistoryInput): MonthHistory {
  const { window: w, seed } = input;
  const coverage: MonthHistory['coverage'] = [];
  for (const at of hourStarts(w.start, w.end)) {
    const p = localParts(at, input.tz);
    // At night stations close and benches run flat: live coverage dips.
    const day = p.hour >= 7 && p.hour < 21;
    for (const c of input.coverage) {
      const rng = rngFor(seed, 'coverage', c.district, at);
      const share = Math.min(1, Math.max(0, c.share * (day ? rng.uniform(0.93, 1) : rng.uniform(0.6, 0.8))));
      coverage.push({ at, day: p.day, district: c.district, population: c.population, covered: Math.round(c.population * share) });
    }
  }
  const orders: HistoryOrder[] = [];
  const end = w.end;
  for (const u of input.units) {
    const rng = rngFor(seed, 'orders', u.id, w.month);
    const mine = new Set(u.sites.map((s) => s.id));
    // Orders from the month's alerts at the unit's sites (at most 12), else a few by hand.
    const fromAlerts = input.alerts.filter((a) => mine.has(a.site) && KIND_OF_ALERT[a.kind]).slice(0, 12);
    const byHand = fromAlerts.length >= 4 ? [] : Array.from({ length: 4 - fromAlerts.length }, () => rng.pick(u.sites));
    let n = 0;
    const id = () => `wo_demo_${w.month.replace('-', '')}_${u.id}_${++n}`;
    for (const a of fromAlerts) {
      const opened = a.opened_at + rng.uniform(2, 30) * MIN;
      if (opened >= end) continue;
      const steps = loop(rng, u, input.supervisor, opened, end, a);
      orders.push({
        id: id(),
        site: a.site,
        site_kind: a.site_kind,
        kind: KIND_OF_ALERT[a.kind]!,
        item: a.item,
        alert: a.id,
        report: null,
        team: u.team,
        steps: [{ step: 'reported', at: Math.round(opened), by: input.supervisor, note: null, assignee: null, passed: null }, ...steps],
      });
    }
    for (const s of byHand) {
      const opened = w.start + rng.uniform(0.05, 0.9) * (w.end - w.start);
      orders.push({
        id: id(),
        site: s.id,
        site_kind: s.kind,
        kind: s.kind === 'station' ? 'restock' : 'cleaning',
        item: s.kind === 'station' ? 'water' : null,
        alert: null,
        report: null,
        team: u.team,
        steps: [
          { step: 'reported', at: Math.round(opened), by: input.supervisor, note: null, assignee: null, passed: null },
          ...loop(rng, u, input.supervisor, opened, end),
        ],
      });
    }
    // Citizens' reports: 3–6 a month per unit; a few are still waiting (处置率 and 反馈率 below 100 %).
    const reports = rng.int(3, 6);
    for (let i = 0; i < reports; i++) {
      const s = rng.pick(u.sites);
      const r = rng.pick(REPORTS);
      const opened = w.start + rng.uniform(0.02, 0.95) * (w.end - w.start);
      const all = loop(rng, u, input.supervisor, opened, end);
      const stopAt = rng.chance(0.15) ? rng.int(0, 2) : all.length; // left at registered / dispatched / arrived
      orders.push({
        id: id(),
        site: s.id,
        site_kind: s.kind,
        kind: 'report',
        item: null,
        alert: null,
        report: { id: `rep_demo_${w.month.replace('-', '')}_${u.id}_${i + 1}`, category: r.category, text: r.text },
        team: u.team,
        steps: [
          { step: 'reported', at: Math.round(opened), by: 'public', note: r.text, assignee: null, passed: null },
          ...all.slice(0, stopAt),
        ],
      });
    }
  }
  return { coverage, orders };
}

/** The order's columns after its steps (the latest dispatch's clock, as the API keeps it). */
export function orderState(o: HistoryOrder) {
  const last = (step: string) => o.steps.filter((s) => s.step === step).at(-1)?.at ?? null;
  const lastDispatch = last('dispatched');
  const after = (step: string) => {
    const t = last(step);
    return t !== null && lastDispatch !== null && t >= lastDispatch ? t : null;
  };
  const lastStep = o.steps.filter((s) => s.step !== 'arrived').at(-1)!;
  return {
    step: lastStep.step,
    created_at: o.steps[0]!.at,
    dispatched_at: lastDispatch,
    // A failed check's re-dispatch clears arrival and handling until they happen again.
    arrived_at: after('arrived'),
    handled_at: lastStep.step === 'dispatched' ? null : after('handled'),
    closed_at: last('closed'),
    updated_at: o.steps.at(-1)!.at,
  };
}

const lit = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);

/** INSERT OR IGNORE statements for the local D1 (re-running them changes nothing). */
export function historySql(h: MonthHistory): string[] {
  const out: string[] = [];
  for (let i = 0; i < h.coverage.length; i += 200) {
    const rows = h.coverage.slice(i, i + 200).map((c) => `(${c.at}, ${lit(c.day)}, ${lit(c.district)}, ${c.population}, ${c.covered})`);
    out.push(`INSERT OR IGNORE INTO coverage_district_hourly (at, day, district, population, covered) VALUES ${rows.join(', ')};`);
  }
  for (const o of h.orders) {
    const s = orderState(o);
    out.push(
      `INSERT OR IGNORE INTO work_orders (id, site, site_kind, kind, item, alert_id, report_id, note, step, created_at, created_by, updated_at, assignee_team, dispatched_at, arrived_at, handled_at, closed_at) VALUES (${[
        o.id,
        o.site,
        o.site_kind,
        o.kind,
        o.item,
        o.alert,
        o.report?.id ?? null,
        o.report?.text ?? null,
        s.step,
        s.created_at,
        o.steps[0]!.by,
        s.updated_at,
        s.dispatched_at === null ? null : o.team,
        s.dispatched_at,
        s.arrived_at,
        s.handled_at,
        s.closed_at,
      ]
        .map(lit)
        .join(', ')});`,
    );
    if (o.report)
      out.push(
        `INSERT OR IGNORE INTO public_reports (id, site, site_kind, category, text, client, work_order, created_at) VALUES (${[
          o.report.id,
          o.site,
          o.site_kind,
          o.report.category,
          o.report.text,
          'demo',
          o.id,
          s.created_at,
        ]
          .map(lit)
          .join(', ')});`,
      );
    const rows = o.steps.map((x, i) => `(${[o.id, i + 1, x.step, x.at, x.by, x.note, x.assignee, x.passed].map(lit).join(', ')})`);
    out.push(`INSERT OR IGNORE INTO work_order_steps (order_id, seq, step, at, by, note, assignee, passed) VALUES ${rows.join(', ')};`);
  }
  return out;
}
