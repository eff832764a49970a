/**
 * Many rows as objects, read through D1's raw(). all() builds each row with Object.fromEntries
 * over [column, cell] pairs: on the province's big reads (the overview reads ≈ 75,000 cells) that
 * costs more than the query and doubles the garbage. Here the column names come once and each
 * row is one plain loop. Not in a batch (raw() is per statement): for reads that may run apart.
 */
export async function rowsOf<T>(stmt: D1PreparedStatement): Promise<T[]> {
  const [names, ...rows] = await stmt.raw({ columnNames: true });
  // No rows may also come without the names (D1's object-shaped answer).
  if (!names) return [];
  const out: T[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r]!;
    const o: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) o[names[c]!] = cells[c];
    out[r] = o as T;
  }
  return out;
}
