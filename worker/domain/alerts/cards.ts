/**
 * Four-colour cards (一卡四色) as the field uses them: a ladder driven by repetition, not by how
 * bad a reading is. Per site and problem kind:
 *   - blue: no record;
 *   - a first problem: yellow ("first");
 *   - the same problem again within the window, or again while the card is not yet clean: orange
 *     ("repeat");
 *   - still open past its deadline: orange when it is the first ("overdue"), red when the problem
 *     has repeated ("overdue_repeat") — repeated and still not corrected;
 *   - a clean period (nothing of the kind open) steps the card down one colour ("clean"), and
 *     again after each further clean period.
 * The site's card is the worst of its kinds'. Pure: a fold over the site's alert history.
 */
import { colourRank, maxColour, type AlertKind, type CardColour } from './kinds.ts';

const DAY = 86_400_000;

export interface HistoryAlert {
  id: string;
  kind: AlertKind;
  item: string | null;
  opened_at: number;
  resolved_at: number | null;
  deadline_at: number | null;
}

export type StepReason = 'first' | 'repeat' | 'overdue' | 'overdue_repeat' | 'clean';

export interface CardStep {
  at: number;
  kind: AlertKind;
  colour: CardColour;
  reason: StepReason;
  /** The alert behind the step (none for a clean period). */
  alert: string | null;
}

export interface LadderOptions {
  windowDays: number;
  cleanDays: number;
}

export interface KindCard {
  kind: AlertKind;
  colour: CardColour;
  /** Alerts of the kind opened within the window. */
  recent: number;
  open: number;
  overdue: number;
}

export interface Card {
  colour: CardColour;
  /** When the card took its colour (null: blue without any record). */
  since: number | null;
  /** The kinds that are not blue, worst first. */
  reasons: KindCard[];
  /** Every step of the ladder, oldest first. */
  history: CardStep[];
}

const DOWN: Record<CardColour, CardColour> = { red: 'orange', orange: 'yellow', yellow: 'blue', blue: 'blue' };

type Ev = { at: number; order: number; type: 'open' | 'overdue' | 'resolve'; a: HistoryAlert };

/** The ladder of one kind at one site, up to `now`. */
export function kindLadder(
  kind: AlertKind,
  alerts: readonly HistoryAlert[],
  now: number,
  o: LadderOptions,
): { card: KindCard; history: CardStep[] } {
  const W = o.windowDays * DAY;
  const C = o.cleanDays * DAY;
  const evs: Ev[] = [];
  for (const a of alerts) {
    if (a.opened_at > now) continue;
    evs.push({ at: a.opened_at, order: 0, type: 'open', a });
    if (a.deadline_at !== null && a.deadline_at <= now && (a.resolved_at === null || a.resolved_at > a.deadline_at))
      evs.push({ at: a.deadline_at, order: 1, type: 'overdue', a });
    if (a.resolved_at !== null && a.resolved_at <= now) evs.push({ at: a.resolved_at, order: 2, type: 'resolve', a });
  }
  // One alert's events are already in order (opened ≤ deadline < resolved).
  if (alerts.length > 1) evs.sort((x, y) => x.at - y.at || x.order - y.order || byCodePoint(x.a.id, y.a.id));

  let colour: CardColour = 'blue';
  let openCount = 0;
  let cleanFrom = -Infinity;
  const opens: number[] = [];
  const history: CardStep[] = [];
  const stepDown = (t: number) => {
    if (openCount > 0) return;
    while (colour !== 'blue' && cleanFrom + C <= t) {
      cleanFrom += C;
      colour = DOWN[colour];
      history.push({ at: cleanFrom, kind, colour, reason: 'clean', alert: null });
    }
  };
  const raise = (to: CardColour, t: number, reason: StepReason, a: HistoryAlert) => {
    if (colourRank(to) > colourRank(colour)) {
      colour = to;
      history.push({ at: t, kind, colour, reason, alert: a.id });
    }
  };
  for (const e of evs) {
    stepDown(e.at);
    if (e.type === 'open') {
      const repeated = colour !== 'blue' || countAfter(opens, e.at - W) > 0;
      opens.push(e.at);
      openCount++;
      raise(repeated ? 'orange' : 'yellow', e.at, repeated ? 'repeat' : 'first', e.a);
    } else if (e.type === 'overdue') {
      const repeated = colourRank(colour) >= colourRank('orange') || countAfter(opens, e.at - W) >= 2;
      raise(repeated ? 'red' : 'orange', e.at, repeated ? 'overdue_repeat' : 'overdue', e.a);
    } else {
      openCount--;
      if (openCount === 0) cleanFrom = e.at;
    }
  }
  stepDown(now);
  const recent = countAfter(opens, now - W);
  let open = 0;
  let overdue = 0;
  for (const a of alerts) {
    if (a.opened_at > now || (a.resolved_at !== null && a.resolved_at <= now)) continue;
    open++;
    if (a.deadline_at !== null && a.deadline_at <= now) overdue++;
  }
  return { card: { kind, colour, recent, open, overdue }, history };
}

/** How many of the times are after t. */
function countAfter(times: readonly number[], t: number): number {
  let n = 0;
  for (const x of times) if (x > t) n++;
  return n;
}

/**
 * Ties broken by code point: the ids and kinds are ASCII, and a collator (localeCompare) costs
 * allocations a card fold over every site of a province feels (the overview builds 2,000 cards).
 */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A site's card: the worst of its kinds' ladders, with the reasons and the whole history. */
export function siteCard(alerts: readonly HistoryAlert[], now: number, o: LadderOptions): Card {
  let colour: CardColour = 'blue';
  const reasons: KindCard[] = [];
  let history: CardStep[] = [];
  const kinds = byKind(alerts);
  for (const [kind, list] of kinds) {
    const l = kindLadder(kind, list, now, o);
    colour = maxColour(colour, l.card.colour);
    if (l.card.colour !== 'blue') reasons.push(l.card);
    if (kinds.length === 1) history = l.history;
    else history.push(...l.history);
  }
  // One kind's steps are in order already.
  if (kinds.length > 1) history.sort((a, b) => a.at - b.at || byCodePoint(a.kind, b.kind));
  if (reasons.length > 1) reasons.sort((a, b) => colourRank(b.colour) - colourRank(a.colour) || byCodePoint(a.kind, b.kind));
  // When the site's card took its present colour: replay the worst-of over the merged steps.
  let since: number | null = null;
  const stepKinds: AlertKind[] = [];
  const colours: CardColour[] = [];
  let prev: CardColour = 'blue';
  for (const s of history) {
    const i = stepKinds.indexOf(s.kind);
    if (i < 0) {
      stepKinds.push(s.kind);
      colours.push(s.colour);
    } else colours[i] = s.colour;
    let worst: CardColour = 'blue';
    for (const c of colours) worst = maxColour(worst, c);
    if (worst !== prev) {
      since = s.at;
      prev = worst;
    }
  }
  return { colour, since: colour === 'blue' && history.length === 0 ? null : since, reasons, history };
}

/** The alerts per kind, in order of first appearance (most sites have one kind: no map then). */
function byKind(alerts: readonly HistoryAlert[]): Array<[AlertKind, readonly HistoryAlert[]]> {
  if (alerts.every((a) => a.kind === alerts[0]!.kind)) return alerts.length ? [[alerts[0]!.kind, alerts]] : [];
  const m = new Map<AlertKind, HistoryAlert[]>();
  for (const a of alerts) {
    let l = m.get(a.kind);
    if (!l) m.set(a.kind, (l = []));
    l.push(a);
  }
  return [...m];
}
