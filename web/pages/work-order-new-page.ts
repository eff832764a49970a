import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t, tCode } from '../i18n/catalogue.ts';
import { openOrder } from '../data/work-orders.ts';
import { errorMessage } from '../lib/task-view.ts';
import { navigate } from '../lib/url.ts';
import { shared } from '../styles/shared.ts';
import { WORK_ORDER_KINDS } from '../../worker/domain/work-order-steps.ts';

/**
 * Open a work order: by hand, or in one click from an alert (`/work-orders/new?alert=<id>&site=<id>`,
 * the link an alert list gives). An alert that already has an open order leads to that order.
 */
export class WorkOrderNewPage extends LocalizedElement {
  static properties = {
    _site: { state: true },
    _kind: { state: true },
    _note: { state: true },
    _busy: { state: true },
    _err: { state: true },
  };
  declare _site: string;
  declare _kind: string;
  declare _note: string;
  declare _busy: boolean;
  declare _err: string;
  private readonly alert: string | null;

  constructor() {
    super();
    const p = new URLSearchParams(location.search);
    this.alert = p.get('alert');
    this._site = p.get('site') ?? '';
    this._kind = p.get('kind') ?? '';
    this._note = '';
    this._busy = false;
    this._err = '';
  }

  static styles = [
    shared,
    css`
    form { display: grid; gap: 0.8rem; max-width: 30rem; }
    label { width: 100%; }
    input, select, textarea { width: 100%; min-height: 48px; font: inherit; padding: 0.5rem; border: 2px solid #5b6472; border-radius: 6px; }
    button { min-height: 56px; font-size: 1.1rem; font-weight: 700; }
  `,
  ];

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    this._busy = true;
    this._err = '';
    try {
      const o = await openOrder({
        ...(this._site.trim() ? { site: this._site.trim() } : {}),
        ...(this.alert ? { alert: this.alert } : {}),
        ...(this._kind ? { kind: this._kind as (typeof WORK_ORDER_KINDS)[number] } : {}),
        ...(this._note.trim() ? { note: this._note.trim() } : {}),
      });
      navigate(`/work-orders/${encodeURIComponent(o.id)}`, { replace: true });
    } catch (err) {
      this._err = errorMessage(err);
    } finally {
      this._busy = false;
    }
  }

  render() {
    return html`<h1>${this.alert ? t('wo.new_from_alert', { alert: this.alert }) : t('wo.new')}</h1>
      ${this._err ? html`<p class="status error" role="alert">${this._err}</p>` : nothing}
      <form @submit=${(e: Event) => this.submit(e)}>
        <label>${t('wo.site')}<input name="site" .value=${this._site} ?required=${!this.alert} autocomplete="off" @input=${(e: Event) => (this._site = (e.target as HTMLInputElement).value)} /></label>
        <label>${t('wo.kind')}
          <select name="kind" @change=${(e: Event) => (this._kind = (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this._kind}>${this.alert ? t('wo.from_alert', { alert: this.alert }) : tCode('wokind', 'other')}</option>
            ${WORK_ORDER_KINDS.map((k) => html`<option value=${k} ?selected=${this._kind === k}>${tCode('wokind', k)}</option>`)}
          </select></label>
        <label>${t('wo.note')}<textarea name="note" rows="3" .value=${this._note} @input=${(e: Event) => (this._note = (e.target as HTMLTextAreaElement).value)}></textarea></label>
        <button class="primary" type="submit" ?disabled=${this._busy}>${t('wo.open_button')}</button>
      </form>`;
  }
}
customElements.define('work-order-new-page', WorkOrderNewPage);

declare global {
  interface HTMLElementTagNameMap {
    'work-order-new-page': WorkOrderNewPage;
  }
}
