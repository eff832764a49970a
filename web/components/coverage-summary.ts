import { css, html } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { num, pct } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';
import { t } from '../i18n/catalogue.ts';
import { appState } from '../lib/app-state.ts';
import type { CoverageT } from '../data/coverage.ts';

/** `<coverage-summary>`: the share covered at each circle, then the same by district. */
export class CoverageSummary extends LocalizedElement {
  static properties = { data: { attribute: false } };
  declare data: CoverageT | null;

  constructor() {
    super();
    this.data = null;
  }

  static styles = [
    shared,
    css`
      .big { font-size: 2rem; font-weight: 700; font-variant-numeric: tabular-nums; }
      .bar { height: 10px; background: #e1e4e8; border-radius: 5px; overflow: hidden; margin-top: 0.4rem; }
      .bar > span { display: block; height: 100%; background: #0b6b2f; }
      .facts { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0.5rem 0 1rem; }
    `,
  ];

  render() {
    const d = this.data;
    if (!d) return html``;
    return html`
      <p class="muted">${d.method === 'network' ? t('cov.method.network') : t('cov.method.straight_line', { factor: d.detour_factor ?? 1.3 })} · ${num(d.speed_m_per_min)} m/min</p>
      <div class="facts">
        <span>${t('cov.population')}: <b>${num(d.population)}</b></span>
        <span>${t('cov.amenities')}: <b>${num(d.amenities)}</b></span>
        <span>${t('cov.not_reached')}: <b>${num(d.not_reached)}</b></span>
        <span>${t('cov.unreachable')}: <b>${num(d.unreachable)}</b></span>
      </div>
      <div class="grid">
        ${d.levels.map(
          (l) => html`<div class="card">
            <div>${t('cov.level', { m: l.minutes })}</div>
            <div class="big">${pct(l.share, 1)}</div>
            <div class="muted">${num(l.covered)} / ${num(d.population)} ${t('cov.covered')}</div>
            <div class="bar" aria-hidden="true"><span style="width:${(l.share * 100).toFixed(1)}%"></span></div>
          </div>`,
        )}
      </div>
      <h2>${t('cov.by_district')}</h2>
      <div class="table-wrap" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${t('cov.district')}</th>
              <th scope="col" class="num">${t('cov.population')}</th>
              ${d.levels.map((l) => html`<th scope="col" class="num">${t('cov.level', { m: l.minutes })}</th>`)}
              <th scope="col" class="num">${t('cov.not_reached')}</th>
            </tr>
          </thead>
          <tbody>
            ${d.by_district.map(
              (r) => html`<tr>
                <th scope="row">${r.district === null ? t('cov.no_district') : (appState.config?.districts.find((x) => x.id === r.district)?.name ?? r.district)}</th>
                <td class="num">${num(r.population)}</td>
                ${r.levels.map((l) => html`<td class="num">${pct(l.share, 1)}</td>`)}
                <td class="num">${num(r.not_reached)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }
}
customElements.define('coverage-summary', CoverageSummary);

declare global {
  interface HTMLElementTagNameMap {
    'coverage-summary': CoverageSummary;
  }
}
