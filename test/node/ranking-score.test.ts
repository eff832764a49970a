import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRanking, bottomOf, scoreEntity, type Entity } from '../../worker/domain/ranking/build.ts';
import { coveredMs, openOverlapMs, union } from '../../worker/domain/ranking/intervals.ts';
import type { Measures } from '../../worker/domain/ranking/parts.ts';
import { rankRows, weighted } from '../../worker/domain/ranking/score.ts';
import { quantile, slaFigures } from '../../worker/domain/ranking/stats.ts';
import { DEFAULT_CONFIG, mergeConfig } from '../../worker/domain/ranking/weights.ts';

const none: Measures = { coverage: null, station_uptime: null, bench_uptime: null, stock_out: null, sla: null, reports: null };
const sla = (share: number | null) => ({
  orders: 4,
  decided: 4,
  met: 3,
  share_met: share,
  arrival_median_s: null,
  arrival_p90_s: null,
  handling_median_s: null,
  handling_p90_s: null,
});
const entity = (key: string, digitalCoverage: number, manual: Entity['manual'] = {}): Entity => ({
  key,
  name: key,
  kind: 'other',
  measures: { ...none, coverage: { share: digitalCoverage, population: 100, source: 'recorded', hours: 10 } },
  manual,
});

describe('the ranking score formula', () => {
  it('scores a constructed sanitation unit as computed by hand, dropping the part without data', () => {
    const e: Entity = {
      key: 'u1',
      name: 'Sanitation office',
      kind: 'sanitation',
      measures: {
        coverage: { share: 0.8, population: 1000, source: 'recorded', hours: 720 }, // 80
        station_uptime: { opening_hours: 600, up_hours: 540 }, // 540/600 = 0.9 → 90
        bench_uptime: null, // no benches: dropped
        stock_out: { stations: 2, hours: 36 }, // 18 h per station: 100 × (1 − 18/72) = 75
        sla: sla(0.75), // 75
        reports: { opened: 4, handled: 3, answered: 2 }, // 处置率 75, 反馈率 50
      },
      manual: { third_party: 90, departmental: 80 }, // no assessment-office score: dropped
    };
    const r = scoreEntity(e, DEFAULT_CONFIG);
    // Sanitation weights without bench_uptime (5): 10 + 25 + 25 + 20 + 10 + 5 = 95.
    // 10×80 + 25×90 + 25×75 + 20×75 + 10×75 + 5×50 = 800 + 2250 + 1875 + 1500 + 750 + 250 = 7425
    // digital = 7425 / 95 = 78.157… → 78.16
    expect(r.parts.digital.score).toBe(78.16);
    expect(r.parts.bench_uptime).toEqual({ value: null, score: null, weight: 0 });
    expect(r.parts.station_uptime).toEqual({ value: 0.9, score: 90, weight: Math.round((25 / 95) * 1e4) / 1e4 });
    expect(r.parts.stock_out).toEqual({ value: 18, score: 75, weight: Math.round((25 / 95) * 1e4) / 1e4 });
    expect(r.parts.feedback.score).toBe(50);
    // Final weights without the assessment office (5): 40 + 40 + 15 = 95.
    // (40×90 + 40×78.16 + 15×80) / 95 = (3600 + 3126.4 + 1200) / 95 = 7926.4 / 95 = 83.435… → 83.44
    expect(r.score).toBe(83.44);
    expect(r.parts.assessment_office.weight).toBe(0);
    expect(r.parts.third_party.weight).toBe(Math.round((40 / 95) * 1e4) / 1e4);
  });

  it('uses the full 40/40/15/5 when every source has a score', () => {
    // digital = coverage only = 50; (40×70 + 40×50 + 15×60 + 5×100) / 100 = (2800 + 2000 + 900 + 500) / 100 = 62
    const r = scoreEntity(entity('a', 0.5, { third_party: 70, departmental: 60, assessment_office: 100 }), DEFAULT_CONFIG);
    expect(r.score).toBe(62);
  });

  it('caps stock-out hours at 0 points and has no score without any data', () => {
    const cfg = mergeConfig({ stock_out_cap_hours: 10 });
    const r = scoreEntity(
      { key: 'x', name: 'x', kind: 'other', measures: { ...none, stock_out: { stations: 1, hours: 25 } }, manual: {} },
      cfg,
    );
    expect(r.parts.stock_out.score).toBe(0);
    expect(r.score).toBe(0);
    expect(scoreEntity({ key: 'y', name: 'y', kind: 'other', measures: none, manual: {} }, cfg).score).toBeNull();
  });

  it('re-weights so the effective weights of present parts sum to 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 4, maxLength: 4 }),
        (s, w) => {
          const keys = ['a', 'b', 'c', 'd'] as const;
          const scores = Object.fromEntries(keys.map((k, i) => [k, s[i]!])) as Record<(typeof keys)[number], number | null>;
          const weights = Object.fromEntries(keys.map((k, i) => [k, w[i]!])) as Record<(typeof keys)[number], number>;
          const r = weighted(scores, weights);
          const present = keys.filter((k) => scores[k] !== null && weights[k] > 0);
          if (!present.length) {
            // fast-check reads a predicate's return value: assert, then return nothing.
            expect(r.score).toBeNull();
            return;
          }
          expect(Object.values(r.effective).reduce((a: number, b) => a + (b as number), 0)).toBeCloseTo(1, 9);
          const lo = Math.min(...present.map((k) => scores[k]!));
          const hi = Math.max(...present.map((k) => scores[k]!));
          expect(r.score!).toBeGreaterThanOrEqual(Math.floor(lo * 100) / 100);
          expect(r.score!).toBeLessThanOrEqual(Math.ceil(hi * 100) / 100);
        },
      ),
    );
  });
});

describe('ranks and flags', () => {
  it('shares a rank between equal scores (competition ranking) and flags every unit tied at the top two and the last', () => {
    const rows = rankRows([
      { key: 'e', score: 70 },
      { key: 'a', score: 90 },
      { key: 'c', score: 85 },
      { key: 'b', score: 85 },
      { key: 'd', score: 70 },
      { key: 'n', score: null },
    ]);
    expect(rows.map((r) => [r.key, r.rank, r.flag])).toEqual([
      ['a', 1, 'red'],
      ['b', 2, 'red'],
      ['c', 2, 'red'],
      ['d', 4, 'black'],
      ['e', 4, 'black'],
      ['n', null, null],
    ]);
  });

  it('gives no black flag when the last place is also a top-two place', () => {
    expect(
      rankRows([
        { key: 'a', score: 80 },
        { key: 'b', score: 80 },
        { key: 'c', score: 80 },
      ]).map((r) => r.flag),
    ).toEqual(['red', 'red', 'red']);
    expect(
      rankRows([
        { key: 'a', score: 90 },
        { key: 'b', score: 80 },
      ]).map((r) => r.flag),
    ).toEqual(['red', 'red']);
    expect(
      rankRows([
        { key: 'a', score: 90 },
        { key: 'b', score: 80 },
        { key: 'c', score: 10 },
      ]).map((r) => r.flag),
    ).toEqual(['red', 'red', 'black']);
  });

  it('marks a unit in the bottom three places three months running', () => {
    const cfg = DEFAULT_CONFIG; // bottom_n 3, months 3
    const month = (scores: Record<string, number>) => Object.entries(scores).map(([k, s]) => entity(k, s / 100));
    // Five units; "e" is last in all three months, "c" is in the bottom three only now and last month.
    const m1 = buildRanking(month({ a: 90, b: 80, c: 70, d: 60, e: 10 }), cfg);
    const m2 = buildRanking(month({ a: 90, b: 80, c: 30, d: 60, e: 10 }), cfg, [bottomOf(m1, 3)]);
    const m3 = buildRanking(month({ a: 90, b: 80, c: 30, d: 60, e: 10 }), cfg, [bottomOf(m2, 3), bottomOf(m1, 3)]);
    const by = new Map(m3.map((r) => [r.key, r]));
    expect(by.get('e')).toMatchObject({ rank: 5, flag: 'black', low_streak: 3, low_marked: true });
    // m1 bottom three: c, d, e. m2: c (30), d, e. m3: c, d, e → c and d also three running.
    expect(by.get('c')).toMatchObject({ low_streak: 3, low_marked: true });
    expect(by.get('a')).toMatchObject({ low_streak: 0, low_marked: false, flag: 'red' });
  });
});

describe('双十 figures', () => {
  it('computes median and p90 by linear interpolation, and share met over decided orders', () => {
    // [60, 120, 300, 900]: median = (120 + 300) / 2 = 210; p90: h = 3 × 0.9 = 2.7 → 300 + 0.7 × 600 = 720
    expect(quantile([900, 60, 300, 120], 0.5)).toBe(210);
    expect(quantile([900, 60, 300, 120], 0.9)).toBeCloseTo(720, 9);
    const T = { target_arrival_s: 600, target_handling_s: 600 };
    const f = slaFigures([
      { dispatch_to_arrival_s: 300, arrival_to_handled_s: 400, elapsed_s: 1000, ...T }, // met
      { dispatch_to_arrival_s: 700, arrival_to_handled_s: 100, elapsed_s: 1000, ...T }, // late arrival
      { dispatch_to_arrival_s: 60, arrival_to_handled_s: null, elapsed_s: 200, ...T }, // still handling, within time: undecided
      { dispatch_to_arrival_s: null, arrival_to_handled_s: null, elapsed_s: 900, ...T }, // not arrived after 15 min: missed
    ]);
    expect(f).toMatchObject({ orders: 4, decided: 3, met: 1 });
    expect(f.share_met).toBeCloseTo(1 / 3, 9);
    expect(f.arrival_median_s).toBe(300); // [60, 300, 700]
    expect(f.handling_median_s).toBe(250); // [100, 400]
  });

  it('judges each order against its own kind’s targets', () => {
    // A restock order with 30 + 30 min targets arriving after 20 min and handling in 25 is met;
    // the same times on a repair order with 10 + 10 min miss.
    const times = { dispatch_to_arrival_s: 1200, arrival_to_handled_s: 1500, elapsed_s: 3000 };
    const restock = { ...times, target_arrival_s: 1800, target_handling_s: 1800 };
    const repair = { ...times, target_arrival_s: 600, target_handling_s: 600 };
    expect(slaFigures([restock, repair])).toMatchObject({ orders: 2, decided: 2, met: 1, share_met: 0.5 });
    // Exactly on target counts as met, as on the work-order clock.
    expect(slaFigures([{ ...times, target_arrival_s: 1200, target_handling_s: 1500 }])).toMatchObject({ met: 1 });
  });
});

describe('interval union', () => {
  it('counts overlapping stock-out spells once', () => {
    expect(
      union([
        [5, 10],
        [0, 3],
        [2, 6],
      ]),
    ).toEqual([[0, 10]]);
    expect(
      coveredMs(
        [
          [0, 10],
          [20, 30],
        ],
        5,
        25,
      ),
    ).toBe(10);
  });
});

describe('open-hour overlap', () => {
  const HOUR = 3_600_000;
  const base = Date.UTC(2026, 10, 1) - 8 * HOUR; // a month's first local hour in UTC+8
  it('equals coveredMs summed over every open hour (the walk it replaces)', () => {
    const spell = fc
      .tuple(fc.integer({ min: -50 * HOUR, max: 800 * HOUR }), fc.integer({ min: 0, max: 300 * HOUR }))
      .map(([a, len]) => [base + a, base + a + len] as const);
    fc.assert(
      fc.property(
        fc.array(spell, { maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
        fc.integer({ min: 0, max: 720 }),
        (spells, openByHour, fromHour) => {
          const hours = Array.from({ length: 720 }, (_, i) => base + i * HOUR);
          const from = base + fromHour * HOUR;
          const open = hours.filter((h, i) => openByHour[i % 24] && h >= from);
          const set = new Set(open);
          const walked = open.reduce((t, h) => t + coveredMs(spells, h, h + HOUR), 0);
          expect(openOverlapMs(spells, (h) => set.has(h))).toBe(walked);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('counts only the open part of an hour an alert starts inside', () => {
    const open = new Set([base, base + HOUR]);
    expect(openOverlapMs([[base + 30 * 60_000, base + 3 * HOUR]], (h) => open.has(h))).toBe(90 * 60_000);
    expect(openOverlapMs([], () => true)).toBe(0);
  });
});
