import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { age, clock, itemLabel, whole } from '../lib/public-format.ts';
import type { NearbyResultT, PlacesT } from '../data/public.ts';

/** One site found: walking minutes in big type, what it has, until when it is open, how fresh. */
export class NearbyCard extends LocalizedElement {
  static properties = {
    result: { attribute: false },
    rank: { type: Number },
    selected: { type: Boolean, reflect: true },
    places: { attribute: false },
    /** seconds the answer itself is old (offline): added to each site's data age */
    extraAge: { type: Number },
  };
  declare result: NearbyResultT;
  declare rank: number;
  declare selected: boolean;
  declare places: PlacesT | null;
  declare extraAge: number;

  constructor() {
    super();
    this.rank = 1;
    this.selected = false;
    this.places = null;
    this.extraAge = 0;
  }

  static styles = css`
    :host { display: block; }
    article { background: #fff; border: 2px solid #111; border-radius: 10px; padding: 0.75rem 0.9rem; display: grid; gap: 0.35rem; }
    :host([selected]) article { border-color: #b3121b; box-shadow: 0 0 0 3px #b3121b; }
    .top { display: flex; gap: 0.6rem; align-items: baseline; }
    .rank { flex: none; width: 2rem; height: 2rem; border-radius: 50%; background: #0a4a8c; color: #fff; font-weight: 800; display: grid; place-items: center; }
    :host([selected]) .rank { background: #b3121b; }
    h3 { margin: 0; font-size: 1.15rem; line-height: 1.3; overflow-wrap: anywhere; }
    .walk { font-size: 2rem; font-weight: 800; line-height: 1.1; color: #111; }
    .walk small { font-size: 1rem; font-weight: 600; color: #3d4450; margin-inline-start: 0.4rem; }
    ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.35rem; }
    li { background: #e6f0fa; color: #062a50; border: 1px solid #0a4a8c; border-radius: 999px; padding: 0.15rem 0.7rem; font-weight: 700; font-size: 1.05rem; }
    .open { color: #0b5a27; font-weight: 700; }
    .age { color: #3d4450; font-size: 0.95rem; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.25rem; }
    button, a { font: inherit; font-weight: 700; min-height: 48px; min-width: 48px; padding: 0.4rem 1rem; border-radius: 8px; border: 2px solid #0a4a8c; background: #fff; color: #0a4a8c; display: inline-flex; align-items: center; text-decoration: none; cursor: pointer; }
    button.primary { background: #0a4a8c; color: #fff; }
    button:focus-visible, a:focus-visible { outline: 3px solid #111; outline-offset: 2px; box-shadow: 0 0 0 5px #ffd400; }
  `;

  private has() {
    const r = this.result;
    if (r.kind === 'bench') {
      const free = r.has.charging_ports;
      return html`<ul>
        <li>${free === undefined ? t('nearby.ports_unknown') : t('nearby.ports_free', { n: whole(free) })}</li>
        ${r.battery_soc !== undefined ? html`<li>${t('nearby.battery', { pct: `${whole(r.battery_soc)}%` })}</li>` : nothing}
      </ul>`;
    }
    const entries = Object.entries(r.has);
    if (!entries.length) return html`<p class="age">${t('nearby.has_nothing')}</p>`;
    return html`<ul>
      ${entries.map(([code, qty]) => html`<li>${itemLabel(code, this.places?.item_names)} ${whole(qty)}</li>`)}
    </ul>`;
  }

  render() {
    const r = this.result;
    const tz = this.places?.tz ?? 'Asia/Shanghai';
    return html`<article aria-label=${r.name}>
      <div class="top"><span class="rank" aria-hidden="true">${this.rank}</span><h3>${r.name}</h3></div>
      <div class="walk">${t('nearby.walk_min', { min: whole(Math.max(1, Math.ceil(r.walk_min))) })}<small>${t('nearby.walk_m', { m: whole(r.walk_m) })}</small></div>
      ${this.has()}
      <div class="open">${r.open_until ? t('nearby.open_until', { time: clock(r.open_until, tz) }) : t('nearby.open_24h')}</div>
      <div class="age">${t('nearby.data_age', { age: age(r.data_age_s + this.extraAge) })}</div>
      <div class="actions">
        <button type="button" class=${this.selected ? 'primary' : ''} aria-pressed=${this.selected ? 'true' : 'false'} @click=${() => this.dispatchEvent(new CustomEvent('select', { bubbles: true, composed: true }))}>
          ${this.selected ? t('nearby.route_shown') : t('nearby.route')}
        </button>
        ${r.kind === 'station' ? html`<a href="/s/${encodeURIComponent(r.id)}">${t('nearby.station_page')}</a>` : nothing}
      </div>
    </article>`;
  }
}
customElements.define('nearby-card', NearbyCard);

declare global {
  interface HTMLElementTagNameMap {
    'nearby-card': NearbyCard;
  }
}
