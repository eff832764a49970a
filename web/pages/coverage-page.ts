import { css, html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LocalizedElement } from '../lib/localized-element.ts';
import { renderTask, errorBox } from '../lib/task-view.ts';
import { num, pct } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';
import { appState } from '../lib/app-state.ts';
import { itemName } from '../lib/items.ts';
import { saveBlob } from '../lib/download.ts';
import { fetchBenches, fetchStations } from '../data/dashboard.ts';
import {
  fetchArea,
  fetchCoverage,
  fetchTrend,
  fetchUnits,
  postSuggest,
  postWhatIf,
  fetchUnitsFile,
  type Kind,
  type Selection,
  type SuggestT,
  type WhatIfT,
} from '../data/coverage.ts';
import { t } from '../i18n/catalogue.ts';
import type { MapAmenity, MapSite } from '../components/coverage-map.ts';
import type { ChartSeries } from '../components/chart-panel.ts';
import { PALETTE } from '../lib/palette.ts';
import '../components/coverage-map.ts';
import '../components/coverage-summary.ts';
import '../components/chart-panel.ts';

/** The registry's items (from the app's config), else the seeded ones. */
const items = () => appState.config?.items.map((i) => i.code) ?? ['water', 'towel', 'umbrella', 'medicine_kit', 'sunscreen', 'raincoat'];
const LEVELS = [5, 10, 15];

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Coverage for planners: the 5/10/15-minute figures by district, residents on the map coloured
 * by walking time, the streets within reach of a chosen amenity, what-if placement (nothing
 * saved) and greedy siting suggestions.
 */
export class CoveragePage extends LocalizedElement {
  static properties = {
    kind: { state: true },
    live: { state: true },
    speed: { state: true },
    item: { state: true },
    placing: { state: true },
    added: { state: true },
    areaId: { state: true },
    whatIf: { state: true },
    suggestion: { state: true },
    busy: { state: true },
    actionError: { state: true },
  };
  declare kind: Kind;
  declare live: boolean;
  declare speed: number | null;
  declare item: string;
  declare placing: boolean;
  declare added: Array<{ lat: number; lon: number }>;
  declare areaId: string | null;
  declare whatIf: WhatIfT | null;
  declare suggestion: SuggestT | null;
  declare busy: boolean;
  declare actionError: unknown;

  constructor() {
    super();
    this.kind = 'all';
    this.live = false;
    this.speed = null;
    this.item = '';
    this.placing = false;
    this.added = [];
    this.areaId = null;
    this.whatIf = null;
    this.suggestion = null;
    this.busy = false;
    this.actionError = null;
  }

  private selection(): Selection {
    return { kind: this.kind, live: this.live, speed: this.speed, item: this.item, levels: LEVELS };
  }

  // Task args are compared one by one: primitives, so a re-render does not refetch.
  private readonly coverage = new Task(this, {
    task: async ([kind, live, speed, item], { signal }) => fetchCoverage({ kind, live, speed, item, levels: LEVELS }, signal),
    args: () => [this.kind, this.live, this.speed, this.item] as const,
  });
  private readonly units = new Task(this, {
    task: async ([kind, live, speed, item], { signal }) => (await fetchUnits({ kind, live, speed, item, levels: LEVELS }, signal)).features,
    args: () => [this.kind, this.live, this.speed, this.item] as const,
  });
  private readonly amenities = new Task(this, {
    task: async (_args, { signal }) => {
      const [s, b] = await Promise.all([fetchStations(signal), fetchBenches(signal)]);
      const out: MapAmenity[] = s.stations.map((x) => ({ id: x.id, name: x.name, kind: 'station' as const, lat: x.lat, lon: x.lon }));
      for (const x of b.benches)
        if (x.lat !== null && x.lon !== null) out.push({ id: x.id, name: x.name ?? x.id, kind: 'bench', lat: x.lat, lon: x.lon });
      return out;
    },
    args: () => [] as const,
  });
  private readonly area = new Task(this, {
    task: async ([id, speed], { signal }) => (id ? fetchArea(id, 15, speed, signal) : null),
    args: () => [this.areaId, this.speed] as const,
  });
  private readonly trend = new Task(this, {
    task: async ([kind], { signal }) => {
      const to = new Date();
      return fetchTrend(kind, isoDay(new Date(to.getTime() - 6 * 86_400_000)), isoDay(to), signal);
    },
    args: () => [this.kind] as const,
  });

  static styles = [
    shared,
    css`
      .controls { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: flex-end; margin: 0.75rem 0 1rem; }
      label.check { flex-direction: row; align-items: center; gap: 0.5rem; min-height: 44px; }
      label.check input { min-width: 24px; min-height: 24px; }
      .panel { margin-top: 1.5rem; }
      .help { font-size: 0.9rem; }
      section { margin-top: 1.25rem; }
    `,
  ];

  private async download(format: 'csv' | 'geojson'): Promise<void> {
    saveBlob(await fetchUnitsFile(this.selection(), format), `coverage-units.${format}`);
  }

  private async runWhatIf(): Promise<void> {
    this.busy = true;
    this.actionError = null;
    try {
      this.whatIf = await postWhatIf(this.selection(), { add: this.added, remove: [] });
    } catch (e) {
      this.actionError = e;
    } finally {
      this.busy = false;
    }
  }

  private async runSuggest(form: HTMLFormElement): Promise<void> {
    const f = new FormData(form);
    this.busy = true;
    this.actionError = null;
    try {
      this.suggestion = await postSuggest(this.selection(), {
        k: Number(f.get('k')),
        level: Number(f.get('level')),
        min_spacing_m: Number(f.get('spacing')),
      });
    } catch (e) {
      this.actionError = e;
    } finally {
      this.busy = false;
    }
  }

  private sites(): MapSite[] {
    const out: MapSite[] = this.added.map((s, i) => ({ ...s, label: `+${i + 1}` }));
    for (const p of this.suggestion?.picks ?? []) out.push({ lat: p.lat, lon: p.lon, label: `#${p.rank}` });
    return out;
  }

  private controls() {
    return html`<div class="controls">
      <label>${t('cov.kind')}
        <select @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as Kind)}>
          ${(['all', 'station', 'bench'] as const).map((k) => html`<option value=${k} ?selected=${this.kind === k}>${t(`cov.kind.${k}`)}</option>`)}
        </select>
      </label>
      <label>${t('cov.item')}
        <select @change=${(e: Event) => (this.item = (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${this.item === ''}>${t('cov.item.any')}</option>
          ${items().map((i) => html`<option value=${i} ?selected=${this.item === i}>${itemName(i)}</option>`)}
        </select>
      </label>
      <label>${t('cov.speed')}
        <input type="number" min="30" max="150" step="1" inputmode="numeric" .value=${this.speed === null ? '' : String(this.speed)}
          placeholder=${String(this.coverage.value?.speed_m_per_min ?? 75)}
          @change=${(e: Event) => {
            const v = Number((e.target as HTMLInputElement).value);
            this.speed = v > 0 ? v : null;
          }} />
      </label>
      <label class="check"><input type="checkbox" .checked=${this.live} @change=${(e: Event) => (this.live = (e.target as HTMLInputElement).checked)} />
        <span>${t('cov.live')}<br /><span class="muted help">${t('cov.live.help')}</span></span></label>
      <button @click=${() => void this.download('csv').catch((e: unknown) => (this.actionError = e))}>${t('cov.download')} (CSV)</button>
      <button @click=${() => void this.download('geojson').catch((e: unknown) => (this.actionError = e))}>${t('cov.download')} (GeoJSON)</button>
    </div>`;
  }

  private histogram() {
    const c = this.coverage.value;
    if (!c) return nothing;
    const bins = c.histogram.filter((b) => b.from !== null);
    const labels = bins.map((b) => (b.to === null ? `≥ ${b.from}` : `${b.from}–${b.to}`));
    const series: ChartSeries[] = [{ label: t('cov.population'), data: bins.map((b) => b.population), color: PALETTE[0]! }];
    return html`<chart-panel caption=${`${t('cov.histogram')} (${t('cov.minutes')})`} kind="bar" .labels=${labels} .series=${series}></chart-panel>`;
  }

  private trendChart() {
    return renderTask(this.trend, (tr) => {
      if (!tr.rows.length) return html`<p class="muted">${t('cov.trend')}: —</p>`;
      const labels = tr.rows.map((r) => `${r.day.slice(5)} ${String(r.hour).padStart(2, '0')}:00`);
      const series: ChartSeries[] = LEVELS.map((m, i) => ({
        label: t('cov.level', { m }),
        data: tr.rows.map((r) => Math.round((r.levels.find((l) => l.minutes === m)?.share ?? 0) * 1000) / 10),
        color: PALETTE[i]!,
        type: 'line' as const,
      }));
      return html`<chart-panel caption=${`${t('cov.trend')} (%)`} kind="line" digits="1" .labels=${labels} .series=${series}></chart-panel>`;
    });
  }

  private whatIfPanel() {
    const w = this.whatIf;
    return html`<section class="panel card">
      <h2>${t('cov.whatif')}</h2>
      <p class="muted help">${t('cov.whatif.help')}</p>
      <div class="row">
        <button aria-pressed=${this.placing ? 'true' : 'false'} @click=${() => (this.placing = !this.placing)}>${t('cov.whatif.place')}</button>
        <button @click=${() => {
          this.added = [];
          this.whatIf = null;
        }}>${t('cov.whatif.clear')}</button>
        <button class="primary" ?disabled=${!this.added.length || this.busy} @click=${() => void this.runWhatIf()}>${t('cov.whatif.run')}</button>
        <span role="status">${t('cov.whatif.sites', { n: this.added.length })}</span>
      </div>
      ${
        w
          ? html`<div class="table-wrap" tabindex="0"><table>
            <thead><tr><th scope="col"></th><th scope="col" class="num">${t('cov.whatif.before')}</th><th scope="col" class="num">${t('cov.whatif.after')}</th><th scope="col" class="num">${t('cov.whatif.delta')}</th></tr></thead>
            <tbody>${w.after.levels.map(
              (l, i) => html`<tr><th scope="row">${t('cov.level', { m: l.minutes })}</th>
              <td class="num">${pct(w.before.levels[i]!.share, 1)}</td><td class="num">${pct(l.share, 1)}</td>
              <td class="num up">+${num(w.delta[i]!.covered)} (${pct(w.delta[i]!.share, 1, true)})</td></tr>`,
            )}</tbody>
          </table></div>`
          : nothing
      }
    </section>`;
  }

  private suggestPanel() {
    const s = this.suggestion;
    return html`<section class="panel card">
      <h2>${t('cov.suggest')}</h2>
      <form class="controls" @submit=${(e: Event) => {
        e.preventDefault();
        void this.runSuggest(e.target as HTMLFormElement);
      }}>
        <label>${t('cov.suggest.k')}<input name="k" type="number" min="1" max="50" value="5" required /></label>
        <label>${t('cov.suggest.level')}<select name="level">${LEVELS.map((m) => html`<option value=${m} ?selected=${m === 15}>${m}</option>`)}</select></label>
        <label>${t('cov.suggest.spacing')}<input name="spacing" type="number" min="0" max="50000" step="50" value="500" /></label>
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('cov.suggest.run')}</button>
      </form>
      ${
        s
          ? html`<p class="muted help">${s.guarantee}</p>
            <div class="table-wrap" tabindex="0"><table>
              <thead><tr><th scope="col">${t('cov.suggest.rank')}</th><th scope="col">${t('cov.suggest.where')}</th><th scope="col" class="num">${t('cov.suggest.adds')}</th><th scope="col" class="num">${t('cov.suggest.share')}</th></tr></thead>
              <tbody>${s.picks.map((p) => html`<tr><th scope="row">#${p.rank}</th><td>${num(p.lat, 5)}, ${num(p.lon, 5)}</td><td class="num">${num(p.marginal_population)}</td><td class="num">${pct(p.share_after, 1)}</td></tr>`)}</tbody>
            </table></div>`
          : nothing
      }
    </section>`;
  }

  render() {
    return html`<h1>${t('cov.title')}</h1>
      <p class="muted">${t('cov.intro')}</p>
      ${this.controls()}
      ${this.actionError ? errorBox(this.actionError) : nothing}
      ${renderTask(this.coverage, (c) => html`<coverage-summary .data=${c}></coverage-summary>`)}
      <section>
        <h2>${t('cov.map')}</h2>
        <p class="muted help">${this.areaId ? t('cov.area.shown', { id: this.areaId }) : t('cov.area.hint')}</p>
        <coverage-map
          .units=${this.units.value ?? []}
          .levels=${LEVELS}
          .amenities=${this.amenities.value ?? []}
          .area=${this.area.value ?? null}
          .sites=${this.sites()}
          ?placing=${this.placing}
          @map-click=${(e: CustomEvent<{ lat: number; lon: number }>) => (this.added = [...this.added, e.detail])}
          @amenity-select=${(e: CustomEvent<{ id: string }>) => (this.areaId = e.detail.id)}
        ></coverage-map>
      </section>
      ${this.whatIfPanel()} ${this.suggestPanel()}
      <section>${this.histogram()}</section>
      <section>${this.trendChart()}</section>`;
  }
}
customElements.define('coverage-page', CoveragePage);

declare global {
  interface HTMLElementTagNameMap {
    'coverage-page': CoveragePage;
  }
}
