import { css, html } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { num } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';
import type { WorkOrderT } from '../../worker/schemas/work-orders.ts';

/** "7 min 05 s" from seconds; em dash for none. */
export function duration(s: number | null): string {
  if (s === null) return '—';
  return t('wo.minutes', { m: num(Math.floor(s / 60)), s: String(s % 60).padStart(2, '0') });
}

/** The 双十 figures of one order: each stage against its target, and the verdict in words and colour. */
export class SlaFigures extends LocalizedElement {
  static properties = { sla: { attribute: false } };
  declare sla: WorkOrderT['sla'];

  static styles = [
    shared,
    css`
    dl { display: grid; grid-template-columns: 1fr auto; gap: 0.35rem 1rem; margin: 0; }
    dt { font-weight: 600; }
    dd { margin: 0; text-align: end; font-variant-numeric: tabular-nums; }
    .target { display: block; color: #3d4450; font-size: 0.85rem; }
    .late { color: #a3000b; font-weight: 700; }
    .verdict { font-weight: 700; padding: 0.3rem 0.6rem; border-radius: 6px; display: inline-block; margin-top: 0.5rem; }
    .verdict.met { background: #0b6b2f; color: #fff; }
    .verdict.missed { background: #b3121b; color: #fff; }
    .verdict.running { background: #eef1f4; color: #111; border: 1px solid #5b6472; }
  `,
  ];

  render() {
    const s = this.sla;
    const stage = (label: string, value: number | null, target: number) =>
      html`<dt>${label}</dt><dd class=${value !== null && value > target ? 'late' : ''}>${duration(value)}<span class="target">${t('wo.sla_target', { target: duration(target) })}</span></dd>`;
    const verdict =
      s.met === true
        ? ['met', 'wo.sla_met']
        : s.met === false
          ? ['missed', s.overdue ? 'wo.overdue' : 'wo.sla_missed']
          : s.dispatches
            ? ['running', 'wo.sla_running']
            : ['running', 'wo.sla_not_started'];
    return html`<dl>
        ${stage(t('wo.sla_arrival'), s.dispatch_to_arrival_s, s.target_dispatch_to_arrival_s)}
        ${stage(t('wo.sla_handling'), s.arrival_to_handled_s, s.target_arrival_to_handled_s)}
        <dt>${t('wo.sla_close')}</dt><dd>${duration(s.to_close_s)}</dd>
      </dl>
      <span class=${`verdict ${verdict[0]}`} data-met=${String(s.met)}>${t(verdict[1] as 'wo.sla_met')}</span>
      ${s.dispatches > 1 ? html`<p class="muted">${t('wo.sla_dispatches', { n: num(s.dispatches) })}</p>` : ''}`;
  }
}
customElements.define('sla-figures', SlaFigures);

declare global {
  interface HTMLElementTagNameMap {
    'sla-figures': SlaFigures;
  }
}
