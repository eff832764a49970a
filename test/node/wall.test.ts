import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { SHOTS, startCityAndBrowser, stopCityAndBrowser, DESKTOP, openPage, type SeededCity } from './harness-web.ts';
import { request } from './harness.ts';

/**
 * The lobby wall screen in Chromium at 1920 and 3840 px without any token: the ranking with its
 * flags arrives, nothing scrolls, and the figures are the public endpoint's. Also the rankings
 * page signed in, with the district ranking and its parts.
 */
let city: SeededCity;
let browser: Browser;

beforeAll(async () => ({ city, browser } = await startCityAndBrowser({ days: 3 })), 240_000);
afterAll(() => stopCityAndBrowser(city, browser));

describe('wall screen', () => {
  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    it(`shows the ranking with flags at ${width} px without sign-in and without scrollbars`, async () => {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'UTC' });
      const page = await context.newPage();
      const authHeaders: string[] = [];
      page.on('request', (r) => {
        const a = r.headers()['authorization'];
        if (a) authHeaders.push(r.url());
      });
      await page.goto(`${city.worker.url}/wall`);
      await page.locator('wall-page table tr').first().waitFor({ timeout: 30_000 });
      const wall = (await (await request(city.worker, '/api/v1/public/wall')).json()) as {
        ranking: Record<'unit' | 'district', Array<{ name: string; flag: string | null }>>;
      };
      // The first panel is the ranking of responsible units when the city has them (the demo
      // city does: a street office and a sanitation office per district), else of districts.
      const shown = wall.ranking.unit.length ? wall.ranking.unit : wall.ranking.district;
      expect(shown.length).toBeGreaterThan(0);
      const rows = await page.locator('wall-page table tr').count();
      expect(rows).toBe(Math.min(8, shown.length));
      const flags = shown.slice(0, 8).filter((r) => r.flag !== null).length;
      expect(await page.locator('wall-page .flag').count()).toBe(flags);
      expect(await page.locator('wall-page table tr').first().innerText()).toContain(shown[0]!.name);
      const scroll = await page.evaluate(() => ({
        sw: document.documentElement.scrollWidth,
        sh: document.documentElement.scrollHeight,
        cw: document.documentElement.clientWidth,
        ch: document.documentElement.clientHeight,
      }));
      expect(scroll.sw).toBeLessThanOrEqual(scroll.cw);
      expect(scroll.sh).toBeLessThanOrEqual(scroll.ch);
      // The table's last row ends inside the screen.
      const box = await page.locator('wall-page table tr').last().boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(height);
      // Headline text readable across a room: at least 4 % of the screen height.
      const fontPx = await page.locator('wall-page table').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(fontPx).toBeGreaterThanOrEqual(height * 0.04);
      expect(authHeaders).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/wall-${width}-zh-CN.png` });
      await context.close();
    });
  }
});

describe('rankings page', () => {
  it('shows the district ranking with flags and parts', async () => {
    const { page, errors, close } = await openPage(browser, city, DESKTOP, 'en');
    await page.goto(`${city.worker.url}/rankings?by=district`);
    await page.locator('rankings-page table#ranking tbody tr').first().waitFor({ timeout: 30_000 });
    const n = await page.locator('rankings-page table#ranking tbody tr').count();
    expect(n).toBeGreaterThan(0);
    expect(await page.locator('rankings-page .flag.red').count()).toBeGreaterThanOrEqual(Math.min(2, n));
    await page.screenshot({ path: `${SHOTS}/rankings-desktop-en.png`, fullPage: true });
    // Every station since opening is asked for only when its section is opened.
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    expect(await page.locator('rankings-page details.since tbody tr').count()).toBe(0);
    await page.locator('rankings-page details.since summary').click();
    await page.locator('rankings-page details.since tbody tr').first().waitFor({ timeout: 30_000 });
    const since = (await (await request(city.worker, '/api/v1/monthly/since-opening', { token: city.worker.adminToken })).json()) as {
      rows: Array<{ name: string }>;
    };
    expect(asked).toContain('/api/v1/monthly/since-opening');
    expect(await page.locator('rankings-page details.since tbody tr').count()).toBe(since.rows.length);
    expect(await page.locator('rankings-page details.since tbody tr').first().innerText()).toContain(since.rows[0]!.name);
    // Closed and opened again: the rows it has, not asked for again.
    // The details' toggle event comes a task after the click, and the rows go with the next render.
    await page.locator('rankings-page details.since summary').click();
    await page.locator('rankings-page details.since tbody tr').first().waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.locator('rankings-page details.since tbody tr').count()).toBe(0);
    await page.locator('rankings-page details.since summary').click();
    await page.locator('rankings-page details.since tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('rankings-page details.since tbody tr').count()).toBe(since.rows.length);
    expect(asked.filter((p) => p === '/api/v1/monthly/since-opening')).toHaveLength(1);
    // Every site's uptime is fetched for its CSV only: the file holds the endpoint's rows.
    const month = new URL(page.url()).searchParams.get('month') ?? (await page.locator('rankings-page input[name=month]').inputValue());
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('rankings-page button', { hasText: 'uptime' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`uptime_${month}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    const uptime = (await (
      await request(city.worker, `/api/v1/monthly/uptime?month=${month}`, { token: city.worker.adminToken })
    ).json()) as {
      rows: Array<{ site: string }>;
    };
    expect(uptime.rows.length).toBeGreaterThan(0);
    expect(csv[0]!.replace(/^\ufeff/, '')).toBe('site,kind,name,district,hours,up_hours');
    expect(csv.length).toBe(uptime.rows.length + 1);
    expect(csv[1]!.split(',')[0]).toBe(uptime.rows[0]!.site);
    expect(errors).toEqual([]);
    await close();
  });
});
