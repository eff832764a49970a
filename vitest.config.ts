import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));

export default defineConfig({
  test: {
    projects: [
      {
        // Route and query tests inside workerd, against a local D1 with the real migrations.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.jsonc' },
            miniflare: {
              // UPGRADE_DB: an empty database for the schema-upgrade test (test/worker/upgrade.test.ts).
              d1Databases: { UPGRADE_DB: 'upgrade-db' },
              bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: 'test-admin-token-0123456789abcdef', PUBLIC_CACHE_S: '0' },
              // The queue's own consumer runs in the background; nothing may leave the machine, so
              // every outbound request gets a robot's "ok". Notification tests drive the consumer
              // themselves (createMessageBatch) with a recording receiver.
              outboundService: () => Response.json({ errcode: 0, errmsg: 'ok' }),
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['./test/worker/setup.ts'],
        },
      },
      {
        // Node-side tests: pure domain logic, scripts, and the browser tests against wrangler dev.
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
