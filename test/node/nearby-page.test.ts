import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { z } from '@hono/zod-openapi';
import type { Nearby, PublicStationNow } from '../../worker/schemas/public.ts';
import type { PublicReportState } from '../../worker/schemas/public-reports.ts';
import { PHONE, SHOTS, startCityAndBrowser, type SeededCity } from './harness-web.ts';
import { request } from './harness.ts';

/**
 * The public page in Chromium against a local Worker with the small demo city: no sign-in, the
 * nearest open stations from a located phone, the station QR page with a problem report, and the
 * page and its last answer from the service worker's cache once the server is gone.
 */
let city: SeededCity;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let origin: { lat: number; lon: number };
let expected: z.infer<typeof Nearby>;
let stopped = false;

async function api<T>(path: string): Promise<T> {
  const res = await request(city.worker, path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  ({ city, browser } = await startCityAndBrowser({ days: 1 }));
  // Stand at a station that is open now: the answer is then never empty.
  for (const id of city.stationIds) {
    const s = await api<z.infer<typeof PublicStationNow>>(`/api/v1/public/stations/${id}`);
    if (s.open && !s.stale) {
      origin = { lat: s.lat + 0.0004, lon: s.lon + 0.0003 };
      break;
    }
  }
  expected = await api(`/api/v1/public/nearby?lat=${origin.lat.toFixed(6)}&lon=${origin.lon.toFixed(6)}&need=rest&limit=5`);
  context = await browser.newContext({
    viewport: { width: PHONE.width, height: PHONE.height },
    locale: 'en',
    timezoneId: 'Asia/Shanghai',
    geolocation: { latitude: origin.lat, longitude: origin.lon, accuracy: 10 },
    permissions: ['geolocation'],
    serviceWorkers: 'allow',
  });
  await context.addInitScript(() => {
    if (!localStorage.getItem('amenity.lang')) localStorage.setItem('amenity.lang', 'en');
  });
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (!stopped) await city?.stop();
});

const cards = () => page.locator('nearby-card');

describe('the public page /nearby', () => {
  it('needs no sign-in, and shows the nearest open stations from the phone’s location as cards, as the API ranks them', async () => {
    await page.goto(`${city.worker.url}/nearby`);
    await expect.poll(() => page.locator('public-shell').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('login-form').count()).toBe(0);
    await page.getByRole('button', { name: 'A rest' }).click();
    await page.getByRole('button', { name: 'Use my location' }).click();
    await expect.poll(() => cards().count(), { timeout: 20_000 }).toBe(expected.results.length);
    expect(expected.results.length).toBeGreaterThan(0);
    const names = await cards().locator('h3').allTextContents();
    expect(names).toEqual(expected.results.map((r) => r.name));
    const first = expected.results[0]!;
    await expect
      .poll(() => cards().first().locator('.walk').textContent(), { timeout: 10_000 })
      .toContain(`${Math.max(1, Math.ceil(first.walk_min))} min walk`);
    // Big enough to hit with a gloved thumb.
    for (const b of await page.locator('nearby-page button').all()) {
      const box = await b.boundingBox();
      if (box) expect(box.height, (await b.textContent()) ?? '').toBeGreaterThanOrEqual(48);
    }
    // Nothing scrolls sideways at 360 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${SHOTS}/nearby-phone-en.png`, fullPage: true });
  });

  it('is installable: a web app manifest and an active service worker', async () => {
    const href = await page.locator('link[rel=manifest]').getAttribute('href');
    const manifest = JSON.parse(await (await fetch(`${city.worker.url}${href}`)).text()) as {
      start_url: string;
      display: string;
      icons: unknown[];
    };
    expect(manifest).toMatchObject({ start_url: '/nearby', display: 'standalone' });
    expect(manifest.icons.length).toBeGreaterThan(0);
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state), { timeout: 15_000 })
      .toBe('activated');
  });

  it('loads in under 150 KB gzipped', async () => {
    const html = await readFile('dist/web/nearby.html', 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    let gz = gzipSync(html).length;
    for (const f of files) gz += gzipSync(await readFile(`dist/web/${f}`)).length;
    console.log(`public page first load: ${(gz / 1024).toFixed(1)} KB gzipped (${files.length + 1} files)`);
    expect(gz).toBeLessThanOrEqual(150 * 1024);
  });
});

describe('the station QR page /s/{id}', () => {
  it('shows the station now and takes a problem report that the reporter can follow', async () => {
    const id = expected.results[0]!.id;
    const s = await api<z.infer<typeof PublicStationNow>>(`/api/v1/public/stations/${id}`);
    await page.goto(`${city.worker.url}/s/${id}`);
    await expect.poll(() => page.locator('station-qr-page h1').textContent(), { timeout: 10_000 }).toBe(s.name);
    const shown = await page.locator('station-qr-page ul.items li').allTextContents();
    expect(shown.length).toBe(Object.keys(s.items).length);
    for (const qty of Object.values(s.items)) expect(shown.some((li) => li.includes(qty > 0 ? String(qty) : 'Out of stock'))).toBe(true);
    expect(await page.locator('station-qr-page code').first().textContent()).toBe(s.opening_hours);
    await page.getByRole('button', { name: 'Out of stock' }).click();
    await page.locator('report-form textarea').fill('No water at noon');
    await page.getByRole('button', { name: 'Send report' }).click();
    await expect
      .poll(() => page.locator('report-form .ok').textContent(), { timeout: 15_000 })
      .toMatch(/Your reference is [A-Za-z0-9_-]{22}/);
    const ref = /reference is ([A-Za-z0-9_-]{22})/.exec((await page.locator('report-form .ok').textContent())!)![1]!;
    const state = await api<z.infer<typeof PublicReportState>>(`/api/v1/public/reports/${ref}`);
    expect(state).toMatchObject({ site: id, category: 'empty', state: 'received' });
    await page.screenshot({ path: `${SHOTS}/station-qr-phone-en.png`, fullPage: true });
  });
});

describe('the QR sheet /qr (admin)', () => {
  it('prints one QR code per station, each pointing at its /s/{id} page', async () => {
    const admin = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en' });
    await admin.addInitScript((token) => sessionStorage.setItem('amenity.token', token), city.worker.adminToken);
    const p = await admin.newPage();
    await p.goto(`${city.worker.url}/qr`);
    const figures = p.locator('qr-sheet-page figure');
    await expect.poll(() => figures.count(), { timeout: 20_000 }).toBe(city.stationIds.length);
    const urls = await figures.evaluateAll((fs) => fs.map((f) => f.getAttribute('data-url')));
    expect(urls.sort()).toEqual(city.stationIds.map((id) => `${city.worker.url}/s/${id}`).sort());
    expect(await p.locator('qr-sheet-page figure svg').count()).toBe(city.stationIds.length);
    await p.screenshot({ path: `${SHOTS}/qr-sheet-desktop-en.png` });
    await admin.close();
  });
});

describe('without a signal', () => {
  it('reloads from the service worker’s cache and shows the last answer with its age', async () => {
    await page.goto(`${city.worker.url}/nearby`);
    await expect.poll(() => cards().count(), { timeout: 20_000 }).toBe(expected.results.length);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 }).toBe(true);
    // Really gone: the server stops, and the browser is told it is offline.
    await city.stop();
    stopped = true;
    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => cards().count(), { timeout: 20_000 }).toBe(expected.results.length);
    expect(await cards().locator('h3').allTextContents()).toEqual(expected.results.map((r) => r.name));
    const banner = page.locator('nearby-page .status.offline');
    await expect
      .poll(() => banner.textContent(), { timeout: 10_000 })
      .toMatch(/No connection\. Showing the answer from \d\d:\d\d \((just now|\d+ minutes? ago)\)/);
    expect(await page.locator('nearby-page .fresh').textContent()).toMatch(/Updated/);
    await page.screenshot({ path: `${SHOTS}/nearby-offline-phone-en.png`, fullPage: true });
  });
});
