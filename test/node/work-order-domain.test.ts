import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../worker/domain/image-type.ts';
import { orderSla } from '../../worker/domain/sla-clock.ts';
import { quantile, slaStats, type SlaSample } from '../../worker/domain/sla-stats.ts';
import { legalMoves, MOVES, restockMoves, STEPS, transition, type OrderState } from '../../worker/domain/work-order-steps.ts';

const T = { dispatch_to_arrival_s: 600, arrival_to_handled_s: 600 };
const t0 = Date.parse('2026-07-21T02:00:00Z');
const min = 60_000;

describe('the moves a restock makes on an open restock order', () => {
  it('are each legal in turn and end at closed, recording arrival when the dispatch has none', () => {
    expect(restockMoves({ step: 'reported', arrived: false })).toEqual({
      handle: ['registered', 'dispatched', 'arrived', 'handled'],
      close: ['checked', 'closed'],
    });
    expect(restockMoves({ step: 'dispatched', arrived: true })).toEqual({ handle: ['handled'], close: ['checked', 'closed'] });
    expect(restockMoves({ step: 'checked', arrived: true })).toEqual({ handle: [], close: ['closed'] });
    expect(restockMoves({ step: 'closed', arrived: true })).toEqual({ handle: [], close: [] });
    for (const step of ['reported', 'registered', 'dispatched', 'handled', 'checked'] as const)
      for (const arrived of [false, true]) {
        const { handle, close } = restockMoves({ step, arrived });
        let s: OrderState = { step, arrived, alertOpen: false };
        for (const m of [...handle, ...close]) {
          const t = transition(s, {
            step: m,
            ...(m === 'dispatched' ? { assignee: 'p' } : {}),
            ...(m === 'checked' ? { passed: true } : {}),
          });
          expect(t.ok, `${step}/${arrived}: ${m}`).toBe(true);
          if (t.ok) s = { step: t.step, arrived: m === 'arrived' || (s.arrived && m !== 'dispatched'), alertOpen: false };
        }
        expect(s.step).toBe('closed');
        expect(handle.includes('handled') || step === 'handled' || step === 'checked').toBe(true);
      }
  });
});

describe('the seven-step transition function', () => {
  const states = fc.record({
    step: fc.constantFrom(...STEPS),
    arrived: fc.boolean(),
    alertOpen: fc.constantFrom(null, true, false),
  }) as fc.Arbitrary<OrderState>;

  it('accepts exactly the legal moves (with what each needs), refuses the rest as invalid_transition', () => {
    fc.assert(
      fc.property(states, fc.constantFrom(...MOVES), (s, m) => {
        const state = { ...s, arrived: s.step === 'dispatched' && s.arrived };
        const r = transition(state, {
          step: m,
          ...(m === 'dispatched' ? { assignee: 't1' } : {}),
          ...(m === 'closed' ? { note: 'why' } : {}),
        });
        expect(r.ok).toBe(legalMoves(state).includes(m));
        if (!r.ok) expect(r.refusal.code).toBe('invalid_transition');
      }),
    );
  });

  it('walks the loop in order; arrival keeps the step; a failed check goes back to dispatched', () => {
    const order = ['reported', 'registered', 'dispatched', 'handled', 'checked', 'closed', 'evaluated'];
    for (let i = 0; i < order.length - 1; i++) {
      const r = transition(
        { step: order[i] as OrderState['step'], arrived: false, alertOpen: null },
        { step: order[i + 1] as OrderState['step'], assignee: order[i + 1] === 'dispatched' ? 'x' : undefined },
      );
      expect(r).toMatchObject({ ok: true, step: order[i + 1] });
    }
    expect(transition({ step: 'dispatched', arrived: false, alertOpen: null }, { step: 'arrived' })).toMatchObject({
      ok: true,
      step: 'dispatched',
      effect: { kind: 'arrive' },
    });
    expect(transition({ step: 'dispatched', arrived: true, alertOpen: null }, { step: 'arrived' })).toMatchObject({
      ok: false,
      refusal: { code: 'invalid_transition' },
    });
    expect(transition({ step: 'handled', arrived: true, alertOpen: null }, { step: 'checked', passed: false })).toMatchObject({
      ok: true,
      step: 'dispatched',
      effect: { kind: 'check_failed' },
    });
  });

  it('closes an order from an open alert only with a reason', () => {
    expect(transition({ step: 'checked', arrived: true, alertOpen: true }, { step: 'closed' })).toMatchObject({
      ok: false,
      refusal: { code: 'alert_not_resolved' },
    });
    expect(transition({ step: 'checked', arrived: true, alertOpen: true }, { step: 'closed', note: '  ' })).toMatchObject({
      ok: false,
      refusal: { code: 'alert_not_resolved' },
    });
    expect(transition({ step: 'checked', arrived: true, alertOpen: true }, { step: 'closed', note: '厂家远程复位' })).toMatchObject({
      ok: true,
    });
    expect(transition({ step: 'checked', arrived: true, alertOpen: false }, { step: 'closed' })).toMatchObject({ ok: true });
  });
});

describe('the 双十 clock of one order', () => {
  const times = (dispatched: number | null, arrived: number | null, handled: number | null, closed: number | null = null) => ({
    created_at: t0 - 5 * min,
    dispatched_at: dispatched,
    arrived_at: arrived,
    handled_at: handled,
    closed_at: closed,
  });

  it('measures both stages against their targets', () => {
    expect(orderSla(times(t0, t0 + 8 * min, t0 + 15 * min, t0 + 60 * min), T, t0 + 99 * min)).toMatchObject({
      dispatch_to_arrival_s: 480,
      arrival_to_handled_s: 420,
      to_close_s: 3900,
      met: true,
      overdue: false,
      due_at: null,
    });
    expect(orderSla(times(t0, t0 + 10 * min, t0 + 20 * min), T, t0 + 99 * min).met).toBe(true); // exactly on target is met
    expect(orderSla(times(t0, t0 + 10 * min + 1000, t0 + 12 * min), T, t0).met).toBe(false);
    expect(orderSla(times(t0, t0 + 2 * min, t0 + 12 * min + 1000), T, t0).met).toBe(false);
    expect(orderSla(times(t0, null, t0 + 5 * min), T, t0 + 5 * min)).toMatchObject({ met: false, dispatch_to_arrival_s: null }); // no arrival recorded
  });

  it('while running: null within target, false and overdue past the stage’s deadline', () => {
    expect(orderSla(times(null, null, null), T, t0)).toMatchObject({ met: null, overdue: false, due_at: null });
    expect(orderSla(times(t0, null, null), T, t0 + 9 * min)).toMatchObject({
      met: null,
      overdue: false,
      due_at: new Date(t0 + 10 * min).toISOString(),
    });
    expect(orderSla(times(t0, null, null), T, t0 + 11 * min)).toMatchObject({ met: false, overdue: true });
    expect(orderSla(times(t0, t0 + 3 * min, null), T, t0 + 12 * min)).toMatchObject({
      met: null,
      overdue: false,
      due_at: new Date(t0 + 13 * min).toISOString(),
    });
    expect(orderSla(times(t0, t0 + 3 * min, null), T, t0 + 14 * min)).toMatchObject({ met: false, overdue: true });
  });
});

describe('双十 figures over many orders', () => {
  it('quantile agrees with a rank definition computed another way', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, q) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const v = quantile(sorted, q)!;
          // Type 7 lies between the order statistics around rank (n−1)q, and is monotone in q.
          const h = (sorted.length - 1) * q;
          expect(v).toBeGreaterThanOrEqual(sorted[Math.floor(h)]! - 1e-9);
          expect(v).toBeLessThanOrEqual(sorted[Math.ceil(h)]! + 1e-9);
          expect(quantile(sorted, 0)).toBe(sorted[0]);
          expect(quantile(sorted, 1)).toBe(sorted.at(-1));
        },
      ),
    );
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('groups by key, counts met among judged orders, keeps unkeyed orders in the total only', () => {
    const s = (key: string | null, a: number | null, met: boolean | null, overdue = false): SlaSample => ({
      key,
      dispatch_to_arrival_s: a,
      arrival_to_handled_s: null,
      to_close_s: null,
      met,
      overdue,
    });
    const { rows, total } = slaStats([
      s('b', 100, true),
      s('a', 700, false, true),
      s('a', 300, true),
      s('a', null, null),
      s(null, 50, true),
    ]);
    expect(rows.map((r) => r.key)).toEqual(['a', 'b']);
    expect(rows[0]).toMatchObject({
      orders: 3,
      judged: 2,
      met: 1,
      met_share: 0.5,
      overdue: 1,
      dispatch_to_arrival: { n: 2, median: 500, p90: 660 },
    });
    expect(rows[1]).toMatchObject({ orders: 1, met_share: 1 });
    expect(total).toMatchObject({ key: 'total', orders: 5, judged: 4, met: 3, met_share: 0.75 });
    expect(slaStats([s('x', null, null)]).rows[0]!.met_share).toBeNull();
  });
});

describe('image sniffing', () => {
  const sig = {
    'image/jpeg': [0xff, 0xd8, 0xff],
    'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    'image/webp': [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50],
  } as const;
  it('recognises each signature whatever follows, and nothing else', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(sig) as Array<keyof typeof sig>)), fc.uint8Array({ maxLength: 64 }), (type, tail) => {
        expect(sniffImage(new Uint8Array([...sig[type], ...tail]))).toBe(type);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const looks =
          (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) || bytes[0] === 0x89 || (bytes[0] === 0x52 && bytes[1] === 0x49);
        fc.pre(!looks);
        expect(sniffImage(bytes)).toBeNull();
      }),
    );
    expect(sniffImage(new TextEncoder().encode('RIFF....WAVE'))).toBeNull();
    expect(sniffImage(new Uint8Array([0xff, 0xd8]))).toBeNull();
  });
});
