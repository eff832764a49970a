import { css, html } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { tCode } from '../i18n/catalogue.ts';
import type { GradeT } from '../../worker/schemas/dashboard.ts';

/** Four-colour grade as colour plus a word (never colour alone), with its reasons as a tooltip. */
export const GRADE_COLOURS: Record<GradeT, { bg: string; fg: string }> = {
  blue: { bg: '#1456b8', fg: '#fff' },
  yellow: { bg: '#f5c400', fg: '#111' },
  orange: { bg: '#b84f00', fg: '#fff' },
  red: { bg: '#b3121b', fg: '#fff' },
};

export class HealthBadge extends LocalizedElement {
  static properties = { grade: { type: String }, reasons: { attribute: false } };
  declare grade: GradeT;
  declare reasons: string[];

  constructor() {
    super();
    this.grade = 'blue';
    this.reasons = [];
  }

  static styles = css`
    :host { display: inline-block; position: relative; }
    span { display: inline-block; padding: 0.15rem 0.55rem; border-radius: 999px; font-weight: 700; font-size: 0.85rem; white-space: nowrap; border: 1px solid #111; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); border: 0; padding: 0; }
  `;

  render() {
    const c = GRADE_COLOURS[this.grade];
    const why = this.reasons.map((r) => tCode('reason', r)).join('、');
    return html`<span style="background:${c.bg};color:${c.fg}" title=${why}>${tCode('grade', this.grade)}${why ? html`<span class="sr">: ${why}</span>` : ''}</span>`;
  }
}
customElements.define('health-badge', HealthBadge);

declare global {
  interface HTMLElementTagNameMap {
    'health-badge': HealthBadge;
  }
}
