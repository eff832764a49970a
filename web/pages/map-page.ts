import { css, html, unsafeCSS } from 'lit';
import { Task } from '@lit/task';
import L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css?inline';
import { LocalizedElement } from '../lib/localized-element.ts';
import { getLocale, t } from '../i18n/catalogue.ts';
import { fetchBenches, fetchMapBase, fetchStations } from '../data/dashboard.ts';
import { PollController } from '../lib/poll.ts';
import { renderTask } from '../lib/task-view.ts';
import { num } from '../lib/format.ts';
import { itemName } from '../lib/items.ts';
import { config } from '../lib/app-state.ts';
import { shared } from '../styles/shared.ts';
import { GRADE_COLOURS } from '../components/health-badge.ts';
import { cardLabel, standingText } from '../lib/card-words.ts';
import { CARD_COLOURS } from '../../worker/domain/alerts/kinds.ts';
import type { BenchSummaryT, SiteCardBriefT, StationSummaryT } from '../../worker/schemas/dashboard.ts';
import '../components/card-badge.ts';

/** An urgent site's marker: a thick red ring (and the word in its popup and the table), never colour alone. */
const URGENT_RING = '#b3121b';
const ring = (card: SiteCardBriefT, normal: string) =>
  card.urgent ? { color: URGENT_RING, weight: 4, dashArray: '4 2' } : { color: normal };

/**
 * Benches of one park usually share its point; set them on a ring of 16 px around it at the
 * current zoom (display only) so each can be seen and clicked.
 */
function fanOut(map: L.Map, benches: BenchSummaryT[]): Map<string, L.LatLng> {
  // Greedy grouping of benches drawn within 12 px of each other at this zoom.
  const groups: Array<{ centre: L.Point; members: BenchSummaryT[] }> = [];
  for (const b of benches) {
    if (b.lat === null || b.lon === null) continue;
    const p = map.latLngToLayerPoint([b.lat, b.lon]);
    const g = groups.find((x) => x.centre.distanceTo(p) < 12);
    if (g) g.members.push(b);
    else groups.push({ centre: p, members: [b] });
  }
  const out = new Map<string, L.LatLng>();
  for (const { centre, members } of groups) {
    if (members.length < 2) continue;
    members.forEach((b, i) => {
      const a = (2 * Math.PI * i) / members.length - Math.PI / 2;
      out.set(b.id, map.layerPointToLatLng(centre.add([16 * Math.cos(a), 16 * Math.sin(a)])));
    });
  }
  return out;
}

/** Popups pan clear of the zoom buttons (top left), so the card line is never under them on a phone. */
const POPUP: L.PopupOptions = { autoPanPaddingTopLeft: L.point(64, 16) };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Every station and bench on one map, coloured by its four-colour card (urgent sites ringed in
 * red), with what each has now. Works with no
 * internet: unless a tile URL is configured, the base is the city's own data (district
 * boundaries, parks, district names).
 */
export class MapPage extends LocalizedElement {
  private map: L.Map | null = null;
  private points: L.LayerGroup | null = null;
  private fitted = false;
  private readonly amenities = new Task(this, {
    task: async (_args, { signal }) => {
      const [s, b] = await Promise.all([fetchStations(signal), fetchBenches(signal)]);
      return { stations: s.stations, benches: b.benches };
    },
    args: () => [] as const,
  });
  private readonly base = new Task(this, {
    task: async (_args, { signal }) => ({ base: await fetchMapBase(signal) }),
    args: () => [] as const,
  });

  constructor() {
    super();
    new PollController(this, () => void this.amenities.run());
  }

  static styles = [
    unsafeCSS(leafletCss),
    shared,
    css`
      #map { height: min(70vh, 56rem); min-height: 320px; border: 1px solid #5b6472; border-radius: 8px; background: #f2efe6; }
      .legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; margin: 0.5rem 0; list-style: none; padding: 0; }
      .legend i { display: inline-block; width: 14px; height: 14px; border-radius: 50%; border: 2px solid #111; vertical-align: middle; margin-inline-end: 0.3rem; }
      
      .leaflet-popup-content { font: 14px/1.4 system-ui, sans-serif; min-width: 12rem; }
      .leaflet-popup-content a { display: inline-flex; min-height: 44px; align-items: center; }
      .leaflet-container a.leaflet-popup-close-button { width: 44px; height: 44px; font-size: 24px; line-height: 44px; }
      .leaflet-control-zoom a { width: 44px !important; height: 44px !important; line-height: 44px !important; }
      .district-label { background: rgba(255, 255, 255, 0.85); border: none; box-shadow: none; font-weight: 700; color: #1f2630; font-size: 15px; }
      .district-label::before { display: none; }
      details { margin-top: 0.75rem; }
      summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; color: #0a4a8c; font-weight: 600; }
    `,
  ];

  firstUpdated(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('#map');
    if (!el) return;
    const cfg = config();
    this.map = L.map(el, { zoomControl: false, attributionControl: !!cfg.map_tile_url }).setView([36.45, 115.98], 13);
    if (cfg.map_tile_url) L.tileLayer(cfg.map_tile_url, { maxZoom: 19 }).addTo(this.map);
    this.points = L.layerGroup().addTo(this.map);
    this.map.on('zoomend', () => {
      const a = this.amenities.value;
      if (a) this.drawPoints(a.stations, a.benches);
    });
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.map?.remove();
    this.map = null;
  }

  private drawnBase = false;
  private zoom: L.Control.Zoom | null = null;
  private zoomLocale = '';
  updated(): void {
    if (!this.map) return;
    // Leaflet's zoom buttons carry their titles in the language they were made in.
    if (this.zoomLocale !== getLocale()) {
      this.zoom?.remove();
      this.zoom = L.control.zoom({ zoomInTitle: t('map.zoom_in'), zoomOutTitle: t('map.zoom_out') }).addTo(this.map);
      this.zoomLocale = getLocale();
    }
    const b = this.base.value;
    if (b && !this.drawnBase) {
      this.drawnBase = true;
      for (const d of b.base.districts) {
        if (d.boundary)
          L.geoJSON({ type: 'Feature', geometry: d.boundary, properties: {} } as GeoJSON.Feature, {
            style: { color: '#5b6472', weight: 2, dashArray: '6 4', fill: true, fillColor: '#ffffff', fillOpacity: 0.5 },
            interactive: false,
          })
            .addTo(this.map)
            .bringToBack();
      }
      if (b.base.streets.length) {
        const lines = b.base.streets.map(
          ([x1, y1, x2, y2]) =>
            [
              [y1, x1],
              [y2, x2],
            ] as [number, number][],
        );
        L.polyline(lines, { color: '#b9b2a1', weight: 2, interactive: false }).addTo(this.map);
      }
      for (const p of b.base.parks)
        L.circleMarker([p.lat, p.lon], {
          radius: 24,
          color: '#2e7d32',
          weight: 1,
          fillColor: '#a5d6a7',
          fillOpacity: 0.6,
          interactive: false,
        }).addTo(this.map);
      for (const d of b.base.districts) {
        if (d.lat !== null && d.lon !== null)
          L.tooltip({ permanent: true, direction: 'center', className: 'district-label' })
            .setLatLng([d.lat, d.lon])
            .setContent(esc(d.name))
            .addTo(this.map);
      }
    }
    const a = this.amenities.value;
    if (a && this.points) this.drawPoints(a.stations, a.benches);
  }

  private stationPopup(s: StationSummaryT): string {
    const stock = s.stock
      .map(
        (i) =>
          `<li data-item="${esc(i.item)}">${esc(itemName(i.item))}: <b>${num(i.on_hand)}</b>${i.par_level !== null ? ` / ${num(i.par_level)}` : ''}</li>`,
      )
      .join('');
    return `<strong>${esc(s.name)}</strong><br><span class="standing">${esc(standingText(s.card, s.health.reasons))}</span><br>${s.open_now ? esc(t('state.open')) : esc(t('state.closed'))}
      <ul style="padding-inline-start:1.1rem;margin:0.3rem 0">${stock || `<li>${esc(t('state.no_data'))}</li>`}</ul>
      <a href="/stations/${encodeURIComponent(s.id)}">${esc(t('map.details'))}</a>`;
  }

  private benchPopup(b: BenchSummaryT): string {
    const free = b.ports !== null && b.ports_in_use !== null ? b.ports - b.ports_in_use : null;
    return `<strong>${esc(b.name ?? b.id)}</strong><br><span class="standing">${esc(standingText(b.card, b.health.reasons))}</span><br>
      ${esc(t('col.battery'))}: <b>${b.battery_soc === null ? '—' : `${num(b.battery_soc)} %`}</b><br>
      ${esc(t('map.free_ports'))}: <b>${free === null ? '—' : num(free)}</b><br>
      <a href="/benches/${encodeURIComponent(b.id)}">${esc(t('map.details'))}</a>`;
  }

  private drawPoints(stations: StationSummaryT[], benches: BenchSummaryT[]): void {
    const map = this.map!;
    const layer = this.points!;
    layer.clearLayers();
    const bounds: L.LatLngExpression[] = [];
    const spread = fanOut(map, benches);
    for (const b of benches) {
      if (b.lat === null || b.lon === null) continue;
      bounds.push([b.lat, b.lon]);
      L.circleMarker(spread.get(b.id) ?? [b.lat, b.lon], {
        className: `bench-marker card-${b.card.colour}${b.card.urgent ? ' urgent' : ''}`,
        radius: 7,
        weight: 3,
        ...ring(b.card, '#fff'),
        fillColor: GRADE_COLOURS[b.card.colour].bg,
        fillOpacity: 1,
      })
        .bindPopup(this.benchPopup(b), POPUP)
        .addTo(layer);
    }
    for (const s of stations) {
      bounds.push([s.lat, s.lon]);
      L.circleMarker([s.lat, s.lon], {
        className: `station-marker station-${s.id} card-${s.card.colour}${s.card.urgent ? ' urgent' : ''}`,
        radius: s.card.urgent ? 12 : 10,
        weight: 2,
        ...ring(s.card, '#111'),
        fillColor: GRADE_COLOURS[s.card.colour].bg,
        fillOpacity: 1,
      })
        .bindPopup(this.stationPopup(s), POPUP)
        .addTo(layer);
    }
    if (!this.fitted && bounds.length) {
      this.fitted = true;
      map.fitBounds(L.latLngBounds(bounds), { padding: [24, 24], maxZoom: 16 });
    }
  }

  private table(stations: StationSummaryT[], benches: BenchSummaryT[]) {
    return html`<details>
      <summary>${t('map.as_table', { n: num(stations.length + benches.length) })}</summary>
      <div class="table-wrap" tabindex="0">
        <table>
          <thead><tr><th scope="col">${t('map.name')}</th><th scope="col">${t('map.kind')}</th><th scope="col">${t('col.card')}</th><th scope="col">${t('map.now')}</th></tr></thead>
          <tbody>
            ${stations.map(
              (
                s,
              ) => html`<tr><th scope="row"><a class="cell-link" href=${`/stations/${encodeURIComponent(s.id)}`}>${s.name}</a></th><td>${t('map.station')}</td>
                <td><card-badge colour=${s.card.colour} ?urgent=${s.card.urgent} .reasons=${s.health.reasons}></card-badge></td>
                <td>${s.open_now ? t('state.open') : t('state.closed')} · ${s.stock.map((i) => `${itemName(i.item)} ${num(i.on_hand)}`).join('、')}</td></tr>`,
            )}
            ${benches.map(
              (
                b,
              ) => html`<tr><th scope="row"><a class="cell-link" href=${`/benches/${encodeURIComponent(b.id)}`}>${b.name ?? b.id}</a></th><td>${t('map.bench')}</td>
                <td><card-badge colour=${b.card.colour} ?urgent=${b.card.urgent} .reasons=${b.health.reasons}></card-badge></td>
                <td>${t('col.battery')} ${b.battery_soc === null ? '—' : `${num(b.battery_soc)} %`} · ${t('map.free_ports')} ${b.ports !== null && b.ports_in_use !== null ? num(b.ports - b.ports_in_use) : '—'}</td></tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>`;
  }

  render() {
    return html`<h1>${t('map.title')}</h1>
      <ul class="legend">
        ${CARD_COLOURS.map((g) => html`<li data-card=${g}><i style="background:${GRADE_COLOURS[g].bg}"></i>${cardLabel(g)}</li>`)}
        <li data-urgent><i style="background:#fff;border:3px dashed ${URGENT_RING}"></i>⚠ ${t('card.urgent')}</li>
        <li><i style="background:#fff"></i>${t('map.station')}</li>
        <li><i class="bench" style="background:#5b6472;border:3px solid #fff;box-shadow:0 0 0 1px #111;width:12px;height:12px"></i>${t('map.bench')}</li>
      </ul>
      <div id="map" role="region" aria-label=${t('map.title')}></div>
      ${renderTask(this.amenities, (a) => this.table(a.stations, a.benches))}`;
  }
}
customElements.define('map-page', MapPage);

declare global {
  interface HTMLElementTagNameMap {
    'map-page': MapPage;
  }
}
