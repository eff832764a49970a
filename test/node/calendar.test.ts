import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayCount, daysBetween, localParts, startOfLocalDay } from '../../worker/domain/local-time.ts';
import { monthPlan, wholeMonths, type MonthPlan } from '../../worker/domain/report-periods.ts';

const DAY_MS = 86_400_000;
/** A calendar day between the years 1000 and 9990 (a walk of 1,500 days stays below 10000). */
const day = fc
  .integer({ min: Date.UTC(1000, 0, 1) / DAY_MS, max: Date.UTC(9990, 0, 1) / DAY_MS })
  .map((n) => new Date(n * DAY_MS).toISOString().slice(0, 10));

describe('dayCount', () => {
  it('is the length of the day walk it replaces, both ends counted', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -5, max: 1500 }), (from, k) => {
        const to = addDays(from, k);
        expect(dayCount(from, to)).toBe(daysBetween(from, to).length);
      }),
      { numRuns: 300 },
    );
  });
  it('counts a leap year and a single day', () => {
    expect(dayCount('2024-01-01', '2024-12-31')).toBe(366);
    expect(dayCount('2026-11-30', '2026-11-30')).toBe(1);
    expect(dayCount('2026-12-01', '2026-11-30')).toBe(0);
  });
});

describe('startOfLocalDay (memoised)', () => {
  const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC'];
  it('is the first instant of the local day, asked once or many times', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2000, 0, 1) / DAY_MS, max: Date.UTC(2040, 0, 1) / DAY_MS }),
        (tz, n) => {
          const d = new Date(n * DAY_MS).toISOString().slice(0, 10);
          const first = startOfLocalDay(d, tz);
          expect(startOfLocalDay(d, tz)).toBe(first);
          expect(localParts(first, tz)).toMatchObject({ day: d, minute: 0, second: 0 });
          expect(localParts(first - 1000, tz).day).toBe(addDays(d, -1));
        },
      ),
      { numRuns: 400 },
    );
  });
  it('keeps zones apart', () => {
    expect(startOfLocalDay('2026-07-01', 'Asia/Shanghai')).toBe(Date.UTC(2026, 5, 30, 16));
    expect(startOfLocalDay('2026-07-01', 'Europe/Berlin')).toBe(Date.UTC(2026, 5, 30, 22));
    expect(startOfLocalDay('2026-07-01', 'Asia/Shanghai')).toBe(Date.UTC(2026, 5, 30, 16));
  });
});

describe('monthPlan (which rollup rows sum a day range)', () => {
  /** How many times the plan counts `d`: months read whole, plus added days, less subtracted days. */
  const times = (p: MonthPlan, d: string) =>
    (p.months && d.slice(0, 7) >= p.months.first && d.slice(0, 7) <= p.months.last ? 1 : 0) +
    p.add.filter(([a, b]) => d >= a && d <= b).length -
    p.subtract.filter(([a, b]) => d >= a && d <= b).length;
  const dailyRows = (p: MonthPlan) => [...p.add, ...p.subtract].reduce((n, [a, b]) => n + dayCount(a, b), 0);

  it('counts every day of the range once and no other day, reading at most as many days as the old split', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1) / DAY_MS, max: Date.UTC(2030, 0, 1) / DAY_MS }),
        fc.integer({ min: 0, max: 800 }),
        (n, len) => {
          const from = new Date(n * DAY_MS).toISOString().slice(0, 10);
          const to = addDays(from, len);
          const p = monthPlan(from, to);
          // every day from a month before to a month after
          for (const d of daysBetween(addDays(from, -40), addDays(to, 40))) expect(times(p, d)).toBe(d >= from && d <= to ? 1 : 0);
          // the old split read every day outside whole months from the daily rollups
          const w = wholeMonths(from, to);
          const old = w
            ? dayCount(from, to) - dayCount(`${w.first}-01`, addDays(`${addDays(`${w.last}-28`, 4).slice(0, 7)}-01`, -1))
            : dayCount(from, to);
          expect(dailyRows(p)).toBeLessThanOrEqual(old);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads "the last 365 days" as whole months less one day', () => {
    expect(monthPlan('2025-12-02', '2026-12-01')).toEqual({
      months: { first: '2025-12', last: '2026-11' },
      add: [['2026-12-01', '2026-12-01']],
      subtract: [['2025-12-01', '2025-12-01']],
    });
    expect(monthPlan('2026-03-03', '2026-03-29')).toEqual({
      months: { first: '2026-03', last: '2026-03' },
      add: [],
      subtract: [
        ['2026-03-01', '2026-03-02'],
        ['2026-03-30', '2026-03-31'],
      ],
    });
    expect(monthPlan('2026-05-31', '2026-06-01')).toEqual({
      months: null,
      add: [
        ['2026-05-31', '2026-05-31'],
        ['2026-06-01', '2026-06-01'],
      ],
      subtract: [],
    });
    expect(monthPlan('2026-06-02', '2026-06-01')).toEqual({ months: null, add: [], subtract: [] });
  });
});
