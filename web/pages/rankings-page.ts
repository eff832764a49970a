import { css, html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t, tCode } from '../i18n/catalogue.ts';
import {
  downloadCsv,
  fetchRanking,
  fetchReport,
  fetchSinceOpening,
  fetchUptime,
  publishMonth,
  recomputeMonth,
  saveScores,
  type RankingRowT,
  type RankingT,
  type ReportT,
  type SinceRowT,
  type SlaRowT,
} from '../data/rankings.ts';
import { renderTask, errorMessage } from '../lib/task-view.ts';
import { dateTime, num, pct } from '../lib/format.ts';
import { itemName } from '../lib/items.ts';
import { setQuery } from '../lib/url.ts';
import { appState, cityToday, config } from '../lib/app-state.ts';
import { monthsBefore } from '../../worker/domain/ranking/month.ts';
import { shared } from '../styles/shared.ts';
import type { MessageKey } from '../i18n/en.ts';

const FINAL = ['third_party', 'digital', 'departmental', 'assessment_office'] as const;
const DIGITAL = ['coverage', 'station_uptime', 'bench_uptime', 'stock_out', 'sla', 'handling', 'feedback'] as const;
const MANUAL = ['third_party', 'departmental', 'assessment_office'] as const;
const SOURCE_KINDS = ['districts', 'stations', 'benches', 'alerts', 'orders', 'reports'] as const;
const minutes = (s: number | null) => (s === null ? '—' : t('rank.minutes', { n: num(s / 60, 1) }));

/** Monthly ranking: flags, parts, the score-entry form, publishing, and the monthly report (CSV, print). */
export class RankingsPage extends LocalizedElement {
  static properties = {
    _month: { state: true },
    _by: { state: true },
    _msg: { state: true },
    _sinceOpen: { state: true },
    _sinceWanted: { state: true },
  };
  declare _month: string;
  declare _by: 'unit' | 'district';
  declare _msg: string;
  declare _sinceOpen: boolean;
  declare _sinceWanted: boolean;
  private readonly task = new Task(this, {
    task: ([month, by], { signal }) => Promise.all([fetchRanking(month, by, signal), fetchReport(month, signal)]),
    args: () => [this._month, this._by] as const,
  });
  /**
   * Every station since opening is long (800 rows in a province) and not about the month: asked
   * for when first opened, then kept while the page is (closing the section only hides it).
   */
  private readonly since = new Task(this, {
    task: ([wanted], { signal }) => (wanted ? fetchSinceOpening(signal) : Promise.resolve(null)),
    args: () => [this._sinceWanted] as const,
  });

  constructor() {
    super();
    const p = new URLSearchParams(location.search);
    const m = p.get('month') ?? '';
    this._month = /^\d{4}-(0[1-9]|1[0-2])$/.test(m) ? m : monthsBefore(cityToday().slice(0, 7), 1);
    this._by = p.get('by') === 'district' ? 'district' : 'unit';
    this._msg = '';
    this._sinceOpen = false;
    this._sinceWanted = false;
  }

  static styles = [
    shared,
    css`
    .flag { display: inline-block; min-width: 3.5em; padding: 0.1rem 0.5rem; border-radius: 4px; font-weight: 700; text-align: center; }
    .flag.red { background: #c62828; color: #fff; }
    .flag.black { background: #111; color: #fff; }
    .low { color: #8a4b00; font-weight: 600; }
    .parts { font-size: 0.9em; }
    details.sources { font-size: 0.85em; max-width: 40ch; }
    details.since summary { min-height: 48px; display: flex; align-items: center; gap: 1em; cursor: pointer; }
    details.since summary h3 { margin: 0; }
    details.since summary::before { content: '▸'; }
    details.since[open] summary::before { content: '▾'; }
    details.since summary span { text-decoration: underline; color: #0b3d91; }
    details.sources summary { min-height: 48px; display: flex; align-items: center; cursor: pointer; }
    details.sources dd { margin: 0 0 0.5em; overflow-wrap: anywhere; }
    details.sources a { display: inline-block; min-height: 48px; line-height: 48px; padding-inline: 0.25em; }
    .nodata { color: #666; }
    form.scores input { width: 5.5em; min-height: 44px; }
    section { margin-top: 1.5rem; }
    .print-only { display: none; }
    @media print { .print-only { display: block; } .no-print { display: none; } table { font-size: 9pt; } }
  `,
  ];

  private onInput(e: Event): void {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    if (el.name === 'month' && /^\d{4}-\d{2}$/.test(el.value)) this._month = el.value;
    if (el.name === 'by') this._by = el.value as 'unit' | 'district';
    setQuery({ month: this._month, by: this._by });
  }

  private async act(f: () => Promise<unknown>): Promise<void> {
    try {
      await f();
      this._msg = t('rank.saved');
      void this.task.run();
    } catch (e) {
      this._msg = errorMessage(e);
    }
  }

  /** Every site's uptime is long, so it is fetched only for the download. */
  private async downloadUptime(month: string): Promise<void> {
    try {
      await downloadCsv(
        `uptime_${month}.csv`,
        (await fetchUptime(month)).map((x) => ({ ...x })),
      );
    } catch (e) {
      this._msg = errorMessage(e);
    }
  }

  private submitScores(e: Event, rows: RankingRowT[]): void {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const scores = rows.flatMap((r) =>
      MANUAL.flatMap((s) => {
        const v = String(form.get(`${r.key}|${s}`) ?? '').trim();
        const was = r.parts[s]?.score ?? null;
        const now = v === '' ? null : Number(v);
        return now === was ? [] : [{ unit: r.key, source: s, score: now }];
      }),
    );
    if (scores.length) void this.act(() => saveScores(this._month, scores));
  }

  private partCell(r: RankingRowT, p: string) {
    const f = r.parts[p];
    if (!f || f.score === null) return html`<td class="num nodata" title=${t('rank.no_data')}>—</td>`;
    const v = p === 'stock_out' ? `${num(f.value, 1)} h` : FINAL.includes(p as (typeof FINAL)[number]) ? '' : pct(f.value, 1);
    return html`<td class="num" title=${`${v} · ${pct(f.weight, 1)}`}>${num(f.score, 1)}<br /><span class="muted">${v ? `${v} · ` : ''}×${pct(f.weight, 0)}</span></td>`;
  }

  /** The records behind a row's figures, each linked to its page, so a figure can be traced. */
  private sources(x: RankingRowT) {
    const s = x.figures.sources as Partial<Record<(typeof SOURCE_KINDS)[number], string[]>> | undefined;
    if (!s) return nothing;
    const href: Record<(typeof SOURCE_KINDS)[number], ((id: string) => string) | null> = {
      districts: () => '/coverage',
      stations: (id) => `/stations/${encodeURIComponent(id)}`,
      benches: (id) => `/benches/${encodeURIComponent(id)}`,
      alerts: null,
      orders: (id) => `/work-orders/${encodeURIComponent(id)}`,
      reports: (id) => `/work-orders/${encodeURIComponent(id)}`,
    };
    return html`<details class="sources no-print"><summary>${t('rank.sources')}</summary><dl>
      ${SOURCE_KINDS.filter((k) => s[k]?.length).map((k) => {
        const link = href[k];
        return html`<dt>${t(`rank.src.${k}` as MessageKey)} (${s[k]!.length})</dt>
          <dd>${s[k]!.map((id) => (link ? html`<a href=${link(id)}>${id}</a> ` : html`<code>${id}</code> `))}</dd>`;
      })}
    </dl></details>`;
  }

  private rankingCsv(r: RankingT): void {
    void downloadCsv(
      `ranking_${r.by}_${r.month}.csv`,
      r.rows.map((x) => ({
        month: r.month,
        key: x.key,
        name: x.name,
        rank: x.rank,
        score: x.score,
        flag: x.flag ?? '',
        low_streak: x.low_streak,
        ...Object.fromEntries(
          [...FINAL, ...DIGITAL].flatMap((p) => [
            [`${p}_score`, x.parts[p]?.score ?? ''],
            [`${p}_weight`, x.parts[p]?.weight ?? ''],
          ]),
        ),
      })),
    );
  }

  private table(r: RankingT) {
    const supervisor = appState.me?.role === 'admin' || appState.me?.role === 'supervisor';
    return html`<p>${r.published ? t('rank.published', { when: dateTime(r.published.at) }) : t('rank.provisional')}</p>
      <div class="row no-print">
        <button type="button" @click=${() => this.rankingCsv(r)}>${t('rank.csv')}</button>
        <button type="button" @click=${() => window.print()}>${t('rank.print')}</button>
        ${supervisor && !r.published ? html`<button type="button" @click=${() => this.act(() => publishMonth(r.month))}>${t('rank.publish')}</button>` : nothing}
        ${
          supervisor && r.published
            ? html`<form class="row" @submit=${(e: Event) => {
                e.preventDefault();
                const reason = String(new FormData(e.target as HTMLFormElement).get('reason') ?? '');
                void this.act(() => recomputeMonth(r.month, reason));
              }}>
              <label>${t('rank.reason')}<input name="reason" required minlength="3" /></label><button type="submit">${t('rank.recompute')}</button></form>`
            : nothing
        }
        <span role="status">${this._msg}</span>
      </div>
      <div class="table-wrap" tabindex="0">
        <table id="ranking">
          <caption>${t('rank.title')} · ${r.month}</caption>
          <thead><tr>
            <th scope="col">${t('rank.rank')}</th><th scope="col">${t('rank.name')}</th><th scope="col" class="num">${t('rank.score')}</th><th scope="col">${t('rank.flag')}</th>
            ${[...FINAL, ...DIGITAL].map((p) => html`<th scope="col" class="num">${t(`rank.part.${p}` as MessageKey)}</th>`)}
          </tr></thead>
          <tbody>
            ${r.rows.map(
              (x) => html`<tr data-key=${x.key}>
              <td>${x.rank ?? '—'}</td>
              <td>${x.name}${x.low_marked ? html`<br /><span class="low">${t('rank.low', { n: x.low_streak })}</span>` : nothing}${this.sources(x)}</td>
              <td class="num"><strong>${num(x.score, 2)}</strong></td>
              <td>${x.flag ? html`<span class="flag ${x.flag}">${t(`rank.flag.${x.flag}` as MessageKey)}</span>` : nothing}</td>
              ${[...FINAL, ...DIGITAL].map((p) => this.partCell(x, p))}
            </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        supervisor && r.by === 'unit'
          ? html`<section class="no-print"><h2>${t('rank.scores')}</h2>
            <form class="scores" @submit=${(e: Event) => this.submitScores(e, r.rows)}>
              <div class="table-wrap"><table><thead><tr><th scope="col">${t('rank.name')}</th>${MANUAL.map((s) => html`<th scope="col">${t(`rank.part.${s}` as MessageKey)}</th>`)}</tr></thead>
              <tbody>${r.rows.map((x) => html`<tr><td>${x.name}</td>${MANUAL.map((s) => html`<td><input type="number" min="0" max="100" step="0.1" name=${`${x.key}|${s}`} .value=${x.parts[s]?.score === null || x.parts[s] === undefined ? '' : String(x.parts[s]!.score)} aria-label=${`${x.name} ${t(`rank.part.${s}` as MessageKey)}`} /></td>`)}</tr>`)}</tbody></table></div>
              <button type="submit">${t('rank.save')}</button>
            </form></section>`
          : nothing
      }`;
  }

  private slaTable(title: MessageKey, col: MessageKey, rows: SlaRowT[], file: string) {
    return html`<h3>${t(title)} <button type="button" class="no-print" @click=${() =>
      downloadCsv(
        file,
        rows.map((x) => ({ ...x })),
      )}>${t('rank.csv')}</button></h3>
      <div class="table-wrap"><table><thead><tr><th scope="col">${t(col)}</th><th class="num">${t('rank.orders')}</th><th class="num">${t('rank.met')}</th><th class="num">${t('rank.arrival_med')}</th><th class="num">${t('rank.arrival_p90')}</th><th class="num">${t('rank.handling_med')}</th><th class="num">${t('rank.handling_p90')}</th></tr></thead>
      <tbody>${rows.length ? rows.map((x) => html`<tr><td>${x.name}</td><td class="num">${x.orders}</td><td class="num">${pct(x.share_met, 0)}</td><td class="num">${minutes(x.arrival_median_s)}</td><td class="num">${minutes(x.arrival_p90_s)}</td><td class="num">${minutes(x.handling_median_s)}</td><td class="num">${minutes(x.handling_p90_s)}</td></tr>`) : html`<tr><td colspan="7">${t('state.no_data')}</td></tr>`}</tbody></table></div>`;
  }

  private sinceTable(rows: SinceRowT[]) {
    return html`<button type="button" class="no-print" @click=${() =>
      downloadCsv(
        'since_opening.csv',
        rows.map((x) => ({ ...x })),
      )}>${t('rank.csv')}</button>
      <div class="table-wrap"><table><thead><tr><th>${t('rank.station')}</th><th>${t('rank.opened_on')}</th><th class="num">${t('rank.days_open')}</th><th class="num">${t('rank.dispensed')}</th><th class="num">${t('rank.visitors')}</th></tr></thead>
      <tbody>${rows.map((x) => html`<tr><td>${x.name}</td><td>${x.since ?? '—'}</td><td class="num">${num(x.days_open)}</td><td class="num">${num(x.dispensed)}</td><td class="num">${num(x.visitors)}</td></tr>`)}</tbody></table></div>`;
  }

  private report(rep: ReportT) {
    const m = rep.month;
    return html`<section><h2>${t('rank.report')} · ${m}</h2>
      ${this.slaTable('rank.response', 'rank.team', rep.response_by_team, `response_by_team_${m}.csv`)}
      ${this.slaTable('rank.response', 'rank.district', rep.response_by_district, `response_by_district_${m}.csv`)}
      <h3>${t('rank.stockout')} <button type="button" class="no-print" @click=${() =>
        downloadCsv(
          `stock_out_${m}.csv`,
          rep.stock_out.map((x) => ({ ...x })),
        )}>${t('rank.csv')}</button></h3>
      <div class="table-wrap"><table><thead><tr><th>${t('rank.station')}</th><th>${t('rank.item')}</th><th class="num">${t('rank.hours')}</th></tr></thead>
      <tbody>${rep.stock_out.length ? rep.stock_out.map((x) => html`<tr><td>${x.name}</td><td>${itemName(x.item)}</td><td class="num">${num(x.hours, 1)}</td></tr>`) : html`<tr><td colspan="3">${t('state.no_data')}</td></tr>`}</tbody></table></div>
      <h3>${t('rank.alerts')} <button type="button" class="no-print" @click=${() =>
        downloadCsv(
          `alerts_${m}.csv`,
          rep.alerts_by_kind.map((x) => ({ ...x })),
        )}>${t('rank.csv')}</button></h3>
      <div class="table-wrap"><table><thead><tr><th>${t('rank.kind')}</th><th class="num">${t('rank.opened')}</th><th class="num">${t('rank.hours')}</th></tr></thead>
      <tbody>${rep.alerts_by_kind.length ? rep.alerts_by_kind.map((x) => html`<tr><td>${tCode('alert', x.kind)}</td><td class="num">${x.opened}</td><td class="num">${num(x.hours, 1)}</td></tr>`) : html`<tr><td colspan="3">${t('state.no_data')}</td></tr>`}</tbody></table></div>
      <h3>${t('rank.uptime')} <button type="button" class="no-print" @click=${() =>
        this.downloadUptime(m)}>${t('rank.uptime_csv')}</button></h3>
      <details class="since" @toggle=${(e: Event) => {
        this._sinceOpen = (e.target as HTMLDetailsElement).open;
        this._sinceWanted ||= this._sinceOpen;
      }}><summary><h3>${t('rank.since')}</h3> <span class="no-print">${t('rank.since_show')}</span></summary>
      ${this._sinceOpen ? renderTask(this.since, (rows) => (rows ? this.sinceTable(rows) : nothing)) : nothing}</details>
    </section>`;
  }

  render() {
    const cfg = config();
    return html`<div class="print-only"><p>${[cfg.city_name, dateTime(new Date().toISOString())].filter(Boolean).join(' · ')}</p></div>
      <h1>${t('rank.title')}</h1>
      <form class="row no-print" @change=${this.onInput} @submit=${(e: Event) => e.preventDefault()}>
        <label>${t('rank.month')}<input type="month" name="month" .value=${this._month} max=${cityToday().slice(0, 7)} /></label>
        <label>${t('rank.by')}<select name="by">${(['unit', 'district'] as const).map((b) => html`<option value=${b} ?selected=${this._by === b}>${t(`rank.by.${b}` as MessageKey)}</option>`)}</select></label>
      </form>
      ${renderTask(this.task, ([r, rep]) => html`${this.table(r)}${this.report(rep)}`)}`;
  }
}
customElements.define('rankings-page', RankingsPage);

declare global {
  interface HTMLElementTagNameMap {
    'rankings-page': RankingsPage;
  }
}
