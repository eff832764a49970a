import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { ApiFailure } from '../data/api.ts';
import { planRun, recordRestock, stationsCentre } from '../data/restock.ts';
import { errorBox } from '../lib/task-view.ts';
import { num } from '../lib/format.ts';
import { itemName } from '../lib/items.ts';
import { appState } from '../lib/app-state.ts';
import {
  DEFAULT_CAPACITY,
  DEFAULT_OTHER,
  loadForm,
  loadRun,
  newRun,
  saveForm,
  saveRun,
  type RunForm,
  type RunState,
} from '../lib/restock-run-store.ts';
import { shared } from '../styles/shared.ts';
import '../components/restock-stop-card.ts';

/** A network failure, a rate limit or a server fault: nothing was confirmed, so sending again is safe. */
const retryable = (e: unknown) => e instanceof ApiFailure && (e.status === 0 || e.status === 429 || e.status >= 500);

/**
 * The restock run for staff on a phone: plan (capacity, time, start), the pick list, then each
 * stop with "restocked" in two taps. The run lives in localStorage (restock-run-store.ts): every
 * stop's restock id is made once, a restock waits there while there is no signal and is sent
 * again when the phone is back online or the page is opened again.
 */
export class RestockRunPage extends LocalizedElement {
  static properties = {
    _run: { state: true },
    _form: { state: true },
    _busy: { state: true },
    _error: { state: true },
    _online: { state: true },
  };
  declare _run: RunState | null;
  declare _form: RunForm | null;
  declare _busy: boolean;
  declare _error: unknown;
  declare _online: boolean;
  private readonly sending = new Set<string>();
  private readonly onOnline = () => {
    this._online = true;
    this.flush();
  };
  private readonly onOffline = () => (this._online = false);

  constructor() {
    super();
    this._run = loadRun();
    this._form = loadForm();
    this._busy = false;
    this._error = null;
    this._online = navigator.onLine;
  }

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    if (!this._form) void this.defaultForm();
    this.flush();
  }

  disconnectedCallback(): void {
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    super.disconnectedCallback();
  }

  private async defaultForm(): Promise<void> {
    const capacity: Record<string, number> = {};
    for (const i of appState.config?.items ?? []) if (i.registered !== false) capacity[i.code] = DEFAULT_CAPACITY[i.code] ?? DEFAULT_OTHER;
    let centre: { lat: number; lon: number } | null = null;
    try {
      centre = await stationsCentre();
    } catch {
      // No stations readable: the reader types the start or locates it.
    }
    this._form = { lat: centre?.lat ?? 0, lon: centre?.lon ?? 0, minutes: 240, nextVisit: 24, mode: 'drive', capacity, total: null };
  }

  static styles = [
    shared,
    css`
    :host { max-width: 52rem; }
    form { display: grid; gap: 0.9rem; }
    fieldset { border: 1px solid #c9ced6; border-radius: 8px; padding: 0.75rem; margin: 0; display: grid; gap: 0.6rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 9.5rem), 1fr)); }
    legend { font-weight: 700; padding: 0 0.25rem; }
    input, select { width: 100%; min-height: 48px; font-size: 1.05rem; }
    label { font-size: 0.95rem; }
    .big { min-height: 56px; font-size: 1.15rem; font-weight: 700; width: 100%; }
    .stops { display: grid; gap: 0.9rem; }
    .summary { font-size: 1.1rem; font-weight: 700; margin: 0.25rem 0; }
    .offline { border: 2px solid #8a5a00; background: #fff8e6; }
    td.num { font-size: 1.1rem; font-weight: 700; }
  `,
  ];

  private onField(e: Event): void {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    if (!this._form) return;
    const f = { ...this._form, capacity: { ...this._form.capacity } };
    const v = Number(el.value);
    if (el.name.startsWith('cap:')) f.capacity[el.name.slice(4)] = Math.max(0, Math.floor(v) || 0);
    else if (el.name === 'total') f.total = el.value === '' ? null : Math.max(0, Math.floor(v) || 0);
    else if (el.name === 'mode') f.mode = el.value === 'walk' ? 'walk' : 'drive';
    else if (el.name === 'lat' || el.name === 'lon' || el.name === 'minutes' || el.name === 'nextVisit') f[el.name] = v;
    this._form = f;
  }

  private locate(): void {
    navigator.geolocation?.getCurrentPosition((p) => {
      if (this._form)
        this._form = { ...this._form, lat: Math.round(p.coords.latitude * 1e5) / 1e5, lon: Math.round(p.coords.longitude * 1e5) / 1e5 };
    });
  }

  private async plan(e: Event): Promise<void> {
    e.preventDefault();
    const f = this._form;
    if (!f || this._busy) return;
    saveForm(f);
    this._busy = true;
    this._error = null;
    try {
      const plan = await planRun({
        depot: { lat: f.lat, lon: f.lon },
        capacity: { items: f.capacity, ...(f.total !== null ? { total: f.total } : {}) },
        available_min: f.minutes,
        next_visit_h: f.nextVisit,
        mode: f.mode,
      });
      this._run = newRun(plan);
      saveRun(this._run);
    } catch (err) {
      this._error = err;
    } finally {
      this._busy = false;
    }
  }

  private discard(): void {
    if (!confirm(t('restock.new_confirm'))) return;
    this._run = null;
    saveRun(null);
  }

  private patchStop(station: string, patch: Partial<RunState['stops'][string]>): void {
    const run = this._run;
    if (!run?.stops[station]) return;
    this._run = { ...run, stops: { ...run.stops, [station]: { ...run.stops[station]!, ...patch } } };
    saveRun(this._run);
  }

  /** Send one stop's restock with its one id; kept as pending (and sent again later) unless the server answered. */
  private async send(station: string): Promise<void> {
    const run = this._run;
    const stop = run?.plan.stops.find((s) => s.station === station);
    const state = run?.stops[station];
    if (!stop || !state || state.status === 'sent' || this.sending.has(station)) return;
    this.sending.add(station);
    this.requestUpdate();
    // Pending first: if the page dies mid-request, the next visit sends the same id again.
    this.patchStop(station, { status: 'pending', detail: undefined });
    try {
      const res = await recordRestock(station, { id: state.id, items: stop.bring });
      this.patchStop(station, { status: 'sent', at: res.at });
    } catch (err) {
      if (!retryable(err)) this.patchStop(station, { status: 'failed', detail: err instanceof Error ? err.message : String(err) });
    } finally {
      this.sending.delete(station);
      this.requestUpdate();
    }
  }

  /** Send every restock still waiting. */
  private flush(): void {
    for (const [station, s] of Object.entries(this._run?.stops ?? {})) if (s.status === 'pending') void this.send(station);
  }

  private planForm() {
    const f = this._form;
    if (!f) return html`<p class="status" role="status">${t('state.loading')}</p>`;
    const items = Object.keys(f.capacity);
    return html`<form @submit=${this.plan} @change=${this.onField}>
      <fieldset>
        <legend>${t('restock.depot')}</legend>
        <label>${t('restock.lat')}<input name="lat" type="number" inputmode="decimal" step="any" min="-90" max="90" required .value=${String(f.lat)} /></label>
        <label>${t('restock.lon')}<input name="lon" type="number" inputmode="decimal" step="any" min="-180" max="180" required .value=${String(f.lon)} /></label>
        <button type="button" @click=${this.locate} style="align-self:end">${t('restock.locate')}</button>
      </fieldset>
      <fieldset>
        <legend>${t('restock.capacity')}</legend>
        ${items.map((k) => html`<label>${itemName(k)}<input name="cap:${k}" type="number" inputmode="numeric" min="0" step="1" .value=${String(f.capacity[k])} /></label>`)}
        <label>${t('restock.capacity_total')}<input name="total" type="number" inputmode="numeric" min="0" step="1" .value=${f.total === null ? '' : String(f.total)} /></label>
      </fieldset>
      <fieldset>
        <label>${t('restock.minutes')}<input name="minutes" type="number" inputmode="numeric" min="1" max="1440" required .value=${String(f.minutes)} /></label>
        <label>${t('restock.next_visit')}<input name="nextVisit" type="number" inputmode="numeric" min="1" max="336" required .value=${String(f.nextVisit)} /></label>
        <label>${t('restock.mode')}<select name="mode">
          <option value="drive" ?selected=${f.mode === 'drive'}>${t('restock.mode_drive')}</option>
          <option value="walk" ?selected=${f.mode === 'walk'}>${t('restock.mode_walk')}</option>
        </select></label>
      </fieldset>
      <button type="submit" class="big primary" ?disabled=${this._busy}>${this._busy ? t('restock.planning') : t('restock.plan')}</button>
    </form>`;
  }

  private runView(run: RunState) {
    const p = run.plan;
    const done = Object.values(run.stops).filter((s) => s.status === 'sent').length;
    const pick = Object.entries(p.pick_list);
    const reason = { capacity: 'restock.reason_capacity', time: 'restock.reason_time', unreachable: 'restock.reason_unreachable' } as const;
    return html`
      <p class="summary">${t('restock.summary', { stops: num(p.stops.length), km: num(p.distance_m / 1000, 1), min: num(p.duration_min) })}</p>
      <p class="muted">${p.method === 'network' ? t('restock.method_network') : t('restock.method_straight', { f: num(p.detour_factor ?? 1, 1) })}</p>
      ${p.stops.length === 0 ? html`<p class="status">${t('restock.nothing_due')}</p>` : nothing}
      ${
        pick.length
          ? html`<h2>${t('restock.pick_list')}</h2>
            <div class="table-wrap"><table id="pick-list">
              <thead><tr><th scope="col">${t('restock.item')}</th><th scope="col" class="num">${t('restock.qty')}</th></tr></thead>
              <tbody>${pick.map(([k, q]) => html`<tr><th scope="row">${itemName(k)}</th><td class="num">${num(q)}</td></tr>`)}</tbody>
              <tfoot><tr><td>${t('restock.total')}</td><td class="num">${num(pick.reduce((a, [, q]) => a + q, 0))}</td></tr></tfoot>
            </table></div>`
          : nothing
      }
      ${
        p.stops.length
          ? html`<h2>${t('restock.stops')}</h2>
            <p role="status" id="progress">${t('restock.progress', { done: num(done), n: num(p.stops.length) })}</p>
            <div class="stops" @restocked=${(e: CustomEvent<{ station: string }>) => this.send(e.detail.station)} @retry=${(e: CustomEvent<{ station: string }>) => this.send(e.detail.station)}>
              ${p.stops.map((s, i) => html`<restock-stop-card data-station=${s.station} .stop=${s} .state=${run.stops[s.station]!} ?sending=${this.sending.has(s.station)} n=${i + 1}></restock-stop-card>`)}
            </div>`
          : nothing
      }
      ${
        p.left_out.length
          ? html`<h2>${t('restock.left_out')}</h2>
            <ul id="left-out">${p.left_out.map((l) => html`<li><strong>${l.name}</strong> — ${t(reason[l.reason])} <span class="muted">(${l.detail})</span></li>`)}</ul>`
          : nothing
      }
      <p style="margin-top:1.5rem"><button type="button" class="big" @click=${this.discard}>${t('restock.new_plan')}</button></p>
    `;
  }

  render() {
    return html`<h1>${t('restock.title')}</h1>
      ${this._online ? nothing : html`<p class="status offline" role="status">${t('restock.offline')}</p>`}
      ${this._error ? errorBox(this._error) : nothing}
      ${this._run ? this.runView(this._run) : html`<h2>${t('restock.plan_title')}</h2>${this.planForm()}`}`;
  }
}
customElements.define('restock-run-page', RestockRunPage);

declare global {
  interface HTMLElementTagNameMap {
    'restock-run-page': RestockRunPage;
  }
}
