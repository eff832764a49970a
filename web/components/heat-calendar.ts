import { css, html } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { day, num } from '../lib/format.ts';
import { weekStart } from '../../worker/domain/report-periods.ts';
import { addDays } from '../../worker/domain/local-time.ts';

const STEPS = ['#eef1f4', '#bcd3ec', '#6e9fd4', '#2f6db3', '#0a3d75'];

/** Activity per day as a week × weekday calendar, with the same figures as a table by week. */
export class HeatCalendar extends LocalizedElement {
  static properties = { days: { attribute: false }, values: { attribute: false }, caption: { type: String } };
  declare days: string[];
  declare values: number[];
  declare caption: string;

  constructor() {
    super();
    this.days = [];
    this.values = [];
    this.caption = '';
  }

  static styles = css`
    :host { display: block; }
    figure { margin: 0; background: #fff; border: 1px solid #c9ced6; border-radius: 8px; padding: 0.75rem; }
    figcaption { font-weight: 600; margin-bottom: 0.5rem; }
    .cal { display: grid; grid-auto-flow: column; grid-template-rows: repeat(7, 1fr); gap: 3px; overflow-x: auto; padding-bottom: 4px; }
    .cal span { width: 14px; height: 14px; border-radius: 2px; outline: 1px solid #d5d9df; }
    .legend { display: flex; gap: 4px; align-items: center; margin-top: 0.5rem; font-size: 0.85rem; }
    .legend span { width: 14px; height: 14px; display: inline-block; outline: 1px solid #d5d9df; }
    details { margin-top: 0.5rem; }
    summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; color: #0a4a8c; font-weight: 600; }
    .table-wrap { max-height: 22rem; overflow: auto; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #e1e4e8; text-align: end; }
    th { background: #eef1f4; }
    summary:focus-visible, .table-wrap:focus-visible { outline: 3px solid #111; outline-offset: 2px; }
  `;

  render() {
    const max = Math.max(1, ...this.values);
    const step = (v: number) => (v <= 0 ? 0 : Math.min(4, 1 + Math.floor((3.999 * v) / max)));
    const first = this.days[0];
    const lead = first ? (new Date(`${first}T00:00:00Z`).getUTCDay() + 6) % 7 : 0;
    const weeks: string[] = [];
    for (const d of this.days) if (weeks[weeks.length - 1] !== weekStart(d)) weeks.push(weekStart(d));
    const byDay = new Map(this.days.map((d, i) => [d, this.values[i] ?? 0]));
    const weekdays = Array.from({ length: 7 }, (_, i) =>
      new Intl.DateTimeFormat(document.documentElement.lang, { weekday: 'short', timeZone: 'UTC' }).format(
        new Date(Date.UTC(2024, 0, 1 + i)),
      ),
    );
    return html`<figure>
      <figcaption>${this.caption}</figcaption>
      <div class="cal" aria-hidden="true">
        ${Array.from({ length: lead }, () => html`<span style="outline:none"></span>`)}
        ${this.days.map((d, i) => html`<span style="background:${STEPS[step(this.values[i] ?? 0)]}" title=${`${day(d)}: ${num(this.values[i] ?? 0)}`}></span>`)}
      </div>
      <div class="legend" aria-hidden="true">${t('heat.less')} ${STEPS.map((c) => html`<span style="background:${c}"></span>`)} ${t('heat.more')}</div>
      <details>
        <summary>${t('chart.table')}</summary>
        <div class="table-wrap" tabindex="0" role="region" aria-label=${`${this.caption} — ${t('chart.table')}`}>
          <table>
            <thead><tr><th scope="col">${t('heat.week_of')}</th>${weekdays.map((w) => html`<th scope="col">${w}</th>`)}</tr></thead>
            <tbody>
              ${weeks.map(
                (w) =>
                  html`<tr><th scope="row">${day(w)}</th>${weekdays.map((_, i) => {
                    const v = byDay.get(addDays(w, i));
                    return html`<td>${v === undefined ? '' : num(v)}</td>`;
                  })}</tr>`,
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>`;
  }
}
customElements.define('heat-calendar', HeatCalendar);

declare global {
  interface HTMLElementTagNameMap {
    'heat-calendar': HeatCalendar;
  }
}
