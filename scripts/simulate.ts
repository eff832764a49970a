/**
 * `npm run simulate`: play the demo city's devices against a running Worker through the device
 * contract (the same simulator `npm start` runs). Loads the demo city first if the database is
 * empty; keeps its device tokens in .wrangler/demo-state.json like the start command.
 *
 *   npm run simulate                                  backfill up to now, then post live
 *   npm run simulate -- --url http://127.0.0.1:8787 --admin-token <token>
 *   npm run simulate -- --no-live                     backfill only
 *   npm run simulate -- --small --days 7 --seed 7     a small city, a week of history
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { backfill, live, prepare, type SessionOptions } from './demo/session.ts';
import { backfillBar } from './lib/progress.ts';
import { ROOT } from './lib/wrangler.ts';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8787' },
    'admin-token': { type: 'string' },
    state: { type: 'string' },
    'no-live': { type: 'boolean', default: false },
    small: { type: 'boolean', default: false },
    days: { type: 'string', default: '90' },
    seed: { type: 'string' },
    every: { type: 'string', default: '30' },
  },
});

async function adminToken(): Promise<string> {
  if (args['admin-token']) return args['admin-token'];
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const text = await readFile(join(ROOT, '.dev.vars'), 'utf8').catch(() => '');
  const m = /^\s*ADMIN_TOKEN\s*=\s*"?([^"\r\n]+?)"?\s*$/m.exec(text);
  if (!m) throw new Error('No admin token: pass --admin-token, set ADMIN_TOKEN, or run `npm start` once to create .dev.vars');
  return m[1]!;
}

async function main(): Promise<void> {
  const log = (s: string) => process.stdout.write(`${s}\n`);
  const opts: SessionOptions = {
    url: args.url!.replace(/\/+$/, ''),
    adminToken: await adminToken(),
    statePath: args.state ?? join(ROOT, '.wrangler/demo-state.json'),
    days: Number(args.days),
    seed: args.seed === undefined ? undefined : Number(args.seed),
    small: args.small,
    log,
  };
  const session = await prepare(opts);
  if (!session.fleet) return;
  const bar = backfillBar();
  const t0 = Date.now();
  const stats = await backfill(opts, session, { onProgress: bar.update });
  bar.stop();
  if (stats)
    log(
      `Posted ${stats.messages.toLocaleString('en-US')} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s (${stats.duplicates} duplicates, ${stats.rejected} rejected).`,
    );
  if (args['no-live']) return;
  log(`Live: posting what the devices transmit every ${args.every} s. Ctrl-C to stop.`);
  const stop = live(opts, session, Number(args.every) * 1000, (s) => {
    if (s.messages)
      log(`${new Date().toISOString()}  ${s.messages} messages (${s.accepted} new, ${s.duplicates} duplicates, ${s.rejected} rejected)`);
  });
  const quit = async () => {
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void quit());
  process.on('SIGTERM', () => void quit());
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
