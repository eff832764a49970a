import type { SuppliesReportT } from '../../worker/schemas/dashboard.ts';
import { toCsv } from '../../worker/domain/csv.ts';

const HEAD = [
  'period',
  'place',
  'place_name',
  'item',
  'item_name',
  'distributed',
  'dispensed',
  'inferred_out',
  'restocked',
  'inferred_in',
  'lent',
  'returned',
];

/** The supplies report as the CSV the page downloads; a byte-order mark so spreadsheets read the Chinese names as UTF-8. */
export function suppliesCsv(r: SuppliesReportT, itemName: (item: string) => string): string {
  const rows = r.rows.map((x) => [
    x.period,
    x.place,
    x.place_name,
    x.item,
    itemName(x.item),
    x.distributed,
    x.dispensed,
    x.inferred_out,
    x.restocked,
    x.inferred_in,
    x.lent,
    x.returned,
  ]);
  return '\ufeff' + toCsv(HEAD, rows);
}
