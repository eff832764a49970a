import { css, html, unsafeCSS } from 'lit';
import { Task } from '@lit/task';
import L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css?inline';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { renderTask } from '../lib/task-view.ts';
import { itemLabel, whole } from '../lib/public-format.ts';
import { fetchPublicMap, type PlacesT, type PublicMapT } from '../data/public.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The convenience service map (便民服务地图) for everyone: stations (open or not, what they have)
 * and benches (charge, free ports), from the public map answer only. Opens fitted to the city.
 */
export class PublicMapPage extends LocalizedElement {
  static properties = { places: { attribute: false } };
  declare places: PlacesT | null;
  private map: L.Map | null = null;
  private drawn: PublicMapT | null = null;
  private readonly data = new Task(this, {
    task: async ([], { signal }) => fetchPublicMap(signal),
    args: () => [] as const,
  });

  constructor() {
    super();
    this.places = null;
  }

  static styles = [
    unsafeCSS(leafletCss),
    css`
      :host { display: block; }
      h1 { font-size: 1.45rem; margin: 0 0 0.5rem; }
      #map { height: min(75vh, 48rem); min-height: 320px; border: 2px solid #111; border-radius: 8px; background: #eef0e6; }
      .legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; list-style: none; padding: 0; margin: 0.5rem 0; font-weight: 600; }
      .legend i { display: inline-block; width: 16px; height: 16px; border-radius: 50%; border: 2px solid #111; vertical-align: middle; margin-inline-end: 0.3rem; }
      .leaflet-popup-content { font: 15px/1.45 system-ui, sans-serif; min-width: 12rem; }
      .leaflet-popup-content a { display: inline-flex; min-height: 48px; align-items: center; font-weight: 700; }
      .leaflet-container a.leaflet-popup-close-button { width: 48px; height: 48px; font-size: 26px; line-height: 48px; }
      .leaflet-control-zoom a { width: 48px !important; height: 48px !important; line-height: 48px !important; }
    `,
  ];

  firstUpdated(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('#map');
    if (!el) return;
    this.map = L.map(el, { attributionControl: false }).setView([36.45, 115.98], 12);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.map?.remove();
    this.map = null;
  }

  updated(): void {
    const d = this.data.value;
    if (!this.map || !d || d === this.drawn) return;
    if (this.places?.map_tile_url) L.tileLayer(this.places.map_tile_url, { maxZoom: 19 }).addTo(this.map);
    this.drawn = d;
    const pts: L.LatLngExpression[] = [];
    const names = d.item_names;
    for (const b of d.benches) {
      pts.push([b.lat, b.lon]);
      const ok = (b.battery_soc ?? 0) > 20 && (b.free_ports === null || b.free_ports > 0);
      L.circleMarker([b.lat, b.lon], { radius: 8, color: '#111', weight: 2, fillColor: ok ? '#1e88e5' : '#9aa1ab', fillOpacity: 1 })
        .bindPopup(
          `<strong>${esc(b.name ?? b.park_name)}</strong><br>${esc(t('publicmap.bench'))}<br>${esc(t('nearby.battery', { pct: b.battery_soc === null ? '—' : `${whole(b.battery_soc)}%` }))}<br>${esc(b.free_ports === null ? t('nearby.ports_unknown') : t('nearby.ports_free', { n: whole(b.free_ports) }))}`,
        )
        .addTo(this.map);
    }
    for (const s of d.stations) {
      pts.push([s.lat, s.lon]);
      const items = Object.entries(s.items)
        .map(([code, qty]) => `<li>${esc(itemLabel(code, names))}: <b>${qty > 0 ? esc(whole(qty)) : esc(t('qrpage.empty'))}</b></li>`)
        .join('');
      L.circleMarker([s.lat, s.lon], {
        className: `station-marker station-${s.id}`,
        radius: 12,
        color: '#111',
        weight: 3,
        fillColor: s.open ? '#0b8a3a' : '#9aa1ab',
        fillOpacity: 1,
      })
        .bindPopup(
          `<strong>${esc(s.name)}</strong><br>${esc(s.open ? t('state.open') : t('qrpage.closed'))}<ul style="padding-inline-start:1.1rem;margin:0.3rem 0">${items}</ul><a href="/s/${encodeURIComponent(s.id)}">${esc(t('nearby.station_page'))}</a>`,
        )
        .addTo(this.map);
    }
    if (pts.length) this.map.fitBounds(L.latLngBounds(pts), { padding: [24, 24], maxZoom: 16 });
  }

  render() {
    return html`<h1>${t('publicmap.title')}</h1>
      <ul class="legend">
        <li><i style="background:#0b8a3a"></i>${t('publicmap.station')} · ${t('state.open')}</li>
        <li><i style="background:#9aa1ab"></i>${t('qrpage.closed')}</li>
        <li><i style="background:#1e88e5"></i>${t('publicmap.bench')}</li>
      </ul>
      <div id="map" role="region" aria-label=${t('publicmap.title')}></div>
      ${renderTask(this.data, () => '')}`;
  }
}
customElements.define('public-map-page', PublicMapPage);

declare global {
  interface HTMLElementTagNameMap {
    'public-map-page': PublicMapPage;
  }
}
