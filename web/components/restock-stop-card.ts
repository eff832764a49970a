import { css, html } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { num, time } from '../lib/format.ts';
import { itemName } from '../lib/items.ts';
import { shared } from '../styles/shared.ts';
import type { StopState } from '../lib/restock-run-store.ts';
import type { RestockPlanT } from '../../worker/schemas/restocks.ts';

type Stop = RestockPlanT['stops'][number];

export const distance = (m: number) => (m >= 1000 ? `${num(m / 1000, 1)} km` : `${num(m)} m`);

/**
 * One stop of the run: where, what to bring, and "restocked" in two taps (tap, then confirm).
 * It only asks; the page sends, keeps the state and retries.
 */
export class RestockStopCard extends LocalizedElement {
  static properties = {
    stop: { attribute: false },
    state: { attribute: false },
    sending: { type: Boolean },
    n: { type: Number },
    _confirming: { state: true },
  };
  declare stop: Stop;
  declare state: StopState;
  declare n: number;
  /** a request for this stop is in flight */
  declare sending: boolean;
  declare _confirming: boolean;

  constructor() {
    super();
    this._confirming = false;
    this.sending = false;
  }

  static styles = [
    shared,
    css`
    :host { display: block; }
    .card { display: grid; gap: 0.6rem; }
    .card.done { border: 2px solid #0b6b2f; background: #f2fbf4; }
    .card.failed { border: 2px solid #b3121b; }
    h3 { margin: 0; font-size: 1.15rem; }
    .n { display: inline-flex; align-items: center; justify-content: center; min-width: 2rem; height: 2rem; border-radius: 50%; background: #0a4a8c; color: #fff; margin-inline-end: 0.5rem; font-weight: 700; }
    ul { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 0.4rem; }
    li { background: #eef1f4; border-radius: 6px; padding: 0.35rem 0.6rem; font-weight: 600; font-size: 1.05rem; }
    .big { min-height: 56px; font-size: 1.15rem; font-weight: 700; flex: 1 1 10rem; }
    .ok { background: #0b6b2f; border-color: #0b6b2f; color: #fff; }
    .status { padding: 0.5rem 0.75rem; }
    .sent { color: #0b6b2f; font-weight: 700; }
  `,
  ];

  private ask(): void {
    this._confirming = true;
  }

  private confirm(): void {
    this._confirming = false;
    this.dispatchEvent(new CustomEvent('restocked', { detail: { station: this.stop.station }, bubbles: true, composed: true }));
  }

  private retry(): void {
    this.dispatchEvent(new CustomEvent('retry', { detail: { station: this.stop.station }, bubbles: true, composed: true }));
  }

  private status() {
    const s = this.state;
    if (s.status === 'sent') return html`<p class="sent" role="status">✓ ${t('restock.sent', { time: s.at ? time(s.at) : '' })}</p>`;
    if (this.sending) return html`<p class="status" role="status">${t('restock.sending')}</p>`;
    if (s.status === 'pending')
      return html`<p class="status" role="status">${t('restock.pending')}</p>
        <div class="row"><button type="button" class="big" @click=${this.retry}>${t('restock.retry')}</button></div>`;
    if (s.status === 'failed')
      return html`<p class="status error" role="alert">${t('restock.failed', { detail: s.detail ?? '' })}</p>
        <div class="row"><button type="button" class="big" @click=${this.retry}>${t('restock.retry')}</button></div>`;
    if (this._confirming)
      return html`<div class="row">
        <button type="button" class="big ok" @click=${this.confirm}>${t('restock.confirm')}</button>
        <button type="button" class="big" @click=${() => (this._confirming = false)}>${t('restock.cancel')}</button>
      </div>`;
    return html`<div class="row"><button type="button" class="big primary" @click=${this.ask}>${t('restock.restocked')}</button></div>`;
  }

  render() {
    const s = this.stop;
    const geo = `geo:${s.lat},${s.lon}?q=${s.lat},${s.lon}(${encodeURIComponent(s.name)})`;
    const cls = this.state.status === 'sent' ? 'done' : this.state.status === 'failed' ? 'failed' : '';
    return html`<article class="card ${cls}" aria-label=${t('restock.stop', { n: this.n })}>
      <h3><span class="n" aria-hidden="true">${this.n}</span>${s.name}</h3>
      <p class="muted" style="margin:0">${t('restock.leg', { m: distance(s.leg_m), min: num(s.arrive_min) })}</p>
      <div>
        <span class="visually-hidden">${t('restock.bring')}</span>
        <ul>${Object.entries(s.bring).map(([k, q]) => html`<li>${itemName(k)} × ${num(q)}</li>`)}</ul>
      </div>
      <div class="row">
        <a class="button" href=${geo}>${t('restock.open_map')}</a>
        <a class="button" href="/stations/${encodeURIComponent(s.station)}">${t('restock.station_page')}</a>
      </div>
      ${this.status()}
    </article>`;
  }
}
customElements.define('restock-stop-card', RestockStopCard);

declare global {
  interface HTMLElementTagNameMap {
    'restock-stop-card': RestockStopCard;
  }
}
