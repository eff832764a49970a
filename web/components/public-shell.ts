import { css, html } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { getLocale, LOCALES, setLocale, t } from '../i18n/catalogue.ts';
import { fetchPlaces } from '../data/public.ts';
import type { MessageKey } from '../i18n/en.ts';

/**
 * The public pages' frame (no sign-in): the city's name, the language switch and the page for the
 * path: /nearby, /s/{station id}, /service-map. Kept apart from the dashboard's shell so a phone on
 * a weak signal loads only this.
 */
export class PublicShell extends LocalizedElement {
  private readonly places = new Task(this, {
    task: async ([], { signal }) => fetchPlaces(signal),
    args: () => [] as const,
  });

  static styles = css`
    :host { display: block; min-height: 100vh; }
    header { background: #111; color: #fff; }
    .bar { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; max-width: 1600px; margin: 0 auto; padding: 0.25rem 0.75rem; }
    .brand { font-weight: 800; margin-inline-end: auto; color: #ffd400; text-decoration: none; min-height: 48px; display: flex; align-items: center; font-size: 1.05rem; }
    nav a, button { font: inherit; font-weight: 700; min-height: 48px; min-width: 48px; padding: 0 0.8rem; border-radius: 8px; color: #fff; background: transparent; border: 2px solid #fff; display: inline-flex; align-items: center; text-decoration: none; cursor: pointer; }
    nav { display: flex; gap: 0.4rem; }
    main { max-width: 1600px; margin: 0 auto; padding: 0.75rem; }
    a:focus-visible, button:focus-visible { outline: 3px solid #ffd400; outline-offset: 2px; }
  `;

  private page() {
    const path = location.pathname;
    const places = this.places.value ?? null;
    const s = /^\/s\/([^/]+)\/?$/.exec(path);
    if (s) {
      void import('../pages/station-qr-page.ts');
      return html`<station-qr-page .stationId=${decodeURIComponent(s[1]!)} .places=${places}></station-qr-page>`;
    }
    if (/^\/service-map\/?$/.test(path)) {
      void import('../pages/public-map-page.ts');
      return html`<public-map-page .places=${places}></public-map-page>`;
    }
    return html`<nearby-page .places=${places}></nearby-page>`;
  }

  render() {
    const names: Record<string, MessageKey> = { 'zh-CN': 'lang.zh', en: 'lang.en' };
    const other = LOCALES.find((l) => l !== getLocale())!;
    const city = this.places.value?.city_name;
    return html`
      <header>
        <div class="bar">
          <a class="brand" href="/nearby">${city ? `${city} · ` : ''}${t('nearby.title')}</a>
          <nav>
            <a href="/service-map">${t('publicmap.link')}</a>
            <button type="button" lang=${other} title=${t('lang.label')} @click=${() => setLocale(other)}>${t(names[other]!)}</button>
          </nav>
        </div>
      </header>
      <main>${this.page()}</main>
    `;
  }
}
customElements.define('public-shell', PublicShell);

declare global {
  interface HTMLElementTagNameMap {
    'public-shell': PublicShell;
  }
}
