import { css, html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { fetchOverview } from '../data/dashboard.ts';
import { PollController } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { day, energy, num, pct, time } from '../lib/format.ts';
import { itemColour, itemName } from '../lib/items.ts';
import { daysBetween } from '../../worker/domain/local-time.ts';
import { zeroFill } from '../../worker/domain/report-periods.ts';
import { shared } from '../styles/shared.ts';
import type { OverviewT } from '../../worker/schemas/dashboard.ts';
import '../components/chart-panel.ts';
import '../components/grade-bar.ts';
import '../components/card-badge.ts';
import { PALETTE } from '../lib/palette.ts';

type Figure = { current: number; previous: number; change: number | null };

/** The fleet at a glance: supplies by item and period, stations, benches, charging, health, trend, districts. */
export class OverviewPage extends LocalizedElement {
  private readonly task = new Task(this, { task: (_args, { signal }) => fetchOverview(signal), args: () => [] as const });
  constructor() {
    super();
    new PollController(this, () => void this.task.run());
  }

  static styles = [
    shared,
    css`
      .kpi { display: flex; flex-direction: column; gap: 0.2rem; }
      .kpi .big { font-size: 2rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.1; }
      .kpi .label { font-weight: 600; }
      .charts { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 36rem), 1fr)); margin-top: 0.75rem; }
      .change { font-size: 0.85rem; display: block; }
      .attention { grid-column: 1 / -1; }
      .attention ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); }
      .attention .urgent { font-size: 0.95rem; color: #b3121b; margin-inline-start: 0.5rem; }
      .attention li { display: flex; flex-wrap: wrap; align-items: center; gap: 0 0.5rem; border-bottom: 1px solid #e1e4e8; }
      header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; }
      /* A wall screen: figures and fleet side by side instead of one very wide table. */
      @media (min-width: 1800px) { .columns { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 1.5rem; } .columns .grid { margin-top: 0 !important; } }
    `,
  ];

  private change(f: Figure) {
    if (f.current === 0 && f.previous === 0) return nothing;
    if (f.change === null) return html`<span class="change muted">${t('overview.new')}</span>`;
    const cls = f.change > 0 ? 'up' : f.change < 0 ? 'down' : 'muted';
    return html`<span class="change ${cls}">${pct(f.change, 0, true)} <span class="muted">${t('overview.vs', { n: num(f.previous) })}</span></span>`;
  }

  private supplies(o: OverviewT) {
    const sum = (k: 'today' | 'last_7_days' | 'last_30_days') => o.supplies.reduce((n, s) => n + s[k].current, 0);
    return html`<div class="table-wrap" tabindex="0">
      <table id="supplies">
        <caption>${t('overview.supplies_caption')}</caption>
        <thead>
          <tr>
            <th scope="col">${t('col.item')}</th>
            <th scope="col" class="num">${t('period.today')}</th>
            <th scope="col" class="num">${t('period.7d')}</th>
            <th scope="col" class="num">${t('period.30d')}</th>
            <th scope="col" class="num">${t('period.since_opening')}</th>
          </tr>
        </thead>
        <tbody>
          ${o.supplies.length === 0 ? html`<tr><td colspan="5">${t('state.no_data')}</td></tr>` : nothing}
          ${o.supplies.map(
            (s) => html`<tr data-item=${s.item}>
              <th scope="row">${itemName(s.item)}</th>
              <td class="num" data-figure="today">${num(s.today.current)}${this.change(s.today)}</td>
              <td class="num" data-figure="7d">${num(s.last_7_days.current)}${this.change(s.last_7_days)}</td>
              <td class="num" data-figure="30d">${num(s.last_30_days.current)}${this.change(s.last_30_days)}</td>
              <td class="num" data-figure="total">${num(s.since_opening)}</td>
            </tr>`,
          )}
        </tbody>
        <tfoot>
          <tr>
            <td>${t('overview.all_items')}</td>
            <td class="num">${num(sum('today'))}</td>
            <td class="num">${num(sum('last_7_days'))}</td>
            <td class="num">${num(sum('last_30_days'))}</td>
            <td class="num">${num(o.supplies.reduce((n, s) => n + s.since_opening, 0))}</td>
          </tr>
        </tfoot>
      </table>
    </div>`;
  }

  private cards(o: OverviewT) {
    const b = o.benches.battery;
    return html`<div class="grid" style="margin-top:0.75rem">
      <section class="card kpi" aria-labelledby="k-open">
        <span class="label" id="k-open">${t('overview.open_now')}</span>
        <span class="big" data-figure="open-now">${num(o.stations.open_now)}</span>
        <span class="muted">${t('overview.of_stations', { n: num(o.stations.total) })}</span>
      </section>
      <section class="card kpi" aria-labelledby="k-low">
        <span class="label" id="k-low">${t('overview.below_reorder')}</span>
        <span class="big" data-figure="below-reorder">${num(o.stations.below_reorder)}</span>
        <span class="muted">${t('overview.stock_out', { n: num(o.stations.stock_out) })}</span>
      </section>
      <section class="card kpi" aria-labelledby="k-batt">
        <span class="label" id="k-batt">${t('overview.benches_battery', { n: num(o.benches.total) })}</span>
        <span>${t('battery.good')}: <b>${num(b.good)}</b> · ${t('battery.low')}: <b>${num(b.low)}</b></span>
        <span>${t('battery.very_low')}: <b>${num(b.very_low)}</b> · ${t('battery.critical')}: <b>${num(b.critical)}</b></span>
        <span class="muted">${t('battery.unknown')}: ${num(b.unknown)}</span>
      </section>
      <section class="card kpi" aria-labelledby="k-charge">
        <span class="label" id="k-charge">${t('overview.charging')}</span>
        <span class="big" data-figure="sessions-today">${num(o.charging.today.sessions)}</span>
        <span class="muted">${t('overview.sessions_today', { e: energy(o.charging.today.energy_wh) })}</span>
        <span class="muted">${t('overview.sessions_30d', { n: num(o.charging.last_30_days.sessions), e: energy(o.charging.last_30_days.energy_wh) })}</span>
      </section>
      <section class="card attention" aria-labelledby="h-att">
        <h3 id="h-att" style="margin-top:0">${t('overview.attention')}
          ${o.cards.urgent ? html`<span class="urgent" data-figure="urgent">⚠ ${t('overview.urgent_count', { n: num(o.cards.urgent) })}</span>` : nothing}</h3>
        ${
          o.attention.length === 0
            ? html`<p>${t('overview.all_blue')}</p>`
            : html`<ul>
              ${o.attention.map(
                (a) => html`<li data-id=${a.id}>
                  <a class="cell-link" href=${`/${a.kind === 'station' ? 'stations' : 'benches'}/${encodeURIComponent(a.id)}`}>${a.name}</a>
                  <card-badge colour=${a.card.colour} ?urgent=${a.card.urgent} .reasons=${a.health.reasons}></card-badge>
                </li>`,
              )}
            </ul>`
        }
      </section>
      <section class="card" aria-labelledby="h-st" id="cards-stations">
        <h3 id="h-st" style="margin-top:0">${t('overview.cards_stations')}</h3>
        <grade-bar card .counts=${o.cards.stations} label=${t('overview.cards_stations')}></grade-bar>
      </section>
      <section class="card" aria-labelledby="h-be" id="cards-benches">
        <h3 id="h-be" style="margin-top:0">${t('overview.cards_benches')}</h3>
        <grade-bar card .counts=${o.cards.benches} label=${t('overview.cards_benches')}></grade-bar>
      </section>
    </div>`;
  }

  private charts(o: OverviewT) {
    const days = daysBetween(o.trend.from, o.trend.to);
    const items = [...new Set(o.trend.rows.map((r) => r.item))].sort();
    const trend = items.map((item) => ({
      label: itemName(item),
      color: itemColour(item),
      data: zeroFill(
        days,
        o.trend.rows.filter((r) => r.item === item),
        (r) => r.day,
        (r) => r.distributed,
      ),
    }));
    const d = o.districts;
    return html`<div class="charts">
      <chart-panel kind="bar" stacked caption=${t('overview.trend')} .labels=${days.map((x) => day(x))} .series=${trend}></chart-panel>
      <chart-panel
        kind="bar"
        caption=${t('overview.district_chart')}
        .labels=${d.map((x) => x.name)}
        .series=${[
          { label: t('overview.distributed_30d'), color: PALETTE[0]!, data: d.map((x) => x.distributed_30d) },
          { label: t('overview.sessions_30d_short'), color: PALETTE[1]!, data: d.map((x) => x.sessions_30d) },
        ]}
      ></chart-panel>
    </div>
    <h2>${t('overview.districts')}</h2>
    <div class="table-wrap" tabindex="0">
      <table>
        <thead>
          <tr>
            <th scope="col">${t('col.district')}</th>
            <th scope="col" class="num">${t('nav.stations')}</th>
            <th scope="col" class="num">${t('nav.benches')}</th>
            <th scope="col" class="num">${t('overview.distributed_30d')}</th>
            <th scope="col" class="num">${t('overview.sessions_30d_short')}</th>
            <th scope="col" class="num">${t('overview.energy_30d')}</th>
            <th scope="col" class="num">${t('cardshort.red')}</th>
            <th scope="col" class="num">${t('cardshort.orange')}</th>
            <th scope="col" class="num">${t('card.urgent')}</th>
          </tr>
        </thead>
        <tbody>
          ${d.map(
            (x) => html`<tr>
              <th scope="row"><a class="cell-link" href=${`/stations?district=${encodeURIComponent(x.id)}`}>${x.name}</a></th>
              <td class="num">${num(x.stations)}</td>
              <td class="num">${num(x.benches)}</td>
              <td class="num">${num(x.distributed_30d)}</td>
              <td class="num">${num(x.sessions_30d)}</td>
              <td class="num">${energy(x.energy_wh_30d)}</td>
              <td class="num">${num(x.cards.red)}</td>
              <td class="num">${num(x.cards.orange)}</td>
              <td class="num">${num(x.cards.urgent)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  render() {
    return html`<header>
        <h1>${t('overview.title')}</h1>
        ${this.task.value ? html`<span class="muted" role="status">${t('overview.as_of', { day: day(this.task.value.today, 'long'), time: time(this.task.value.generated_at) })}</span>` : nothing}
      </header>
      ${renderTask(
        this.task,
        (o) => html`<div class="columns">
            <section aria-labelledby="h-supplies"><h2 id="h-supplies">${t('overview.supplies')}</h2>${this.supplies(o)}</section>
            <section aria-labelledby="h-fleet"><h2 id="h-fleet">${t('overview.fleet')}</h2>${this.cards(o)}</section>
          </div>
          ${this.charts(o)}`,
      )}`;
  }
}
customElements.define('overview-page', OverviewPage);

declare global {
  interface HTMLElementTagNameMap {
    'overview-page': OverviewPage;
  }
}
