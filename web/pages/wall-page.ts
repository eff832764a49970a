import { css, html, nothing } from 'lit';
import { LocalizedElement } from '../lib/localized-element.ts';
import { getLocale, t } from '../i18n/catalogue.ts';
import { fetchWall, type WallT } from '../data/rankings.ts';
import { PollController } from '../lib/poll.ts';
import { dateTime, num } from '../lib/format.ts';
import { errorMessage } from '../lib/task-view.ts';
import type { MessageKey } from '../i18n/en.ts';

const ROTATE_MS = 15_000;
const REFRESH_MS = 60_000;
/** Rows per ranking panel: at 1920 × 1080 and above these read from across a room. */
const ROWS = 8;

type Panel = { kind: 'ranking'; by: 'unit' | 'district'; page: number } | { kind: 'supplies' } | { kind: 'map' };

/**
 * The lobby wall screen: no sign-in (it reads the public /api/v1/public/wall), full screen, panels
 * rotating every 15 s, data refreshed every minute. Sizes follow the viewport (vh), so 1920 and
 * 3840 px screens show the same layout, larger; nothing scrolls.
 */
export class WallPage extends LocalizedElement {
  static properties = { _data: { state: true }, _i: { state: true }, _error: { state: true } };
  declare _data: WallT | null;
  declare _i: number;
  declare _error: string;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this._data = null;
    this._i = 0;
    this._error = '';
    new PollController(this, () => void this.load(), REFRESH_MS);
  }

  connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.style.overflow = 'hidden';
    void this.load();
    this.timer = setInterval(() => (this._i = this._i + 1), ROTATE_MS);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
    document.documentElement.style.overflow = '';
  }

  private async load(): Promise<void> {
    try {
      this._data = await fetchWall();
      this._error = '';
    } catch (e) {
      this._error = errorMessage(e); // keep showing the last data
    }
  }

  private panels(d: WallT): Panel[] {
    const out: Panel[] = [];
    for (const by of ['unit', 'district'] as const) {
      const n = d.ranking[by].length;
      for (let p = 0; p * ROWS < n; p++) out.push({ kind: 'ranking', by, page: p });
    }
    out.push({ kind: 'supplies' }, { kind: 'map' });
    return out;
  }

  static styles = css`
    :host { position: fixed; inset: 0; display: flex; flex-direction: column; overflow: hidden; background: #071a30; color: #fff; font-family: system-ui, 'Noto Sans CJK SC', sans-serif; font-size: 2.6vh; }
    header { display: flex; justify-content: space-between; align-items: baseline; padding: 2vh 3vw 1vh; }
    h1 { font-size: 5.5vh; margin: 0; }
    .meta { font-size: 2.4vh; color: #b8c7da; }
    main { flex: 1; padding: 1vh 3vw 3vh; min-height: 0; }
    table { width: 100%; border-collapse: collapse; font-size: 4.4vh; }
    td { padding: 0.9vh 1vw; border-bottom: 0.2vh solid #23425f; }
    td.rank { width: 8vw; font-weight: 800; }
    td.score { text-align: right; font-variant-numeric: tabular-nums; font-weight: 700; }
    .flag { display: inline-block; padding: 0.2vh 1vw; border-radius: 0.6vh; font-weight: 800; font-size: 3.4vh; }
    .flag.red { background: #e53935; }
    .flag.black { background: #000; border: 0.3vh solid #fff; }
    .bars { display: grid; gap: 1.6vh; font-size: 4.4vh; }
    .bar { display: grid; grid-template-columns: 22vw 1fr 14vw; align-items: center; gap: 1vw; }
    .bar i { display: block; height: 4.4vh; background: #4fc3f7; border-radius: 0.6vh; }
    .bar b { text-align: right; font-variant-numeric: tabular-nums; }
    svg { width: 100%; height: 100%; }
    .legend { font-size: 3vh; }
    .dots { text-align: center; padding-bottom: 1.5vh; }
    .dots span { display: inline-block; width: 1.2vh; height: 1.2vh; border-radius: 50%; background: #3b5674; margin: 0 0.5vh; }
    .dots span.on { background: #fff; }
    .error { color: #ffb4a9; }
  `;

  private ranking(d: WallT, by: 'unit' | 'district', page: number) {
    const rows = d.ranking[by].slice(page * ROWS, page * ROWS + ROWS);
    return html`<table>
      ${rows.map(
        (r) => html`<tr>
        <td class="rank">${r.rank ?? '—'}</td>
        <td>${r.name}</td>
        <td>${r.flag ? html`<span class="flag ${r.flag}">${t(`rank.flag.${r.flag}` as MessageKey)}</span>` : nothing}</td>
        <td class="score">${num(r.score, 1)}</td>
      </tr>`,
      )}
    </table>`;
  }

  private supplies(d: WallT) {
    const max = Math.max(1, ...d.supplies.map((s) => s.dispensed));
    const name = (s: WallT['supplies'][number]) => (getLocale() === 'en' ? s.name_en : s.name_zh) ?? s.item;
    return html`<div class="bars">
      ${d.supplies.slice(0, 8).map((s) => html`<div class="bar"><span>${name(s)}</span><i style="width:${(100 * s.dispensed) / max}%"></i><b>${num(s.dispensed)}</b></div>`)}
    </div>`;
  }

  private map(d: WallT) {
    const st = d.stations;
    if (!st.length) return nothing;
    const lats = st.map((s) => s.lat);
    const lons = st.map((s) => s.lon);
    const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
    // Equirectangular at the city's latitude: fine over a city's few kilometres.
    const k = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
    const w = Math.max((maxLon - minLon) * k, 1e-3);
    const h = Math.max(maxLat - minLat, 1e-3);
    const pad = 0.08;
    const x = (lon: number) => (pad + (((lon - minLon) * k) / w) * (1 - 2 * pad)) * 1600;
    const y = (lat: number) => (pad + ((maxLat - lat) / h) * (1 - 2 * pad)) * 760;
    const open = st.filter((s) => s.open).length;
    return html`<div class="legend">● ${t('wall.open')} ${open} / ${st.length}</div>
      <svg viewBox="0 0 1600 760" preserveAspectRatio="xMidYMid meet" role="img" aria-label=${t('wall.map')}>
        ${st.map(
          (s) => html`<g>
          <circle cx=${x(s.lon)} cy=${y(s.lat)} r="16" fill=${s.open ? '#66bb6a' : '#546e7a'} stroke="#fff" stroke-width="3"></circle>
          ${st.length <= 24 ? html`<text x=${x(s.lon) + 22} y=${y(s.lat) + 8} fill="#dfe8f2" font-size="24">${s.name}</text>` : nothing}
        </g>`,
        )}
      </svg>`;
  }

  render() {
    const d = this._data;
    if (!d) return html`<main><p class=${this._error ? 'error' : ''}>${this._error || t('state.loading')}</p></main>`;
    const panels = this.panels(d);
    const i = this._i % panels.length;
    const p = panels[i]!;
    const title =
      p.kind === 'ranking'
        ? `${t('wall.title')} · ${d.ranking.month} · ${t(`rank.by.${p.by}` as MessageKey)}${d.ranking.provisional ? ` (${t('wall.provisional')})` : ''}`
        : p.kind === 'supplies'
          ? `${t('wall.supplies')} · ${d.month}`
          : t('wall.map');
    return html`<header><h1>${title}</h1><span class="meta">${t('wall.updated', { when: dateTime(d.now) })}${this._error ? html` · <span class="error">${this._error}</span>` : nothing}</span></header>
      <main>${p.kind === 'ranking' ? this.ranking(d, p.by, p.page) : p.kind === 'supplies' ? this.supplies(d) : this.map(d)}</main>
      <div class="dots" aria-hidden="true">${panels.map((_, j) => html`<span class=${j === i ? 'on' : ''}></span>`)}</div>`;
  }
}
customElements.define('wall-page', WallPage);

declare global {
  interface HTMLElementTagNameMap {
    'wall-page': WallPage;
  }
}
