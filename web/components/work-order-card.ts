import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t, tCode } from '../i18n/catalogue.ts';
import { dateTime, time } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';
import type { WorkOrderSummaryT } from '../../worker/schemas/work-orders.ts';

/**
 * One work order as a card the size of a thumb: a link to its page, the site, what and who, and
 * its 双十 state in colour and words (overdue red, met green), so it reads in sunlight and without
 * colour vision.
 */
export class WorkOrderCard extends LocalizedElement {
  static properties = { order: { attribute: false } };
  declare order: WorkOrderSummaryT;

  static styles = [
    shared,
    css`
    a { display: block; min-height: 64px; padding: 0.7rem 0.9rem; border: 2px solid #5b6472; border-left-width: 8px; border-radius: 8px; background: #fff; color: #111; text-decoration: none; }
    a:hover { background: #f4f6f8; }
    a.overdue { border-color: #b3121b; background: #fff5f5; }
    a.met { border-left-color: #0b6b2f; }
    .top { display: flex; justify-content: space-between; gap: 0.5rem; align-items: baseline; }
    .site { font-weight: 700; font-size: 1.05rem; }
    .badge { font-weight: 700; font-size: 0.85rem; padding: 0.1rem 0.5rem; border-radius: 4px; white-space: nowrap; }
    .badge.overdue { background: #b3121b; color: #fff; }
    .badge.met { background: #0b6b2f; color: #fff; }
    .meta { color: #3d4450; font-size: 0.9rem; margin-top: 0.25rem; }
  `,
  ];

  render() {
    const o = this.order;
    const state = o.sla.overdue ? 'overdue' : o.sla.met === true ? 'met' : '';
    return html`<a class=${state} href=${`/work-orders/${encodeURIComponent(o.id)}`} data-id=${o.id} data-step=${o.step}>
      <div class="top">
        <span class="site">${o.site_name ?? o.site}</span>
        ${
          o.sla.overdue
            ? html`<span class="badge overdue">${t('wo.overdue')}</span>`
            : o.sla.met === true
              ? html`<span class="badge met">${t('wo.sla_met')}</span>`
              : o.sla.met === false
                ? html`<span class="badge overdue">${t('wo.sla_missed')}</span>`
                : nothing
        }
      </div>
      <div class="meta">${tCode('wokind', o.kind)}${o.item ? ` · ${o.item}` : ''} · ${tCode('wostep', o.step)}</div>
      <div class="meta">${o.assignee ? `${t('wo.assignee')}: ${o.assignee.name ?? o.assignee.id}` : t('wo.unassigned')}</div>
      <div class="meta">${o.sla.due_at ? t('wo.due', { time: time(o.sla.due_at).slice(0, 5) }) : t('wo.opened', { time: dateTime(o.created_at) })}</div>
    </a>`;
  }
}
customElements.define('work-order-card', WorkOrderCard);

declare global {
  interface HTMLElementTagNameMap {
    'work-order-card': WorkOrderCard;
  }
}
