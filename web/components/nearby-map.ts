import { css, html, unsafeCSS } from 'lit';
import L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css?inline';
import { t } from '../i18n/catalogue.ts';
import { LocalizedElement } from '../lib/localized-element.ts';
import type { NearbyResultT, Origin } from '../data/public.ts';

/**
 * The public page's map: where you are, the sites found (numbered as their cards) and the walking
 * line to the chosen one. A tap sets "you are here" (event `pick`). No tiles unless the city set a
 * tile URL: the line and the points still show which way to go.
 */
export class NearbyMap extends LocalizedElement {
  static properties = {
    origin: { attribute: false },
    results: { attribute: false },
    selected: { type: Number },
    tileUrl: { attribute: false },
    bounds: { attribute: false },
  };
  declare origin: Origin | null;
  declare results: NearbyResultT[];
  declare selected: number;
  declare tileUrl: string;
  /** [[south, west], [north, east]] to open on before anything is chosen: the city */
  declare bounds: [[number, number], [number, number]] | null;
  private map: L.Map | null = null;
  private layer: L.LayerGroup | null = null;
  private tiles = '';

  constructor() {
    super();
    this.origin = null;
    this.results = [];
    this.selected = 0;
    this.tileUrl = '';
    this.bounds = null;
  }

  static styles = [
    unsafeCSS(leafletCss),
    css`
      :host { display: block; }
      #map { height: min(55vh, 30rem); min-height: 260px; border: 2px solid #111; border-radius: 8px; background: #eef0e6; }
      .leaflet-control-zoom a { width: 48px !important; height: 48px !important; line-height: 48px !important; font-size: 22px !important; }
      .pin { background: #0a4a8c; color: #fff; border: 3px solid #fff; border-radius: 50%; font: 700 16px/28px system-ui, sans-serif; text-align: center; box-shadow: 0 0 0 2px #111; }
      .pin.sel { background: #b3121b; }
      .me { background: #ffd400; border: 3px solid #111; border-radius: 50%; }
    `,
  ];

  firstUpdated(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('#map')!;
    this.map = L.map(el, { zoomControl: true, attributionControl: false }).setView([36.45, 115.98], 13);
    this.layer = L.layerGroup().addTo(this.map);
    this.map.on('click', (e: L.LeafletMouseEvent) => {
      this.dispatchEvent(new CustomEvent<Origin>('pick', { detail: { lat: e.latlng.lat, lon: e.latlng.lng } }));
    });
    this.draw();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.map?.remove();
    this.map = null;
  }

  updated(): void {
    this.draw();
  }

  private fittedTo = '';
  private draw(): void {
    const map = this.map;
    const layer = this.layer;
    if (!map || !layer) return;
    if (this.tileUrl && this.tileUrl !== this.tiles) {
      L.tileLayer(this.tileUrl, { maxZoom: 19 }).addTo(map);
      this.tiles = this.tileUrl;
    }
    const chosen = this.results[this.selected];
    const line = chosen?.route?.map(([lon, lat]) => [lat, lon] as [number, number]) ?? [];
    const pts: Array<[number, number]> = [...line, ...this.results.map((r) => [r.lat, r.lon] as [number, number])];
    if (this.origin) pts.push([this.origin.lat, this.origin.lon]);
    // Fit once per question (not on every redraw, so a reader's own zoom stays), before drawing:
    // no zoom animation (cheap phones stutter, and a jump is as clear).
    const key = `${this.origin?.lat},${this.origin?.lon},${this.results.map((r) => r.id).join()},${this.selected}`;
    if (key !== this.fittedTo) {
      this.fittedTo = key;
      if (pts.length > 1) map.fitBounds(L.latLngBounds(pts), { padding: [36, 36], maxZoom: 17, animate: false });
      else if (pts.length === 1) map.setView(pts[0]!, 16, { animate: false });
      else if (this.bounds) map.fitBounds(this.bounds, { padding: [12, 12], animate: false });
    }
    layer.clearLayers();
    if (line.length) {
      L.polyline(line, { color: '#111', weight: 9, opacity: 0.9 }).addTo(layer);
      L.polyline(line, { color: '#ffd400', weight: 5 }).addTo(layer);
    }
    this.results.forEach((r, i) => {
      const icon = L.divIcon({
        className: '',
        html: `<div class="pin${i === this.selected ? ' sel' : ''}" style="width:28px;height:28px">${i + 1}</div>`,
        iconSize: [34, 34],
        iconAnchor: [17, 17],
      });
      L.marker([r.lat, r.lon], { icon, title: r.name, keyboard: false }).addTo(layer);
    });
    if (this.origin) {
      const icon = L.divIcon({
        className: '',
        html: '<div class="me" style="width:22px;height:22px"></div>',
        iconSize: [28, 28],
        iconAnchor: [14, 14],
      });
      L.marker([this.origin.lat, this.origin.lon], { icon, title: t('nearby.you'), keyboard: false }).addTo(layer);
    }
  }

  render() {
    return html`<div id="map" role="application" aria-label=${t('nearby.map_label')}></div>`;
  }
}
customElements.define('nearby-map', NearbyMap);

declare global {
  interface HTMLElementTagNameMap {
    'nearby-map': NearbyMap;
  }
}
