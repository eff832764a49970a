import { css, html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t, tCode } from '../i18n/catalogue.ts';
import { fetchOrder, fetchPeople, fetchTeams, moveOrder, uploadPhoto } from '../data/work-orders.ts';
import { PollController } from '../lib/poll.ts';
import { errorMessage, renderTask } from '../lib/task-view.ts';
import { dateTime } from '../lib/format.ts';
import { appState } from '../lib/app-state.ts';
import { shared } from '../styles/shared.ts';
import { MOVE_ROLES, type Move } from '../../worker/domain/work-order-steps.ts';
import type { WorkOrderMoveT, WorkOrderT } from '../../worker/schemas/work-orders.ts';
import type { MessageKey } from '../i18n/en.ts';
import '../components/sla-figures.ts';
import '../components/work-order-photo.ts';

/** A camera outline (drawn here: the system may have no emoji font). */
const CAMERA = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><path d="M4 7h3l2-3h6l2 3h3v13H4z"/><circle cx="12" cy="13" r="4"/></svg>`;

/**
 * One work order on a phone: the step buttons the reader's role may press (big, for gloves), the
 * photo button that opens the camera, the 双十 figures, the photos and the timeline of every step.
 */
export class WorkOrderPage extends LocalizedElement {
  static properties = {
    params: { attribute: false },
    _busy: { state: true },
    _msg: { state: true },
    _err: { state: true },
    _assignee: { state: true },
    _note: { state: true },
  };
  declare params: { id: string };
  declare _busy: boolean;
  declare _msg: string;
  declare _err: string;
  declare _assignee: string;
  declare _note: string;
  private readonly task = new Task(this, { task: ([id], { signal }) => fetchOrder(id, signal), args: () => [this.params.id] as const });
  /** Whom a supervisor may dispatch to: teams, and people where the role may list them. */
  private readonly assignees = new Task(this, {
    task: async ([step], { signal }) => {
      if (step !== 'registered') return [];
      const teams = (await fetchTeams(signal)).map((x) => ({ id: x.id, name: `${x.name} (${t('wo.team')})` }));
      const people = await fetchPeople(signal).catch(() => []);
      return [...teams, ...people.map((p) => ({ id: p.id, name: p.name }))];
    },
    args: () => [this.task.value?.step] as const,
  });

  constructor() {
    super();
    this.params = { id: '' };
    this._busy = false;
    this._msg = '';
    this._err = '';
    this._assignee = '';
    this._note = '';
    new PollController(this, () => void this.task.run(), 30_000);
  }

  static styles = [
    shared,
    css`
    .sub { color: #3d4450; margin: -0.5rem 0 0.75rem; }
    .layout { display: grid; gap: 0.9rem; grid-template-columns: 1fr; }
    @media (min-width: 900px) { .layout { grid-template-columns: minmax(20rem, 28rem) 1fr; align-items: start; } }
    .actions { display: grid; gap: 0.6rem; }
    .actions button, .actions .button { min-height: 56px; width: 100%; font-size: 1.1rem; font-weight: 700; justify-content: center; }
    .actions label { width: 100%; }
    .actions select, .actions textarea { width: 100%; min-height: 48px; font: inherit; padding: 0.5rem; border: 2px solid #5b6472; border-radius: 6px; }
    button.fail { border-color: #b3121b; color: #b3121b; }
    .camera input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    .camera:focus-within { outline: 3px solid #111; outline-offset: 2px; }
    .photos { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); }
    .photos figure { margin: 0; }
    .photos figcaption { font-size: 0.8rem; color: #3d4450; }
    ol.timeline { list-style: none; margin: 0; padding: 0; border-inline-start: 3px solid #c9ced6; }
    ol.timeline li { padding: 0.35rem 0 0.5rem 0.9rem; position: relative; }
    ol.timeline li::before { content: ''; position: absolute; inset-inline-start: -8px; top: 0.75rem; width: 13px; height: 13px; border-radius: 50%; background: #0a4a8c; }
    ol.timeline li.failed::before { background: #b3121b; }
    .card h2 { margin-top: 0; }
    .camera { flex-direction: row; gap: 0.5rem; }
    .camera svg { width: 1.4rem; height: 1.4rem; flex: none; }
    .when { color: #3d4450; font-size: 0.9rem; }
    .status.ok { border: 2px solid #0b6b2f; background: #f2fbf5; }
  `,
  ];

  private callerRole() {
    return appState.me?.role ?? 'staff';
  }

  private may(m: Move): boolean {
    const role = this.callerRole();
    return role === 'admin' || MOVE_ROLES[m].includes(role);
  }

  private async run(label: string, action: () => Promise<WorkOrderT>): Promise<void> {
    this._busy = true;
    this._err = '';
    this._msg = '';
    try {
      const order = await action();
      this._msg = label;
      this._note = '';
      this.task.run(); // re-read (cheap), so every view of the order agrees
      void order;
    } catch (e) {
      this._err = errorMessage(e);
    } finally {
      this._busy = false;
    }
  }

  private move(body: WorkOrderMoveT, label: MessageKey): Promise<void> {
    const note = this._note.trim();
    return this.run(t('wo.saved', { step: t(label) }), () => moveOrder(this.params.id, { ...body, ...(note ? { note } : {}) }));
  }

  private onPhoto(e: Event, step: 'handled' | 'checked'): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this._msg = t('wo.uploading');
    void this.run(t('wo.uploaded'), () => uploadPhoto(this.params.id, file, step));
  }

  private actions(o: WorkOrderT) {
    const moves = o.next.filter((m) => this.may(m));
    const photoStep =
      o.step === 'checked' || (o.step === 'handled' && this.may('checked'))
        ? 'checked'
        : o.step === 'dispatched' || o.step === 'handled'
          ? 'handled'
          : null;
    const canPhoto = photoStep !== null && (this.may('handled') || this.may('checked'));
    if (!moves.length && !canPhoto) return html`<p class="muted">${t('wo.no_actions')}</p>`;
    const note = html`<label>${moves.includes('closed') && o.alert ? t('wo.reason') : t('wo.note')}
      <textarea rows="2" .value=${this._note} @input=${(e: Event) => (this._note = (e.target as HTMLTextAreaElement).value)}></textarea></label>`;
    return html`<div class="actions">
      ${moves.map((m) => {
        if (m === 'dispatched') {
          return html`<label>${t('wo.dispatch_to')}
              <select name="assignee" @change=${(e: Event) => (this._assignee = (e.target as HTMLSelectElement).value)}>
                <option value="">${t('wo.choose')}</option>
                ${(this.assignees.value ?? []).map((a) => html`<option value=${a.id} ?selected=${this._assignee === a.id}>${a.name}</option>`)}
              </select></label>
            <button class="primary" data-move="dispatched" ?disabled=${this._busy || !this._assignee} @click=${() => this.move({ step: 'dispatched', assignee: this._assignee }, 'woact.dispatched')}>${t('woact.dispatched')}</button>`;
        }
        if (m === 'checked') {
          return html`<button class="primary" data-move="check-pass" ?disabled=${this._busy} @click=${() => this.move({ step: 'checked', passed: true }, 'woact.check_pass')}>${t('woact.check_pass')}</button>
            <button class="fail" data-move="check-fail" ?disabled=${this._busy} @click=${() => this.move({ step: 'checked', passed: false }, 'woact.check_fail')}>${t('woact.check_fail')}</button>`;
        }
        const label = `woact.${m}` as MessageKey;
        return html`<button class="primary" data-move=${m} ?disabled=${this._busy} @click=${() => this.move({ step: m }, label)}>${t(label)}</button>`;
      })}
      ${
        canPhoto
          ? html`<label class="button camera" data-photo=${photoStep}>${CAMERA} ${t('wo.take_photo')}
            <input type="file" accept="image/*" capture="environment" ?disabled=${this._busy} @change=${(e: Event) => this.onPhoto(e, photoStep)} /></label>`
          : nothing
      }
      ${moves.length ? note : nothing}
    </div>`;
  }

  private view(o: WorkOrderT) {
    return html`<h1>${o.site_name ?? o.site}</h1>
      <p class="sub">${tCode('wokind', o.kind)}${o.item ? ` · ${o.item}` : ''} · <strong data-step=${o.step}>${tCode('wostep', o.step)}</strong>
        ${o.alert ? html` · ${t('wo.from_alert', { alert: o.alert })}` : nothing}
        · ${o.assignee ? `${t('wo.assignee')}: ${o.assignee.name ?? o.assignee.id}` : t('wo.unassigned')}</p>
      ${this._err ? html`<p class="status error" role="alert">${this._err}</p>` : nothing}
      ${this._msg ? html`<p class="status ok" role="status">${this._msg}</p>` : nothing}
      <div class="layout">
        <div>
          <section class="card" aria-labelledby="h-act"><h2 id="h-act">${t('wo.actions')}</h2>${this.actions(o)}</section>
          <section class="card" aria-labelledby="h-sla" style="margin-top:0.9rem"><h2 id="h-sla">${t('wo.sla')}</h2><sla-figures .sla=${o.sla}></sla-figures></section>
        </div>
        <div>
          <section aria-labelledby="h-photos"><h2 id="h-photos">${t('wo.photos')}</h2>
            ${
              o.photos.length
                ? html`<div class="photos">${o.photos.map(
                    (
                      p,
                    ) => html`<figure><work-order-photo url=${p.url} alt=${t('wo.photo_of', { step: tCode('wostep', p.step), time: dateTime(p.at) })}></work-order-photo>
                    <figcaption>${tCode('wostep', p.step)} · ${dateTime(p.at)} · ${p.by}</figcaption></figure>`,
                  )}</div>`
                : html`<p class="muted">${t('wo.no_photos')}</p>`
            }
          </section>
          <section aria-labelledby="h-tl"><h2 id="h-tl">${t('wo.timeline')}</h2>
            <ol class="timeline">
              ${o.steps.map(
                (s) => html`<li class=${s.passed === false ? 'failed' : ''}>
                  <strong>${tCode('wostep', s.step)}</strong>${s.passed === true ? ` · ${t('wo.passed')}` : s.passed === false ? ` · ${t('wo.failed')}` : ''}
                  <div class="when">${dateTime(s.at)} · ${t('wo.by', { who: s.by_name ?? s.by })}${s.assignee ? ` → ${s.assignee}` : ''}</div>
                  ${s.note ? html`<div>${s.note}</div>` : nothing}
                </li>`,
              )}
            </ol>
          </section>
        </div>
      </div>`;
  }

  render() {
    return renderTask(this.task, (o) => this.view(o));
  }
}
customElements.define('work-order-page', WorkOrderPage);

declare global {
  interface HTMLElementTagNameMap {
    'work-order-page': WorkOrderPage;
  }
}
