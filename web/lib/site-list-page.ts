import { html, type TemplateResult } from 'lit';
import { LocalizedElement } from './localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { num } from './format.ts';
import { setQuery } from './url.ts';
import { shared } from '../styles/shared.ts';
import { cardTable } from '../styles/card-table.ts';
import { districtAndCardFilters, listQuery, listStyles, nextSort } from './list-controls.ts';
import { byStanding } from '../../worker/domain/alerts/standing.ts';
import type { SiteCardBriefT } from '../../worker/schemas/dashboard.ts';
import type { Grade } from '../../worker/domain/health.ts';
import '../components/card-badge.ts';

/** What the station and bench lists have in common: a district, a current severity and a card. */
export interface ListedSite {
  id: string;
  district: string | null;
  health: { grade: Grade; reasons: string[] };
  card: SiteCardBriefT;
}

export type SiteSort<T> = (a: T, b: T) => number;

/** Worst first: urgent, then card colour, then current severity. */
export const byCard: SiteSort<ListedSite> = byStanding;

/**
 * A sortable, filterable list of sites (stations, benches): the sort and the district and card
 * filters live in the URL so a view can be shared; each row shows the site's card, whether it is
 * urgent, and its current-severity reasons.
 */
export abstract class SiteListPage<T extends ListedSite, K extends string> extends LocalizedElement {
  static properties = {
    _sort: { state: true },
    _desc: { state: true },
    _district: { state: true },
    _card: { state: true },
  };
  declare _sort: K;
  declare _desc: boolean;
  declare _district: string;
  declare _card: string;
  private readonly sorts: Record<K, SiteSort<T>>;

  static styles = [shared, listStyles, cardTable];

  constructor(sorts: Record<K, SiteSort<T>>) {
    super();
    this.sorts = sorts;
    ({
      sort: this._sort,
      desc: this._desc,
      district: this._district,
      card: this._card,
    } = listQuery(sorts, new URLSearchParams(location.search)));
  }

  /** The page's own filters, as URL query values. */
  protected abstract ownQuery(): Record<string, string | null>;

  protected remember(): void {
    setQuery({ sort: this._sort, desc: this._desc ? '1' : null, district: this._district, card: this._card, ...this.ownQuery() });
  }

  protected sortBy(key: K): void {
    ({ sort: this._sort, desc: this._desc } = nextSort({ sort: this._sort, desc: this._desc }, key));
    this.remember();
  }

  /** The rows the district and card filters and `keep` let through, in the chosen order. */
  protected select(list: T[], keep: (x: T) => boolean): T[] {
    const out = list.filter(
      (x) =>
        (!this._district || x.district === this._district) &&
        (!this._card || (this._card === 'urgent' ? x.card.urgent : x.card.colour === this._card)) &&
        keep(x),
    );
    out.sort(this.sorts[this._sort]);
    if (this._desc) out.reverse();
    return out;
  }

  protected count(shown: number, total: number): TemplateResult {
    return html`<p class="count" role="status">${t('list.count', { n: num(shown), total: num(total) })}</p>`;
  }

  protected commonFilters(): TemplateResult {
    return districtAndCardFilters(this._district, this._card, {
      district: (v) => {
        this._district = v;
        this.remember();
      },
      card: (v) => {
        this._card = v;
        this.remember();
      },
    });
  }

  protected cardCell(x: T): TemplateResult {
    return html`<td data-label=${t('col.card')}>
      <card-badge colour=${x.card.colour} ?urgent=${x.card.urgent} .reasons=${x.health.reasons}></card-badge>
    </td>`;
  }

  /** A filter of the page's own, remembered in the URL when changed. */
  protected setFilter(apply: () => void): void {
    apply();
    this.remember();
  }
}
