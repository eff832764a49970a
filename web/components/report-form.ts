import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { ApiFailure } from '../data/api.ts';
import { fetchReportState, myReports, sendReport, type ReportStateT } from '../data/public.ts';
import type { MessageKey } from '../i18n/en.ts';

const CATEGORIES = ['empty', 'broken', 'dirty', 'closed', 'other'] as const;
const MAX_PHOTO = 5 * 1024 * 1024;

/** "Report a problem" for one site: a category in one tap, optional words and photo, then a reference to follow. */
export class ReportForm extends LocalizedElement {
  static properties = {
    site: { type: String },
    _category: { state: true },
    _busy: { state: true },
    _done: { state: true },
    _error: { state: true },
    _states: { state: true },
  };
  declare site: string;
  declare _category: (typeof CATEGORIES)[number] | '';
  declare _busy: boolean;
  declare _done: string;
  declare _error: string;
  declare _states: ReportStateT[];

  constructor() {
    super();
    this.site = '';
    this._category = '';
    this._busy = false;
    this._done = '';
    this._error = '';
    this._states = [];
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.loadMine();
  }

  private async loadMine(): Promise<void> {
    const mine = myReports()
      .filter((r) => r.site === this.site)
      .slice(0, 5);
    const states = await Promise.all(mine.map((r) => fetchReportState(r.id).catch(() => null)));
    this._states = states.filter((s): s is ReportStateT => s !== null);
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    if (!this._category) return;
    const form = e.target as HTMLFormElement;
    const text = (form.querySelector('textarea') as HTMLTextAreaElement).value;
    const file = (form.querySelector('input[type=file]') as HTMLInputElement).files?.[0] ?? null;
    if (file && file.size > MAX_PHOTO) {
      this._error = t('report.photo_too_big');
      return;
    }
    this._busy = true;
    this._error = '';
    try {
      const r = await sendReport(this.site, this._category, text, file);
      this._done = t('report.sent', { id: r.id });
      if (r.photoError) this._error = t('report.photo_failed', { reason: r.photoError.message });
      form.reset();
      this._category = '';
      void this.loadMine();
    } catch (err) {
      this._error =
        err instanceof ApiFailure && err.status === 429
          ? t('report.too_many')
          : t('report.failed', { reason: err instanceof Error ? err.message : String(err) });
    } finally {
      this._busy = false;
    }
  }

  static styles = css`
    :host { display: block; }
    * { box-sizing: border-box; }
    fieldset { border: none; padding: 0; margin: 0 0 0.6rem; }
    legend { font-weight: 800; margin-bottom: 0.4rem; }
    .cats { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 9.5rem), 1fr)); gap: 0.4rem; }
    .cats button, .send { font: inherit; font-weight: 800; min-height: 52px; border-radius: 10px; border: 2px solid #111; background: #fff; color: #111; cursor: pointer; padding: 0.3rem 0.6rem; }
    .cats button[aria-pressed='true'] { background: #111; color: #ffd400; }
    .send { background: #b3121b; border-color: #b3121b; color: #fff; width: 100%; }
    .send:disabled { opacity: 0.6; }
    label { display: grid; gap: 0.25rem; font-weight: 700; margin-bottom: 0.6rem; }
    textarea, input[type='file'] { font: inherit; border: 2px solid #111; border-radius: 8px; padding: 0.5rem; min-height: 52px; width: 100%; background: #fff; color: #111; }
    .ok { padding: 0.7rem; border: 2px solid #0b5a27; background: #eefaf1; border-radius: 8px; font-weight: 700; overflow-wrap: anywhere; }
    .err { padding: 0.7rem; border: 2px solid #b3121b; background: #fff5f5; border-radius: 8px; font-weight: 700; }
    ul { padding-inline-start: 1.2rem; }
    code { overflow-wrap: anywhere; }
    button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid #111; outline-offset: 2px; box-shadow: 0 0 0 5px #ffd400; }
  `;

  render() {
    return html`
      <form @submit=${(e: Event) => void this.submit(e)}>
        <fieldset>
          <legend>${t('report.category')}</legend>
          <div class="cats">
            ${CATEGORIES.map(
              (c) =>
                html`<button type="button" aria-pressed=${this._category === c ? 'true' : 'false'} @click=${() => (this._category = c)}>${t(`report.cat.${c}` as MessageKey)}</button>`,
            )}
          </div>
        </fieldset>
        <label>${t('report.text')}<textarea maxlength="1000" rows="2"></textarea></label>
        <label>${t('report.photo')}<input type="file" accept="image/jpeg,image/png,image/webp,image/heic" capture="environment" /></label>
        <button class="send" type="submit" ?disabled=${!this._category || this._busy}>${this._busy ? t('report.sending') : t('report.send')}</button>
      </form>
      ${this._done ? html`<p class="ok" role="status">${this._done}</p>` : nothing}
      ${this._error ? html`<p class="err" role="alert">${this._error}</p>` : nothing}
      ${
        this._states.length
          ? html`<h3>${t('report.mine')}</h3>
            <ul>
              ${this._states.map((s) => html`<li>${t(`report.cat.${s.category}` as MessageKey)}: <strong>${t(`report.state.${s.state}` as MessageKey)}</strong> · <code>${s.id}</code></li>`)}
            </ul>`
          : nothing
      }
    `;
  }
}
customElements.define('report-form', ReportForm);

declare global {
  interface HTMLElementTagNameMap {
    'report-form': ReportForm;
  }
}
