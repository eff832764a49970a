import { css, html } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { tCode } from '../i18n/catalogue.ts';
import { num } from '../lib/format.ts';
import { GRADE_COLOURS } from './health-badge.ts';
import { GRADES, type Grade } from '../../worker/domain/health.ts';

/** Counts in the four colours: a proportional bar plus the numbers in words (grades, or cards with `card`). */
export class GradeBar extends LocalizedElement {
  static properties = { counts: { attribute: false }, label: { type: String }, card: { type: Boolean } };
  declare counts: Record<Grade, number>;
  declare label: string;
  declare card: boolean;

  constructor() {
    super();
    this.counts = { blue: 0, yellow: 0, orange: 0, red: 0 };
    this.label = '';
    this.card = false;
  }

  static styles = css`
    :host { display: block; }
    .bar { display: flex; height: 14px; border-radius: 7px; overflow: hidden; background: #e1e4e8; border: 1px solid #5b6472; }
    ul { list-style: none; padding: 0; margin: 0.5rem 0 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
    li { display: flex; align-items: center; gap: 0.35rem; }
    i { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 3px; border: 1px solid #111; }
    b { font-variant-numeric: tabular-nums; font-size: 1.1rem; }
  `;

  render() {
    const total = GRADES.reduce((n, g) => n + this.counts[g], 0);
    return html`<div class="bar" aria-hidden="true">
        ${GRADES.map((g) => html`<span style="width:${total ? (100 * this.counts[g]) / total : 0}%;background:${GRADE_COLOURS[g].bg}"></span>`)}
      </div>
      <ul aria-label=${this.label}>
        ${GRADES.map((g) => html`<li><i style="background:${GRADE_COLOURS[g].bg}"></i>${this.card ? tCode('cardshort', g) : tCode('grade', g)} <b>${num(this.counts[g])}</b></li>`)}
      </ul>`;
  }
}
customElements.define('grade-bar', GradeBar);

declare global {
  interface HTMLElementTagNameMap {
    'grade-bar': GradeBar;
  }
}
