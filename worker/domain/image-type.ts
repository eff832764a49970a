/**
 * What an uploaded image really is, from its first bytes (its "magic number"), whatever the
 * request's Content-Type says: a phone photo must be an image file, not a renamed document.
 * Signatures: JPEG FF D8 FF (ISO/IEC 10918-1 SOI + marker), PNG's 8-byte signature (RFC 2083),
 * WebP "RIFF" size "WEBP" (RFC 9649), HEIC/HEIF an ISO-BMFF "ftyp" box with a HEIF brand (the
 * format iPhones save).
 */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
/** The same set, as the public reports name it. */
export type ImageType = PhotoType;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const HEIF_BRANDS = ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'];

const ascii = (b: Uint8Array, at: number, s: string) => [...s].every((ch, i) => b[at + i] === ch.charCodeAt(0));

export function sniffImage(b: Uint8Array): PhotoType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && PNG.every((x, i) => b[i] === x)) return 'image/png';
  if (b.length >= 12 && ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'image/webp';
  if (b.length >= 12 && ascii(b, 4, 'ftyp') && HEIF_BRANDS.some((brand) => ascii(b, 8, brand))) return 'image/heic';
  return null;
}
