import { css, html, nothing, type PropertyValues } from 'lit';
import type { Chart as ChartT, ChartConfiguration } from 'chart.js';
import { LocalizedElement } from '../lib/localized-element.ts';
import { t } from '../i18n/catalogue.ts';
import { num } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

// Requested as soon as a screen with charts is loaded, so Chart.js arrives while its data do.
let chartModule: Promise<typeof import('./chart-setup.ts')> | null = null;
const loadChart = () => (chartModule ??= import('./chart-setup.ts'));
void loadChart().catch(() => (chartModule = null));

export interface ChartSeries {
  label: string;
  data: Array<number | null>;
  color: string;
  type?: 'bar' | 'line';
  axis?: 'y' | 'y1';
}

/**
 * The one chart wrapper: Chart.js (only the parts used) is imported when the first chart is
 * drawn, created in firstUpdated, updated without animation when data change, destroyed on
 * disconnect. Every chart carries the same figures as a table for screen readers and keyboards.
 */
export class ChartPanel extends LocalizedElement {
  static properties = {
    caption: { type: String },
    kind: { type: String },
    labels: { attribute: false },
    series: { attribute: false },
    stacked: { type: Boolean },
    digits: { type: Number },
    y1Label: { type: String },
    _failed: { state: true },
  };
  declare caption: string;
  declare kind: 'bar' | 'line';
  declare labels: string[];
  declare series: ChartSeries[];
  declare stacked: boolean;
  declare digits: number;
  declare y1Label: string;
  declare _failed: boolean;
  private chart: ChartT | null = null;

  constructor() {
    super();
    this.caption = '';
    this.kind = 'bar';
    this.labels = [];
    this.series = [];
    this.stacked = false;
    this.digits = 0;
    this.y1Label = '';
    this._failed = false;
  }

  static styles = [
    shared,
    css`
      figure { margin: 0; background: #fff; border: 1px solid #c9ced6; border-radius: 8px; padding: 0.75rem; }
      figcaption { font-weight: 600; margin-bottom: 0.5rem; }
      .canvas { position: relative; height: var(--chart-height, 260px); }
      details { margin-top: 0.5rem; }
      summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; color: #0a4a8c; font-weight: 600; }
      .table-wrap { max-height: 22rem; overflow: auto; }
      @media print { .canvas { height: 200px; } details { display: none; } }
    `,
  ];

  private config(): ChartConfiguration {
    const hasY1 = this.series.some((s) => s.axis === 'y1');
    return {
      type: this.kind,
      data: this.chartData(),
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 14 } } },
        scales: {
          x: { stacked: this.stacked, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { stacked: this.stacked, beginAtZero: true, ticks: { precision: this.digits } },
          ...(hasY1
            ? {
                y1: {
                  position: 'right',
                  beginAtZero: true,
                  grid: { drawOnChartArea: false },
                  title: { display: !!this.y1Label, text: this.y1Label },
                },
              }
            : {}),
        },
      },
    } as ChartConfiguration;
  }

  private chartData(): ChartConfiguration['data'] {
    return {
      labels: this.labels,
      datasets: this.series.map((s) => ({
        type: s.type ?? this.kind,
        label: s.label,
        data: s.data,
        backgroundColor: s.color,
        borderColor: s.color,
        borderWidth: (s.type ?? this.kind) === 'line' ? 2 : 0,
        pointRadius: 0,
        spanGaps: false,
        yAxisID: s.axis ?? 'y',
      })),
    } as ChartConfiguration['data'];
  }

  async firstUpdated(): Promise<void> {
    try {
      const { Chart } = await loadChart();
      const canvas = this.renderRoot.querySelector('canvas');
      if (!canvas || !this.isConnected) return;
      this.chart = new Chart(canvas, this.config());
    } catch {
      this._failed = true;
    }
  }

  updated(changed: PropertyValues<this>): void {
    if (this.chart && (changed.has('labels') || changed.has('series') || changed.has('stacked'))) {
      this.chart.data = this.chartData();
      this.chart.update('none');
    }
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = null;
  }

  render() {
    return html`<figure>
      <figcaption>${this.caption}</figcaption>
      <div class="canvas"><canvas role="img" aria-label=${`${this.caption}. ${t('chart.see_table')}`}></canvas></div>
      ${this._failed ? html`<p class="status error" role="alert">${t('chart.failed')}</p>` : nothing}
      <details>
        <summary>${t('chart.table')}</summary>
        <div class="table-wrap" tabindex="0" role="region" aria-label=${`${this.caption} — ${t('chart.table')}`}>
          <table>
            <thead><tr><th scope="col">${t('chart.when')}</th>${this.series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}</tr></thead>
            <tbody>
              ${this.labels.map(
                (l, i) =>
                  html`<tr><th scope="row">${l}</th>${this.series.map((s) => html`<td class="num">${num(s.data[i] ?? null, this.digits)}</td>`)}</tr>`,
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>`;
  }
}
customElements.define('chart-panel', ChartPanel);

declare global {
  interface HTMLElementTagNameMap {
    'chart-panel': ChartPanel;
  }
}
