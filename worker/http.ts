/** Small HTTP helpers shared by the routes that read bodies by hand. */

/** The media type of a Content-Type header, without parameters, lower case ("" when absent). */
export function mediaType(header: string | undefined | null): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A body went past the size a route accepts; the route answers 413 in its own words. */
export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`Body is larger than ${maxBytes} bytes`);
  }
}

/**
 * The one bounded body reader: the body as UTF-8 text, chunk by chunk as it arrives, stopping
 * with BodyTooLarge (and cancelling the rest of the upload) as soon as it passes `maxBytes`, so a
 * huge body is never buffered.
 */
export async function* boundedText(body: ReadableStream<Uint8Array> | null, maxBytes: number): AsyncGenerator<string> {
  if (!body) return;
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      throw new BodyTooLarge(maxBytes);
    }
    yield decoder.decode(value, { stream: true });
  }
  yield decoder.decode();
}

/** The whole body as text, at most `maxBytes` of it (BodyTooLarge past that). */
export async function readBoundedText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  const parts: string[] = [];
  for await (const text of boundedText(body, maxBytes)) parts.push(text);
  return parts.join('');
}
