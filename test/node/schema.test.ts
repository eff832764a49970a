import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaFromMigrations } from '../../scripts/build-schema.ts';

describe('schema.sql', () => {
  it('is exactly the migrations in order (run `npm run schema` after adding one)', () => {
    expect(readFileSync(new URL('../../schema.sql', import.meta.url), 'utf8')).toBe(schemaFromMigrations());
  });
});
