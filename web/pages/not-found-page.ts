import { html } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { shared } from '../styles/shared.ts';

export class NotFoundPage extends LocalizedElement {
  static styles = shared;
  render() {
    return html`<h1>${t('notfound.title')}</h1><p>${t('notfound.body', { path: location.pathname })}</p><p><a class="cell-link" href="/">${t('nav.overview')}</a></p>`;
  }
}
customElements.define('not-found-page', NotFoundPage);

declare global {
  interface HTMLElementTagNameMap {
    'not-found-page': NotFoundPage;
  }
}
