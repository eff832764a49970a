import type { Context } from 'hono';
import { createRouter } from '../app.ts';
import { cachedDevice, forgetDevice, rememberDevice } from '../auth/device-cache.ts';
import { failedAuthentication, refuseThrottled } from '../auth/throttle.ts';
import { bearer, hashToken } from '../auth/tokens.ts';
import { readConfig } from '../config.ts';
import { deviceByTokenHash, type TokenDevice } from '../db/devices.ts';
import { envelopeShapeError, normalizeEnvelopeMessage } from '../domain/telemetry/envelope.ts';
import type { Outcome, Window } from '../domain/telemetry/reading.ts';
import { parseSenml } from '../domain/telemetry/senml.ts';
import { parseThingsBoard } from '../domain/telemetry/thingsboard.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { BodyTooLarge, mediaType, readBoundedText } from '../http.ts';
import { BatchRefused, ingest } from '../ingest/accept-batch.ts';
import { problems } from '../schemas/common.ts';
import { Envelope, IngestResult, SenmlPack, ThingsBoardBody } from '../schemas/telemetry.ts';
import { z } from '@hono/zod-openapi';

/** CONTRACT: body at most 1 MiB and at most 1,000 messages. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_MESSAGES = 1000;
/** ThingsBoard: an entry is a message and may hold several values; this bounds one request's readings. */
export const MAX_VALUES = 10_000;

const app = createRouter();

type Format = 'envelope' | 'senml' | 'thingsboard';

/** Read the body, refusing (413) as soon as it passes the limit rather than buffering it all. */
async function readLimited(req: Request): Promise<string> {
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES)
    throw tooLarge(`The body is ${declared} bytes; at most ${MAX_BODY_BYTES} (1 MiB) are accepted`);
  try {
    return await readBoundedText(req.body, MAX_BODY_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLarge) throw tooLarge(`The body is over ${MAX_BODY_BYTES} bytes (1 MiB), the most accepted`);
    throw e;
  }
}

function tooLarge(detail: string): ApiError {
  return new ApiError('payload_too_large', detail);
}

const unknownToken = () =>
  new ApiError('unauthorized', 'Unknown device token (never issued, or replaced by a rotation)', {
    headers: { 'www-authenticate': 'Bearer' },
  });

/** The token's device, from the database; 401 / 403 (and the failed-auth count) when it cannot send. */
async function lookUp(c: Context<AppEnv>, tokenHash: string): Promise<TokenDevice> {
  const device = await deviceByTokenHash(c.env.DB, tokenHash);
  if (!device) throw await failedAuthentication(c.env, c.req.raw, unknownToken());
  if (device.disabled) throw new ApiError('forbidden', `Device "${device.id}" is disabled`);
  return device;
}

/**
 * Who is asking. A device seen before in this isolate needs no query here: its one ingest batch
 * checks the token (worker/db/ingest.ts), so a request is one D1 round trip.
 */
async function authenticate(
  c: Context<AppEnv>,
  token: string | null,
): Promise<{ device: TokenDevice; tokenHash: string; cached: boolean; overRate: Promise<ApiError | null> }> {
  if (!token)
    throw new ApiError('unauthorized', 'Missing device token: send "Authorization: Bearer <device token>"', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  refuseThrottled(c.req.raw);
  const tokenHash = await hashToken(token);
  let device = cachedDevice(tokenHash);
  const cached = device !== null;
  if (!device) {
    device = await lookUp(c, tokenHash);
    rememberDevice(tokenHash, device);
  }
  return { device, tokenHash, cached, overRate: deviceRate(c, device.id) };
}

/** The device's rate check, started now and awaited later (it settles while the body is read): the 429 to answer, or null. */
function deviceRate(c: Context<AppEnv>, deviceId: string): Promise<ApiError | null> {
  if (!c.env.DEVICE_RATE_LIMIT) return Promise.resolve(null);
  return c.env.DEVICE_RATE_LIMIT.limit({ key: deviceId }).then(({ success }) =>
    success
      ? null
      : new ApiError('rate_limited', `Too many requests from device "${deviceId}"; retry after 10 s`, {
          headers: { 'retry-after': '10' },
        }),
  );
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError('bad_request', `The body is not valid JSON (${what}): ${(e as Error).message}`);
  }
}

function countCheck(n: number, what: string): void {
  if (n > MAX_MESSAGES) throw tooLarge(`The request holds ${n} ${what}; at most ${MAX_MESSAGES} are accepted per request`);
}

async function handle(c: Context<AppEnv>, format: Format, token: string | null): Promise<Response> {
  // Who is asking comes first: a caller without a valid token learns nothing else (401).
  const { device, tokenHash, cached, overRate } = await authenticate(c, token);
  // A device over its rate hears 429 before anything else about its request, as when it was checked first.
  const refuseOverRate = async () => {
    const e = await overRate;
    if (e) throw e;
  };
  const type = mediaType(c.req.header('content-type'));
  const allowed = format === 'envelope' ? ['application/json', 'application/senml+json'] : ['application/json'];
  if (!allowed.includes(type)) {
    await refuseOverRate();
    throw new ApiError('unsupported_media_type', `Content-Type must be ${allowed.join(' or ')}; got ${type ? `"${type}"` : 'none'}`);
  }
  let text: string;
  try {
    text = await readLimited(c.req.raw);
  } catch (e) {
    await refuseOverRate();
    throw e;
  }
  await refuseOverRate();
  const cfg = readConfig(c.env);
  const now = Date.now();
  const w: Window = { now, maxAgeDays: cfg.maxAgeDays, maxFutureMs: cfg.maxFutureMs };

  let outcomes: Outcome[];
  if (format === 'thingsboard') {
    const body = parseJson(text, 'a ThingsBoard telemetry body');
    const parsed = parseThingsBoard(body, w);
    if (!parsed.ok)
      throw new ApiError('validation_failed', `Not a ThingsBoard telemetry body: ${parsed.pointer || '/'}: ${parsed.message}`, {
        errors: [{ in: 'body', pointer: parsed.pointer, message: parsed.message }],
      });
    countCheck(parsed.entries, 'entries');
    if (parsed.outcomes.length > MAX_VALUES)
      throw tooLarge(`The request holds ${parsed.outcomes.length} values; at most ${MAX_VALUES} are accepted per request`);
    outcomes = parsed.outcomes;
  } else if (type === 'application/senml+json') {
    const body = parseJson(text, 'a SenML pack');
    if (Array.isArray(body)) countCheck(body.length, 'records');
    const parsed = parseSenml(body, device.id, w);
    if (!parsed.ok) {
      if (parsed.status === 403) throw new ApiError('forbidden', parsed.message);
      throw new ApiError('validation_failed', `Not a SenML pack: ${parsed.pointer || '/'}: ${parsed.message}`, {
        errors: [{ in: 'body', pointer: parsed.pointer, message: parsed.message }],
      });
    }
    outcomes = parsed.outcomes;
  } else {
    const body = parseJson(text, 'the telemetry envelope');
    const shape = envelopeShapeError(body);
    if (shape)
      throw new ApiError('validation_failed', `Not the telemetry envelope: ${shape.pointer || '/'}: ${shape.message}`, {
        errors: [{ in: 'body', pointer: shape.pointer, message: shape.message }],
      });
    const env = body as { device?: string; messages: unknown[] };
    countCheck(env.messages.length, 'messages');
    if (env.device !== undefined && env.device !== device.id) {
      throw new ApiError('forbidden', `The body names device "${env.device}" but the token belongs to "${device.id}"`);
    }
    outcomes = env.messages.map((m, i) => normalizeEnvelopeMessage(m, i, w));
  }
  let result: Awaited<ReturnType<typeof ingest>>;
  let trips = cached ? 0 : 1;
  try {
    result = await ingest(c.env, device, tokenHash, outcomes, now);
  } catch (e) {
    if (!(e instanceof BatchRefused)) throw e;
    // The batch's token check failed: the cached device is stale (rotated, disabled, moved). Look it
    // up (401 / 403 when it may not send) and, when it still may, write once more as it is now,
    // with the alert reads apart (should they be what failed the batch).
    forgetDevice(tokenHash);
    const fresh = await lookUp(c, tokenHash);
    rememberDevice(tokenHash, fresh);
    result = await ingest(c.env, fresh, tokenHash, outcomes, now, true);
    trips += 2;
  }
  // One batch that checks the token, writes and reads what the alert rules need; plus one look-up
  // for a device new to this isolate. Apart: the alert writes and notification, only when an
  // alert changes (and a stale consumption profile's refresh).
  c.header('x-d1-round-trips', String(trips + result.trips - result.alertTrips));
  c.header('x-d1-alert-round-trips', String(result.alertTrips));
  return c.json(result.body, 200);
}

app.post('/telemetry', (c) => handle(c, 'envelope', bearer(c.req.header('authorization'))));
app.post('/:token/telemetry', (c) => handle(c, 'thingsboard', c.req.param('token')));

const answers = {
  200: {
    description: 'Stored: counts of accepted and duplicate messages and the reason for each rejected one',
    content: { 'application/json': { schema: IngestResult } },
  },
  ...problems(400, 401, 403, 413, 415, 429),
};

app.openAPIRegistry.registerPath({
  method: 'post',
  path: '/telemetry',
  tags: ['Telemetry'],
  summary: 'Send device readings (envelope or SenML)',
  description:
    'Authorization: Bearer <device token>. Body ≤ 1 MiB and ≤ 1,000 messages. Each message is validated on its own: a bad one is rejected by index with a code ' +
    '(invalid_message, invalid_seq, invalid_ts, unknown_type, invalid_field, unknown_name, invalid_unit, ts_in_future, ts_too_old, seq_conflict) and never accepted later. ' +
    'A resent message with the same seq and content is a duplicate, counted once. Everything accepted from one request is written all-or-nothing.',
  security: [{ deviceToken: [] }],
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: Envelope }, 'application/senml+json': { schema: SenmlPack } },
    },
  },
  responses: answers,
});

app.openAPIRegistry.registerPath({
  method: 'post',
  path: '/{token}/telemetry',
  tags: ['Telemetry'],
  summary: 'ThingsBoard-style device API (token in the path)',
  description:
    'Keys as in `status` (battery_soc, battery_v, solar_w, load_w, temp_c, ports_in_use, open, fault_codes) and `stock:<item>`. De-duplicated by (device, key, ts). ' +
    `Body ≤ 1 MiB and ≤ ${MAX_MESSAGES} entries (each entry is a message; ≤ ${MAX_VALUES} values in all).`,
  request: {
    params: z.object({ token: z.string().openapi({ description: 'The device token' }) }),
    body: { required: true, content: { 'application/json': { schema: ThingsBoardBody } } },
  },
  responses: answers,
});

export default app;
