import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { errorMessage } from '../lib/task-view.ts';
import { age, clock } from '../lib/public-format.ts';
import { fetchNearby, lastAnswer, NEEDS, saveAnswer, type NeedT, type Origin, type PlacesT, type SavedAnswer } from '../data/public.ts';
import type { MessageKey } from '../i18n/en.ts';
import '../components/nearby-card.ts';
import '../components/nearby-map.ts';

/** An answer older than this came from a cache: say so. */
const STALE_ANSWER_MS = 2 * 60_000;

type Phase = 'idle' | 'locating' | 'loading' | 'ready' | 'offline' | 'error';

/**
 * The worker's page: choose what you need, say where you are (location, a tap on the map, or a
 * place from the list), and see the nearest sites open now as big cards, with the walk drawn on
 * the map. The last answer is kept on the phone and shown with its age when there is no signal.
 */
export class NearbyPage extends LocalizedElement {
  static properties = {
    places: { attribute: false },
    _need: { state: true },
    _origin: { state: true },
    _saved: { state: true },
    _phase: { state: true },
    _message: { state: true },
    _selected: { state: true },
    _tick: { state: true },
  };
  declare places: PlacesT | null;
  declare _need: NeedT;
  declare _origin: Origin | null;
  declare _saved: SavedAnswer | null;
  declare _phase: Phase;
  declare _message: string;
  declare _selected: number;
  declare _tick: number;
  private ask: AbortController | null = null;
  private timer = 0;

  constructor() {
    super();
    this.places = null;
    const saved = lastAnswer();
    this._saved = saved;
    this._need = saved?.need ?? 'water';
    this._origin = saved?.origin ?? null;
    this._phase = 'idle';
    this._message = '';
    this._selected = 0;
    this._tick = 0;
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this._origin) void this.refresh();
    // Ages move on while the page is open.
    this.timer = window.setInterval(() => (this._tick = Date.now()), 30_000);
    window.addEventListener('online', this.onOnline);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
    window.removeEventListener('online', this.onOnline);
  }

  private readonly onOnline = () => {
    if (this._origin) void this.refresh();
  };

  private async refresh(): Promise<void> {
    const origin = this._origin;
    if (!origin) return;
    this.ask?.abort();
    const ask = (this.ask = new AbortController());
    this._phase = 'loading';
    try {
      const answer = await fetchNearby(origin, this._need, ask.signal);
      if (ask.signal.aborted) return;
      // The answer's own time, not the phone's receipt: an answer the service worker kept from
      // earlier (no signal) then shows its true age.
      const at = Math.min(Date.now(), Date.parse(answer.generated_at));
      this._saved = { origin, need: this._need, answer, at };
      saveAnswer(this._saved);
      this._selected = 0;
      this._phase = !navigator.onLine || Date.now() - at > STALE_ANSWER_MS ? 'offline' : 'ready';
    } catch (e) {
      if (ask.signal.aborted) return;
      const offline = !navigator.onLine || (e instanceof Error && 'status' in e && (e as { status: number }).status === 0);
      this._phase = offline ? 'offline' : 'error';
      this._message = errorMessage(e);
    }
  }

  private setNeed(need: NeedT): void {
    this._need = need;
    void this.refresh();
  }

  private setOrigin(o: Origin): void {
    this._origin = o;
    void this.refresh();
  }

  private locate(): void {
    if (!('geolocation' in navigator)) {
      this._phase = 'error';
      this._message = t('nearby.locate_failed', { reason: 'no GPS' });
      return;
    }
    this._phase = 'locating';
    navigator.geolocation.getCurrentPosition(
      (p) => this.setOrigin({ lat: p.coords.latitude, lon: p.coords.longitude }),
      (err) => {
        this._phase = 'error';
        this._message = t('nearby.locate_failed', { reason: err.message || String(err.code) });
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  private pickPlace(e: Event): void {
    const key = (e.target as HTMLSelectElement).value;
    const p = this.places?.places.find((x) => `${x.kind}:${x.id}` === key);
    if (p) this.setOrigin({ lat: p.lat, lon: p.lon, label: p.name });
  }

  static styles = css`
    :host { display: block; color: #111; }
    * { box-sizing: border-box; }
    h1 { font-size: 1.45rem; margin: 0 0 0.6rem; }
    h2 { font-size: 1.1rem; margin: 1rem 0 0.5rem; }
    fieldset { border: none; margin: 0; padding: 0; }
    legend { font-weight: 800; font-size: 1.1rem; margin-bottom: 0.4rem; }
    .needs { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0.4rem; }
    .needs button { font: inherit; font-size: 1.1rem; font-weight: 800; min-height: 56px; border-radius: 10px; border: 2px solid #111; background: #fff; color: #111; cursor: pointer; }
    .needs button[aria-pressed='true'] { background: #111; color: #ffd400; }
    .where { display: grid; gap: 0.5rem; margin: 0.75rem 0; }
    .locate { font: inherit; font-size: 1.15rem; font-weight: 800; min-height: 56px; border-radius: 10px; border: 2px solid #0a4a8c; background: #0a4a8c; color: #fff; cursor: pointer; }
    select { font: inherit; font-size: 1.05rem; min-height: 52px; width: 100%; border: 2px solid #111; border-radius: 8px; background: #fff; color: #111; padding: 0 0.5rem; }
    label { font-weight: 700; display: grid; gap: 0.25rem; }
    .hint { margin: 0; color: #3d4450; }
    .status { padding: 0.7rem 0.9rem; border-radius: 8px; border: 2px solid #111; background: #fff; font-weight: 600; margin: 0.5rem 0; }
    .status.offline { background: #fff4c2; border-color: #7a5a00; }
    .status.error { background: #fff5f5; border-color: #b3121b; }
    .fresh { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; justify-content: space-between; color: #3d4450; }
    .fresh button { font: inherit; font-weight: 700; min-height: 48px; padding: 0 1rem; border-radius: 8px; border: 2px solid #0a4a8c; background: #fff; color: #0a4a8c; cursor: pointer; }
    .cards { display: grid; gap: 0.6rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 19rem), 1fr)); }
    .layout { display: grid; gap: 0.75rem; }
    @media (min-width: 900px) { .layout { grid-template-columns: minmax(20rem, 1fr) 1.2fr; align-items: start; } .layout nearby-map { position: sticky; top: 0.5rem; } }
    button:focus-visible, select:focus-visible { outline: 3px solid #111; outline-offset: 2px; box-shadow: 0 0 0 5px #ffd400; }
  `;

  private status() {
    const s = this._saved;
    switch (this._phase) {
      case 'locating':
        return html`<p class="status" role="status">${t('nearby.locating')}</p>`;
      case 'loading':
        return html`<p class="status" role="status">${t('state.loading')}</p>`;
      case 'offline':
        return s
          ? html`<p class="status offline" role="alert">${t('nearby.offline', { time: clock(new Date(s.at).toISOString(), this.places?.tz ?? 'Asia/Shanghai'), age: age((Date.now() - s.at) / 1000) })}</p>`
          : html`<p class="status error" role="alert">${this._message}</p>`;
      case 'error':
        return html`<p class="status error" role="alert">${this._message}</p>`;
      default:
        return nothing;
    }
  }

  private results() {
    const s = this._saved;
    if (!this._origin) return html`<p class="hint">${t('nearby.no_origin')}</p>`;
    if (!s) return nothing;
    const answerAge = Math.max(0, (Date.now() - s.at) / 1000);
    return html`
      <h2>${t('nearby.results')}</h2>
      <div class="fresh">
        <span>${t(`nearby.method.${s.answer.method}` as MessageKey)} · ${t('nearby.updated', { age: age(answerAge) })}</span>
        <button type="button" @click=${() => void this.refresh()}>${t('nearby.refresh')}</button>
      </div>
      ${
        s.answer.results.length === 0
          ? html`<p class="status">${t('nearby.none')}</p>`
          : html`<div class="cards">
            ${s.answer.results.map(
              (r, i) => html`<nearby-card
                .result=${r}
                .rank=${i + 1}
                .places=${this.places}
                .extraAge=${Math.round(answerAge)}
                ?selected=${i === this._selected}
                @select=${() => (this._selected = i)}
              ></nearby-card>`,
            )}
          </div>`
      }
    `;
  }

  render() {
    const places = this.places?.places ?? [];
    const b = places.length
      ? ([
          [Math.min(...places.map((p) => p.lat)), Math.min(...places.map((p) => p.lon))],
          [Math.max(...places.map((p) => p.lat)), Math.max(...places.map((p) => p.lon))],
        ] as [[number, number], [number, number]])
      : null;
    const shown =
      this._saved && this._origin && this._saved.origin.lat === this._origin.lat && this._saved.origin.lon === this._origin.lon
        ? this._saved.answer.results
        : [];
    return html`
      <h1>${t('nearby.title')}</h1>
      <fieldset>
        <legend>${t('nearby.need')}</legend>
        <div class="needs">
          ${NEEDS.map((n) => html`<button type="button" aria-pressed=${this._need === n ? 'true' : 'false'} @click=${() => this.setNeed(n)}>${t(`nearby.need.${n}` as MessageKey)}</button>`)}
        </div>
      </fieldset>
      <div class="where">
        <button type="button" class="locate" @click=${() => this.locate()}>${t('nearby.locate')}</button>
        <p class="hint">${t('nearby.tap_map')}</p>
        ${
          places.length
            ? html`<label>${t('nearby.pick_place')}
              <select @change=${(e: Event) => this.pickPlace(e)}>
                <option value="">${t('nearby.pick_place_none')}</option>
                ${places.map((p) => html`<option value=${`${p.kind}:${p.id}`}>${p.district} · ${p.name}</option>`)}
              </select>
            </label>`
            : nothing
        }
      </div>
      ${this.status()}
      <div class="layout">
        <div>${this.results()}</div>
        <nearby-map
          .origin=${this._origin}
          .results=${shown}
          .selected=${this._selected}
          .tileUrl=${this.places?.map_tile_url ?? ''}
          .bounds=${b}
          @pick=${(e: CustomEvent<Origin>) => this.setOrigin(e.detail)}
        ></nearby-map>
      </div>
    `;
  }
}
customElements.define('nearby-page', NearbyPage);

declare global {
  interface HTMLElementTagNameMap {
    'nearby-page': NearbyPage;
  }
}
