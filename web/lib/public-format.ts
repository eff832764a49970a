import { getLocale, t } from '../i18n/catalogue.ts';
import type { MessageKey } from '../i18n/en.ts';

/** Formatting for the public pages, which have no signed-in configuration: the zone comes with their data. */
export function clock(iso: string, tz: string): string {
  return new Intl.DateTimeFormat(getLocale(), { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** "3 minutes ago" for an age in seconds. */
export function age(seconds: number): string {
  if (seconds < 45) return t('nearby.age.now');
  const rtf = new Intl.RelativeTimeFormat(getLocale(), { numeric: 'auto' });
  if (seconds < 3600) return rtf.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 86400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  return rtf.format(-Math.round(seconds / 86400), 'day');
}

export function whole(n: number): string {
  return new Intl.NumberFormat(getLocale(), { maximumFractionDigits: 0 }).format(n);
}

/** Item names from the registry (sent with the places), else the need's own word, else the code. */
export function itemLabel(code: string, names: Record<string, { name_zh: string | null; name_en: string | null }> | undefined): string {
  const n = names?.[code];
  const name = n ? ((getLocale() === 'zh-CN' ? n.name_zh : n.name_en) ?? n.name_en ?? n.name_zh) : null;
  if (name) return name;
  const key = `nearby.need.${code === 'medicine_kit' ? 'medicine' : code}`;
  return key in NEED_KEYS ? t(key as MessageKey) : code;
}
const NEED_KEYS: Record<string, true> = {
  'nearby.need.water': true,
  'nearby.need.towel': true,
  'nearby.need.umbrella': true,
  'nearby.need.medicine': true,
};

/** Compass word for the direction from a to b. */
export function compass(a: { lat: number; lon: number }, b: { lat: number; lon: number }): MessageKey {
  const dx = (b.lon - a.lon) * Math.cos((a.lat * Math.PI) / 180);
  const dy = b.lat - a.lat;
  const deg = ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
  const dirs = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'] as const;
  return `nearby.dir.${dirs[Math.round(deg / 45) % 8]!}` as MessageKey;
}
