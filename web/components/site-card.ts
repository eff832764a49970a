import { css, html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t, tCode } from '../i18n/catalogue.ts';
import { fetchAlerts, fetchCard } from '../data/alerts.ts';
import { dateTime } from '../lib/format.ts';
import { itemName } from '../lib/items.ts';
import { shared } from '../styles/shared.ts';
import { GRADE_COLOURS } from './health-badge.ts';
import { alertText } from '../lib/alert-words.ts';
import type { MessageKey } from '../i18n/en.ts';

/**
 * A site's four-colour card (一卡四色): its colour from the ladder of repetition, the reasons
 * and the history behind it, and the site's open alerts. The current-severity badge stays next
 * to it on the page, so a site in trouble now never hides behind a clean card.
 */
export class SiteCard extends LocalizedElement {
  static properties = { site: { type: String }, history: { type: Boolean } };
  declare site: string;
  declare history: boolean;
  private readonly task = new Task(this, {
    task: async ([site], { signal }) => {
      const [card, alerts] = await Promise.all([fetchCard(site, signal), fetchAlerts({ site, state: 'open' }, signal)]);
      return { card, alerts: alerts.alerts };
    },
    args: () => [this.site] as const,
  });

  constructor() {
    super();
    this.site = '';
    this.history = false;
  }

  static styles = [
    shared,
    css`
    .chip { display: inline-block; padding: 0.3rem 0.7rem; border-radius: 6px; font-weight: 700; border: 1px solid #111; }
    ul { margin: 0.4rem 0; padding-inline-start: 1.2rem; }
    li { margin: 0.2rem 0; }
    details { margin-top: 0.4rem; }
    h2.sub { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
    summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; font-weight: 600; }
  `,
  ];

  render() {
    return this.task.render({
      pending: () => html`<p class="muted">${t('state.loading')}</p>`,
      error: () => nothing,
      complete: ({ card, alerts }) => {
        const colour = card?.colour ?? 'blue';
        const c = GRADE_COLOURS[colour];
        return html`<section class="card" aria-label=${t('card.title')}>
          <div class="row">
            <span class="chip" style="background:${c.bg};color:${c.fg}">${t(`card.${colour}` as MessageKey)}</span>
            ${card?.since ? html`<span class="muted">${t('card.since', { when: dateTime(card.since) })}</span>` : nothing}
          </div>
          ${
            card?.reasons.length
              ? html`<ul>${card.reasons.map((r) => html`<li>${t('card.reason', { kind: tCode('alertkind', r.kind), recent: r.recent, open: r.open, overdue: r.overdue })}</li>`)}</ul>`
              : nothing
          }
          ${
            alerts.length
              ? html`<h2 class="sub">${t('alerts.on_site')}</h2><ul>${alerts.map(
                  (a) =>
                    html`<li><strong>${tCode('alertkind', a.kind)}</strong>${a.item ? ` · ${itemName(a.item)}` : ''} — ${alertText(a)} <span class="muted">(${dateTime(a.opened_at)})</span></li>`,
                )}</ul>`
              : nothing
          }
          ${
            this.history && card?.history.length
              ? html`<details><summary>${t('card.history')}</summary><ul>${[...card.history]
                  .reverse()
                  .map(
                    (h) =>
                      html`<li>${dateTime(h.at)} · ${tCode('alertkind', h.kind)} → ${t(`card.${h.colour}` as MessageKey)} (${tCode('cardstep', h.reason)})</li>`,
                  )}</ul></details>`
              : nothing
          }
        </section>`;
      },
    });
  }
}
customElements.define('site-card', SiteCard);

declare global {
  interface HTMLElementTagNameMap {
    'site-card': SiteCard;
  }
}
