/**
 * Typed arrays ⇄ one byte buffer: a small JSON header (name, type, offset, length of each array,
 * plus free-form metadata) then the arrays, each 8-byte aligned so they are read back as views
 * without copying.
 */
type Packable = Float64Array | Int32Array | Uint8Array;
const CTORS = { f64: Float64Array, i32: Int32Array, u8: Uint8Array } as const;
type Kind = keyof typeof CTORS;

function kindOf(a: Packable): Kind {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  return 'u8';
}

const align8 = (n: number) => (n + 7) & ~7;

export function packArrays(arrays: Record<string, Packable>, meta: unknown = null): Uint8Array {
  const layout: Array<{ name: string; kind: Kind; offset: number; length: number }> = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    layout.push({ name, kind: kindOf(a), offset, length: a.length });
    offset = align8(offset + a.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ layout, meta }));
  const start = align8(8 + header.length);
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 8);
  for (const l of layout) {
    const a = arrays[l.name]!;
    out.set(new Uint8Array(a.buffer as ArrayBuffer, a.byteOffset, a.byteLength), start + l.offset);
  }
  return out;
}

export function unpackArrays(bytes: Uint8Array): { arrays: Record<string, Packable>; meta: unknown } {
  // Views need an 8-byte-aligned base: copy once if the buffer handed to us is not.
  const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const headerLen = new DataView(buf.buffer, buf.byteOffset).getUint32(0, true);
  const { layout, meta } = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + headerLen))) as {
    layout: Array<{ name: string; kind: Kind; offset: number; length: number }>;
    meta: unknown;
  };
  const start = align8(8 + headerLen);
  const arrays: Record<string, Packable> = {};
  for (const l of layout) arrays[l.name] = new CTORS[l.kind](buf.buffer as ArrayBuffer, buf.byteOffset + start + l.offset, l.length);
  return { arrays, meta };
}

/** A named array of the expected type, or an error naming what is wrong with the stored layer. */
export function f64(arrays: Record<string, Packable>, name: string): Float64Array {
  const a = arrays[name];
  if (!(a instanceof Float64Array)) throw new Error(`stored layer lacks Float64Array ${name}`);
  return a;
}

export function i32(arrays: Record<string, Packable>, name: string): Int32Array {
  const a = arrays[name];
  if (!(a instanceof Int32Array)) throw new Error(`stored layer lacks Int32Array ${name}`);
  return a;
}
