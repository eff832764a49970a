import { css, html, LitElement } from 'lit';
import { fetchPhoto } from '../data/work-orders.ts';

/**
 * A work order's photo. Photos need the API token, which an <img src> cannot send, so the image
 * is fetched with it and shown from an object URL (released when the element goes).
 */
export class WorkOrderPhoto extends LitElement {
  static properties = { url: {}, alt: {}, _src: { state: true } };
  declare url: string;
  declare alt: string;
  declare _src: string | undefined;
  private abort: AbortController | undefined;

  static styles = css`
    :host { display: block; }
    img { display: block; width: 100%; aspect-ratio: 4 / 3; object-fit: cover; border-radius: 6px; border: 1px solid #c9ced6; background: #eef1f4; }
  `;

  protected updated(changed: Map<string, unknown>): void {
    if (!changed.has('url')) return;
    this.release();
    this.abort = new AbortController();
    fetchPhoto(this.url, this.abort.signal).then(
      (blob) => (this._src = URL.createObjectURL(blob)),
      () => undefined, // a missing photo stays an empty frame with its alt text
    );
  }

  private release(): void {
    this.abort?.abort();
    if (this._src) URL.revokeObjectURL(this._src);
    this._src = undefined;
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release();
  }

  render() {
    return html`<img src=${this._src ?? 'data:,'} alt=${this.alt} />`;
  }
}
customElements.define('work-order-photo', WorkOrderPhoto);

declare global {
  interface HTMLElementTagNameMap {
    'work-order-photo': WorkOrderPhoto;
  }
}
