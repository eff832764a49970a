import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { OverviewT, StationDetailT } from '../../worker/schemas/dashboard.ts';
import {
  SHOTS,
  startCityAndBrowser,
  stopCityAndBrowser,
  DESKTOP,
  openPage,
  PHONE,
  type SeededCity,
  type Viewport,
  axeViolations,
} from './harness-web.ts';
import { request } from './harness.ts';

/**
 * The dashboard in Debian's Chromium against a local Worker holding the small demo city with a
 * week of simulated telemetry: every screen renders real data in both languages at phone and
 * desktop widths with no console errors and no axe-core violations; figures on screen equal
 * the API's; language and deep URLs survive a reload.
 */
let city: SeededCity;
let browser: Browser;
const perf: Record<string, unknown> = {};

beforeAll(async () => {
  ({ city, browser } = await startCityAndBrowser({ days: 8 }));
}, 240_000);

afterAll(async () => {
  await stopCityAndBrowser(city, browser);
  await mkdir('test-results', { recursive: true });
  await writeFile('test-results/dashboard-figures.json', JSON.stringify(perf, null, 2));
  console.log('dashboard figures', JSON.stringify(perf, null, 2));
});

async function api<T>(path: string): Promise<T> {
  const res = await request(city.worker, path, { token: city.worker.adminToken });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** A screen, and the selector (piercing shadow roots) that shows its data has arrived. */
interface Screen {
  name: string;
  path: () => string;
  ready: string;
}
const SCREENS: Screen[] = [
  { name: 'overview', path: () => '/', ready: 'overview-page table#supplies tbody tr' },
  { name: 'stations', path: () => '/stations', ready: 'stations-page table#stations tbody tr' },
  { name: 'station', path: () => `/stations/${city.stationIds[0]}`, ready: 'station-page table#stock tbody tr >> nth=0' },
  { name: 'benches', path: () => '/benches', ready: 'benches-page table#benches tbody tr' },
  { name: 'bench', path: () => `/benches/${city.benchIds[0]}`, ready: 'bench-page chart-panel' },
  { name: 'supplies', path: () => '/supplies', ready: 'supplies-page table#report tbody tr' },
  { name: 'map', path: () => '/map', ready: 'map-page path.leaflet-interactive' },
  { name: 'alerts', path: () => '/alerts?state=all', ready: 'alerts-page [data-loaded]' },
];

async function show(page: Page, s: Screen): Promise<void> {
  await page.goto(city.worker.url + s.path(), { waitUntil: 'load' });
  await page.locator(s.ready).first().waitFor({ state: 'attached', timeout: 20_000 });
  // Charts draw after Chart.js arrives; wait for every canvas to have been sized by it.
  await page.waitForFunction(() => {
    const walk = (root: Document | ShadowRoot): HTMLCanvasElement[] => [
      ...root.querySelectorAll('canvas'),
      ...[...root.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? walk(e.shadowRoot) : [])),
    ];
    return walk(document).every((c) => c.style.width !== '');
  });
}

/** Text → number, whatever the locale's grouping. */
const figure = (text: string) =>
  Number(
    text
      .trim()
      .split(/\s/)[0]!
      .replace(/[^\d.-]/g, ''),
  );

describe.each([DESKTOP, PHONE] as Viewport[])('at $name width ($width px)', (vp) => {
  describe.each(['zh-CN', 'en'] as const)('in %s', (lang) => {
    it('renders every screen with real data, no console errors and no axe violations', async () => {
      const { page, errors, close } = await openPage(browser, city, vp, lang);
      try {
        for (const s of SCREENS) {
          await show(page, s);
          expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
          await page.screenshot({ path: `${SHOTS}/${s.name}-${vp.name}-${lang}.png`, fullPage: true });
          expect(await axeViolations(page), `${s.name} ${vp.name} ${lang}`).toEqual([]);
          // Nothing wider than the screen except inside scrolling table wrappers.
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${s.name} page width`).toBeLessThanOrEqual(vp.width);
        }
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    });
  });
});

describe('the overview', () => {
  it('shows the same figures as the API, to the item', async () => {
    const { page, errors, close } = await openPage(browser, city, DESKTOP, 'en');
    try {
      await show(page, SCREENS[0]!);
      const o = await api<OverviewT>('/api/v1/dashboard/overview');
      expect(o.supplies.length).toBeGreaterThan(0);
      expect(o.supplies.some((s) => s.last_7_days.current > 0)).toBe(true);
      for (const s of o.supplies) {
        const row = page.locator(`overview-page tr[data-item="${s.item}"]`);
        expect(figure(await row.locator('td[data-figure="7d"]').innerText()), s.item).toBe(s.last_7_days.current);
        expect(figure(await row.locator('td[data-figure="30d"]').innerText()), s.item).toBe(s.last_30_days.current);
        expect(figure(await row.locator('td[data-figure="total"]').innerText()), s.item).toBe(s.since_opening);
      }
      expect(figure(await page.locator('overview-page [data-figure="open-now"]').innerText())).toBe(o.stations.open_now);
      expect(figure(await page.locator('overview-page [data-figure="sessions-today"]').innerText())).toBe(o.charging.today.sessions);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('is fully rendered quickly and every API call it makes is fast (measured, printed)', async () => {
    const { page, close } = await openPage(browser, city, DESKTOP, 'zh-CN');
    try {
      const cold = Date.now();
      await show(page, SCREENS[0]!); // cold: a new browser context, nothing cached
      perf.overview_first_visit_ms = Date.now() - cold;
      const t0 = Date.now();
      await show(page, SCREENS[0]!);
      perf.overview_rendered_ms = Date.now() - t0;
      const apiCalls: Record<string, number> = {};
      for (const s of SCREENS) {
        await show(page, s);
        const entries = await page.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes('/api/'))
            .map((e) => ({ url: new URL(e.name).pathname + new URL(e.name).search, ms: Math.round(e.duration) })),
        );
        for (const e of entries) apiCalls[`${s.name} ${e.url}`] = e.ms;
      }
      perf.api_calls_in_browser_ms = apiCalls;
      perf.slowest_api_call_in_browser_ms = Math.max(...Object.values(apiCalls));
      // The same calls one at a time (median of 3), without the browser's parallel requests queueing.
      const alone: Record<string, number> = {};
      await (await request(city.worker, '/api/v1/dashboard/me', { token: city.worker.adminToken })).arrayBuffer(); // open the connection
      for (const key of Object.keys(apiCalls)) {
        const url = key.slice(key.indexOf(' ') + 1);
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          const res = await request(city.worker, url, { token: city.worker.adminToken });
          await res.arrayBuffer();
          times.push(performance.now() - t);
        }
        alone[url] = Math.round(times.sort((a, b) => a - b)[1]!);
      }
      perf.api_calls_alone_ms = alone;
      perf.slowest_api_call_alone_ms = Math.max(...Object.values(alone));
    } finally {
      await close();
    }
  });
});

describe('live figures', () => {
  it('updates the overview while it is watched, as telemetry arrives', async () => {
    const { page, errors, close } = await openPage(browser, city, DESKTOP, 'en');
    try {
      await page.clock.install();
      await show(page, SCREENS[0]!);
      const cell = page.locator('overview-page tr[data-item="water"] td[data-figure="today"]');
      const before = figure(await cell.innerText());
      const station = city.stationIds[0]!;
      const res = await request(city.worker, '/api/v1/telemetry', {
        method: 'POST',
        token: city.deviceTokens[city.stationDevice[station]!],
        json: { messages: [{ seq: 2 ** 41, ts: new Date().toISOString(), type: 'dispense', item: 'water', qty: 7 }] },
      });
      expect(((await res.json()) as { accepted: number }).accepted).toBe(1);
      expect(figure(await cell.innerText())).toBe(before); // nothing moves before the next poll
      await page.clock.runFor(15_000);
      await expect.poll(async () => figure(await cell.innerText()), { timeout: 10_000 }).toBe(before + 7);

      // A hidden tab stops polling; showing it again refreshes at once.
      let calls = 0;
      page.on('request', (r) => {
        if (r.url().includes('/api/v1/dashboard/overview')) calls++;
      });
      const visibility = (hidden: boolean) =>
        page.evaluate((h) => {
          Object.defineProperty(document, 'hidden', { value: h, configurable: true });
          document.dispatchEvent(new Event('visibilitychange'));
        }, hidden);
      await visibility(true);
      await page.clock.runFor(60_000);
      expect(calls).toBe(0);
      await visibility(false);
      await expect.poll(() => calls, { timeout: 5_000 }).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('says what went wrong when a station does not exist', async () => {
    const { page, close } = await openPage(browser, city, PHONE, 'en');
    try {
      await page.goto(`${city.worker.url}/stations/no-such-station`);
      const alert = page.locator('station-page [role="alert"]');
      await alert.waitFor();
      expect(await alert.innerText()).toContain('Not found (404: No station "no-such-station")');
      await page.goto(`${city.worker.url}/no/such/page`);
      expect(await page.locator('not-found-page h1').innerText()).toBe('Page not found');
    } finally {
      await close();
    }
  });
});

describe('the station page', () => {
  it('shows stock on hand per item as the API has it', async () => {
    const id = city.stationIds[0]!;
    const { page, close } = await openPage(browser, city, DESKTOP, 'zh-CN');
    try {
      await show(page, SCREENS[2]!);
      const s = await api<StationDetailT>(`/api/v1/dashboard/stations/${id}`);
      expect(await page.locator('station-page h1').innerText()).toBe(s.name);
      expect(s.stock.length).toBeGreaterThan(0);
      for (const i of s.stock) {
        expect(figure(await page.locator(`station-page tr[data-item="${i.item}"] td[data-figure="on-hand"]`).innerText()), i.item).toBe(
          i.on_hand,
        );
      }
    } finally {
      await close();
    }
  });
});

describe('the supplies report', () => {
  it('exports exactly the rows the API reports as CSV, and prints without the navigation', async () => {
    const cfg = await api<{ today: string }>('/api/v1/dashboard/config');
    const from = cfg.today.slice(0, 8) + '01';
    const query = `from=${from}&to=${cfg.today}&group=station&period=day`;
    const report = await api<{ rows: Array<{ period: string; place: string; item: string; distributed: number; restocked: number }> }>(
      `/api/v1/dashboard/supplies?${query}`,
    );
    expect(report.rows.length).toBeGreaterThan(0);
    const { page, errors, close } = await openPage(browser, city, DESKTOP, 'zh-CN');
    try {
      await page.goto(`${city.worker.url}/supplies?${query}`);
      await page.locator('supplies-page table#report tbody tr').first().waitFor();
      expect(figure(await page.locator('supplies-page td[data-total="distributed"]').innerText())).toBe(
        report.rows.reduce((n, r) => n + r.distributed, 0),
      );
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
      const csv = await readFile((await download.path())!, 'utf8');
      const [head, ...lines] = csv
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      const cols = head!.split(',');
      expect(cols.slice(0, 6)).toEqual(['period', 'place', 'place_name', 'item', 'item_name', 'distributed']);
      expect(lines).toHaveLength(report.rows.length);
      lines.forEach((line, i) => {
        const cells = line.split(',');
        const row = report.rows[i]!;
        expect([cells[0], cells[1], cells[3], Number(cells[5]), Number(cells[cols.indexOf('restocked')])]).toEqual([
          row.period,
          row.place,
          row.item,
          row.distributed,
          row.restocked,
        ]);
      });
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('app-shell header').isVisible()).toBe(false);
      expect(await page.locator('supplies-page form').isVisible()).toBe(false);
      expect(await page.locator('supplies-page table#report').isVisible()).toBe(true);
      await page.screenshot({ path: `${SHOTS}/supplies-print-zh-CN.png`, fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the map', () => {
  it("opens a station's popup with what it holds now", async () => {
    const id = city.stationIds[0]!;
    const s = await api<StationDetailT>(`/api/v1/dashboard/stations/${id}`);
    const { page, errors, close } = await openPage(browser, city, DESKTOP, 'en');
    try {
      await show(page, SCREENS[6]!);
      expect(await page.locator('map-page path.bench-marker').count()).toBe(city.benchIds.length);
      await page.locator(`map-page path.station-${id}`).click();
      const popup = page.locator('map-page .leaflet-popup-content');
      await popup.waitFor();
      expect(await popup.locator('strong').innerText()).toBe(s.name);
      for (const i of s.stock) expect(figure(await popup.locator(`li[data-item="${i.item}"] b`).innerText()), i.item).toBe(i.on_hand);
      expect(await popup.locator('a').getAttribute('href')).toBe(`/stations/${id}`);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the station list', () => {
  it('filters by lowest stock share as the API figures say', async () => {
    const { stations } = await api<{ stations: Array<{ id: string; lowest_stock_pct: number | null }> }>('/api/v1/dashboard/stations');
    const { page, close } = await openPage(browser, city, DESKTOP, 'en');
    try {
      for (const pct of [100, 50, 25]) {
        await page.goto(`${city.worker.url}/stations?stock=${pct === 100 ? '' : pct}`);
        await page.locator('stations-page table#stations').waitFor();
        const shown = await page
          .locator('stations-page table#stations tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')).sort());
        const expected = stations
          .filter((s) => pct === 100 || (s.lowest_stock_pct !== null && s.lowest_stock_pct <= pct))
          .map((s) => s.id)
          .sort();
        expect(shown, `stock ≤ ${pct} %`).toEqual(expected);
      }
    } finally {
      await close();
    }
  });
});

describe('the bench page', () => {
  it('shows the battery the API reports', async () => {
    const id = city.benchIds[0]!;
    const b = await api<{ battery_soc: number | null; name: string | null }>(`/api/v1/dashboard/benches/${id}`);
    const { page, close } = await openPage(browser, city, DESKTOP, 'en');
    try {
      await show(page, SCREENS[4]!);
      expect(await page.locator('bench-page h1').innerText()).toBe(b.name ?? id);
      expect(figure(await page.locator('bench-page [data-figure="battery"]').innerText())).toBe(Math.round(b.battery_soc!));
    } finally {
      await close();
    }
  });
});

describe('the keyboard', () => {
  it('reaches and works the sort buttons of the bench list without a mouse', async () => {
    const { page, close } = await openPage(browser, city, DESKTOP, 'en');
    try {
      await show(page, SCREENS[3]!);
      const batteryHeader = page.locator('benches-page th', { hasText: 'Battery' });
      expect(await batteryHeader.getAttribute('aria-sort')).toBe('none');
      let focused = '';
      for (let i = 0; i < 40 && !focused.startsWith('Battery'); i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => {
          let a: Element | null = document.activeElement;
          while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
          return a?.textContent?.trim() ?? '';
        });
      }
      expect(focused.startsWith('Battery')).toBe(true);
      await page.keyboard.press('Enter');
      expect(await batteryHeader.getAttribute('aria-sort')).toBe('ascending');
      const { benches } = await api<{ benches: Array<{ id: string; battery_soc: number | null }> }>('/api/v1/dashboard/benches');
      const order = await page
        .locator('benches-page table#benches tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
      const soc = (id: string | null) => benches.find((b) => b.id === id)?.battery_soc ?? Infinity;
      expect(order.map(soc)).toEqual(benches.map((b) => b.battery_soc ?? Infinity).sort((a, b) => a - b));
      expect(new URL(page.url()).searchParams.get('sort')).toBe('battery');
    } finally {
      await close();
    }
  });
});

describe('navigation and language', () => {
  it('switches language, remembers it, and keeps a deep URL across a reload', async () => {
    const { page, errors, close } = await openPage(browser, city, PHONE, 'zh-CN');
    try {
      const deep = `/stations?district=&card=&sort=stock&desc=1`;
      await page.goto(city.worker.url + deep);
      await page.locator('stations-page table#stations').waitFor();
      expect(await page.locator('stations-page h1').innerText()).toBe('驿站');
      await page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => page.locator('stations-page h1').innerText(), { timeout: 10_000 }).toBe('Stations');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await page.reload();
      await page.locator('stations-page table#stations').waitFor();
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(deep);
      expect(await page.locator('stations-page h1').innerText()).toBe('Stations');
      expect(await page.locator('stations-page th[aria-sort="descending"]').innerText()).toContain('Lowest stock');
      // A link inside the list is a client-side navigation to a real URL.
      await page.locator('stations-page table#stations a').first().click();
      await page.locator('station-page table#stock').waitFor();
      expect(new URL(page.url()).pathname).toMatch(/^\/stations\/[^/]+$/);
      await page.reload();
      await page.locator('station-page table#stock').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('asks for a token once, keeps it for the session, and shows screens by role', async () => {
    const res = await request(city.worker, '/api/v1/tokens', {
      method: 'POST',
      token: city.worker.adminToken,
      json: { name: 'planner desk', role: 'planner' },
    });
    expect(res.status).toBe(201);
    const planner = ((await res.json()) as { token: string }).token;
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en' });
    const page = await context.newPage();
    try {
      await page.goto(`${city.worker.url}/benches`);
      await page.getByLabel('API token').fill('wrong-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('login-form [role="alert"]').waitFor();
      await page.getByLabel('API token').fill(planner);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('benches-page table#benches').waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('amenity.token'))).toBe(planner);
      const nav = await page.locator('app-shell nav a').allInnerTexts();
      expect(nav).toContain('Coverage');
      expect(nav).not.toContain('API');
      await page.reload();
      await page.locator('benches-page table#benches').waitFor();
      await page.screenshot({ path: `${SHOTS}/planner-benches-desktop-en.png` });

      // Staff restock and repair: no planning and no admin screens, and a deep link says why.
      const staffRes = await request(city.worker, '/api/v1/tokens', {
        method: 'POST',
        token: city.worker.adminToken,
        json: { name: 'van 3', role: 'staff' },
      });
      const staff = ((await staffRes.json()) as { token: string }).token;
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API token').fill(staff);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('benches-page table#benches').waitFor();
      const staffNav = await page.locator('app-shell nav a').allInnerTexts();
      expect(staffNav).not.toContain('Coverage');
      expect(staffNav).not.toContain('API');
      await page.goto(`${city.worker.url}/coverage`);
      expect(await page.locator('app-shell [role="alert"]').innerText()).toContain('not available to the role staff');
    } finally {
      await context.close();
    }
  });
});

describe('the build', () => {
  it('keeps the initial JavaScript under 120 KB gzipped, with Chart.js and Leaflet split out', async () => {
    const index = await readFile('dist/web/index.html', 'utf8');
    const initial = [...index.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(initial.length).toBeGreaterThan(0);
    let gz = 0;
    for (const f of initial) {
      const js = await readFile(`dist/web/${f}`, 'utf8');
      expect(js, f).not.toMatch(/Chart\.register|leaflet-container/);
      gz += gzipSync(js).length;
    }
    perf.initial_js_gzip_kb = Math.round(gz / 102.4) / 10;
    expect(gz).toBeLessThanOrEqual(120 * 1024);
  });
});
