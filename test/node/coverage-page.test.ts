import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generateProvince, networkGeoJson, populationCsv } from '../../scripts/gen-province.ts';
import type { Coverage } from '../../worker/schemas/planning.ts';
import { DESKTOP, PHONE, SHOTS, signedInPage, startBrowser, type Viewport, axeViolations } from './harness-web.ts';
import { request, startWorker, type TestWorker } from './harness.ts';

/**
 * The coverage screen in Chromium against a local Worker holding a small generated town (walking
 * network, population, stations loaded through the API): figures equal the API's, what-if and
 * siting work from the map, both languages at phone and desktop widths without console errors or
 * axe-core violations.
 */
let worker: TestWorker;
let browser: Browser;

async function call(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  return request(worker, path, { ...init, token: worker.adminToken });
}

beforeAll(async () => {
  worker = await startWorker();
  const town = generateProvince({ cities: 1, grid: 30, units: 900, stations: 8, seed: 3 });
  for (const d of town.districts) expect((await call('/api/v1/districts', { method: 'POST', json: d })).status).toBe(201);
  for (const s of town.stations) expect((await call('/api/v1/stations', { method: 'POST', json: s })).status).toBe(201);
  expect(
    (
      await call('/api/v1/network', {
        method: 'PUT',
        body: [...networkGeoJson(town)].join(''),
        headers: { 'content-type': 'application/geo+json' },
      })
    ).status,
  ).toBe(200);
  expect(
    (await call('/api/v1/population', { method: 'PUT', body: populationCsv(town), headers: { 'content-type': 'text/csv' } })).status,
  ).toBe(200);
  browser = await startBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/** A page signed in with the admin token (as after the sign-in form), in `lang`, collecting errors. */
const openPage = (vp: Viewport, lang: 'zh-CN' | 'en') => signedInPage(browser, { token: worker.adminToken, vp, lang });

async function showCoverage(page: Page): Promise<void> {
  await page.goto(`${worker.url}/coverage`, { waitUntil: 'load' });
  await page.locator('coverage-summary .big').first().waitFor({ timeout: 20_000 });
  await page.locator('coverage-map path.leaflet-interactive').first().waitFor({ state: 'attached', timeout: 20_000 });
}

describe.each([DESKTOP, PHONE] as Viewport[])('at $name width', (vp) => {
  it.each(['zh-CN', 'en'] as const)('renders in %s with the API’s figures, no console errors and no axe violations', async (lang) => {
    const { page, errors, close } = await openPage(vp, lang);
    try {
      await showCoverage(page);
      const api = (await (await call('/api/v1/coverage')).json()) as Coverage;
      const shown = await page.locator('coverage-summary .big').allInnerTexts();
      const fmt = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
      expect(shown).toEqual(api.levels.map((l) => fmt.format(l.share)));
      await page.screenshot({ path: `${SHOTS}/coverage-${vp.name}-${lang}.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(vp.width);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('planning from the map', () => {
  it('computes the change of a site placed on the map, and suggests sites', async () => {
    const { page, errors, close } = await openPage(DESKTOP, 'en');
    try {
      await showCoverage(page);
      await page.getByRole('button', { name: 'Place sites' }).click();
      const box = (await page.locator('coverage-map #map').boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.getByText('1 site(s) placed').waitFor();
      await page.getByRole('button', { name: 'Compute the change' }).click();
      const rows = page.locator('coverage-page section.panel').first().locator('tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(3);
      await page.getByRole('button', { name: 'Suggest sites' }).click();
      const picks = page.locator('coverage-page section.panel').nth(1).locator('tbody tr');
      await picks.first().waitFor();
      expect(await picks.count()).toBeGreaterThan(0);
      expect(await picks.count()).toBeLessThanOrEqual(5);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
