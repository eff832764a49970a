import { css, html } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t, tCode } from '../i18n/catalogue.ts';
import { fetchAlerts, type AlertT } from '../data/alerts.ts';
import { PollController } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { dateTime, num } from '../lib/format.ts';
import { itemName } from '../lib/items.ts';
import { setQuery } from '../lib/url.ts';
import { config } from '../lib/app-state.ts';
import { shared } from '../styles/shared.ts';
import { GRADE_COLOURS } from '../components/health-badge.ts';
import { alertText } from '../lib/alert-words.ts';
import { ALERT_COLOURS, ALERT_KINDS } from '../../worker/domain/alerts/kinds.ts';
import type { MessageKey } from '../i18n/en.ts';

const STATES = ['open', 'resolved', 'all'] as const;

/** Every alert, filtered by state, kind, card colour and district; the filters live in the URL. */
export class AlertsPage extends LocalizedElement {
  static properties = { _state: { state: true }, _kind: { state: true }, _colour: { state: true }, _district: { state: true } };
  declare _state: (typeof STATES)[number];
  declare _kind: string;
  declare _colour: string;
  declare _district: string;
  private readonly task = new Task(this, {
    task: ([state, kind, colour, district], { signal }) => fetchAlerts({ state, kind, colour, district }, signal),
    args: () => [this._state, this._kind, this._colour, this._district] as const,
  });

  constructor() {
    super();
    const p = new URLSearchParams(location.search);
    const st = p.get('state');
    this._state = STATES.includes(st as never) ? (st as (typeof STATES)[number]) : 'open';
    this._kind = ALERT_KINDS.includes(p.get('kind') as never) ? p.get('kind')! : '';
    this._colour = ALERT_COLOURS.includes(p.get('colour') as never) ? p.get('colour')! : '';
    this._district = p.get('district') ?? '';
    new PollController(this, () => void this.task.run());
  }

  static styles = [
    shared,
    css`
    .filters { margin-bottom: 0.75rem; align-items: flex-end; }
    .filters label, .filters select { max-width: 100%; min-width: 0; }
    .chip { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 999px; font-weight: 700; border: 1px solid #111; white-space: nowrap; }
    td.detail { min-width: 14rem; }
  `,
  ];

  private set(k: '_state' | '_kind' | '_colour' | '_district', v: string): void {
    (this as unknown as Record<string, string>)[k] = v;
    setQuery({ state: this._state === 'open' ? null : this._state, kind: this._kind, colour: this._colour, district: this._district });
  }

  private table(list: AlertT[]) {
    if (!list.length) return html`<p class="status" data-loaded>${t('alerts.none')}</p>`;
    return html`<p class="muted" data-loaded>${t('alerts.count', { n: num(list.length) })}</p>
      <div class="table-wrap"><table>
        <thead><tr>
          <th>${t('alerts.colour')}</th><th>${t('alerts.col.kind')}</th><th>${t('alerts.col.site')}</th><th>${t('alerts.col.item')}</th>
          <th>${t('alerts.district')}</th><th>${t('alerts.col.opened')}</th><th>${t('alerts.col.resolved')}</th><th>${t('alerts.col.detail')}</th>
        </tr></thead>
        <tbody>${list.map((a) => {
          const c = GRADE_COLOURS[a.colour];
          const href = a.site_kind === 'station' ? `/stations/${encodeURIComponent(a.site)}` : `/benches/${encodeURIComponent(a.site)}`;
          return html`<tr>
            <td><span class="chip" style="background:${c.bg};color:${c.fg}">${t(`cardshort.${a.colour}` as MessageKey)}</span></td>
            <td>${tCode('alertkind', a.kind)}</td>
            <td><a href=${href}>${a.site_name ?? a.site}</a></td>
            <td>${a.item ? itemName(a.item) : '—'}</td>
            <td>${config().districts.find((d) => d.id === a.district)?.name ?? a.district ?? '—'}</td>
            <td>${dateTime(a.opened_at)}</td>
            <td>${a.resolved_at ? dateTime(a.resolved_at) : '—'}</td>
            <td class="detail">${alertText(a)}</td>
          </tr>`;
        })}</tbody>
      </table></div>`;
  }

  render() {
    const sel = (
      label: MessageKey,
      k: '_state' | '_kind' | '_colour' | '_district',
      value: string,
      options: Array<[string, string]>,
    ) => html`<label>${t(label)}
      <select @change=${(e: Event) => this.set(k, (e.target as HTMLSelectElement).value)}>
        ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
      </select></label>`;
    return html`<h1>${t('alerts.title')}</h1>
      <div class="row filters">
        ${sel(
          'alerts.state',
          '_state',
          this._state,
          STATES.map((s) => [s, t(`alerts.state.${s}` as MessageKey)]),
        )}
        ${sel('alerts.kind', '_kind', this._kind, [['', t('alerts.any')], ...ALERT_KINDS.map((k): [string, string] => [k, tCode('alertkind', k)])])}
        ${sel('alerts.colour', '_colour', this._colour, [['', t('alerts.any')], ...ALERT_COLOURS.map((c): [string, string] => [c, t(`card.${c}` as MessageKey)])])}
        ${sel('alerts.district', '_district', this._district, [['', t('alerts.any')], ...config().districts.map((d): [string, string] => [d.id, d.name])])}
      </div>
      ${renderTask(this.task, (v) => this.table(v.alerts))}`;
  }
}
customElements.define('alerts-page', AlertsPage);

declare global {
  interface HTMLElementTagNameMap {
    'alerts-page': AlertsPage;
  }
}
