import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTotalsCsv, parseTotalsJson } from '../../worker/domain/monthly-totals.ts';

describe('monthly totals import', () => {
  it('reads rows, a visitors-only row, and Chinese headers', () => {
    const en = parseTotalsCsv(
      'station,month,item,dispensed,visitors\r\ns1,2025-06,water,120,300\ns1,2025-06,towel,40,300\ns1,2025-07,,,210\n',
      '2026-11',
    );
    expect(en.errors).toEqual([]);
    expect(en.rows).toEqual([
      { station: 's1', month: '2025-06', item: 'water', dispensed: 120, visitors: 300 },
      { station: 's1', month: '2025-06', item: 'towel', dispensed: 40, visitors: 300 },
      { station: 's1', month: '2025-07', item: null, dispensed: null, visitors: 210 },
    ]);
    const zh = parseTotalsCsv('\ufeff驿站,月份,物品,发放,人次\ns2,2025-01,water,5,9\n', '2026-11');
    expect(zh.rows).toEqual([{ station: 's2', month: '2025-01', item: 'water', dispensed: 5, visitors: 9 }]);
  });

  it('points at every bad cell by spreadsheet line and column, and keeps nothing then', () => {
    const r = parseTotalsCsv(
      'station,month,item,dispensed,visitors\ns1,2025-13,water,1,\ns1,2025-06,Water,-2,\ns1,2027-01,water,1,\ns1,2025-06,water,,\n',
      '2026-11',
    );
    expect(r.rows).toEqual([]);
    expect(r.errors.map((e) => e.pointer)).toEqual([
      '/rows/2/month',
      '/rows/3/item',
      '/rows/3/dispensed',
      '/rows/4/month',
      '/rows/5/dispensed',
    ]);
  });

  it('refuses two visitor counts for one station and month, and an item twice', () => {
    const r = parseTotalsJson(
      [
        { station: 's1', month: '2025-06', item: 'water', dispensed: 1, visitors: 10 },
        { station: 's1', month: '2025-06', item: 'water', dispensed: 2, visitors: 11 },
      ],
      '2026-11',
    );
    expect(r.errors.map((e) => e.pointer)).toEqual(['/rows/1/visitors', '/rows/1/item']);
  });

  it('never throws and accepts exactly the well-formed rows (property)', () => {
    const cell = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -5, max: 1e6 }).map(String), fc.constant(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell, cell, cell), { maxLength: 20 }), (rows) => {
        const csv = [
          'station,month,item,dispensed,visitors',
          ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')),
        ].join('\n');
        const out = parseTotalsCsv(csv, '2026-11');
        for (const row of out.rows) {
          expect(row.month <= '2026-11').toBe(true);
          if (row.item) expect(row.dispensed).not.toBeNull();
          else expect(row.visitors).not.toBeNull();
        }
        if (out.errors.length) expect(out.rows).toEqual([]);
      }),
    );
  });
});
