import { RFC3339 } from '../../schemas/telemetry.ts';

/**
 * A contract timestamp → epoch ms, or null when it is not one: RFC 3339 with an offset (checked
 * field by field, so 2026-02-30 is refused rather than rolled over) or integer epoch ms, from 1970.
 */
export function parseTimestamp(value: unknown): number | null {
  const ms = parseInstant(value);
  return ms !== null && ms >= 0 ? ms : null;
}

/**
 * Like parseTimestamp, but instants before 1970 too (negative ms): a well-formed instant that is
 * merely too old is ts_too_old, not invalid_ts, however it is written. A leap second (:60) is
 * the instant one second after :59.
 */
export function parseInstant(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value !== 'string') return null;
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const frac = m[7] ? Number((m[7].slice(1) + '00').slice(0, 3)) : 0;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return null;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  check.setUTCHours(h, mi, Math.min(s, 59), frac);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  const local = check.getTime() + (s === 60 ? 1000 : 0);
  let offset = 0;
  const z = m[8]!;
  if (z !== 'Z' && z !== 'z') {
    const oh = Number(z.slice(1, 3));
    const om = Number(z.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offset = (z[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return local - offset;
}

/** "3 h 5 min", "40 s": how far apart two instants are, for rejection details. */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${Math.round(abs / 1000)} s`;
  if (abs < 3600_000) return `${Math.round(abs / 60_000)} min`;
  if (abs < 2 * 86400_000) {
    const total = Math.round(abs / 60_000);
    const h = Math.floor(total / 60);
    const min = total - h * 60;
    return min ? `${h} h ${min} min` : `${h} h`;
  }
  return `${Math.round(abs / 86400_000)} days`;
}
