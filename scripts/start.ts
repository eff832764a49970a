/**
 * `npm start`: one command from a fresh clone to a populated dashboard.
 *
 * Creates `.dev.vars` with a random ADMIN_TOKEN, applies the migrations to the local D1, builds
 * the dashboard when it is missing or stale, runs `wrangler dev` (in its own process group, so
 * Ctrl-C stops workerd too), loads the demo city when the database is empty, backfills 90 days of
 * telemetry through the simulator and keeps posting live telemetry while the server runs.
 *
 *   npm start                      the demo city, with history and live telemetry
 *   npm start -- --empty           an empty database (kept apart from the demo's)
 *   npm start -- --no-live         history only, no live telemetry
 *   npm start -- --port 8788 --small --days 30 --seed 7
 */
import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seedLastMonth } from './demo/history.ts';
import { backfill, live, prepare, type SessionOptions } from './demo/session.ts';
import { adminTokenProblem, ensureAdminToken } from './lib/dev-vars.ts';
import { backfillBar } from './lib/progress.ts';
import { applyMigrations, freePort, portFree, ROOT, run, startDev, type DevServer } from './lib/wrangler.ts';

const { values: args } = parseArgs({
  options: {
    empty: { type: 'boolean', default: false },
    'no-live': { type: 'boolean', default: false },
    small: { type: 'boolean', default: false },
    port: { type: 'string', default: '8787' },
    days: { type: 'string', default: '90' },
    seed: { type: 'string' },
  },
});

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Newest modification time under a path (files only). */
async function newest(path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const e of await readdir(path)) if (e !== 'node_modules') max = Math.max(max, await newest(join(path, e)));
  return max;
}

async function buildIfStale(): Promise<void> {
  const built = join(ROOT, 'dist/web/index.html');
  const sources = Math.max(
    await newest(join(ROOT, 'web')),
    await newest(join(ROOT, 'vite.config.ts')),
    await newest(join(ROOT, 'package-lock.json')),
  );
  if (existsSync(built) && (await stat(built)).mtimeMs >= sources) return;
  log('Building the dashboard (vite build)…');
  await run([join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { quiet: true });
}

let shutdown: (code: number) => Promise<void> = async (code) => {
  // Before the server is up: exiting runs startDev's exit hook, which kills wrangler's group.
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));

async function main(): Promise<void> {
  const { token: adminToken, created } = await ensureAdminToken(join(ROOT, '.dev.vars'));
  if (created) log('Created .dev.vars with a random ADMIN_TOKEN.');
  const weak = adminTokenProblem(adminToken);
  if (weak) {
    log(weak);
    process.exit(1);
  }

  // --empty runs on a database of its own, wiped each time, so the demo's data survives it.
  const persistTo = args.empty ? join(ROOT, '.wrangler/empty-state') : undefined;
  if (persistTo) await rm(persistTo, { recursive: true, force: true });
  log('Applying migrations to the local D1…');
  await applyMigrations(persistTo, { quiet: true });
  await buildIfStale();

  let port = Number(args.port);
  if (!(await portFree(port))) {
    const taken = port;
    port = await freePort();
    log(`Port ${taken} is in use; using ${port}.`);
  }
  log('Starting wrangler dev…');
  const t0 = Date.now();
  const server: DevServer = await startDev({
    mode: 'dev',
    port,
    persistTo,
    quiet: true,
    logLevel: 'warn',
    timeoutMs: 180_000,
    testScheduled: true,
  });
  // Locally nothing fires the cron: run the scheduled handler every minute (alerts, notifications).
  const cron = setInterval(() => void fetch(`${server.url}/__scheduled?cron=*+*+*+*+*`).catch(() => {}), 60_000);
  cron.unref();
  log(`wrangler dev answers (${((Date.now() - t0) / 1000).toFixed(1)} s).`);
  let stopLive: () => Promise<void> = async () => {};
  let stopping = false;
  shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('\nStopping…');
    await stopLive().catch(() => {});
    await server.stop();
    process.exit(code === 130 || code === 143 ? 0 : code);
  };
  server.child.on('exit', () => {
    if (!stopping) {
      log(`wrangler dev stopped unexpectedly:\n${server.output().slice(-2000)}`);
      void shutdown(1);
    }
  });
  // Keep wrangler's own log visible from here on (requests, errors).
  server.child.stdout?.on('data', (d: Buffer) => process.stdout.write(d));
  server.child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));

  const banner = () => {
    log('');
    log(`  Dashboard:   ${server.url}/`);
    log(`  API docs:    ${server.url}/api/docs`);
    log(`  Admin token: ${adminToken}   (from .dev.vars; paste it into the dashboard's sign-in)`);
    log('');
  };

  if (!args.empty) {
    const opts: SessionOptions = {
      url: server.url,
      adminToken,
      statePath: join(ROOT, '.wrangler/demo-state.json'),
      days: Number(args.days),
      seed: args.seed === undefined ? undefined : Number(args.seed),
      small: args.small,
      log,
    };
    const session = await prepare(opts);
    if (session.fleet) {
      const bar = backfillBar();
      const t0 = Date.now();
      const stats = await backfill(opts, session, { onProgress: bar.update });
      bar.stop();
      if (stats) {
        const s = (Date.now() - t0) / 1000;
        log(
          `History posted: ${stats.messages.toLocaleString('en-US')} messages in ${s.toFixed(1)} s (${Math.round(stats.messages / Math.max(s, 0.001)).toLocaleString('en-US')} msg/s; ${stats.duplicates} duplicates, ${stats.rejected} rejected).`,
        );
      }
      if (session.loaded) {
        // The last full month as the ranking reads it: coverage, work orders, citizens' reports.
        try {
          await seedLastMonth({
            url: server.url,
            adminToken,
            seed: session.state!.seed,
            small: args.small,
            persistTo,
            log: (l) => log(`  ${l}`),
          });
        } catch (e) {
          log(
            `The last month's work orders and reports could not be written: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
          );
        }
      }
      if (!args['no-live']) {
        stopLive = live(opts, session, 30_000);
        log('Live telemetry: the simulated devices keep posting every 30 s.');
      }
    }
  }
  banner();
  log('Press Ctrl-C to stop.');
}

main().catch(async (err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
