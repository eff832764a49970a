/**
 * What the overview, the lists and the map show of a site: its four-colour card (how the site has
 * behaved) and whether something is urgent now. Pure.
 *
 * The emergency rule: a card is about repetition, so a station that runs dry for the first time in
 * a heat wave carries only a yellow card (or, before its alert is evaluated, still a blue one).
 * Nothing urgent may hide behind it, so a site is `urgent` while its current severity is red
 * (out of stock, silent a day, never heard from, battery critical) or one of its alerts is open
 * past its deadline. Urgent sites are labelled as such next to the card, sort first, and keep
 * their current-severity reasons in view.
 */
import { GRADES, type Grade, type Health } from '../health.ts';
import type { Card, KindCard } from './cards.ts';
import { colourRank, type CardColour } from './kinds.ts';

export interface Standing {
  colour: CardColour;
  since: number | null;
  /** The kinds that are not blue, worst first. */
  reasons: KindCard[];
  urgent: boolean;
}

export function standing(card: Card, health: Health): Standing {
  const overdue = card.reasons.some((r) => r.overdue > 0);
  return { colour: card.colour, since: card.since, reasons: card.reasons, urgent: health.grade === 'red' || overdue };
}

/** A site as the lists see it: its card and its current severity. */
export interface Ranked {
  card: Pick<Standing, 'colour' | 'urgent'>;
  health: { grade: Grade };
}

/** Worst first: urgent, then the card's colour, then the current severity. */
export function byStanding(a: Ranked, b: Ranked): number {
  return (
    Number(b.card.urgent) - Number(a.card.urgent) ||
    colourRank(b.card.colour) - colourRank(a.card.colour) ||
    GRADES.indexOf(b.health.grade) - GRADES.indexOf(a.health.grade)
  );
}

/** Whether a site needs a look at all: a card above blue, something urgent, or a current-severity reason. */
export const needsAttention = (x: Ranked): boolean => x.card.urgent || x.card.colour !== 'blue' || x.health.grade !== 'blue';
