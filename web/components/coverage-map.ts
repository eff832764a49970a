import { css, html, unsafeCSS, type PropertyValues } from 'lit';
import L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css?inline';
import { LocalizedElement } from '../lib/localized-element.ts';
import { config } from '../lib/app-state.ts';
import { num } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';
import { t } from '../i18n/catalogue.ts';
import type { AreaCollection, UnitFeature } from '../data/coverage.ts';

export interface MapAmenity {
  id: string;
  name: string;
  kind: 'station' | 'bench';
  lat: number;
  lon: number;
}

export interface MapSite {
  lat: number;
  lon: number;
  label: string;
}

/** Colour of a unit by the smallest circle covering it; dark to light, then warm beyond. */
export const LEVEL_COLOURS = ['#0b5d1e', '#2e8b3e', '#7cb342', '#c0ca33'];
export const BEYOND = '#c25400';
export const NO_PATH = '#6b7280';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `<coverage-map>`: residents coloured by walking time, the amenities, the reachable streets of
 * one chosen amenity and any what-if / suggested sites. No tile layer unless one is configured
 * (the city's own data is the base). Fires `map-click` {lat, lon} and `amenity-select` {id}.
 */
export class CoverageMap extends LocalizedElement {
  static properties = {
    units: { attribute: false },
    levels: { attribute: false },
    amenities: { attribute: false },
    area: { attribute: false },
    sites: { attribute: false },
    placing: { type: Boolean },
  };
  declare units: UnitFeature[];
  declare levels: number[];
  declare amenities: MapAmenity[];
  declare area: AreaCollection | null;
  declare sites: MapSite[];
  declare placing: boolean;
  private map: L.Map | null = null;
  private unitLayer: L.LayerGroup | null = null;
  private amenityLayer: L.LayerGroup | null = null;
  private areaLayer: L.LayerGroup | null = null;
  private siteLayer: L.LayerGroup | null = null;
  private fitted = false;
  private amenityRenderer: L.Renderer | null = null;

  constructor() {
    super();
    this.units = [];
    this.levels = [5, 10, 15];
    this.amenities = [];
    this.area = null;
    this.sites = [];
    this.placing = false;
  }

  static styles = [
    unsafeCSS(leafletCss),
    shared,
    css`
      #map { height: min(65vh, 48rem); min-height: 320px; border: 1px solid #5b6472; border-radius: 8px; background: #f2efe6; }
      #map.placing { cursor: crosshair; }
      .legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; margin: 0.5rem 0; list-style: none; padding: 0; }
      .legend i { display: inline-block; width: 14px; height: 14px; border-radius: 50%; border: 1px solid #111; vertical-align: middle; margin-inline-end: 0.3rem; }
      .legend i.line { border-radius: 0; height: 4px; border: none; }
      .leaflet-control-zoom a { width: 44px !important; height: 44px !important; line-height: 44px !important; }
      .site-label { background: #111; color: #fff; border: none; font-weight: 700; }
    `,
  ];

  firstUpdated(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('#map');
    if (!el) return;
    const cfg = config();
    this.map = L.map(el, { zoomControl: true, attributionControl: !!cfg.map_tile_url, preferCanvas: true }).setView([36.45, 115.98], 13);
    if (cfg.map_tile_url) L.tileLayer(cfg.map_tile_url, { maxZoom: 19 }).addTo(this.map);
    // Amenities on their own pane above the (canvas-drawn, many) residents, whatever loads first.
    this.map.createPane('amenities').style.zIndex = '640';
    this.amenityRenderer = L.svg({ pane: 'amenities' });
    this.areaLayer = L.layerGroup().addTo(this.map);
    this.unitLayer = L.layerGroup().addTo(this.map);
    this.amenityLayer = L.layerGroup().addTo(this.map);
    this.siteLayer = L.layerGroup().addTo(this.map);
    this.map.on('click', (e: L.LeafletMouseEvent) => {
      if (this.placing)
        this.dispatchEvent(
          new CustomEvent('map-click', { detail: { lat: e.latlng.lat, lon: e.latlng.lng }, bubbles: true, composed: true }),
        );
    });
    this.drawAll(
      new Map([
        ['units', true],
        ['amenities', true],
        ['area', true],
        ['sites', true],
      ]),
    );
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.map?.remove();
    this.map = null;
  }

  updated(changed: PropertyValues<this>): void {
    if (this.map) this.drawAll(changed as Map<PropertyKey, unknown>);
  }

  private colour(u: UnitFeature): string {
    const { minutes, level } = u.properties;
    if (minutes === null) return NO_PATH;
    if (level === null) return BEYOND;
    return LEVEL_COLOURS[Math.max(0, this.levels.indexOf(level))] ?? LEVEL_COLOURS[LEVEL_COLOURS.length - 1]!;
  }

  private drawAll(changed: Map<PropertyKey, unknown>): void {
    const map = this.map!;
    if (changed.has('units') || changed.has('levels')) {
      this.unitLayer!.clearLayers();
      const max = Math.max(1, ...this.units.map((u) => u.properties.population));
      for (const u of this.units) {
        const [lon, lat] = u.geometry.coordinates;
        const p = u.properties;
        L.circleMarker([lat, lon], {
          radius: 3 + 5 * Math.sqrt(p.population / max),
          stroke: false,
          fillColor: this.colour(u),
          fillOpacity: 0.8,
        })
          .bindTooltip(
            `${esc(p.name ?? '')} ${num(p.population)} · ${p.minutes === null ? t('cov.legend.none') : `${num(p.minutes, 1)} ${t('cov.minutes')}${p.nearest ? ` → ${esc(p.nearest)}` : ''}`}`,
          )
          .addTo(this.unitLayer!);
      }
      if (!this.fitted && this.units.length) {
        this.fitted = true;
        map.fitBounds(L.latLngBounds(this.units.map((u) => [u.geometry.coordinates[1], u.geometry.coordinates[0]] as L.LatLngTuple)), {
          padding: [16, 16],
        });
      }
    }
    if (changed.has('amenities')) {
      this.amenityLayer!.clearLayers();
      for (const a of this.amenities) {
        L.circleMarker([a.lat, a.lon], {
          pane: 'amenities',
          renderer: this.amenityRenderer ?? undefined,
          radius: a.kind === 'station' ? 8 : 6,
          color: '#fff',
          weight: 2,
          fillColor: a.kind === 'station' ? '#0a4a8c' : '#7a2ca0',
          fillOpacity: 1,
        })
          .bindTooltip(esc(a.name))
          .on('click', (e: L.LeafletMouseEvent) => {
            L.DomEvent.stopPropagation(e);
            this.dispatchEvent(new CustomEvent('amenity-select', { detail: { id: a.id }, bubbles: true, composed: true }));
          })
          .addTo(this.amenityLayer!);
      }
    }
    if (changed.has('area')) {
      this.areaLayer!.clearLayers();
      if (this.area)
        L.geoJSON(this.area as unknown as GeoJSON.FeatureCollection, {
          style: { color: '#0a4a8c', weight: 4, opacity: 0.8 },
          filter: (f) => f.geometry.type === 'LineString',
        }).addTo(this.areaLayer!);
    }
    if (changed.has('sites')) {
      this.siteLayer!.clearLayers();
      for (const s of this.sites) {
        L.circleMarker([s.lat, s.lon], {
          pane: 'amenities',
          renderer: this.amenityRenderer ?? undefined,
          radius: 7,
          color: '#ffd400',
          weight: 3,
          fillColor: '#111',
          fillOpacity: 1,
          interactive: false,
        })
          .bindTooltip(esc(s.label), { permanent: true, direction: 'top', offset: [0, -6], className: 'site-label' })
          .addTo(this.siteLayer!);
      }
    }
  }

  render() {
    return html`<ul class="legend">
        ${this.levels.map((m, i) => html`<li><i style="background:${LEVEL_COLOURS[Math.min(i, LEVEL_COLOURS.length - 1)]}"></i>${t('cov.legend.within', { m })}</li>`)}
        <li><i style="background:${BEYOND}"></i>${t('cov.legend.beyond', { m: Math.max(...this.levels) })}</li>
        <li><i style="background:${NO_PATH}"></i>${t('cov.legend.none')}</li>
        <li><i style="background:#0a4a8c;border:2px solid #fff;box-shadow:0 0 0 1px #111"></i>${t('cov.legend.amenity')}</li>
        <li><i class="line" style="background:#0a4a8c"></i>${t('cov.legend.area')}</li>
      </ul>
      <div id="map" class=${this.placing ? 'placing' : ''} role="region" aria-label=${t('cov.map')}></div>`;
  }
}
customElements.define('coverage-map', CoverageMap);

declare global {
  interface HTMLElementTagNameMap {
    'coverage-map': CoverageMap;
  }
}
