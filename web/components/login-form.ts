import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { shared } from '../styles/shared.ts';

/** Asks once for an API token; the shell checks it and keeps it for the session. */
export class LoginForm extends LocalizedElement {
  static properties = { error: { type: String } };
  declare error: string;

  static styles = [
    shared,
    css`
      form { max-width: 32rem; margin: 2rem auto; display: grid; gap: 1rem; }
      label { font-size: 1rem; }
      input { width: 100%; }
    `,
  ];

  private submit(e: Event): void {
    e.preventDefault();
    const input = this.renderRoot.querySelector('input');
    const token = input?.value.trim() ?? '';
    if (token) this.dispatchEvent(new CustomEvent('token', { detail: token }));
  }

  render() {
    return html`<form class="card" @submit=${this.submit}>
      <h1>${t('login.title')}</h1>
      <p class="muted">${t('login.help')}</p>
      <label>${t('login.token')}<input name="token" type="password" autocomplete="off" required /></label>
      ${this.error ? html`<p class="status error" role="alert">${this.error}</p>` : nothing}
      <button class="primary" type="submit">${t('login.submit')}</button>
    </form>`;
  }
}
customElements.define('login-form', LoginForm);

declare global {
  interface HTMLElementTagNameMap {
    'login-form': LoginForm;
  }
}
