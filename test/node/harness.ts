/**
 * A real local Worker for node-side tests: the Worker served by wrangler on a fresh temporary
 * local D1 with the project's migrations applied. It is bundled once at start and does not watch
 * the source tree, so an edit made while a test runs never restarts it.
 *
 *   const w = await startWorker();
 *   await fetch(`${w.url}/api/v1/districts`, { headers: { authorization: `Bearer ${w.adminToken}` } });
 *   await w.stop();
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, startDev } from '../../scripts/lib/wrangler.ts';
import { requestInit, type TestRequestInit } from '../request-init.ts';

export interface TestWorker {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** The ADMIN_TOKEN secret this Worker runs with. */
  adminToken: string;
  /** The temporary persist directory holding the local D1. */
  persistTo: string;
  /** Stop wrangler and workerd and delete the temporary database. */
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  /** Extra vars, e.g. `{ BENCH_ROUTES: '1' }` or `{ MAX_AGE_DAYS: '400' }`. */
  vars?: Record<string, string>;
  /** Print wrangler's output (for debugging a test). */
  verbose?: boolean;
}

export async function startWorker(opts: StartWorkerOptions = {}): Promise<TestWorker> {
  const persistTo = await mkdtemp(join(tmpdir(), 'amenity-test-'));
  const adminToken = `test-admin-${randomBytes(12).toString('hex')}`;
  try {
    await applyMigrations(persistTo, { quiet: !opts.verbose });
    const dev = await startDev({ mode: 'serve', persistTo, quiet: !opts.verbose, vars: { ...opts.vars, ADMIN_TOKEN: adminToken } });
    return {
      url: dev.url,
      adminToken,
      persistTo,
      async stop() {
        await dev.stop();
        await rm(persistTo, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(persistTo, { recursive: true, force: true });
    throw err;
  }
}

/** fetch against the test Worker with an optional bearer token and JSON body. */
export async function request(worker: Pick<TestWorker, 'url'>, path: string, init: TestRequestInit = {}): Promise<Response> {
  return fetch(`${worker.url}${path}`, requestInit(init));
}
