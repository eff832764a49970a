import { css, html } from 'lit';
import { Task } from '@lit/task';
import { t } from '../i18n/catalogue.ts';
import { fetchStations } from '../data/dashboard.ts';
import { PollController } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { ago, num } from '../lib/format.ts';
import { filterSelect, sortHeaders } from '../lib/list-controls.ts';
import { byCard, SiteListPage, type SiteSort } from '../lib/site-list-page.ts';
import type { StationSummaryT } from '../../worker/schemas/dashboard.ts';
import type { MessageKey } from '../i18n/en.ts';

/** Lowest-stock filters (percent of par level; 0 = an item is out) and silence filters (minutes). */
const STOCK_FILTERS = ['', '50', '25', '0'];
const SILENT_FILTERS = ['', '30', '120', '1440'];

type SortKey = 'name' | 'district' | 'card' | 'stock' | 'seen';
const SORTS: Record<SortKey, SiteSort<StationSummaryT>> = {
  name: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
  district: (a, b) => a.district_name.localeCompare(b.district_name, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'),
  card: byCard,
  stock: (a, b) => (a.lowest_stock_pct ?? Infinity) - (b.lowest_stock_pct ?? Infinity),
  seen: (a, b) => (a.last_seen ?? '').localeCompare(b.last_seen ?? ''),
};
const COLUMNS: Array<{ key: SortKey; label: MessageKey; num?: boolean }> = [
  { key: 'name', label: 'col.station' },
  { key: 'card', label: 'col.card' },
  { key: 'stock', label: 'col.lowest_stock', num: true },
  { key: 'district', label: 'col.district' },
  { key: 'seen', label: 'col.last_seen' },
];

/** Every station with its card, sortable and filterable; the filters live in the URL so a view can be shared. */
export class StationsPage extends SiteListPage<StationSummaryT, SortKey> {
  static properties = { ...SiteListPage.properties, _q: { state: true }, _stock: { state: true }, _silent: { state: true } };
  declare _q: string;
  declare _stock: string;
  declare _silent: string;
  private readonly task = new Task(this, { task: (_args, { signal }) => fetchStations(signal), args: () => [] as const });

  constructor() {
    super(SORTS);
    const p = new URLSearchParams(location.search);
    this._q = p.get('q') ?? '';
    this._stock = STOCK_FILTERS.includes(p.get('stock') ?? '') ? p.get('stock')! : '';
    this._silent = SILENT_FILTERS.includes(p.get('silent') ?? '') ? p.get('silent')! : '';
    new PollController(this, () => void this.task.run());
  }

  static styles = [...SiteListPage.styles, css`.count { margin: 0.5rem 0; }`];

  protected ownQuery() {
    return { q: this._q, stock: this._stock, silent: this._silent };
  }

  private table(list: StationSummaryT[]) {
    const q = this._q.trim().toLowerCase();
    const maxPct = this._stock ? Number(this._stock) : Infinity;
    const silentMs = this._silent ? Number(this._silent) * 60_000 : 0;
    const now = Date.now();
    const rows = this.select(
      list,
      (s) =>
        (!q || s.name.toLowerCase().includes(q) || s.id.toLowerCase().includes(q)) &&
        (maxPct === Infinity || (s.lowest_stock_pct !== null && s.lowest_stock_pct <= maxPct)) &&
        (!silentMs || s.last_seen === null || now - Date.parse(s.last_seen) > silentMs),
    );
    return html`${this.count(rows.length, list.length)}
      <div class="table-wrap cards" tabindex="0">
        <table id="stations">
          <thead>
            <tr>
              ${sortHeaders(COLUMNS, this._sort, this._desc, (k) => this.sortBy(k))}
              <th scope="col">${t('col.open_now')}</th>
              <th scope="col" class="num">${t('col.distributed_7d')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (s) => html`<tr data-id=${s.id}>
                <th scope="row"><a class="cell-link" href=${`/stations/${encodeURIComponent(s.id)}`}>${s.name}</a></th>
                ${this.cardCell(s)}
                <td class="num" data-label=${t('col.lowest_stock')}>${s.lowest_stock_pct === null ? '—' : `${num(s.lowest_stock_pct)} %`}</td>
                <td data-label=${t('col.district')}>${s.district_name}</td>
                <td data-label=${t('col.last_seen')}>${ago(s.last_seen)}</td>
                <td data-label=${t('col.open_now')}>${s.open_now ? t('state.open') : t('state.closed')}</td>
                <td class="num" data-label=${t('col.distributed_7d')}>${num(s.distributed_7d)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  render() {
    return html`<h1>${t('nav.stations')}</h1>
      <div class="row filters">
        <label>${t('filter.search')}<input type="search" .value=${this._q} @input=${(e: Event) =>
          this.setFilter(() => {
            this._q = (e.target as HTMLInputElement).value;
          })} /></label>
        ${this.commonFilters()}
        ${filterSelect(
          t('col.lowest_stock'),
          this._stock,
          STOCK_FILTERS.filter(Boolean).map((v) => ({
            value: v,
            label: v === '0' ? t('filter.stock_out') : t('filter.at_most', { pct: v }),
          })),
          (v) => this.setFilter(() => (this._stock = v)),
        )}
        ${filterSelect(
          t('col.last_seen'),
          this._silent,
          SILENT_FILTERS.filter(Boolean).map((v) => ({ value: v, label: t(`filter.silent_${v}` as MessageKey) })),
          (v) => this.setFilter(() => (this._silent = v)),
        )}
      </div>
      ${renderTask(this.task, (v) => this.table(v.stations))}`;
  }
}
customElements.define('stations-page', StationsPage);

declare global {
  interface HTMLElementTagNameMap {
    'stations-page': StationsPage;
  }
}
