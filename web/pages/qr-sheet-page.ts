import { css, html } from 'lit';
import { Task } from '@lit/task';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import { renderSVG } from 'uqr';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { renderTask } from '../lib/task-view.ts';
import { fetchStations } from '../data/dashboard.ts';
import { shared } from '../styles/shared.ts';

/**
 * A printable sheet of every station's QR code (uqr renders each as SVG, crisp at any print size),
 * each opening that station's public page /s/{id} on this server. Admin only.
 */
export class QrSheetPage extends LocalizedElement {
  private readonly stations = new Task(this, {
    task: async ([], { signal }) => (await fetchStations(signal)).stations,
    args: () => [] as const,
  });

  static styles = [
    shared,
    css`
      .sheet { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); }
      figure { margin: 0; background: #fff; border: 1px dashed #5b6472; padding: 0.6rem; text-align: center; break-inside: avoid; }
      figure svg { width: 100%; height: auto; display: block; }
      figcaption { font-weight: 700; margin-top: 0.3rem; overflow-wrap: anywhere; }
      figcaption small { display: block; font-weight: 400; color: #3d4450; }
      @media print { .sheet { grid-template-columns: repeat(3, 1fr); } }
    `,
  ];

  render() {
    const base = location.origin;
    return html`<h1>${t('qr.title')}</h1>
      <p class="no-print">${t('qr.intro')}</p>
      <p class="no-print"><button type="button" class="primary" @click=${() => window.print()}>${t('qr.print')}</button></p>
      ${renderTask(
        this.stations,
        (list) => html`<div class="sheet">
          ${list.map((s) => {
            const url = `${base}/s/${encodeURIComponent(s.id)}`;
            return html`<figure data-url=${url}>${unsafeSVG(renderSVG(url, { ecc: 'M', border: 2 }))}<figcaption>${s.name}<small>${url}</small></figcaption></figure>`;
          })}
        </div>`,
      )}`;
  }
}
customElements.define('qr-sheet-page', QrSheetPage);

declare global {
  interface HTMLElementTagNameMap {
    'qr-sheet-page': QrSheetPage;
  }
}
