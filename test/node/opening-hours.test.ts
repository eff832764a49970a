import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openHourStarts, scheduledOpen } from '../../worker/domain/opening-hours.ts';
import { hourStarts } from '../../worker/domain/ranking/month.ts';

const HOUR = 3_600_000;
const SCHEDULES = [
  'Mo-Fr 07:00-19:00; Sa,Su 09:00-17:00',
  '24/7',
  'Mo-Su 06:30-21:30',
  'Mo-Fr 08:00-12:00,14:00-18:00; PH off',
  'Tu-Th 10:00-16:00; Sa 10:00-14:00',
  'not a schedule at all',
];
const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York'];

describe('openHourStarts', () => {
  it('answers what asking each hour in turn answers, across zones, daylight saving and invalid syntax; again the same from its memo', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCHEDULES),
        fc.constantFrom(...ZONES),
        // Any hour from 2024 to 2027 (both daylight-saving changes of both years), runs of up to a month.
        fc.integer({ min: Date.UTC(2024, 0, 1) / HOUR, max: Date.UTC(2027, 11, 1) / HOUR }),
        fc.integer({ min: 0, max: 24 * 31 }),
        (schedule, tz, startHour, length) => {
          const hours = hourStarts(startHour * HOUR, (startHour + length) * HOUR);
          const expected = hours.filter((h) => scheduledOpen(schedule, h + HOUR / 2, tz));
          const first = openHourStarts(schedule, hours, tz);
          expect(first).toEqual(expected);
          expect(openHourStarts(schedule, hourStarts(startHour * HOUR, (startHour + length) * HOUR), tz)).toBe(first);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps schedules and zones apart over the same hours', () => {
    const hours = hourStarts(Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 8));
    const weekday = openHourStarts('Mo-Fr 07:00-19:00', hours, 'Asia/Shanghai');
    const everyDay = openHourStarts('Mo-Su 07:00-19:00', hours, 'Asia/Shanghai');
    const berlin = openHourStarts('Mo-Fr 07:00-19:00', hours, 'Europe/Berlin');
    // 08:00 on Sunday 1 November 2026 to 08:00 on Sunday the 8th in Shanghai: Monday 2nd to Friday
    // 6th are weekdays, 12 open hours each; every day: 11 hours on the 1st, 6 × 12, 1 on the 8th.
    expect(weekday).toHaveLength(5 * 12);
    expect(everyDay).toHaveLength(11 + 6 * 12 + 1);
    expect(berlin).toHaveLength(weekday.length);
    expect(berlin[0]! - weekday[0]!).toBe(7 * HOUR); // CET is 7 hours behind China in November
  });
});
