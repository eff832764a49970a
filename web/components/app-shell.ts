import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { getLocale, LOCALES, setLocale, t, tCode, type Locale } from '../i18n/catalogue.ts';
import { appState } from '../lib/app-state.ts';
import { canSee, SCREENS } from '../lib/screens.ts';
import { match, type Match } from '../lib/router.ts';
import { interceptLinks, onRouteChange } from '../lib/url.ts';
import { getToken, setToken } from '../lib/session.ts';
import { fetchConfig, fetchMe } from '../data/dashboard.ts';
import { UNAUTHORIZED_EVENT } from '../data/api.ts';
import { errorMessage } from '../lib/task-view.ts';
import { shared } from '../styles/shared.ts';
import type { MessageKey } from '../i18n/en.ts';
import './login-form.ts';

type Phase = 'starting' | 'login' | 'ready' | 'public';

const NAV = SCREENS.flatMap((s) => (s.nav ? [{ screen: s.screen, ...s.nav }] : []));

/** The app: sign-in with an API token, navigation by role, language switch, the routed page. */
export class AppShell extends LocalizedElement {
  static properties = {
    _phase: { state: true },
    _route: { state: true },
    _page: { state: true },
    _error: { state: true },
  };
  declare _phase: Phase;
  declare _route: Match;
  declare _page: HTMLElement | null;
  declare _error: string;
  private pageLoad = 0;

  constructor() {
    super();
    this._phase = 'starting';
    this._route = match(location.pathname);
    this._page = null;
    this._error = '';
  }

  connectedCallback(): void {
    super.connectedCallback();
    // A public screen (the lobby wall) is drawn alone: no sign-in, no header.
    const pub = SCREENS.find((s) => s.public && s.pattern.test(location.pathname));
    if (pub) {
      void pub.load().then(() => (this._page = document.createElement(pub.tag)));
      this._phase = 'public';
      return;
    }
    interceptLinks(this);
    onRouteChange(() => this.route());
    window.addEventListener(UNAUTHORIZED_EVENT, () => this.signOut());
    void this.start(getToken());
  }

  private async start(token: string | null): Promise<void> {
    if (!token) {
      this._phase = 'login';
      return;
    }
    // Fetch the screen's code while who-am-I and the configuration are asked for, not after.
    void match(location.pathname)
      .load()
      .catch(() => undefined);
    try {
      const [me, config] = await Promise.all([fetchMe(token), fetchConfig(undefined, token)]);
      appState.me = me;
      appState.config = config;
      setToken(token);
      this._phase = 'ready';
      this.route();
    } catch (e) {
      this._error = errorMessage(e);
      this._phase = 'login';
      setToken(null);
    }
  }

  private signOut(): void {
    setToken(null);
    appState.me = null;
    this._page = null;
    this._phase = 'login';
  }

  private async route(): Promise<void> {
    const m = match(location.pathname);
    this._route = m;
    if (this._phase !== 'ready') return;
    const ticket = ++this.pageLoad;
    const nav = NAV.find((n) => n.screen === m.screen);
    document.title = `${nav ? t(nav.label) : t('app.title')} · ${t('app.title')}`;
    if (m.screen !== 'none' && !canSee(m.screen)) {
      this._page = null;
      return;
    }
    try {
      await m.load();
    } catch (e) {
      this._error = errorMessage(e);
    }
    if (ticket !== this.pageLoad) return;
    const el = document.createElement(m.tag) as HTMLElement & { params?: Record<string, string> };
    el.params = m.params;
    this._page = el;
    window.scrollTo(0, 0);
  }

  static styles = [
    shared,
    css`
      :host { min-height: 100vh; }
      .skip { position: absolute; left: -999px; top: 0.25rem; z-index: 10; }
      .skip:focus { left: 0.5rem; }
      header { background: #0a2f57; color: #fff; }
      .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 1rem; max-width: 2400px; margin: 0 auto; padding: 0.25rem 1rem; }
      .brand { font-weight: 700; font-size: 1.05rem; margin-inline-end: auto; min-height: 44px; display: flex; align-items: center; color: #fff; text-decoration: none; }
      nav ul { display: flex; flex-wrap: wrap; list-style: none; margin: 0; padding: 0; gap: 0.15rem; }
      nav a { display: flex; align-items: center; min-height: 44px; padding: 0 0.75rem; white-space: nowrap; color: #fff; text-decoration: none; border-radius: 6px; font-weight: 600; }
      nav a:hover { background: #174a7e; }
      nav a[aria-current='page'] { background: #fff; color: #0a2f57; }
      .tools { display: flex; gap: 0.4rem; align-items: center; }
      .tools button { border-color: #fff; color: #fff; background: transparent; }
      .tools button.quiet { border-color: transparent; text-decoration: underline; }
      main { max-width: 2400px; margin: 0 auto; padding: 1rem; }
      @media (max-width: 520px) {
        .bar { padding: 0.25rem 0.5rem; gap: 0.25rem; }
        .brand { font-size: 0.95rem; }
        .tools button { padding: 0.3rem 0.5rem; }
        nav { order: 3; width: 100%; overflow-x: auto; }
        nav ul { flex-wrap: nowrap; }
        main { padding: 0.75rem 0.5rem; }
      }
      @media print { header, .skip { display: none; } main { padding: 0; max-width: none; } }
    `,
  ];

  /** One button naming the other language, in that language: the way back is always readable. */
  private langButton() {
    const names: Record<Locale, MessageKey> = { 'zh-CN': 'lang.zh', en: 'lang.en' };
    const other = LOCALES.find((l) => l !== getLocale())!;
    return html`<div class="tools"><button type="button" lang=${other} title=${t('lang.label')} @click=${() => setLocale(other)}>${t(names[other])}</button></div>`;
  }

  render() {
    if (this._phase === 'public') return this._page ?? nothing;
    const role = appState.me?.role;
    return html`
      <header>
        <button type="button" class="skip" @click=${() => this.renderRoot.querySelector<HTMLElement>('main')?.focus()}>${t('app.skip')}</button>
        <div class="bar">
          <a class="brand" href="/">${appState.config?.city_name ? `${appState.config.city_name} · ` : ''}${t('app.title')}</a>
          ${
            this._phase === 'ready'
              ? html`<nav aria-label=${t('nav.label')}>
                <ul>
                  ${NAV.filter((n) => canSee(n.screen, role)).map(
                    (n) =>
                      html`<li><a href=${n.href} aria-current=${this._route.screen === n.screen ? 'page' : 'false'}>${t(n.label)}</a></li>`,
                  )}
                  ${canSee('api', role) ? html`<li><a href="/api/docs">${t('nav.api')}</a></li>` : nothing}
                </ul>
              </nav>`
              : nothing
          }
          ${this.langButton()}
          ${this._phase === 'ready' ? html`<div class="tools"><button type="button" class="quiet" @click=${() => this.signOut()}>${t('app.sign_out')}</button></div>` : nothing}
        </div>
      </header>
      <main id="main" tabindex="-1">${this.body()}</main>
    `;
  }

  private body() {
    switch (this._phase) {
      case 'public':
        return nothing;
      case 'starting':
        return html`<p class="status" role="status">${t('state.loading')}</p>`;
      case 'login':
        return html`<login-form .error=${this._error} @token=${(e: CustomEvent<string>) => {
          this._error = '';
          this._phase = 'starting';
          void this.start(e.detail);
        }}></login-form>`;
      case 'ready':
        if (this._route.screen !== 'none' && !canSee(this._route.screen)) {
          return html`<p class="status error" role="alert">${t('error.role', { role: tCode('role', appState.me!.role) })}</p>`;
        }
        return this._page ?? html`<p class="status" role="status">${t('state.loading')}</p>`;
    }
  }
}
customElements.define('app-shell', AppShell);

declare global {
  interface HTMLElementTagNameMap {
    'app-shell': AppShell;
  }
}
