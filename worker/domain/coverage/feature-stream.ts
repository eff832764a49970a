import { boundedText } from '../../http.ts';

/**
 * Incremental splitter for a GeoJSON FeatureCollection: hands out the text of each element of
 * the top-level `features` array as soon as it is complete, so a province-sized upload is parsed
 * one feature at a time instead of as one object tree (which would not fit a Worker's 128 MB).
 * Everything outside `features` is kept as a small "skeleton" document (`{"type":…,"features":[]}`)
 * to check the envelope once the stream ends.
 */
export class FeatureSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  private expectKey = false;
  private keyBuf: string | null = null;
  private lastKey = '';
  private afterColon = false;
  /** depth of the `features` array's contents while inside it, else 0 */
  private featuresDepth = 0;
  private sawFeatures = false;
  private element: string[] = [];
  private inElement = false;
  private skeleton: string[] = [];
  /** Elements handed out so far (the next element's index). */
  count = 0;

  /** Feed the next piece of text; returns the elements completed by it, in order. */
  push(text: string): string[] {
    const out: string[] = [];
    let segStart = this.inElement ? 0 : -1; // start of the current element's text within `text`
    let skelStart = 0;
    const flushSkeleton = (end: number) => {
      if (end > skelStart) this.skeleton.push(text.slice(skelStart, end));
    };
    const finishElement = (end: number) => {
      if (segStart >= 0) this.element.push(text.slice(segStart, end));
      out.push(this.element.join('').trim());
      this.element = [];
      this.inElement = false;
      segStart = -1;
      this.count++;
    };
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (this.inString) {
        if (this.keyBuf !== null && !this.escape && ch !== 34) this.keyBuf += text[i];
        if (this.escape) this.escape = false;
        else if (ch === 92) this.escape = true;
        else if (ch === 34) {
          this.inString = false;
          if (this.keyBuf !== null) {
            this.lastKey = this.keyBuf;
            this.keyBuf = null;
          }
        }
        continue;
      }
      if (ch === 32 || ch === 10 || ch === 13 || ch === 9) continue;
      const inFeatures = this.featuresDepth > 0 && this.depth >= this.featuresDepth;
      if (inFeatures && this.depth === this.featuresDepth && !this.inElement && ch !== 44 && ch !== 93) {
        // the first character of a new element
        flushSkeleton(i);
        this.inElement = true;
        segStart = i;
      }
      switch (ch) {
        case 34: // "
          this.inString = true;
          if (this.depth === 1 && this.expectKey && this.featuresDepth === 0) {
            this.keyBuf = '';
            this.expectKey = false;
          }
          break;
        case 123: // {
        case 91: // [
          if (
            this.depth === 1 &&
            ch === 91 &&
            this.afterColon &&
            this.lastKey === 'features' &&
            this.featuresDepth === 0 &&
            !this.sawFeatures
          ) {
            this.depth++;
            this.featuresDepth = this.depth;
            this.sawFeatures = true;
            flushSkeleton(i + 1);
            skelStart = i + 1;
            this.afterColon = false;
            continue;
          }
          this.depth++;
          if (this.depth === 1 && ch === 123) this.expectKey = true;
          break;
        case 125: // }
        case 93: // ]
          if (this.featuresDepth > 0 && this.depth === this.featuresDepth && ch === 93) {
            if (this.inElement) finishElement(i);
            this.featuresDepth = 0;
            this.depth--;
            skelStart = i;
            break;
          }
          this.depth--;
          if (this.featuresDepth > 0 && this.depth === this.featuresDepth && this.inElement) {
            finishElement(i + 1);
            skelStart = i + 1;
          }
          break;
        case 44: // ,
          if (this.featuresDepth > 0 && this.depth === this.featuresDepth) {
            if (this.inElement) finishElement(i);
            skelStart = i + 1;
          } else if (this.depth === 1) this.expectKey = true;
          break;
        case 58: // :
          if (this.depth === 1) {
            this.afterColon = true;
            continue;
          }
          break;
      }
      if (this.depth === 1) this.afterColon = false;
    }
    if (this.inElement) {
      if (segStart >= 0) this.element.push(text.slice(segStart));
    } else if (!(this.featuresDepth > 0 && this.depth >= this.featuresDepth)) {
      flushSkeleton(text.length);
    }
    return out;
  }

  /** The envelope without its features, or an error message when the text was not one JSON object. */
  end(): { ok: true; envelope: Record<string, unknown>; hadFeatures: boolean } | { ok: false; message: string } {
    if (this.inString || this.depth !== 0 || this.inElement)
      return { ok: false, message: 'Body is not complete JSON (unbalanced brackets or an unterminated string)' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.skeleton.join(''));
    } catch (e) {
      return { ok: false, message: `Body is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return { ok: false, message: 'Body must be a GeoJSON FeatureCollection object' };
    return { ok: true, envelope: parsed as Record<string, unknown>, hadFeatures: this.sawFeatures };
  }
}

/** Split a whole text at once (tests, small bodies). */
export function splitFeatures(text: string): { features: string[]; end: ReturnType<FeatureSplitter['end']> } {
  const s = new FeatureSplitter();
  const features = s.push(text);
  return { features, end: s.end() };
}

/**
 * Feed a request body through the splitter: `onFeature(text, index)` for every feature as it
 * completes. Returns the envelope check. Throws BodyTooLarge past `maxBytes`.
 */
export async function readFeatureStream(
  body: ReadableStream<Uint8Array> | null,
  onFeature: (text: string, index: number) => void,
  maxBytes: number,
): Promise<ReturnType<FeatureSplitter['end']>> {
  const splitter = new FeatureSplitter();
  let index = 0;
  for await (const text of boundedText(body, maxBytes)) for (const f of splitter.push(text)) onFeature(f, index++);
  return splitter.end();
}
