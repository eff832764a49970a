import { css, html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { renderTask } from '../lib/task-view.ts';
import { age, clock, compass, itemLabel, whole } from '../lib/public-format.ts';
import { fetchNearby, fetchStationNow, type NearbyResultT, type Origin, type PlacesT, type StationNowT } from '../data/public.ts';
import { ApiFailure } from '../data/api.ts';
import '../components/report-form.ts';
import '../components/nearby-map.ts';

/**
 * The page a station's QR code opens (/s/{id}): is it open, what it has now, its hours, the way
 * here from where you stand, and "report a problem".
 */
export class StationQrPage extends LocalizedElement {
  static properties = {
    stationId: { type: String },
    places: { attribute: false },
    _from: { state: true },
    _walk: { state: true },
    _locError: { state: true },
  };
  declare stationId: string;
  declare places: PlacesT | null;
  declare _from: Origin | null;
  declare _walk: NearbyResultT | null;
  declare _locError: string;

  private readonly station = new Task(this, {
    task: async ([id], { signal }) => fetchStationNow(id, signal),
    args: () => [this.stationId] as const,
  });

  constructor() {
    super();
    this.stationId = '';
    this.places = null;
    this._from = null;
    this._walk = null;
    this._locError = '';
  }

  private directions(s: StationNowT): void {
    if (!('geolocation' in navigator)) {
      this._locError = t('nearby.locate_failed', { reason: 'no GPS' });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      async (p) => {
        const from = { lat: p.coords.latitude, lon: p.coords.longitude };
        this._from = from;
        this._locError = '';
        // The network walk when this station is among the open ones near you; else the straight line.
        let found: NearbyResultT | undefined;
        try {
          found = (await fetchNearby(from, 'rest', undefined, 20)).results.find((r) => r.kind === 'station' && r.id === s.id);
        } catch {
          found = undefined;
        }
        const straight = distance(from, s) * 1.3;
        this._walk = found ?? {
          kind: 'station',
          id: s.id,
          name: s.name,
          lat: s.lat,
          lon: s.lon,
          walk_m: Math.round(straight),
          walk_min: straight / 75,
          open: s.open,
          open_until: s.open_until,
          opening_hours: s.opening_hours,
          has: {},
          data_age_s: s.data_age_s ?? 0,
          route: [
            [from.lon, from.lat],
            [s.lon, s.lat],
          ],
        };
      },
      (err) => (this._locError = t('nearby.locate_failed', { reason: err.message || String(err.code) })),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  static styles = css`
    :host { display: block; color: #111; }
    * { box-sizing: border-box; }
    h1 { font-size: 1.5rem; margin: 0 0 0.4rem; overflow-wrap: anywhere; }
    h2 { font-size: 1.15rem; margin: 1.1rem 0 0.5rem; }
    .open { display: inline-block; font-size: 1.2rem; font-weight: 800; padding: 0.3rem 0.8rem; border-radius: 8px; border: 2px solid #0b5a27; background: #eefaf1; color: #0b5a27; }
    .open.no { border-color: #7a5a00; background: #fff4c2; color: #5a4200; }
    ul.items { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.35rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 10rem), 1fr)); }
    ul.items li { border: 2px solid #111; border-radius: 10px; padding: 0.5rem 0.7rem; background: #fff; font-weight: 700; font-size: 1.1rem; display: flex; justify-content: space-between; gap: 0.5rem; }
    ul.items li.empty { border-color: #b3121b; color: #a3000b; }
    .warn { padding: 0.6rem 0.8rem; border: 2px solid #7a5a00; background: #fff4c2; border-radius: 8px; font-weight: 600; }
    .muted { color: #3d4450; }
    code { font-size: 1rem; }
    button, a.button { font: inherit; font-weight: 800; min-height: 52px; border-radius: 10px; border: 2px solid #0a4a8c; background: #0a4a8c; color: #fff; cursor: pointer; padding: 0 1rem; display: inline-flex; align-items: center; text-decoration: none; }
    a.button { background: #fff; color: #0a4a8c; }
    .walk { font-size: 1.6rem; font-weight: 800; margin: 0.5rem 0; }
    nearby-map { margin-top: 0.5rem; }
    section { background: #fff; border: 2px solid #c9ced6; border-radius: 10px; padding: 0.8rem; margin-top: 1rem; }
    button:focus-visible, a:focus-visible { outline: 3px solid #111; outline-offset: 2px; box-shadow: 0 0 0 5px #ffd400; }
  `;

  private view(s: StationNowT) {
    const tz = this.places?.tz ?? 'Asia/Shanghai';
    const items = Object.entries(s.items);
    const w = this._walk;
    return html`
      <h1>${s.name}</h1>
      <p class="muted">${s.district_name}</p>
      <p class="open ${s.open ? '' : 'no'}">${s.open ? (s.open_until ? t('nearby.open_until', { time: clock(s.open_until, tz) }) : t('nearby.open_24h')) : t('qrpage.closed')}</p>
      <p><span class="muted">${t('qrpage.opening_hours')}:</span> <code>${s.opening_hours}</code></p>
      ${s.data_age_s === null ? html`<p class="warn">${t('qrpage.never')}</p>` : s.stale ? html`<p class="warn">${t('qrpage.stale')} (${age(s.data_age_s)})</p>` : html`<p class="muted">${t('nearby.data_age', { age: age(s.data_age_s) })}</p>`}
      <h2>${t('qrpage.has')}</h2>
      ${
        items.length
          ? html`<ul class="items">
            ${items.map(([code, qty]) => html`<li class=${qty > 0 ? '' : 'empty'}><span>${itemLabel(code, this.places?.item_names)}</span><span>${qty > 0 ? whole(qty) : t('qrpage.empty')}</span></li>`)}
          </ul>`
          : html`<p class="muted">${t('nearby.has_nothing')}</p>`
      }
      <section>
        <h2>${t('qrpage.directions')}</h2>
        <button type="button" @click=${() => this.directions(s)}>${t('qrpage.directions_go')}</button>
        ${this._locError ? html`<p class="warn" role="alert">${this._locError}</p>` : nothing}
        ${
          w && this._from
            ? html`<p class="walk">${t('nearby.walk_min', { min: whole(Math.max(1, Math.ceil(w.walk_min))) })}</p>
              <p>${t('qrpage.distance', { m: whole(w.walk_m), dir: t(compass(this._from, s)), min: whole(Math.max(1, Math.ceil(w.walk_min))) })}</p>
              <nearby-map .origin=${this._from} .results=${[w]} .selected=${0} .tileUrl=${this.places?.map_tile_url ?? ''}></nearby-map>`
            : nothing
        }
      </section>
      <section>
        <h2>${t('report.title')}</h2>
        <report-form .site=${s.id}></report-form>
      </section>
      <p><a class="button" href="/nearby">${t('qrpage.find_other')}</a></p>
    `;
  }

  render() {
    if (this.station.error instanceof ApiFailure && this.station.error.status === 404) {
      return html`<p class="warn" role="alert">${t('qrpage.not_found', { id: this.stationId })}</p><p><a class="button" href="/nearby">${t('qrpage.find_other')}</a></p>`;
    }
    return renderTask(this.station, (s) => this.view(s));
  }
}

function distance(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

customElements.define('station-qr-page', StationQrPage);

declare global {
  interface HTMLElementTagNameMap {
    'station-qr-page': StationQrPage;
  }
}
