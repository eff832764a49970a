import { css, html } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { num } from '../lib/format.ts';

/** Stock on hand against par level, with the reorder point marked; the numbers are in the text. */
export class StockBar extends LocalizedElement {
  static properties = { onHand: { type: Number }, par: { type: Number }, reorder: { type: Number } };
  declare onHand: number | null;
  declare par: number | null;
  declare reorder: number | null;

  constructor() {
    super();
    this.onHand = null;
    this.par = null;
    this.reorder = null;
  }

  static styles = css`
    :host { display: block; min-width: 8rem; }
    .track { position: relative; height: 12px; background: #e1e4e8; border-radius: 6px; border: 1px solid #5b6472; overflow: visible; }
    .fill { height: 100%; border-radius: 6px 0 0 6px; }
    .mark { position: absolute; top: -4px; bottom: -4px; width: 3px; background: #111; }
  `;

  render() {
    const top = Math.max(this.par ?? 0, this.onHand ?? 0, 1);
    const w = Math.min(100, (100 * (this.onHand ?? 0)) / top);
    const low = this.onHand !== null && this.reorder !== null && this.onHand <= this.reorder;
    const colour = this.onHand === 0 ? '#b3121b' : low ? '#b84f00' : '#0b6b2f';
    return html`<div class="track" role="img" aria-label=${t('stock.bar', { n: num(this.onHand), par: num(this.par), rp: num(this.reorder) })}>
      <div class="fill" style="width:${w}%;background:${colour}"></div>
      ${this.reorder !== null ? html`<div class="mark" style="left:calc(${Math.min(100, (100 * this.reorder) / top)}% - 1px)"></div>` : ''}
    </div>`;
  }
}
customElements.define('stock-bar', StockBar);

declare global {
  interface HTMLElementTagNameMap {
    'stock-bar': StockBar;
  }
}
