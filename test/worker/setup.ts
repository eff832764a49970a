import { applyD1Migrations, env } from 'cloudflare:test';

// The same migration files production runs, applied to this test's local D1.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
