import { css, html } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { fetchOrders } from '../data/work-orders.ts';
import { polledTask } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { shared } from '../styles/shared.ts';
import '../components/work-order-card.ts';

/** Staff on the move: the open orders assigned to them or their team, overdue first, one per row. */
export class MyOrdersPage extends LocalizedElement {
  private readonly task = polledTask(this, (signal) => fetchOrders({ state: 'open', mine: true }, signal));

  static styles = [
    shared,
    css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.6rem; max-width: 40rem; }
  `,
  ];

  render() {
    return html`<h1>${t('wo.mine')}</h1>
      ${renderTask(this.task, (orders) =>
        orders.length
          ? html`<ul>${orders.map((o) => html`<li><work-order-card .order=${o}></work-order-card></li>`)}</ul>`
          : html`<p class="status">${t('wo.mine_empty')}</p>`,
      )}`;
  }
}
customElements.define('my-orders-page', MyOrdersPage);

declare global {
  interface HTMLElementTagNameMap {
    'my-orders-page': MyOrdersPage;
  }
}
