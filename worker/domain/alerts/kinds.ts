/** The alert kinds of CONTRACT "Operations", and what a rule reports when its condition holds. Pure. */
export const ALERT_KINDS = [
  'below_reorder',
  'stock_out',
  'predicted_stock_out',
  'low_battery',
  'night_autonomy',
  'solar_underperformance',
  'offline',
  'fault',
  'unknown_item',
  'expiring',
  'unreturned',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Alert colours (an open alert is never blue) and the card colours of 一卡四色. */
export const ALERT_COLOURS = ['yellow', 'orange', 'red'] as const;
export type AlertColour = (typeof ALERT_COLOURS)[number];
export const CARD_COLOURS = ['blue', 'yellow', 'orange', 'red'] as const;
export type CardColour = (typeof CARD_COLOURS)[number];

export const colourRank = (c: CardColour): number => CARD_COLOURS.indexOf(c);
export const maxColour = (a: CardColour, b: CardColour): CardColour => (colourRank(a) >= colourRank(b) ? a : b);

export type SiteKind = 'station' | 'bench';

/** Which alert it is and how grave, alike in the stored row, the engine and the API answer. */
export interface AlertHead {
  id: string;
  kind: AlertKind;
  site: string;
  site_kind: SiteKind;
  item: string | null;
  colour: AlertColour;
}

/** A condition that holds now at a site: the rule's finding. */
export interface Condition {
  site: string;
  site_kind: SiteKind;
  kind: AlertKind;
  item: string | null;
  /** One line for people (English); `data` holds the figures for the dashboard to word. */
  detail: string;
  data: Record<string, number | string | null>;
}

/** Identity of an alert: one open alert per (site, kind, item). */
export const alertKey = (a: { site: string; kind: string; item: string | null }): string => `${a.site}\u0000${a.kind}\u0000${a.item ?? ''}`;

/** Kinds a station can have, and a bench. */
export const STATION_KINDS: readonly AlertKind[] = [
  'below_reorder',
  'stock_out',
  'predicted_stock_out',
  'offline',
  'fault',
  'unknown_item',
  'expiring',
  'unreturned',
];
export const BENCH_KINDS: readonly AlertKind[] = ['low_battery', 'night_autonomy', 'solar_underperformance', 'offline', 'fault'];
