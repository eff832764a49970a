import { css, html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t, tCode } from '../i18n/catalogue.ts';
import { fetchBench, fetchBenchSeries } from '../data/dashboard.ts';
import { PollController } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { ago, dateTime, day, energy, hourKey, hourLabel, num } from '../lib/format.ts';
import { setQuery } from '../lib/url.ts';
import { shared } from '../styles/shared.ts';
import { PALETTE } from '../lib/palette.ts';
import type { BenchDetailT, BenchRangeT, BenchSeriesT } from '../../worker/schemas/dashboard.ts';
import type { MessageKey } from '../i18n/en.ts';
import '../components/chart-panel.ts';
import '../components/health-badge.ts';
import '../components/site-card.ts';
import '../components/message-list.ts';

const RANGES: Array<{ range: BenchRangeT; label: MessageKey }> = [
  { range: '24h', label: 'range.24h' },
  { range: '7d', label: 'range.7d' },
  { range: '30d', label: 'range.30d' },
];

/** One bench: battery, solar and load over 24 h / 7 d / 30 d, energy per day, sessions, ports, faults. */
export class BenchPage extends LocalizedElement {
  static properties = { params: { attribute: false }, _range: { state: true } };
  declare params: { id: string };
  declare _range: BenchRangeT;
  private readonly bench = new Task(this, { task: ([id], { signal }) => fetchBench(id, signal), args: () => [this.params.id] as const });
  private readonly series = new Task(this, {
    task: ([id, range], { signal }) => fetchBenchSeries(id, range, signal),
    args: () => [this.params.id, this._range] as const,
  });

  constructor() {
    super();
    this.params = { id: '' };
    const r = new URLSearchParams(location.search).get('range');
    this._range = r === '7d' || r === '30d' ? r : '24h';
    new PollController(this, () => {
      void this.bench.run();
      void this.series.run();
      this.renderRoot.querySelector('message-list')?.refresh();
    });
  }

  static styles = [
    shared,
    css`
    .head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
    .head h1 { margin: 0; }
    .kpi .big { font-size: 1.8rem; font-weight: 700; font-variant-numeric: tabular-nums; display: block; }
    .charts { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 34rem), 1fr)); margin-top: 0.75rem; }
    nav.crumbs a { display: inline-flex; min-height: 44px; align-items: center; }
  `,
  ];

  private facts(b: BenchDetailT) {
    return html`<div class="head">
        <h1>${b.name ?? b.id}</h1>
        <health-badge grade=${b.health.grade} .reasons=${b.health.reasons}></health-badge>
        <span class="muted">${b.park_name ?? b.park}${b.district_name ? ` · ${b.district_name}` : ''}</span>
      </div>
      <site-card .site=${b.id} history style="margin-top:0.75rem"></site-card>
      <div class="grid" style="margin-top:0.75rem">
        <div class="card kpi"><span>${t('col.battery')}</span><span class="big" data-figure="battery">${b.battery_soc === null ? '—' : `${num(b.battery_soc)} %`}</span>
          <span class="muted">${b.battery_v === null ? '' : `${num(b.battery_v, 2)} V`}</span></div>
        <div class="card kpi"><span>${t('col.solar')}</span><span class="big">${b.solar_w === null ? '—' : `${num(b.solar_w, 1)} W`}</span>
          <span class="muted">${t('bench.load', { w: b.load_w === null ? '—' : num(b.load_w, 1) })}</span></div>
        <div class="card kpi"><span>${t('bench.ports_in_use')}</span><span class="big">${num(b.ports_in_use)}${b.ports !== null ? html` <small>/ ${num(b.ports)}</small>` : nothing}</span>
          <span class="muted">${t('bench.sessions_7d', { n: num(b.sessions_7d), e: energy(b.energy_wh_7d) })}</span></div>
        <div class="card kpi"><span>${t('col.last_seen')}</span><span class="big" style="font-size:1.2rem">${ago(b.last_seen)}</span>
          <span class="muted">${b.temp_c === null ? '' : t('bench.temp', { c: num(b.temp_c, 1) })}</span></div>
      </div>
      ${
        b.faults.length || b.health.reasons.length
          ? html`<div class="card" style="margin-top:0.75rem">
            <h2 style="margin-top:0">${t('station.health_why')}</h2>
            <ul>${b.health.reasons.map((r) => html`<li>${tCode('reason', r)}</li>`)}</ul>
            ${b.faults.length ? html`<h3>${t('station.faults')}</h3><ul>${b.faults.map((f) => html`<li><code>${f.code}</code> ${f.detail ?? ''} <span class="muted">${dateTime(f.since)}</span></li>`)}</ul>` : nothing}
          </div>`
          : nothing
      }`;
  }

  private charts(s: BenchSeriesT) {
    const labels = s.points.map((p) => (s.resolution === 'hour' ? hourKey(p.key) : day(p.key)));
    const days = s.daily.map((d) => day(d.day));
    return html`<div class="charts">
      <chart-panel kind="line" caption=${t('bench.battery_chart')} digits="1" y1Label="W" .labels=${labels} .series=${[
        { label: t('bench.battery_avg'), color: PALETTE[0]!, data: s.points.map((p) => p.battery_avg) },
        { label: t('bench.battery_min'), color: PALETTE[4]!, data: s.points.map((p) => p.battery_min) },
        { label: t('bench.solar_w'), color: PALETTE[1]!, data: s.points.map((p) => p.solar_w), axis: 'y1' },
        { label: t('bench.load_w'), color: PALETTE[3]!, data: s.points.map((p) => p.load_w), axis: 'y1' },
      ]}></chart-panel>
      <chart-panel kind="bar" caption=${t('bench.energy_chart')} digits="1" .labels=${days} .series=${[
        { label: t('bench.harvested'), color: PALETTE[1]!, data: s.daily.map((d) => d.solar_wh) },
        { label: t('bench.delivered'), color: PALETTE[0]!, data: s.daily.map((d) => d.energy_wh) },
      ]}></chart-panel>
      <chart-panel kind="bar" caption=${t('bench.sessions_chart')} .labels=${days} .series=${[
        { label: t('bench.sessions'), color: PALETTE[2]!, data: s.daily.map((d) => d.sessions) },
      ]}></chart-panel>
      <chart-panel kind="bar" caption=${t('bench.by_hour_chart')} .labels=${s.by_hour.map((h) => hourLabel(h.hour))} .series=${[
        { label: t('bench.sessions'), color: PALETTE[5]!, data: s.by_hour.map((h) => h.sessions) },
      ]}></chart-panel>
    </div>`;
  }

  private setRange(r: BenchRangeT): void {
    this._range = r;
    setQuery({ range: r === '24h' ? null : r });
  }

  render() {
    return html`<nav class="crumbs" aria-label=${t('nav.breadcrumb')}><a href="/benches">← ${t('nav.benches')}</a></nav>
      ${renderTask(
        this.bench,
        (b) => html`${this.facts(b)}
        <h2>${t('bench.history')}</h2>
        <div class="row" role="group" aria-label=${t('bench.range')}>
          ${RANGES.map((r) => html`<button type="button" aria-pressed=${String(this._range === r.range)} @click=${() => this.setRange(r.range)}>${t(r.label)}</button>`)}
        </div>
        ${renderTask(this.series, (s) => this.charts(s))}
        <h2>${t('station.messages')}</h2>
        <message-list device=${b.id}></message-list>`,
      )}`;
  }
}
customElements.define('bench-page', BenchPage);

declare global {
  interface HTMLElementTagNameMap {
    'bench-page': BenchPage;
  }
}
