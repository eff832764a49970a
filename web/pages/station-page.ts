import { css, html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t, tCode } from '../i18n/catalogue.ts';
import { fetchStation, fetchStationSeries } from '../data/dashboard.ts';
import { PollController } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { ago, dateTime, day, num } from '../lib/format.ts';
import { itemColour, itemName } from '../lib/items.ts';
import { cityToday } from '../lib/app-state.ts';
import { addDays, daysBetween } from '../../worker/domain/local-time.ts';
import { zeroFill } from '../../worker/domain/report-periods.ts';
import { shared } from '../styles/shared.ts';
import type { StationDetailT, StationSeriesT } from '../../worker/schemas/dashboard.ts';
import { PALETTE } from '../lib/palette.ts';
import '../components/chart-panel.ts';
import '../components/health-badge.ts';
import '../components/site-card.ts';
import '../components/stock-bar.ts';
import '../components/heat-calendar.ts';
import '../components/message-list.ts';

const HEAT_DAYS = 182;
const CHART_DAYS = 30;

/** One station: stock against par and reorder point, daily supplies, visitors, restocks, activity, messages. */
export class StationPage extends LocalizedElement {
  static properties = { params: { attribute: false } };
  declare params: { id: string };
  private readonly station = new Task(this, {
    task: ([id], { signal }) => fetchStation(id, signal),
    args: () => [this.params.id] as const,
  });
  private readonly series = new Task(this, {
    task: ([id], { signal }) => {
      const today = cityToday();
      return fetchStationSeries(id, addDays(today, -(HEAT_DAYS - 1)), today, signal);
    },
    args: () => [this.params.id] as const,
  });

  constructor() {
    super();
    this.params = { id: '' };
    new PollController(this, () => {
      void this.station.run();
      void this.series.run();
      for (const m of this.renderRoot.querySelectorAll('message-list')) m.refresh();
    });
  }

  static styles = [
    shared,
    css`
    .head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
    .head h1 { margin: 0; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
    dt { font-weight: 600; }
    dd { margin: 0; }
    .charts { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 34rem), 1fr)); }
    nav.crumbs a { display: inline-flex; min-height: 44px; align-items: center; }
    @media (max-width: 520px) { .wide { display: none; } }
  `,
  ];

  private facts(s: StationDetailT) {
    return html`<div class="head">
        <h1>${s.name}</h1>
        <health-badge grade=${s.health.grade} .reasons=${s.health.reasons}></health-badge>
        <strong>${s.open_now ? t('state.open') : t('state.closed')}</strong>
      </div>
      <site-card .site=${s.id} history style="margin-top:0.75rem"></site-card>
      <div class="grid" style="margin-top:0.75rem">
        <dl class="card">
          <dt>${t('col.district')}</dt><dd>${s.district_name}</dd>
          <dt>${t('station.hours')}</dt><dd><code>${s.opening_hours}</code></dd>
          <dt>${t('col.last_seen')}</dt><dd>${ago(s.last_seen)} (${dateTime(s.last_seen)})</dd>
          <dt>${t('station.devices')}</dt><dd>${s.devices.map((d) => d.id).join(', ') || '—'}</dd>
          ${s.opened_on ? html`<dt>${t('station.opened_on')}</dt><dd>${day(s.opened_on, 'long')}</dd>` : nothing}
        </dl>
        <div class="card">
          <h2 style="margin-top:0">${t('station.health_why')}</h2>
          ${s.health.reasons.length ? html`<ul>${s.health.reasons.map((r) => html`<li>${tCode('reason', r)}</li>`)}</ul>` : html`<p>${t('station.all_well')}</p>`}
          ${s.faults.length ? html`<h3>${t('station.faults')}</h3><ul>${s.faults.map((f) => html`<li><code>${f.code}</code> ${f.detail ?? ''} <span class="muted">${dateTime(f.since)}</span></li>`)}</ul>` : nothing}
        </div>
      </div>
      <h2>${t('station.stock')}</h2>
      <div class="table-wrap" tabindex="0">
        <table id="stock">
          <thead><tr>
            <th scope="col">${t('col.item')}</th><th scope="col" class="num">${t('col.on_hand')}</th><th scope="col" class="num">${t('col.par')}</th>
            <th scope="col" class="num">${t('col.reorder')}</th><th scope="col" class="wide">${t('col.level')}</th><th scope="col" class="wide">${t('col.updated')}</th>
          </tr></thead>
          <tbody>
            ${s.stock.length === 0 ? html`<tr><td colspan="6">${t('state.no_data')}</td></tr>` : nothing}
            ${s.stock.map(
              (i) => html`<tr data-item=${i.item}>
                <th scope="row">${itemName(i.item)}</th>
                <td class="num" data-figure="on-hand">${num(i.on_hand)}</td>
                <td class="num">${num(i.par_level)}</td>
                <td class="num">${num(i.reorder_point)}</td>
                <td class="wide"><stock-bar .onHand=${i.on_hand} .par=${i.par_level} .reorder=${i.reorder_point}></stock-bar></td>
                <td class="wide">${ago(i.updated_at)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private charts(v: StationSeriesT) {
    const days = daysBetween(addDays(v.to, -(CHART_DAYS - 1)), v.to);
    const labels = days.map((d) => day(d));
    const items = [...new Set(v.items.map((r) => r.item))].sort();
    const per = (field: 'distributed' | 'restocked') =>
      items.map((item) => ({
        label: itemName(item),
        color: itemColour(item),
        data: zeroFill(
          days,
          v.items.filter((r) => r.item === item),
          (r) => r.day,
          (r) => r[field],
        ),
      }));
    const allDays = daysBetween(v.from, v.to);
    const visitors = zeroFill(
      allDays,
      v.visitors,
      (r) => r.day,
      (r) => r.visitors,
    );
    const activity = zeroFill(
      allDays,
      v.items,
      (r) => r.day,
      (r) => r.distributed + r.restocked + r.lent + r.returned,
    ).map((n, i) => n + visitors[i]!);
    return html`<h2>${t('station.activity')}</h2>
      <div class="charts">
        <chart-panel kind="bar" stacked caption=${t('station.distributed_per_day')} .labels=${labels} .series=${per('distributed')}></chart-panel>
        <chart-panel kind="bar" caption=${t('station.visitors_per_day')} .labels=${labels}
          .series=${[
            {
              label: t('station.visitors'),
              color: PALETTE[5]!,
              data: zeroFill(
                days,
                v.visitors,
                (r) => r.day,
                (r) => r.visitors,
              ),
            },
          ]}></chart-panel>
        <chart-panel kind="bar" stacked caption=${t('station.restocks_per_day')} .labels=${labels} .series=${per('restocked')}></chart-panel>
        <heat-calendar caption=${t('station.heat', { n: HEAT_DAYS })} .days=${allDays} .values=${activity}></heat-calendar>
      </div>`;
  }

  render() {
    return html`<nav class="crumbs" aria-label=${t('nav.breadcrumb')}><a href="/stations">← ${t('nav.stations')}</a></nav>
      ${renderTask(
        this.station,
        (s) => html`${this.facts(s)}
        ${renderTask(this.series, (v) => this.charts(v))}
        <h2>${t('station.messages')}</h2>
        ${s.devices.map((d) => html`<message-list device=${d.id}></message-list>`)}
        ${s.devices.length === 0 ? html`<p class="status">${t('state.no_devices')}</p>` : nothing}`,
      )}`;
  }
}
customElements.define('station-page', StationPage);

declare global {
  interface HTMLElementTagNameMap {
    'station-page': StationPage;
  }
}
