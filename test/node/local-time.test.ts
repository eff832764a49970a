import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayCount, daysBetween, localParts, startOfLocalDay } from '../../worker/domain/local-time.ts';

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
