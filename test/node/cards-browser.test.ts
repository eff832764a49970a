import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { StationDetailT, StationListT } from '../../worker/schemas/dashboard.ts';
import { axeViolations, DESKTOP, launchChromium, openPage, PHONE, startSeededCity, type SeededCity } from './harness-web.ts';
import { request } from './harness.ts';

/**
 * The four-colour card (一卡四色) where the city is seen at a glance: the overview, the station
 * list and the map show each site's card by name (not colour alone), with "urgent now" and the
 * current-severity reasons, on a 360 px phone in Chinese. One station is emptied first: a first
 * stock-out gives it a yellow card, and the emergency rule makes it urgent.
 */
const SHOTS = 'test-results/screenshots';
let city: SeededCity;
let browser: Browser;
let emptied = '';
let emptiedName = '';

async function api<T>(path: string): Promise<T> {
  const res = await request(city.worker, path, { token: city.worker.adminToken });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  city = await startSeededCity({ days: 2 });
  browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
  // Pick a station whose stock-out card would be its first (nothing out of stock before).
  const { stations } = await api<StationListT>('/api/v1/dashboard/stations');
  const calm = stations.find((s) => !s.card.reasons.some((r) => r.kind === 'stock_out')) ?? stations[0]!;
  emptied = calm.id;
  emptiedName = calm.name;
  const s = await api<StationDetailT>(`/api/v1/dashboard/stations/${emptied}`);
  const res = await request(city.worker, '/api/v1/telemetry', {
    method: 'POST',
    token: city.deviceTokens[city.stationDevice[emptied]!]!,
    json: {
      messages: [
        { seq: 2 ** 40 + 1, ts: new Date().toISOString(), type: 'stock', levels: Object.fromEntries(s.stock.map((i) => [i.item, 0])) },
      ],
    },
  });
  expect(res.status).toBe(200);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await city?.stop();
});

async function go(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(city.worker.url + path, { waitUntil: 'load' });
  await page.locator(ready).first().waitFor({ state: 'attached', timeout: 20_000 });
}

describe('cards at 360 px in zh-CN', () => {
  it('the API gives the emptied station a yellow card, urgent, with the stock-out as a current reason', async () => {
    const s = await api<StationDetailT>(`/api/v1/dashboard/stations/${emptied}`);
    expect(s.health.reasons).toContain('stock_out');
    expect(s.card.urgent).toBe(true);
    expect(['yellow', 'orange', 'red']).toContain(s.card.colour);
  });

  it('overview, station list and map say the card by name, "urgent now" and why', async () => {
    const s = await api<StationDetailT>(`/api/v1/dashboard/stations/${emptied}`);
    const label = { yellow: '黄卡', orange: '橙卡', red: '红卡', blue: '蓝卡' }[s.card.colour];
    const { page, errors, close } = await openPage(browser, city, PHONE, 'zh-CN');
    try {
      // Overview: the site is in "needs attention", urgent sites first.
      await go(page, '/', 'overview-page section.attention li');
      const item = page.locator(`overview-page section.attention li[data-id="${emptied}"]`);
      expect(await item.locator('card-badge .chip').innerText()).toBe(label);
      expect(await item.locator('card-badge [data-urgent]').innerText()).toBe('⚠ 当前紧急');
      expect(await item.locator('card-badge .now').innerText()).toContain('有物品缺货');
      expect(await page.locator('overview-page section.attention li card-badge').first().locator('[data-urgent]').count()).toBe(1);
      expect(await page.locator('overview-page #cards-stations grade-bar li').first().innerText()).toContain('蓝卡');
      await page.screenshot({ path: `${SHOTS}/cards-overview-phone-zh-CN.png`, fullPage: true });

      // Station list: a card per row (the phone's card layout), urgent first by default.
      await go(page, '/stations', 'stations-page table#stations tbody tr');
      const row = page.locator(`stations-page tr[data-id="${emptied}"]`);
      expect(await row.locator('card-badge .chip').innerText()).toBe(label);
      expect(await row.locator('card-badge [data-urgent]').innerText()).toBe('⚠ 当前紧急');
      expect(await row.locator('td[data-label="卡色 · 当前"]').count()).toBe(1);
      expect(await page.locator('stations-page tbody tr').first().locator('card-badge [data-urgent]').count()).toBe(1);
      const box = await row.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(360);
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/cards-stations-phone-zh-CN.png` });
      // The card filter keeps the URL and shows only urgent sites.
      await page.locator('stations-page select').nth(1).selectOption('urgent');
      expect(new URL(page.url()).searchParams.get('card')).toBe('urgent');
      const urgentRows = await page.locator('stations-page tbody tr').count();
      const { stations } = await api<StationListT>('/api/v1/dashboard/stations');
      expect(urgentRows).toBe(stations.filter((x) => x.card.urgent).length);

      // Map: the marker filled with the card's colour and ringed as urgent; the popup in words; the legend names the cards.
      await go(page, '/map', `map-page path.station-${emptied}`);
      const marker = page.locator(`map-page path.station-${emptied}`);
      expect(await marker.getAttribute('class')).toContain(`card-${s.card.colour}`);
      expect(await marker.getAttribute('class')).toContain('urgent');
      expect(await page.locator('map-page .legend li[data-card="yellow"]').innerText()).toBe('黄卡');
      expect(await page.locator('map-page .legend li[data-urgent]').innerText()).toBe('⚠ 当前紧急');
      // The map may still be fitting itself to the city on a slow machine, moving the marker under
      // the pointer: the click goes to the marker element itself, again until the popup shows.
      const popup = page.locator('map-page .leaflet-popup-content');
      await expect
        .poll(
          async () => {
            await marker.dispatchEvent('click');
            return popup.isVisible();
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toBe(true);
      expect(await popup.locator('strong').innerText()).toBe(emptiedName);
      expect(await popup.locator('.standing').innerText()).toMatch(new RegExp(`^${label} · 当前紧急 · 当前：.*有物品缺货`));
      // Leaflet fades the popup in; the picture is taken once it is fully shown.
      await expect.poll(() => page.locator('map-page .leaflet-popup').evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
      await page.screenshot({ path: `${SHOTS}/cards-map-phone-zh-CN.png` });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the list with cards has no accessibility violations, and reads in English on a big screen', async () => {
    const { page, errors, close } = await openPage(browser, city, DESKTOP, 'en');
    try {
      await go(page, '/stations', 'stations-page table#stations tbody tr');
      const row = page.locator(`stations-page tr[data-id="${emptied}"]`);
      expect(await row.locator('card-badge [data-urgent]').innerText()).toBe('⚠ Urgent now');
      expect(await row.locator('card-badge .now').innerText()).toContain('An item is out of stock');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/cards-stations-desktop-en.png` });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
