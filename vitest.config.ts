import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));

// The browser tests are the node-side tests that drive Chromium through harness-web.ts; they run
// in their own project so that the browser is looked for only when one of them is in the run.
const nodeTests = readdirSync(new URL('./test/node', import.meta.url)).filter((f) => f.endsWith('.test.ts'));
const browserTests = nodeTests
  .filter((f) => readFileSync(new URL(`./test/node/${f}`, import.meta.url), 'utf8').includes("from './harness-web.ts'"))
  .map((f) => `test/node/${f}`);
const nodeSide = { environment: 'node', testTimeout: 120_000, hookTimeout: 180_000 } as const;

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
        // Node-side tests: pure domain logic, scripts, and simulator runs against wrangler dev.
        test: { name: 'node', include: ['test/node/**/*.test.ts'], exclude: browserTests, ...nodeSide },
      },
      {
        // The dashboard in headless Chromium against wrangler dev; the global setup finds the browser.
        test: { name: 'browser', include: browserTests, globalSetup: ['./test/node/chromium.ts'], ...nodeSide },
      },
    ],
  },
});
