import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../worker/db/rows.ts';

// rowsOf reads through raw() and builds the objects itself: it must answer what all() answers.
describe('rows read through raw()', () => {
  const sql = `SELECT value AS n, CASE WHEN value % 2 THEN 'odd' END AS parity, value * 0.5 AS half, 'x' || value AS label
    FROM json_each(?1) ORDER BY value`;

  it('are the objects all() gives, NULLs, numbers and text alike', async () => {
    const stmt = env.DB.prepare(sql).bind(JSON.stringify([3, 1, 2]));
    const rows = await rowsOf<{ n: number; parity: string | null; half: number; label: string }>(stmt);
    expect(rows).toEqual((await stmt.all()).results);
    expect(rows).toEqual([
      { n: 1, parity: 'odd', half: 0.5, label: 'x1' },
      { n: 2, parity: null, half: 1, label: 'x2' },
      { n: 3, parity: 'odd', half: 1.5, label: 'x3' },
    ]);
  });

  it('are none when the statement finds nothing', async () => {
    expect(await rowsOf(env.DB.prepare(sql).bind('[]'))).toEqual([]);
  });
});
