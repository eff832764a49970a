import { css, html } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t, tCode } from '../i18n/catalogue.ts';
import { fetchOrders, fetchTeams, fetchUnits } from '../data/work-orders.ts';
import { PollController } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { num } from '../lib/format.ts';
import { setQuery } from '../lib/url.ts';
import { config } from '../lib/app-state.ts';
import { shared } from '../styles/shared.ts';
import { STEPS, WORK_ORDER_KINDS } from '../../worker/domain/work-order-steps.ts';
import type { WorkOrderSummaryT } from '../../worker/schemas/work-orders.ts';
import '../components/work-order-card.ts';

const FILTERS = ['unit', 'team', 'district', 'kind', 'state'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * The supervisors' board (督查): every order grouped by its step of the seven, overdue first in
 * each group (the API's order), filtered by unit, team, district and kind; filters in the URL.
 * Columns side by side on a wide screen, stacked on a phone.
 */
export class WorkOrdersPage extends LocalizedElement {
  static properties = { _f: { state: true } };
  declare _f: Record<Filter, string>;
  private readonly task = new Task(this, {
    task: ([f], { signal }) =>
      fetchOrders({ state: f.state === 'all' ? 'all' : 'open', unit: f.unit, team: f.team, district: f.district, kind: f.kind }, signal),
    args: () => [this._f] as const,
  });
  private readonly lists = new Task(this, {
    task: async ([], { signal }) => ({ units: await fetchUnits(signal), teams: await fetchTeams(signal) }),
    args: () => [] as const,
  });

  constructor() {
    super();
    const p = new URLSearchParams(location.search);
    this._f = Object.fromEntries(FILTERS.map((k) => [k, p.get(k) ?? ''])) as Record<Filter, string>;
    new PollController(this, () => void this.task.run());
  }

  static styles = [
    shared,
    css`
    .filters { margin-bottom: 0.75rem; align-items: flex-end; }
    .filters select { min-height: 48px; min-width: 9rem; }
    .board { display: grid; gap: 0.75rem; grid-template-columns: 1fr; }
    @media (min-width: 900px) { .board { grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); align-items: start; } }
    section { background: #eef1f4; border-radius: 8px; padding: 0.5rem; }
    section h2 { margin: 0.25rem 0.25rem 0.5rem; font-size: 1.05rem; display: flex; justify-content: space-between; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
    .new { margin-inline-start: auto; }
  `,
  ];

  private set(k: Filter, v: string): void {
    this._f = { ...this._f, [k]: v };
    setQuery({ [k]: v });
  }

  private select(k: Filter, label: string, options: Array<{ id: string; name: string }>, all = t('filter.all')) {
    return html`<label>${label}
      <select name=${k} @change=${(e: Event) => this.set(k, (e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${!this._f[k]}>${all}</option>
        ${options.map((o) => html`<option value=${o.id} ?selected=${this._f[k] === o.id}>${o.name}</option>`)}
      </select>
    </label>`;
  }

  private board(orders: WorkOrderSummaryT[]) {
    const overdue = orders.filter((o) => o.sla.overdue).length;
    const steps = STEPS.filter((s) => this._f.state === 'all' || (s !== 'closed' && s !== 'evaluated'));
    return html`<p role="status">${t('wo.count', { n: num(orders.length), overdue: num(overdue) })}</p>
      ${orders.length === 0 ? html`<p class="status">${t('wo.empty')}</p>` : ''}
      <div class="board">
        ${steps.map((s) => {
          const group = orders.filter((o) => o.step === s);
          return html`<section aria-labelledby=${`h-${s}`} data-step=${s}>
            <h2 id=${`h-${s}`}><span>${tCode('wostep', s)}</span><span>${num(group.length)}</span></h2>
            <ul>${group.map((o) => html`<li><work-order-card .order=${o}></work-order-card></li>`)}</ul>
          </section>`;
        })}
      </div>`;
  }

  render() {
    const lists = this.lists.value;
    return html`<div class="row"><h1>${t('wo.board')}</h1><a class="button primary new" href="/work-orders/new">${t('wo.new')}</a></div>
      <div class="row filters">
        ${this.select('unit', t('wo.unit'), lists?.units ?? [])}
        ${this.select('team', t('wo.team'), lists?.teams ?? [])}
        ${this.select('district', t('wo.district'), config().districts)}
        ${this.select(
          'kind',
          t('wo.kind'),
          WORK_ORDER_KINDS.map((k) => ({ id: k, name: tCode('wokind', k) })),
        )}
        ${this.select('state', t('wo.show'), [{ id: 'all', name: t('wo.show_all') }], t('wo.show_open'))}
      </div>
      ${renderTask(this.task, (orders) => this.board(orders))}`;
  }
}
customElements.define('work-orders-page', WorkOrdersPage);

declare global {
  interface HTMLElementTagNameMap {
    'work-orders-page': WorkOrdersPage;
  }
}
