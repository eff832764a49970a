/**
 * Run wrangler from Node scripts and node-side tests: apply the migrations to a local D1 and run
 * `wrangler dev` in its own process group, so stopping it also stops workerd (which otherwise
 * lingers after wrangler exits: https://github.com/cloudflare/workers-sdk/issues/9116).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));
const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

/** No network at run time: keep wrangler from phoning home. */
export const WRANGLER_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  NO_UPDATE_NOTIFIER: '1',
  FORCE_COLOR: '0',
};

/** Run one wrangler command to completion; rejects with its output when it fails. */
export function runWrangler(args: string[], opts: { quiet?: boolean } = {}): Promise<string> {
  return run([WRANGLER, ...args], opts);
}

/** Run a Node script (with this Node, 22) to completion; rejects with its output when it fails. */
export function run(argv: string[], opts: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    // process.execPath: wrangler and vite need Node 22, whatever `node` is first on PATH.
    const child = spawn(process.execPath, argv, { cwd: ROOT, env: WRANGLER_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (!opts.quiet) process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d;
      if (!opts.quiet) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited with ${code}\n${out}`))));
  });
}

/** Apply every migration in migrations/ to the local D1 (optionally at a given persist dir). */
export function applyMigrations(persistTo?: string, opts: { quiet?: boolean } = {}): Promise<string> {
  const args = ['d1', 'migrations', 'apply', 'DB', '--local'];
  if (persistTo) args.push('--persist-to', persistTo);
  return runWrangler(args, opts);
}

/** Whether nothing listens on 127.0.0.1:`port`. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a race with another process is unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface DevOptions {
  /**
   * `dev`: `wrangler dev`, which rebuilds when the source changes (the start command).
   * `serve`: bundle once and never reload (tests, benchmark: edits elsewhere must not restart it).
   */
  mode?: 'dev' | 'serve';
  port?: number;
  persistTo?: string;
  /** Extra `--var NAME:value` bindings (they override wrangler.jsonc and .dev.vars). */
  vars?: Record<string, string>;
  /** wrangler dev's --log-level (e.g. `warn`: no line per request). */
  logLevel?: 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none';
  /** Echo wrangler's output (start command) or keep it for error messages only (tests, bench). */
  quiet?: boolean;
  /** `dev` mode: expose /__scheduled (wrangler dev --test-scheduled) so the start command can fire the cron. */
  testScheduled?: boolean;
  /** How long to wait for the Worker to answer. */
  timeoutMs?: number;
}

export interface DevServer {
  url: string;
  child: ChildProcess;
  /** Everything wrangler printed so far (for diagnosing a failed start). */
  output(): string;
  /** Stop wrangler and workerd (SIGTERM to the group, SIGKILL if it lingers). */
  stop(): Promise<void>;
  /**
   * A crash: SIGKILL to the whole group at once (wrangler and workerd, nothing may clean up),
   * resolved once no process of the group is left and the port is free again.
   */
  kill(): Promise<void>;
}

/** Whether any process of the group led by `pid` still exists. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Start the Worker locally in its own process group and wait until it answers HTTP. */
export async function startDev(opts: DevOptions = {}): Promise<DevServer> {
  const serve = opts.mode === 'serve';
  const port = opts.port ?? (await freePort());
  const vars = Object.entries(opts.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const persist = opts.persistTo ? ['--persist-to', opts.persistTo] : [];
  const argv = serve
    ? [SERVE, '--port', String(port), ...persist, ...vars]
    : [
        WRANGLER,
        'dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--inspector-port',
        String(await freePort()),
        '--show-interactive-dev-session=false',
        '--live-reload=false',
        ...(opts.testScheduled ? ['--test-scheduled'] : []),
        ...(opts.logLevel ? ['--log-level', opts.logLevel] : []),
        ...persist,
        ...vars,
      ];
  const child = spawn(process.execPath, argv, { cwd: ROOT, env: WRANGLER_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const onData = (d: Buffer) => {
    out = (out + d).slice(-65_536);
    if (!opts.quiet) process.stdout.write(d);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited = false;
  const exitedP = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  // A crashed test runner must not leave workerd behind.
  const onProcessExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', onProcessExit);

  const url = `http://127.0.0.1:${port}`;
  const server: DevServer = {
    url,
    child,
    output: () => out,
    async stop() {
      process.off('exit', onProcessExit);
      if (exited) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exitedP;
      clearTimeout(timer);
      // workerd may outlive wrangler by a moment; make sure the group is gone.
      killGroup(child, 'SIGKILL');
    },
    async kill() {
      process.off('exit', onProcessExit);
      killGroup(child, 'SIGKILL');
      await exitedP;
      const until = Date.now() + 30_000;
      while ((groupAlive(child.pid!) || !(await portFree(port))) && Date.now() < until) {
        killGroup(child, 'SIGKILL');
        await new Promise((r) => setTimeout(r, 50));
      }
      if (groupAlive(child.pid!)) throw new Error(`process group ${child.pid} still alive 30 s after SIGKILL`);
      if (!(await portFree(port))) throw new Error(`port ${port} still taken 30 s after SIGKILL`);
    },
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`wrangler dev exited before answering\n${out}`);
    try {
      // Any answer will do (an unknown path is a quick 404); the first request also warms the Worker.
      const res = await fetch(`${url}/api/v1/__ready`, { signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
      return server; // any HTTP answer: the Worker is up (the route may not exist yet)
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await server.stop();
  throw new Error(`wrangler dev did not answer within ${opts.timeoutMs ?? 90_000} ms\n${out}`);
}
