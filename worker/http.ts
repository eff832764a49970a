/** Small HTTP helpers shared by the routes that read bodies by hand. */

/** The media type of a Content-Type header, without parameters, lower case ("" when absent). */
export function mediaType(header: string | undefined | null): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
