import { css, html, type TemplateResult } from 'lit';
import { t } from '../i18n/catalogue.ts';
import type { MessageKey } from '../i18n/en.ts';
import { config } from './app-state.ts';
import { CARD_COLOURS } from '../../worker/domain/alerts/kinds.ts';
import { cardLabel } from './card-words.ts';

/** The controls the sortable, filterable lists (stations, benches) share. */

export interface SortColumn<K extends string> {
  key: K;
  label: MessageKey;
  num?: boolean;
}

export const listStyles = css`
  .filters { margin-bottom: 0.75rem; align-items: flex-end; }
  th button { border: none; background: none; color: inherit; font-weight: 600; padding: 0 0.25rem; display: inline-flex; gap: 0.3rem; align-items: center; }
`;

/** Clicking the sorted column again reverses it; another column sorts ascending. */
export function nextSort<K extends string>(current: { sort: K; desc: boolean }, key: K): { sort: K; desc: boolean } {
  return current.sort === key ? { sort: key, desc: !current.desc } : { sort: key, desc: false };
}

/** Header cells that sort on click, with aria-sort for screen readers. */
export function sortHeaders<K extends string>(
  columns: ReadonlyArray<SortColumn<K>>,
  sort: K,
  desc: boolean,
  onSort: (key: K) => void,
): TemplateResult[] {
  return columns.map(
    (c) => html`<th scope="col" class=${c.num ? 'num' : ''} aria-sort=${sort === c.key ? (desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" @click=${() => onSort(c.key)}>${t(c.label)}<span aria-hidden="true">${sort === c.key ? (desc ? '▼' : '▲') : '↕'}</span></button>
    </th>`,
  );
}

/** A labelled select whose first option is "all" (value ""). */
export function filterSelect(
  label: string,
  value: string,
  options: ReadonlyArray<{ value: string; label: string }>,
  onChange: (value: string) => void,
): TemplateResult {
  return html`<label>${label}
    <select @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      <option value="" ?selected=${!value}>${t('filter.all')}</option>
      ${options.map((o) => html`<option value=${o.value} ?selected=${value === o.value}>${o.label}</option>`)}
    </select>
  </label>`;
}

/** The card filter's values: a card colour, or every urgent site. */
export const CARD_FILTERS: readonly string[] = [...CARD_COLOURS, 'urgent'];

/** The district and card filters every list starts with. */
export function districtAndCardFilters(
  district: string,
  card: string,
  on: { district: (v: string) => void; card: (v: string) => void },
): TemplateResult {
  return html`${filterSelect(
    t('col.district'),
    district,
    config().districts.map((d) => ({ value: d.id, label: d.name })),
    on.district,
  )}
    ${filterSelect(
      t('card.filter'),
      card,
      CARD_FILTERS.map((g) => ({ value: g, label: g === 'urgent' ? t('card.urgent') : cardLabel(g as (typeof CARD_COLOURS)[number]) })),
      on.card,
    )}`;
}

/** The sort and the district / card filters a list keeps in its URL (default: by card, worst first). */
export function listQuery<K extends string>(
  sorts: Record<K, unknown>,
  p: URLSearchParams,
): { sort: K; desc: boolean; district: string; card: string } {
  const sort = p.get('sort');
  const card = p.get('card') ?? '';
  return {
    sort: (sort !== null && sort in sorts ? sort : 'card') as K,
    desc: p.get('desc') === '1',
    district: p.get('district') ?? '',
    card: CARD_FILTERS.includes(card) ? card : '',
  };
}
