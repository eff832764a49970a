import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import type { MessageKey } from '../i18n/en.ts';
import { cardLabel, nowReasons } from '../lib/card-words.ts';
import { GRADE_COLOURS } from './health-badge.ts';
import type { CardColourT } from '../../worker/schemas/dashboard.ts';

/**
 * A site's four-colour card (一卡四色) as the lists, the map and the overview show it: the colour
 * with its name (never colour alone), "urgent now" when the current severity is red or an alert is
 * past its deadline, and the current-severity reasons in words — so nothing urgent hides behind a
 * blue or yellow card (docs/alerts.md).
 */
export class CardBadge extends LocalizedElement {
  static properties = { colour: { type: String }, urgent: { type: Boolean }, reasons: { attribute: false } };
  declare colour: CardColourT;
  declare urgent: boolean;
  /** The current-severity reasons (health reason codes). */
  declare reasons: string[];

  constructor() {
    super();
    this.colour = 'blue';
    this.urgent = false;
    this.reasons = [];
  }

  static styles = css`
    :host { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 0.4rem; }
    .chip { display: inline-block; padding: 0.15rem 0.55rem; border-radius: 4px; font-weight: 700; font-size: 0.85rem; white-space: nowrap; border: 1px solid #111; }
    .urgent { display: inline-block; padding: 0.1rem 0.45rem; border-radius: 4px; font-weight: 700; font-size: 0.85rem; white-space: nowrap; color: #b3121b; background: #fff; border: 2px solid #b3121b; }
    .now { font-size: 0.85rem; color: #3d4450; }
  `;

  render() {
    const c = GRADE_COLOURS[this.colour];
    const why = nowReasons(this.reasons);
    return html`<span class="chip" data-card=${this.colour} style="background:${c.bg};color:${c.fg}" title=${t(`card.${this.colour}` as MessageKey)}
        >${cardLabel(this.colour)}</span
      >${this.urgent ? html`<span class="urgent" data-urgent>⚠ ${t('card.urgent')}</span>` : nothing}${why ? html`<span class="now">${why}</span>` : nothing}`;
  }
}
customElements.define('card-badge', CardBadge);

declare global {
  interface HTMLElementTagNameMap {
    'card-badge': CardBadge;
  }
}
