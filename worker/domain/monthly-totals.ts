/**
 * Monthly totals per station and item from before the ingest window (a city's paper or
 * spreadsheet records): CSV `station,month,item,dispensed,visitors` (Chinese headers too), or the
 * same rows as JSON. Pure: one error per bad cell, pointing at its line and column.
 */
import Papa from 'papaparse';
import { MONTH_RE } from './ranking/month.ts';

export interface TotalsRow {
  station: string;
  month: string;
  /** null: a row that only gives the month's visitors */
  item: string | null;
  dispensed: number | null;
  visitors: number | null;
}

export interface TotalsIssue {
  pointer: string;
  message: string;
}

const HEADERS: Record<keyof TotalsRow, string[]> = {
  station: ['station', 'station_id', '驿站', '驿站编号', '编号'],
  month: ['month', '月份'],
  item: ['item', '物品', '物资'],
  dispensed: ['dispensed', 'handed_out', '发放', '发放数量'],
  visitors: ['visitors', '人次', '服务人次'],
};

const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const ITEM = /^[a-z0-9_]{1,32}$/;
const MAX_ROWS = 50_000;

function count(raw: unknown, pointer: string, errors: TotalsIssue[]): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    errors.push({ pointer, message: `must be a whole number ≥ 0, got ${JSON.stringify(raw)}` });
    return null;
  }
  return n;
}

/** Validate one row's cells; `at(column)` names where a cell came from. */
function readRow(
  get: (k: keyof TotalsRow) => unknown,
  at: (k: keyof TotalsRow) => string,
  errors: TotalsIssue[],
  maxMonth: string,
): TotalsRow | null {
  const before = errors.length;
  const station = String(get('station') ?? '').trim();
  const month = String(get('month') ?? '').trim();
  const itemRaw = String(get('item') ?? '').trim();
  if (!ID.test(station)) errors.push({ pointer: at('station'), message: 'must be a station id matching ^[A-Za-z0-9_.-]{1,64}$' });
  if (!MONTH_RE.test(month)) errors.push({ pointer: at('month'), message: 'must be a month YYYY-MM' });
  else if (month > maxMonth) errors.push({ pointer: at('month'), message: `must not be after ${maxMonth}` });
  if (itemRaw && !ITEM.test(itemRaw)) errors.push({ pointer: at('item'), message: 'must be an item code matching ^[a-z0-9_]{1,32}$' });
  const dispensed = count(get('dispensed'), at('dispensed'), errors);
  const visitors = count(get('visitors'), at('visitors'), errors);
  if (itemRaw && dispensed === null && errors.length === before)
    errors.push({ pointer: at('dispensed'), message: 'is required when item is given' });
  if (!itemRaw && visitors === null && errors.length === before)
    errors.push({ pointer: at('visitors'), message: 'a row without item must give visitors' });
  return errors.length === before ? { station, month, item: itemRaw || null, dispensed, visitors } : null;
}

/** The same station and month must not give two different visitor counts, nor an item twice. */
function crossCheck(rows: Array<{ row: TotalsRow; at: string }>, errors: TotalsIssue[]): void {
  const visitors = new Map<string, number>();
  const items = new Set<string>();
  for (const { row, at } of rows) {
    const sm = `${row.station}|${row.month}`;
    if (row.visitors !== null) {
      const v = visitors.get(sm);
      if (v !== undefined && v !== row.visitors)
        errors.push({ pointer: `${at}/visitors`, message: `${row.station} ${row.month} already has ${v} visitors in this file` });
      visitors.set(sm, row.visitors);
    }
    if (row.item) {
      const k = `${sm}|${row.item}`;
      if (items.has(k)) errors.push({ pointer: `${at}/item`, message: `${row.station} ${row.month} ${row.item} is given twice` });
      items.add(k);
    }
  }
}

/** Every row read and checked, the rows cross-checked; none kept when any is wrong (all or nothing). */
function readRows<T>(
  items: readonly T[],
  firstNumber: number,
  cell: (item: T, k: keyof TotalsRow) => unknown,
  errors: TotalsIssue[],
  maxMonth: string,
): TotalsParse {
  const located: Array<{ row: TotalsRow; at: string }> = [];
  items.forEach((item, i) => {
    const at = `/rows/${i + firstNumber}`;
    const row = readRow(
      (k) => cell(item, k),
      (k) => `${at}/${k}`,
      errors,
      maxMonth,
    );
    if (row) located.push({ row, at });
  });
  crossCheck(located, errors);
  return { rows: errors.length ? [] : located.map((l) => l.row), errors };
}

export interface TotalsParse {
  rows: TotalsRow[];
  errors: TotalsIssue[];
}

export function parseTotalsCsv(text: string, maxMonth: string): TotalsParse {
  const errors: TotalsIssue[] = [];
  const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'), { skipEmptyLines: 'greedy', newline: '\n' });
  const [header, ...lines] = parsed.data;
  if (!header)
    return { rows: [], errors: [{ pointer: '', message: 'empty file: expected a header station,month,item,dispensed,visitors' }] };
  const col = {} as Record<keyof TotalsRow, number>;
  const names = header.map((h) => h.trim().toLowerCase());
  for (const [k, aliases] of Object.entries(HEADERS) as Array<[keyof TotalsRow, string[]]>)
    col[k] = names.findIndex((n) => aliases.includes(n));
  for (const k of ['station', 'month'] as const) if (col[k] < 0) errors.push({ pointer: `/header/${k}`, message: `missing column ${k}` });
  if (col.dispensed < 0 && col.visitors < 0)
    errors.push({ pointer: '/header/dispensed', message: 'needs a dispensed or a visitors column' });
  if (errors.length) return { rows: [], errors };
  if (lines.length > MAX_ROWS) return { rows: [], errors: [{ pointer: '', message: `at most ${MAX_ROWS} rows in one import` }] };
  // Pointers name the line as a spreadsheet shows it (the header is line 1).
  return readRows(lines, 2, (cells, k) => (col[k] >= 0 ? cells[col[k]] : undefined), errors, maxMonth);
}

export function parseTotalsJson(rows: ReadonlyArray<Record<string, unknown>>, maxMonth: string): TotalsParse {
  const errors: TotalsIssue[] = [];
  if (rows.length > MAX_ROWS) return { rows: [], errors: [{ pointer: '/rows', message: `at most ${MAX_ROWS} rows in one import` }] };
  return readRows(rows, 0, (r, k) => r[k], errors, maxMonth);
}
