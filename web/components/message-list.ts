import { css, html } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { fetchMessages } from '../data/dashboard.ts';
import { renderTask } from '../lib/task-view.ts';
import { dateTime } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

/** A message's fields as `name: value` pairs, nested objects (stock levels) flattened one level. */
function describe(body: Record<string, unknown>): string {
  return Object.entries(body)
    .map(([k, v]) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.entries(v as Record<string, unknown>)
            .map(([k2, v2]) => `${k2}: ${JSON.stringify(v2)}`)
            .join(', ')
        : `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? v : JSON.stringify(v)}`,
    )
    .join(' · ');
}

/** The newest messages one device sent, as received (type, time, body). */
export class MessageList extends LocalizedElement {
  static properties = { device: { type: String }, limit: { type: Number } };
  declare device: string;
  declare limit: number;
  private readonly task = new Task(this, {
    task: ([device, limit], { signal }) => fetchMessages(device, limit, signal),
    args: () => [this.device, this.limit] as const,
  });

  constructor() {
    super();
    this.device = '';
    this.limit = 15;
  }

  /** Re-read, for the page's poll. */
  refresh(): void {
    void this.task.run();
  }

  static styles = [
    shared,
    css`
    ol { list-style: none; margin: 0; padding: 0; background: #fff; border: 1px solid #c9ced6; border-radius: 8px; }
    li { display: grid; grid-template-columns: 8.5rem 9rem minmax(0, 1fr); gap: 0.25rem 0.75rem; padding: 0.45rem 0.75rem; border-bottom: 1px solid #e1e4e8; }
    li:last-child { border-bottom: none; }
    .type { font-weight: 600; }
    code { font-size: 0.85rem; overflow-wrap: anywhere; }
    h3 { margin: 0.5rem 0; font-size: 1rem; }
    @media (max-width: 640px) { li { grid-template-columns: auto 1fr; } code { grid-column: 1 / -1; } }
  `,
  ];

  render() {
    return renderTask(this.task, (m) =>
      m.messages.length === 0
        ? html`<p class="status">${t('state.no_messages')}</p>`
        : html`<h3>${t('messages.caption', { device: m.device })}</h3>
            <ol>
              ${m.messages.map((x) => {
                const { seq: _seq, ts: _ts, type: _type, ...rest } = x.body;
                return html`<li><time datetime=${x.ts}>${dateTime(x.ts)}</time><span class="type">${x.type}</span><code>${describe(rest)}</code></li>`;
              })}
            </ol>`,
    );
  }
}
customElements.define('message-list', MessageList);

declare global {
  interface HTMLElementTagNameMap {
    'message-list': MessageList;
  }
}
