import { readFeatureStream } from '../domain/coverage/feature-stream.ts';
import { BodyTooLarge } from '../http.ts';
import type { FeatureError } from '../domain/coverage/network-build.ts';
import { ApiError, type FieldError } from '../errors.ts';

/** Workers accept request bodies up to 100 MB (the plan limit); a province fits well below. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Errors listed in one problem answer; the count of the rest is in the detail. */
export const MAX_LISTED_ERRORS = 100;

export const GEOJSON_TYPES = new Set(['application/json', 'application/geo+json']);

/**
 * Stream a FeatureCollection through `accept` (which validates one parsed feature and returns an
 * error or nothing). Throws the 400 problem for a bad envelope or any bad feature, listing errors
 * at `/features/<index>/…`; nothing is stored by the caller in that case.
 */
export async function readFeatureCollection(
  body: ReadableStream<Uint8Array> | null,
  accept: (feature: unknown, index: number) => FeatureError | null,
  offset = 0,
): Promise<number> {
  const errors: FieldError[] = [];
  let bad = 0;
  let count = 0;
  const fail = (index: number, e: FeatureError) => {
    bad++;
    if (errors.length < MAX_LISTED_ERRORS)
      errors.push({ in: 'body', pointer: `/features/${offset + index}${e.pointer}`, message: e.message });
  };
  let end: Awaited<ReturnType<typeof readFeatureStream>>;
  try {
    end = await readFeatureStream(
      body,
      (text, index) => {
        count++;
        let f: unknown;
        try {
          f = JSON.parse(text);
        } catch (e) {
          return fail(index, { pointer: '', message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
        }
        const err = accept(f, index);
        if (err) fail(index, err);
      },
      MAX_UPLOAD_BYTES,
    );
  } catch (e) {
    if (e instanceof BodyTooLarge) throw new ApiError('payload_too_large', `${e.message}; split the layer or simplify it`);
    throw e;
  }
  if (!end.ok) throw new ApiError('bad_request', end.message, { errors: [{ in: 'body', pointer: '', message: end.message }] });
  if (end.envelope.type !== 'FeatureCollection')
    throw new ApiError('validation_failed', 'Body must be a GeoJSON FeatureCollection', {
      errors: [{ in: 'body', pointer: '/type', message: 'type must be "FeatureCollection"' }],
    });
  if (!end.hadFeatures)
    throw new ApiError('validation_failed', 'A FeatureCollection needs a features array', {
      errors: [{ in: 'body', pointer: '/features', message: 'features must be an array' }],
    });
  if (bad > 0) {
    const first = errors[0]!;
    throw new ApiError(
      'validation_failed',
      `${bad} invalid feature(s) of ${count}; nothing was replaced. First: ${first.pointer}: ${first.message}`,
      { errors },
    );
  }
  return count;
}

/**
 * readFeatureCollection for a layer built feature by feature: `parse` checks each feature and
 * `add` takes the good ones until the first bad one (the upload then fails as a whole, so the
 * rest are only checked, to list their errors).
 */
export function collectFeatures<T extends object>(
  body: ReadableStream<Uint8Array> | null,
  parse: (feature: unknown) => FeatureError | T,
  add: (item: T) => void,
  offset = 0,
): Promise<number> {
  let failed = false;
  return readFeatureCollection(
    body,
    (f) => {
      const item = parse(f);
      if ('pointer' in item) {
        failed = true;
        return item;
      }
      if (!failed) add(item);
      return null;
    },
    offset,
  );
}
