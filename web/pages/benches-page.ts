import { html } from 'lit';
import { Task } from '@lit/task';
import { t } from '../i18n/catalogue.ts';
import { fetchBenches } from '../data/dashboard.ts';
import { PollController } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { ago, energy, num } from '../lib/format.ts';
import { filterSelect, sortHeaders } from '../lib/list-controls.ts';
import { byCard, SiteListPage, type SiteSort } from '../lib/site-list-page.ts';
import type { BenchSummaryT } from '../../worker/schemas/dashboard.ts';
import type { MessageKey } from '../i18n/en.ts';

/** Battery filters: below this state of charge (%), the health thresholds. */
const BATTERY_FILTERS = ['', '40', '20', '10'];

type SortKey = 'name' | 'district' | 'card' | 'battery' | 'seen';
const label = (b: BenchSummaryT) => b.name ?? b.id;
const SORTS: Record<SortKey, SiteSort<BenchSummaryT>> = {
  name: (a, b) => label(a).localeCompare(label(b), 'zh-CN'),
  district: (a, b) => (a.district_name ?? '').localeCompare(b.district_name ?? '', 'zh-CN') || label(a).localeCompare(label(b), 'zh-CN'),
  card: byCard,
  battery: (a, b) => (a.battery_soc ?? Infinity) - (b.battery_soc ?? Infinity),
  seen: (a, b) => (a.last_seen ?? '').localeCompare(b.last_seen ?? ''),
};
const COLUMNS: Array<{ key: SortKey; label: MessageKey; num?: boolean }> = [
  { key: 'name', label: 'col.bench' },
  { key: 'card', label: 'col.card' },
  { key: 'battery', label: 'col.battery', num: true },
  { key: 'district', label: 'col.park' },
  { key: 'seen', label: 'col.last_seen' },
];

/** Every bench with its card, battery, solar, ports; sortable and filterable through the URL. */
export class BenchesPage extends SiteListPage<BenchSummaryT, SortKey> {
  static properties = { ...SiteListPage.properties, _battery: { state: true } };
  declare _battery: string;
  private readonly task = new Task(this, { task: (_args, { signal }) => fetchBenches(signal), args: () => [] as const });

  constructor() {
    super(SORTS);
    const battery = new URLSearchParams(location.search).get('battery') ?? '';
    this._battery = BATTERY_FILTERS.includes(battery) ? battery : '';
    new PollController(this, () => void this.task.run());
  }

  protected ownQuery() {
    return { battery: this._battery };
  }

  private table(list: BenchSummaryT[]) {
    const below = this._battery ? Number(this._battery) : Infinity;
    const rows = this.select(list, (b) => below === Infinity || (b.battery_soc !== null && b.battery_soc < below));
    return html`${this.count(rows.length, list.length)}
      <div class="table-wrap cards" tabindex="0">
        <table id="benches">
          <thead>
            <tr>
              ${sortHeaders(COLUMNS, this._sort, this._desc, (k) => this.sortBy(k))}
              <th scope="col" class="num">${t('col.solar')}</th>
              <th scope="col" class="num">${t('col.ports')}</th>
              <th scope="col" class="num">${t('col.sessions_7d')}</th>
              <th scope="col" class="num">${t('col.energy_7d')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (b) => html`<tr data-id=${b.id}>
                <th scope="row"><a class="cell-link" href=${`/benches/${encodeURIComponent(b.id)}`}>${label(b)}</a></th>
                ${this.cardCell(b)}
                <td class="num" data-label=${t('col.battery')}>${b.battery_soc === null ? '—' : `${num(b.battery_soc)} %`}</td>
                <td data-label=${t('col.park')}>${b.park_name ?? b.park}${b.district_name ? html` <span class="muted">· ${b.district_name}</span>` : ''}</td>
                <td data-label=${t('col.last_seen')}>${ago(b.last_seen)}</td>
                <td class="num" data-label=${t('col.solar')}>${b.solar_w === null ? '—' : `${num(b.solar_w, 1)} W`}</td>
                <td class="num" data-label=${t('col.ports')}>${b.ports === null ? num(b.ports_in_use) : `${num(b.ports_in_use ?? 0)} / ${num(b.ports)}`}</td>
                <td class="num" data-label=${t('col.sessions_7d')}>${num(b.sessions_7d)}</td>
                <td class="num" data-label=${t('col.energy_7d')}>${energy(b.energy_wh_7d)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  render() {
    return html`<h1>${t('nav.benches')}</h1>
      <div class="row filters">
        ${this.commonFilters()}
        ${filterSelect(
          t('col.battery'),
          this._battery,
          BATTERY_FILTERS.filter(Boolean).map((v) => ({ value: v, label: t('filter.battery_below', { pct: v }) })),
          (v) => this.setFilter(() => (this._battery = v)),
        )}
      </div>
      ${renderTask(this.task, (v) => this.table(v.benches))}`;
  }
}
customElements.define('benches-page', BenchesPage);

declare global {
  interface HTMLElementTagNameMap {
    'benches-page': BenchesPage;
  }
}
