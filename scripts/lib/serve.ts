/**
 * Serve the Worker locally WITHOUT watching the source tree (unlike `wrangler dev`), for tests and
 * the benchmark: the code is bundled once at start, so edits elsewhere never reload it mid-run.
 * Prints `READY <url>` on stdout and runs until SIGTERM/SIGINT.
 *
 *   node scripts/lib/serve.ts --persist-to <dir> --port <n> [--var NAME:value ...]
 */
import { unstable_startWorker } from 'wrangler';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    'persist-to': { type: 'string' },
    port: { type: 'string', default: '0' },
    var: { type: 'string', multiple: true, default: [] },
  },
});

const bindings: Record<string, { type: 'plain_text'; value: string }> = {};
for (const v of values.var ?? []) {
  const i = v.indexOf(':');
  bindings[v.slice(0, i)] = { type: 'plain_text', value: v.slice(i + 1) };
}

const worker = await unstable_startWorker({
  config: fileURLToPath(new URL('../../wrangler.jsonc', import.meta.url)),
  bindings,
  dev: {
    watch: false,
    liveReload: false,
    persist: values['persist-to'],
    server: { hostname: '127.0.0.1', port: Number(values.port) },
    inspector: false,
    logLevel: 'warn',
  },
});
await worker.ready;
const url = await worker.url;
process.stdout.write(`READY ${url.origin}\n`);

const stop = async () => {
  await worker.dispose();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
