import { css, html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { fetchSupplies } from '../data/dashboard.ts';
import { renderTask } from '../lib/task-view.ts';
import { dateTime, day, num } from '../lib/format.ts';
import { itemName } from '../lib/items.ts';
import { saveBlob } from '../lib/download.ts';
import { suppliesCsv } from '../lib/supplies-csv.ts';
import { setQuery } from '../lib/url.ts';
import { cityToday, config } from '../lib/app-state.ts';
import { addDays, isValidDay } from '../../worker/domain/local-time.ts';
import { PERIODS, type Period } from '../../worker/domain/report-periods.ts';
import { shared } from '../styles/shared.ts';
import type { SuppliesGroupT, SuppliesReportT } from '../../worker/schemas/dashboard.ts';
import type { MessageKey } from '../i18n/en.ts';

const GROUPS: SuppliesGroupT[] = ['item', 'district', 'station'];
const FIGURES = ['distributed', 'restocked', 'lent', 'returned'] as const;

/** First and last day of the month before the one holding `today`. */
function lastMonth(today: string): { from: string; to: string } {
  const firstThis = `${today.slice(0, 7)}-01`;
  const to = addDays(firstThis, -1);
  return { from: `${to.slice(0, 7)}-01`, to };
}

/** Supplies report: any range, by item × station or district × day, week or month; CSV and print. */
export class SuppliesPage extends LocalizedElement {
  static properties = { _from: { state: true }, _to: { state: true }, _group: { state: true }, _period: { state: true } };
  declare _from: string;
  declare _to: string;
  declare _group: SuppliesGroupT;
  declare _period: Period;
  private printWhenReady = false;
  private readonly task = new Task(this, {
    task: ([from, to, group, period], { signal }) => fetchSupplies({ from, to, group, period }, signal),
    args: () => [this._from, this._to, this._group, this._period] as const,
  });

  constructor() {
    super();
    const p = new URLSearchParams(location.search);
    const today = cityToday();
    const from = p.get('from') ?? '';
    const to = p.get('to') ?? '';
    this._to = isValidDay(to) ? to : today;
    this._from = isValidDay(from) ? from : addDays(this._to, -29);
    const g = p.get('group') as SuppliesGroupT | null;
    this._group = g && GROUPS.includes(g) ? g : 'district';
    const per = p.get('period') as Period | null;
    this._period = per && PERIODS.includes(per) ? per : 'week';
  }

  static styles = [
    shared,
    css`
    form { align-items: flex-end; margin-bottom: 0.75rem; }
    .print-only { display: none; }
    #report td { white-space: nowrap; }
    @media print {
      .print-only { display: block; }
      table { font-size: 10pt; }
      th, td { padding: 2pt 4pt; }
      h1 { font-size: 16pt; }
    }
  `,
  ];

  private remember(): void {
    setQuery({ from: this._from, to: this._to, group: this._group, period: this._period });
  }

  private onInput(e: Event): void {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    if (el.name === 'from' && isValidDay(el.value)) this._from = el.value;
    if (el.name === 'to' && isValidDay(el.value)) this._to = el.value;
    if (el.name === 'group') this._group = el.value as SuppliesGroupT;
    if (el.name === 'period') this._period = el.value as Period;
    this.remember();
  }

  private monthly(): void {
    const m = lastMonth(cityToday());
    this._from = m.from;
    this._to = m.to;
    this._period = 'month';
    this._group = 'station';
    this.remember();
    this.printWhenReady = true;
  }

  updated(): void {
    if (this.printWhenReady && this.task.value && this.task.value.from === this._from && this.task.value.period === 'month') {
      this.printWhenReady = false;
      requestAnimationFrame(() => window.print());
    }
  }

  private csv(r: SuppliesReportT): void {
    saveBlob(
      new Blob([suppliesCsv(r, itemName)], { type: 'text/csv;charset=utf-8' }),
      `supplies_${r.group}_${r.period}_${r.from}_${r.to}.csv`,
    );
  }

  private table(r: SuppliesReportT) {
    const total = (k: (typeof FIGURES)[number]) => r.rows.reduce((n, x) => n + x[k], 0);
    const placeCol = r.group !== 'item';
    const label: Record<(typeof FIGURES)[number], MessageKey> = {
      distributed: 'col.distributed',
      restocked: 'col.restocked',
      lent: 'col.lent',
      returned: 'col.returned',
    };
    return html`<div class="row no-print" style="margin-bottom:0.75rem">
        <button type="button" @click=${() => this.csv(r)}>${t('supplies.csv')}</button>
        <button type="button" @click=${() => this.monthly()}>${t('supplies.print_month')}</button>
      </div>
      <div class="table-wrap" tabindex="0">
        <table id="report">
          <caption>${t('supplies.caption', { from: day(r.from, 'long'), to: day(r.to, 'long'), tz: r.tz })}</caption>
          <thead>
            <tr>
              <th scope="col">${t(`period.${r.period}` as MessageKey)}</th>
              ${placeCol ? html`<th scope="col">${t(r.group === 'station' ? 'col.station' : 'col.district')}</th>` : nothing}
              <th scope="col">${t('col.item')}</th>
              ${FIGURES.map((f) => html`<th scope="col" class="num">${t(label[f])}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${r.rows.length === 0 ? html`<tr><td colspan=${placeCol ? 7 : 6}>${t('state.no_data')}</td></tr>` : nothing}
            ${r.rows.map(
              (x) => html`<tr>
                <td>${r.period === 'week' ? t('supplies.week_of', { d: day(x.period) }) : day(x.period)}</td>
                ${placeCol ? html`<td>${x.place_name}</td>` : nothing}
                <td>${itemName(x.item)}</td>
                ${FIGURES.map((f) => html`<td class="num">${num(x[f])}</td>`)}
              </tr>`,
            )}
          </tbody>
          <tfoot>
            <tr><td colspan=${placeCol ? 3 : 2}>${t('supplies.total')}</td>${FIGURES.map((f) => html`<td class="num" data-total=${f}>${num(total(f))}</td>`)}</tr>
          </tfoot>
        </table>
      </div>
      <p class="muted">${t('supplies.note')}</p>`;
  }

  render() {
    const cfg = config();
    return html`<div class="print-only"><p>${[cfg.city_name, t('supplies.printed', { when: dateTime(new Date().toISOString()) })].filter(Boolean).join(' · ')}</p></div>
      <h1>${t('supplies.title')}</h1>
      <form class="row no-print" @change=${this.onInput} @submit=${(e: Event) => e.preventDefault()}>
        <label>${t('supplies.from')}<input type="date" name="from" .value=${this._from} max=${this._to} /></label>
        <label>${t('supplies.to')}<input type="date" name="to" .value=${this._to} min=${this._from} /></label>
        <label>${t('supplies.group')}
          <select name="group">${GROUPS.map((g) => html`<option value=${g} ?selected=${this._group === g}>${t(`group.${g}` as MessageKey)}</option>`)}</select>
        </label>
        <label>${t('supplies.period')}
          <select name="period">${PERIODS.map((p) => html`<option value=${p} ?selected=${this._period === p}>${t(`period.${p}` as MessageKey)}</option>`)}</select>
        </label>
      </form>
      ${renderTask(this.task, (r) => this.table(r))}`;
  }
}
customElements.define('supplies-page', SuppliesPage);

declare global {
  interface HTMLElementTagNameMap {
    'supplies-page': SuppliesPage;
  }
}
