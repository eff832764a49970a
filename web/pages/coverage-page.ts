import { html, LitElement } from 'lit';

// Placeholder so the router's lazy import builds; the coverage screen replaces this file.
export class CoveragePage extends LitElement {
  render() {
    return html`<h1>Coverage</h1>`;
  }
}
customElements.define('coverage-page', CoveragePage);

declare global {
  interface HTMLElementTagNameMap {
    'coverage-page': CoveragePage;
  }
}
