import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backfill, prepare, type SessionOptions } from '../../scripts/demo/session.ts';
import { readState, writeState } from '../../scripts/demo/state.ts';
import { adminTokenProblem, ensureAdminToken } from '../../scripts/lib/dev-vars.ts';
import { request, startWorker, type TestWorker } from './harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amenity-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('.dev.vars', () => {
  test('an ADMIN_TOKEN shorter than 32 characters is refused at start; the random one passes', async () => {
    expect(adminTokenProblem('my-own')).toContain('at least 32');
    expect(adminTokenProblem('x'.repeat(31))).toContain('31 characters');
    expect(adminTokenProblem('x'.repeat(32))).toBeNull();
    const { token } = await ensureAdminToken(join(dir, 'fresh.vars'));
    expect(adminTokenProblem(token)).toBeNull();
  });

  test('is created with a random 256-bit ADMIN_TOKEN, readable only by its owner', async () => {
    const path = join(dir, 'a.vars');
    const first = await ensureAdminToken(path);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^adm_[A-Za-z0-9_-]{43}$/);
    expect(await readFile(path, 'utf8')).toBe(`ADMIN_TOKEN=${first.token}\n`);
    expect((await stat(path)).mode & 0o077).toBe(0);
    expect(await ensureAdminToken(path)).toEqual({ token: first.token, created: false });
    expect((await ensureAdminToken(join(dir, 'b.vars'))).token).not.toBe(first.token);
  });

  test('keeps an existing token and adds one beside other variables', async () => {
    const kept = join(dir, 'c.vars');
    await writeFile(kept, 'FOO=1\nADMIN_TOKEN="my-own"\n');
    expect(await ensureAdminToken(kept)).toEqual({ token: 'my-own', created: false });
    const added = join(dir, 'd.vars');
    await writeFile(added, 'FOO=1');
    const r = await ensureAdminToken(added);
    expect(await readFile(added, 'utf8')).toBe(`FOO=1\nADMIN_TOKEN=${r.token}\n`);
  });
});

describe('the demo session across runs', () => {
  let worker: TestWorker;
  let opts: SessionOptions;
  beforeAll(async () => {
    worker = await startWorker();
    opts = { url: worker.url, adminToken: worker.adminToken, statePath: join(dir, 'demo-state.json'), days: 2, small: true, seed: 5 };
  });
  afterAll(async () => {
    await worker?.stop();
  });

  test('loads the city once, posts its history, and on a re-run continues where the data stops', async () => {
    const first = await prepare(opts);
    expect(first.loaded).toBe(true);
    const history = await backfill(opts, first);
    expect(history!.messages).toBeGreaterThan(1000);
    expect(history!.rejected).toBe(0);
    const saved = (await readState(opts.statePath))!;
    expect(Object.keys(saved.tokens)).toHaveLength(first.fleet!.runs.length);
    expect(saved.postedUntil).toBeGreaterThan(saved.start);

    // A re-run keeps the data and the tokens and only posts what is new since.
    const second = await prepare(opts);
    expect(second.loaded).toBe(false);
    expect(second.state!.tokens).toEqual(saved.tokens);
    const more = await backfill(opts, second);
    expect(more!.messages).toBeLessThan(history!.messages / 20);
    expect(more!.rejected).toBe(0);
    expect(more!.duplicates).toBeLessThanOrEqual(more!.messages);
    const { parks } = (await (await request(worker, '/api/v1/parks', { token: worker.adminToken })).json()) as { parks: unknown[] };
    expect(parks).toHaveLength(3);
  });

  test('rotates the device tokens when the local state file is lost', async () => {
    const old = (await readState(opts.statePath))!;
    await rm(opts.statePath);
    const session = await prepare(opts);
    const device = 'st-renmin-sq-kiosk';
    expect(session.state!.tokens[device]).toBeDefined();
    expect(session.state!.tokens[device]).not.toBe(old.tokens[device]);
    const post = (token: string) =>
      request(worker, '/api/v1/telemetry', {
        method: 'POST',
        token,
        json: { messages: [{ seq: 9_000_000_000, ts: Date.now() - 1000, type: 'heartbeat' }] },
      });
    expect((await post(old.tokens[device]!)).status).toBe(401);
    expect((await post(session.state!.tokens[device]!)).status).toBe(200);
    const stats = await backfill(opts, session);
    expect(stats!.rejected).toBe(0);
  });

  test('writes the state file whole (no half-written file after a crash)', async () => {
    const path = join(dir, 'atomic.json');
    await writeState(path, { version: 1, seed: 1, start: 1, postedUntil: 2, small: true, tokens: { a: 'b' } });
    expect(await readState(path)).toEqual({ version: 1, seed: 1, start: 1, postedUntil: 2, small: true, tokens: { a: 'b' } });
    await writeFile(path, '{"version":1,"seed"');
    expect(await readState(path)).toBeNull();
  });
});
