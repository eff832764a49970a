import { t, tCode } from '../i18n/catalogue.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { CardColourT } from '../../worker/schemas/dashboard.ts';

/** The words of a site's card and current severity, for places that take plain text (map popups). */
export const cardLabel = (colour: CardColourT): string => t(`cardshort.${colour}` as MessageKey);

/** "Now: out of stock、fault", or "" when nothing is wrong now. */
export function nowReasons(reasons: readonly string[]): string {
  return reasons.length ? t('card.now_reasons', { reasons: reasons.map((r) => tCode('reason', r)).join('、') }) : '';
}

/** Card, the urgent flag and the current reasons in one line. */
export function standingText(card: { colour: CardColourT; urgent: boolean }, reasons: readonly string[]): string {
  return [cardLabel(card.colour), card.urgent ? t('card.urgent') : '', nowReasons(reasons)].filter(Boolean).join(' · ');
}
