import Papa from 'papaparse';

export type CsvCell = string | number | null;

// papaparse's own `escapeFormulae: true` pattern, /^[=+\-@\t\r].*$/, misses a cell whose text
// continues on a second line ("=1+1\nx"): without the s flag `.*$` cannot reach the end
// (https://github.com/mholt/PapaParse/pull/1149). This pattern needs only the first character.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Rows as CSV text, for every CSV the project writes (the API's exports and the dashboard's).
 * A text cell starting with =, +, -, @, tab or carriage return is neutralised (OWASP's
 * CSV-injection advice: prefixed with ' and quoted, papaparse's `escapeFormulae`), so a name such
 * as =HYPERLINK(...) opens in a spreadsheet as text. Number cells are never touched: -3 stays -3.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>, newline: '\n' | '\r\n' = '\r\n'): string {
  return Papa.unparse({ fields: [...header], data: rows.map((r) => [...r]) }, { escapeFormulae: FORMULA_START, newline }) + newline;
}
