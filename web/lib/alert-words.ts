import { getLocale, t, tCode } from '../i18n/catalogue.ts';
import type { MessageKey } from '../i18n/en.ts';
import { dateTime, num } from './format.ts';
import { itemName } from './items.ts';
import { fillWords, wordingKey, wordingParams, type AlertFacts } from '../../worker/domain/alerts/wording.ts';

/**
 * An alert in the reader's language, from its kind, item and data through the catalogue (the
 * stored `detail` is one English line for API clients and logs).
 */
export function alertText(a: AlertFacts): string {
  const params = wordingParams(a, {
    item: itemName,
    time: dateTime,
    num: (n) => num(n, 1),
    list: (xs) => xs.join(getLocale() === 'en' ? ', ' : '、'),
  });
  return fillWords(t(`alertdetail.${wordingKey(a)}` as MessageKey), params) ?? tCode('alertkind', a.kind);
}
