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
        ? Object.entries(v as Record<string, unknown>).map(([k2, v2]) => `${k2}: ${JSON.stringify(v2)}`).join(', ')
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

  static styles = [shared, css`
    code { font-size: 0.85rem; overflow-wrap: anywhere; white-space: normal; }
    td { vertical-align: top; }
  `];

  render() {
    return renderTask(this.task, (m) =>
      m.messages.length === 0
        ? html`<p class="status">${t('state.no_messages')}</p>`
        : html`<div class="table-wrap" tabindex="0">
            <table>
              <caption>${t('messages.caption', { device: m.device })}</caption>
              <thead><tr><th scope="col">${t('col.time')}</th><th scope="col">${t('col.type')}</th><th scope="col">${t('col.content')}</th></tr></thead>
              <tbody>
                ${m.messages.map((x) => {
                  const { seq: _seq, ts: _ts, type: _type, ...rest } = x.body;
                  return html`<tr><td>${dateTime(x.ts)}</td><td>${x.type}</td><td><code>${describe(rest)}</code></td></tr>`;
                })}
              </tbody>
            </table>
          </div>`,
    );
  }
}
customElements.define('message-list', MessageList);

declare global {
  interface HTMLElementTagNameMap {
    'message-list': MessageList;
  }
}
