import { css, html } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { fetchBenches } from '../data/dashboard.ts';
import { PollController } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { ago, energy, num } from '../lib/format.ts';
import { setQuery } from '../lib/url.ts';
import { shared } from '../styles/shared.ts';
import { districtAndHealthFilters, filterSelect, listQuery, listStyles, nextSort, sortHeaders } from '../lib/list-controls.ts';
import { cardTable } from '../styles/card-table.ts';
import { GRADES } from '../../worker/domain/health.ts';
import type { BenchSummaryT } from '../../worker/schemas/dashboard.ts';
import type { MessageKey } from '../i18n/en.ts';
import '../components/health-badge.ts';

/** Battery filters: below this state of charge (%), the health thresholds. */
const BATTERY_FILTERS = ['', '40', '20', '10'];

type SortKey = 'name' | 'district' | 'health' | 'battery' | 'seen';
const label = (b: BenchSummaryT) => b.name ?? b.id;
const SORTS: Record<SortKey, (a: BenchSummaryT, b: BenchSummaryT) => number> = {
  name: (a, b) => label(a).localeCompare(label(b), 'zh-CN'),
  district: (a, b) => (a.district_name ?? '').localeCompare(b.district_name ?? '', 'zh-CN') || label(a).localeCompare(label(b), 'zh-CN'),
  health: (a, b) => GRADES.indexOf(b.health.grade) - GRADES.indexOf(a.health.grade),
  battery: (a, b) => (a.battery_soc ?? Infinity) - (b.battery_soc ?? Infinity),
  seen: (a, b) => (a.last_seen ?? '').localeCompare(b.last_seen ?? ''),
};
const COLUMNS: Array<{ key: SortKey; label: MessageKey; num?: boolean }> = [
  { key: 'name', label: 'col.bench' },
  { key: 'health', label: 'col.health' },
  { key: 'battery', label: 'col.battery', num: true },
  { key: 'district', label: 'col.park' },
  { key: 'seen', label: 'col.last_seen' },
];

/** Every bench with battery, solar, ports and health; sortable and filterable through the URL. */
export class BenchesPage extends LocalizedElement {
  static properties = {
    _sort: { state: true },
    _desc: { state: true },
    _district: { state: true },
    _grade: { state: true },
    _battery: { state: true },
  };
  declare _sort: SortKey;
  declare _desc: boolean;
  declare _district: string;
  declare _grade: string;
  declare _battery: string;
  private readonly task = new Task(this, { task: (_args, { signal }) => fetchBenches(signal), args: () => [] as const });

  constructor() {
    super();
    const p = new URLSearchParams(location.search);
    ({ sort: this._sort, desc: this._desc, district: this._district, grade: this._grade } = listQuery(SORTS, p));
    this._battery = BATTERY_FILTERS.includes(p.get('battery') ?? '') ? p.get('battery')! : '';
    new PollController(this, () => void this.task.run());
  }

  static styles = [
    shared,
    listStyles,
    cardTable,
    css`
  `,
  ];

  private remember(): void {
    setQuery({ sort: this._sort, desc: this._desc ? '1' : null, district: this._district, health: this._grade, battery: this._battery });
  }

  private sortBy(key: SortKey): void {
    ({ sort: this._sort, desc: this._desc } = nextSort({ sort: this._sort, desc: this._desc }, key));
    this.remember();
  }

  private table(list: BenchSummaryT[]) {
    const below = this._battery ? Number(this._battery) : Infinity;
    const rows = list.filter(
      (b) =>
        (!this._district || b.district === this._district) &&
        (!this._grade || b.health.grade === this._grade) &&
        (below === Infinity || (b.battery_soc !== null && b.battery_soc < below)),
    );
    rows.sort(SORTS[this._sort]);
    if (this._desc) rows.reverse();
    return html`<p role="status">${t('list.count', { n: num(rows.length), total: num(list.length) })}</p>
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
                <td data-label=${t('col.health')}><health-badge grade=${b.health.grade} .reasons=${b.health.reasons}></health-badge></td>
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
        ${districtAndHealthFilters(this._district, this._grade, {
          district: (v) => {
            this._district = v;
            this.remember();
          },
          grade: (v) => {
            this._grade = v;
            this.remember();
          },
        })}
        ${filterSelect(
          t('col.battery'),
          this._battery,
          BATTERY_FILTERS.filter(Boolean).map((v) => ({ value: v, label: t('filter.battery_below', { pct: v }) })),
          (v) => {
            this._battery = v;
            this.remember();
          },
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
