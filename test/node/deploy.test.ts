import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { ROOT, runWrangler, WRANGLER_ENV } from '../../scripts/lib/wrangler.ts';

/**
 * `wrangler d1 export --local` has no --persist-to: it reads the local state of the project it
 * runs in. So each database here is a tiny project of its own, on the real migrations.
 */
async function project(name: string): Promise<string> {
  const cwd = join(dir, name);
  await mkdir(cwd, { recursive: true });
  const config = {
    name: `rehearsal-${name}`,
    compatibility_date: '2026-11-01',
    d1_databases: [
      {
        binding: 'DB',
        database_name: 'amenity-monitor',
        database_id: '00000000-0000-0000-0000-000000000000',
        migrations_dir: join(ROOT, 'migrations'),
      },
    ],
  };
  await writeFile(join(cwd, 'wrangler.jsonc'), JSON.stringify(config));
  return cwd;
}

function wranglerIn(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), ...args], {
      cwd,
      env: WRANGLER_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrangler ${args.join(' ')} exited with ${code}\n${out}`))));
  });
}

/**
 * Deploy rehearsal, as far as a machine without a Cloudflare account goes (docs/operations.md):
 * `wrangler deploy --dry-run` bundles the Worker and checks the configuration offline, and the
 * backup path (`wrangler d1 export`, then `wrangler d1 execute --file` into an empty database)
 * is tried on a local D1. The upgrade of an old database is test/worker/upgrade.test.ts.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amenity-deploy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run deploy, rehearsed', () => {
  test('wrangler deploy --dry-run bundles the Worker with every binding, within the size limit', async () => {
    const out = await runWrangler(['deploy', '--dry-run', '--outdir', join(dir, 'bundle')], { quiet: true });
    for (const binding of ['env.DB', 'env.DEVICE_RATE_LIMIT', 'env.PUBLIC_RATE_LIMIT', 'env.AUTH_FAIL_RATE_LIMIT', 'env.ASSETS'])
      expect(out).toContain(binding);
    expect(out).toContain('--dry-run: exiting now');
    // The benchmark-only routes stay off in what is deployed.
    expect(out).toContain('env.BENCH_ROUTES ("")');
    const bundle = await readFile(join(dir, 'bundle/index.js'));
    // Workers' limit on the compressed script: 3 MB on the free plan (10 MB paid).
    expect(gzipSync(bundle).length).toBeLessThan(3 * 1024 * 1024);
  }, 180_000);

  test('a local D1 exported with wrangler d1 export restores into an empty database with its data', async () => {
    const from = await project('from');
    const to = await project('to');
    await wranglerIn(from, ['d1', 'migrations', 'apply', 'DB', '--local']);
    await wranglerIn(from, [
      'd1',
      'execute',
      'DB',
      '--local',
      '--command',
      "INSERT INTO districts (id, name, created_at) VALUES ('backup-d', '备份区', 1)",
    ]);
    const dump = join(dir, 'backup.sql');
    await wranglerIn(from, ['d1', 'export', 'DB', '--local', '--output', dump]);
    expect((await stat(dump)).size).toBeGreaterThan(1000);
    expect(await readFile(dump, 'utf8')).toContain('备份区');
    // The dump carries the schema and the migrations table too: restore into a database never migrated.
    await wranglerIn(to, ['d1', 'execute', 'DB', '--local', '--file', dump, '--yes']);
    const query = (sql: string) => wranglerIn(to, ['d1', 'execute', 'DB', '--local', '--json', '--command', sql]);
    const read = await query("SELECT name FROM districts WHERE id = 'backup-d'");
    expect(read).toContain('备份区');
    const migrations = await query('SELECT COUNT(*) AS n FROM d1_migrations');
    expect(Number(/"n":\s*(\d+)/.exec(migrations)?.[1])).toBeGreaterThan(1);
    // Restored is up to date: no migration left to apply.
    expect(await wranglerIn(to, ['d1', 'migrations', 'list', 'DB', '--local'])).toMatch(/No migrations to apply/i);
  }, 300_000);
});
