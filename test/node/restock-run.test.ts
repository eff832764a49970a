import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RestockPlanT } from '../../worker/schemas/restocks.ts';
import { SHOTS, startCityAndBrowser, stopCityAndBrowser, openPage, PHONE, type SeededCity, axeViolations } from './harness-web.ts';
import { request } from './harness.ts';

/**
 * The restock run on a 360 px phone against a local Worker with the small demo city: plan it,
 * load by the pick list, record two stops in two taps each — one of them on a weak signal whose
 * answer is lost — reload, and check with the API that each restock counted exactly once.
 */
let city: SeededCity;
let browser: Browser;

beforeAll(async () => ({ city, browser } = await startCityAndBrowser({ days: 3 })), 240_000);
afterAll(() => stopCityAndBrowser(city, browser));

async function api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await request(city.worker, path, { ...init, token: city.worker.adminToken });
  return { status: res.status, body: (await res.json()) as T };
}

const localDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

async function restockedAt(station: string): Promise<Record<string, number>> {
  const now = Date.now();
  const out: Record<string, number> = {};
  for (const item of ['water', 'towel']) {
    const r = await api<{ rows: Array<{ restocked: number }> }>(
      `/api/v1/supplies?from=${localDay(now - 86400_000)}&to=${localDay(now)}&by=station&station=${station}&item=${item}`,
    );
    expect(r.status).toBe(200);
    out[item] = r.body.rows[0]?.restocked ?? 0;
  }
  return out;
}

async function tap(page: Page, station: string, label: string): Promise<void> {
  await page.locator(`restock-stop-card[data-station="${station}"] button`, { hasText: label }).click();
}

describe('the restock run on a phone', () => {
  it('plans, records two stops in two taps each, survives a lost answer and a reload, and counts each restock once', async () => {
    // Two stations surely due: their reorder point just above what they hold.
    const due = city.stationIds.slice(0, 2);
    for (const id of due) {
      const s = await api<{ stock: Record<string, number> }>(`/api/v1/stations/${id}`);
      const water = s.body.stock.water ?? 0;
      const put = await api(`/api/v1/stations/${id}/items/water`, {
        method: 'PUT',
        json: { par_level: water + 30, reorder_point: water + 10 },
      });
      expect(put.status).toBe(200);
    }
    const { page, errors, close } = await openPage(browser, city, PHONE, 'en');
    try {
      await page.goto(`${city.worker.url}/restock`, { waitUntil: 'load' });
      const water = page.locator('restock-run-page input[name="cap:water"]');
      await water.waitFor();
      // Room and time enough for every due station of the city.
      await water.fill('5000');
      await water.dispatchEvent('change');
      const minutes = page.locator('restock-run-page input[name="minutes"]');
      await minutes.fill('1440');
      await minutes.dispatchEvent('change');
      await page.screenshot({ path: `${SHOTS}/restock-plan-phone-en.png`, fullPage: true });
      await page.locator('restock-run-page button[type="submit"]').click();
      await page.locator('restock-stop-card').first().waitFor();
      const run = (await page.evaluate(() => JSON.parse(localStorage.getItem('amenity.restock-run')!))) as {
        plan: RestockPlanT;
        stops: Record<string, { id: string; status: string }>;
      };
      const stops = run.plan.stops.map((s) => s.station);
      for (const id of due) expect(stops).toContain(id);
      // The pick list on screen is the plan's, item by item, and totals the stops' loads.
      const rows = await page.locator('restock-run-page table#pick-list tbody tr').allTextContents();
      expect(rows.length).toBe(Object.keys(run.plan.pick_list).length);
      const totals: Record<string, number> = {};
      for (const s of run.plan.stops) for (const [k, q] of Object.entries(s.bring)) totals[k] = (totals[k] ?? 0) + q;
      expect(run.plan.pick_list).toEqual(totals);
      await page.screenshot({ path: `${SHOTS}/restock-run-phone-en.png`, fullPage: true });

      const [first, second] = due as [string, string];
      const bring = (id: string) => run.plan.stops.find((s) => s.station === id)!.bring;
      const before = { [first]: await restockedAt(first), [second]: await restockedAt(second) };

      // Stop 1: tap "Restocked", then confirm.
      await tap(page, first, 'Restocked');
      await page.locator(`restock-stop-card[data-station="${first}"] button`, { hasText: 'Confirm' }).waitFor();
      await page.screenshot({ path: `${SHOTS}/restock-confirm-phone-en.png` });
      await tap(page, first, 'Confirm');
      await page.locator(`restock-stop-card[data-station="${first}"] .sent`).waitFor();

      // Stop 2 on a weak signal: the server records it but the answer never reaches the phone.
      let lost = 0;
      await page.route('**/restocks', async (route) => {
        await route.fetch();
        lost++;
        await route.abort('connectionreset');
      });
      await tap(page, second, 'Restocked');
      await tap(page, second, 'Confirm');
      await expect.poll(() => lost).toBe(1);
      await page.locator(`restock-stop-card[data-station="${second}"]`, { hasText: 'Waiting for signal' }).waitFor();
      await page.screenshot({ path: `${SHOTS}/restock-pending-phone-en.png`, fullPage: true });
      // Reload with the signal still bad: the page sends the waiting restock again by itself (same id) and is cut off again.
      await page.reload({ waitUntil: 'load' });
      await expect.poll(() => lost).toBe(2);
      await page.locator(`restock-stop-card[data-station="${second}"]`, { hasText: 'Waiting for signal' }).waitFor();
      // Back online: the phone sends it again; the server knows the id and counts nothing more.
      await page.unrouteAll({ behavior: 'wait' });
      await tap(page, second, 'Send again');
      await page.locator(`restock-stop-card[data-station="${second}"] .sent`).waitFor();
      await page.reload({ waitUntil: 'load' });
      await page.locator(`restock-stop-card[data-station="${second}"] .sent`).waitFor();
      await expect(page.locator('restock-run-page #progress').textContent()).resolves.toContain(`2 of ${stops.length}`);
      await page.screenshot({ path: `${SHOTS}/restock-recorded-phone-en.png`, fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

      for (const id of [first, second]) {
        const after = await restockedAt(id);
        const b = bring(id);
        for (const item of ['water', 'towel']) expect(after[item]! - before[id]![item]!, `${id} ${item}`).toBe(b[item] ?? 0);
      }
      // The same id sent once more from anywhere: a duplicate, still counted once.
      const again = await api<{ duplicate: boolean }>(`/api/v1/stations/${second}/restocks`, {
        method: 'POST',
        json: { id: run.stops[second]!.id, items: bring(second) },
      });
      expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
      expect(errors.filter((e) => !e.includes('restocks') && !e.includes('ERR_CONNECTION_RESET'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('is bilingual: the plan form in zh-CN', async () => {
    const { page, errors, close } = await openPage(browser, city, PHONE, 'zh-CN');
    try {
      await page.goto(`${city.worker.url}/restock`, { waitUntil: 'load' });
      await page.locator('restock-run-page h1', { hasText: '补货路线' }).waitFor();
      await page.locator('restock-run-page button[type="submit"]', { hasText: '生成路线' }).waitFor();
      await page.screenshot({ path: `${SHOTS}/restock-phone-zh-CN.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('restock-run-page button[type="submit"]').click();
      await page.locator('restock-run-page .summary').waitFor();
      await page.screenshot({ path: `${SHOTS}/restock-run-phone-zh-CN.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
