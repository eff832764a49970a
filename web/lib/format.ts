import { getLocale } from '../i18n/catalogue.ts';
import { appState } from './app-state.ts';

/** Numbers, days and instants through Intl: the reader's locale, the city's time zone. */
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}
const tz = () => appState.config?.tz ?? 'Asia/Shanghai';

export function num(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const loc = getLocale();
  return cached(`n${loc}${digits}`, () => new Intl.NumberFormat(loc, { maximumFractionDigits: digits, minimumFractionDigits: 0 })).format(
    n,
  );
}

export function pct(share: number | null | undefined, digits = 0, signed = false): string {
  if (share === null || share === undefined || Number.isNaN(share)) return '—';
  const loc = getLocale();
  return cached(
    `p${loc}${digits}${signed}`,
    () => new Intl.NumberFormat(loc, { style: 'percent', maximumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'auto' }),
  ).format(share);
}

/** Energy in Wh, switched to kWh from 1,000 Wh. */
export function energy(wh: number): string {
  return wh >= 1000 ? `${num(wh / 1000, 2)} kWh` : `${num(wh, 1)} Wh`;
}

function dayDate(day: string): Date {
  return new Date(`${day.length === 7 ? day + '-01' : day}T00:00:00Z`);
}

/** A local calendar day (YYYY-MM-DD) or month (YYYY-MM); formatted as UTC so it never shifts. */
export function day(d: string, style: 'short' | 'long' | 'weekday' = 'short'): string {
  const loc = getLocale();
  if (d.length === 7)
    return cached(`m${loc}`, () => new Intl.DateTimeFormat(loc, { timeZone: 'UTC', year: 'numeric', month: 'long' })).format(dayDate(d));
  const opts: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }
      : style === 'weekday'
        ? { month: 'numeric', day: 'numeric', weekday: 'short' }
        : { month: 'numeric', day: 'numeric' };
  return cached(`d${loc}${style}`, () => new Intl.DateTimeFormat(loc, { timeZone: 'UTC', ...opts })).format(dayDate(d));
}

/** A local hour key YYYY-MM-DDTHH as "22日 14时" / "22 Nov, 14:00". */
export function hourKey(k: string): string {
  const [d, h] = k.split('T') as [string, string];
  const loc = getLocale();
  const dd = cached(
    `hk${loc}`,
    () =>
      new Intl.DateTimeFormat(loc, {
        timeZone: 'UTC',
        month: 'numeric',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  );
  const date = dayDate(d);
  date.setUTCHours(Number(h));
  return dd.format(date);
}

/** An instant (ISO string) in the city's time zone. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const loc = getLocale();
  return cached(
    `dt${loc}${tz()}`,
    () =>
      new Intl.DateTimeFormat(loc, {
        timeZone: tz(),
        month: 'numeric',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  ).format(new Date(iso));
}

export function time(iso: string): string {
  const loc = getLocale();
  return cached(
    `t${loc}${tz()}`,
    () => new Intl.DateTimeFormat(loc, { timeZone: tz(), hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  ).format(new Date(iso));
}

/** "5 minutes ago" relative to now. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.round((Date.parse(iso) - now) / 1000);
  const rtf = cached(`r${getLocale()}`, () => new Intl.RelativeTimeFormat(getLocale(), { numeric: 'auto' }));
  const a = Math.abs(s);
  if (a < 60) return rtf.format(s, 'second');
  if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

export function hourLabel(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}
