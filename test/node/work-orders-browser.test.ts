import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, PHONE, SHOTS, signedInPage, startBrowser, type Viewport } from './harness-web.ts';
import { request, startWorker, type TestWorker } from './harness.ts';

/**
 * The work-order loop on a 360 px phone in Chromium, as the field runs it: a supervisor opens an
 * order and dispatches it to a team, a team member arrives, photographs and handles it, the check
 * fails and sends it back (回头看), the second round passes, the order closes with its 双十
 * figures. Each role uses its own token and sees only its own buttons.
 */
let worker: TestWorker;
let browser: Browser;
const ids = { district: 'wo-d', station: 'wo-st', unit: 'wo-unit', team: 'wo-team', sup: 'wo-sup', staff: 'wo-staff' };
const tokens: Record<'sup' | 'staff', string> = { sup: '', staff: '' };

async function admin(path: string, json: unknown, method = 'POST'): Promise<Response> {
  const res = await request(worker, path, { method, token: worker.adminToken, json });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res;
}

beforeAll(async () => {
  worker = await startWorker();
  browser = await startBrowser();
  await admin('/api/v1/districts', { id: ids.district, name: '东昌府区' });
  await admin('/api/v1/stations', { id: ids.station, name: '人民广场户外劳动者驿站', district: ids.district, lat: 36.456, lon: 115.985 });
  await admin('/api/v1/units', { id: ids.unit, name: '东昌府区环卫所', kind: 'sanitation', district: ids.district });
  await admin(`/api/v1/units/${ids.unit}/sites`, { stations: [ids.station] }, 'PUT');
  await admin('/api/v1/people', { id: ids.sup, name: '李督查', unit: ids.unit });
  await admin('/api/v1/people', { id: ids.staff, name: '王师傅', unit: ids.unit });
  await admin('/api/v1/teams', { id: ids.team, name: '养护一班', unit: ids.unit, members: [ids.staff] });
  tokens.sup = (
    (await (await admin('/api/v1/tokens', { name: 'sup phone', role: 'supervisor', person: ids.sup })).json()) as { token: string }
  ).token;
  tokens.staff = (
    (await (await admin('/api/v1/tokens', { name: 'staff phone', role: 'staff', person: ids.staff })).json()) as { token: string }
  ).token;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/** A page signed in as the supervisor or the staff member; a touch-screen phone unless `vp` says otherwise. */
const phone = (who: 'sup' | 'staff', lang: 'zh-CN' | 'en', vp: Viewport = PHONE) =>
  signedInPage(browser, { token: tokens[who], vp, lang, touch: vp === PHONE });

const step = (page: Page) => page.locator('work-order-page strong[data-step]').getAttribute('data-step');
async function press(page: Page, move: string, expected: string): Promise<void> {
  const button = page.locator(`work-order-page button[data-move="${move}"]`);
  // The buttons are drawn again whenever the order's answer arrives: a measure can meet a button
  // that was just replaced (null box), so wait for one and measure again until it holds still.
  let box: { height: number } | null = null;
  for (let i = 0; i < 20 && !box; i++) {
    await button.waitFor({ state: 'visible' });
    box = await button.boundingBox();
  }
  expect(box?.height, `${move} button is a big target`).toBeGreaterThanOrEqual(48);
  // Wait for the step's own answer, so the next press sees the order as the server left it.
  await Promise.all([page.waitForResponse((r) => r.url().includes('/steps') && r.request().method() === 'POST'), button.click()]);
  await page.locator(`work-order-page strong[data-step="${expected}"]`).waitFor();
  await page.locator('work-order-page p.status.ok').waitFor();
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('the work-order loop on a 360 px phone', () => {
  it('open, dispatch, arrive, photograph, handle, fail the check, redo, pass, close', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const sup = await phone('sup', lang);
      const staff = await phone('staff', lang);
      const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}/work-order-${name}-phone-${lang}.png`, fullPage: true });

      // Supervisor opens the order by hand and registers and dispatches it.
      await sup.page.goto(`${worker.url}/work-orders/new?site=${ids.station}&kind=restock`);
      await sup.page.locator('work-order-new-page textarea[name="note"]').fill('饮用水缺货');
      await sup.page.locator('work-order-new-page button[type="submit"]').click();
      await sup.page.locator('work-order-page strong[data-step="reported"]').waitFor();
      const orderUrl = sup.page.url();
      const orderId = decodeURIComponent(orderUrl.split('/').at(-1)!);
      await press(sup.page, 'registered', 'registered');
      await sup.page.locator('work-order-page select[name="assignee"] option[value="wo-team"]').waitFor({ state: 'attached' });
      await sup.page.locator('work-order-page select[name="assignee"]').selectOption(ids.team);
      await press(sup.page, 'dispatched', 'dispatched');
      await shot(sup.page, 'dispatched');

      // The board shows it under 任务派遣.
      await sup.page.goto(`${worker.url}/work-orders`);
      await sup.page.locator(`work-orders-page section[data-step="dispatched"] work-order-card a[data-id="${orderId}"]`).waitFor();
      expect(await horizontalOverflow(sup.page)).toBeLessThanOrEqual(0);
      await shot(sup.page, 'board');

      // Staff: my orders → the order → on site → photo → handled.
      await staff.page.goto(`${worker.url}/work-orders/mine`);
      await staff.page.locator(`my-orders-page work-order-card a[data-id="${orderId}"]`).click();
      await staff.page.locator('work-order-page strong[data-step="dispatched"]').waitFor();
      expect(
        await staff.page.locator('work-order-page button[data-move="registered"], work-order-page button[data-move="check-pass"]').count(),
      ).toBe(0);
      await press(staff.page, 'arrived', 'dispatched');
      const input = staff.page.locator('work-order-page input[type="file"]');
      expect(await input.getAttribute('accept')).toBe('image/*');
      expect(await input.getAttribute('capture')).toBe('environment');
      const photo = await staff.page.screenshot({ type: 'jpeg', quality: 60, clip: { x: 0, y: 0, width: 320, height: 240 } });
      await input.setInputFiles({ name: 'site.jpg', mimeType: 'image/jpeg', buffer: photo });
      await staff.page.locator('work-order-page work-order-photo').first().waitFor();
      await staff.page
        .waitForFunction(
          () => {
            const img = document
              .querySelector('app-shell')
              ?.shadowRoot?.querySelector('work-order-page')
              ?.shadowRoot?.querySelector('work-order-photo')
              ?.shadowRoot?.querySelector('img');
            return !!img && img.complete && img.naturalWidth > 0;
          },
          undefined,
          { timeout: 10_000 },
        )
        .catch(() => undefined);
      await press(staff.page, 'handled', 'handled');
      await shot(staff.page, 'handled');

      // Supervisor: the check fails (回头看), back to dispatched with a second dispatch.
      await sup.page.goto(orderUrl);
      await press(sup.page, 'check-fail', 'dispatched');
      expect(await sup.page.locator('work-order-page sla-figures').textContent()).not.toBeNull();
      await shot(sup.page, 'sent-back');

      // Staff redo it; the check passes; the order closes and is evaluated.
      await staff.page.goto(orderUrl);
      await press(staff.page, 'arrived', 'dispatched');
      await press(staff.page, 'handled', 'handled');
      await sup.page.goto(orderUrl);
      await press(sup.page, 'check-pass', 'checked');
      await press(sup.page, 'closed', 'closed');
      await press(sup.page, 'evaluated', 'evaluated');
      const verdict = await sup.page.locator('work-order-page sla-figures .verdict').getAttribute('data-met');
      expect(verdict).toBe('true');
      expect(await sup.page.locator('work-order-page ol.timeline li').count()).toBe(12);
      expect(await horizontalOverflow(sup.page)).toBeLessThanOrEqual(0);
      await shot(sup.page, 'closed');

      // What the screen shows is what the API stored.
      const stored = (await (await request(worker, `/api/v1/work-orders/${orderId}`, { token: tokens.sup })).json()) as {
        step: string;
        photos: unknown[];
        sla: { dispatches: number; met: boolean };
        steps: Array<{ step: string; by: string }>;
      };
      expect(stored).toMatchObject({ step: 'evaluated', sla: { dispatches: 2, met: true } });
      expect(stored.photos).toHaveLength(1);
      expect(stored.steps.filter((s) => s.step === 'handled').map((s) => s.by)).toEqual([ids.staff, ids.staff]);
      expect(await step(sup.page)).toBe('evaluated');

      expect(sup.errors).toEqual([]);
      expect(staff.errors).toEqual([]);
      await sup.close();
      await staff.close();
    }
  });

  it('shows an overdue order first, in red with the word, on the phone and on a wide screen', async () => {
    // A kind whose targets are one second: its dispatched order is overdue almost at once.
    await admin('/api/v1/work-orders/sla-targets/cleaning', { dispatch_to_arrival_s: 1, arrival_to_handled_s: 1 }, 'PUT');
    const o = (await (
      await request(worker, '/api/v1/work-orders', {
        method: 'POST',
        token: tokens.sup,
        json: { site: ids.station, kind: 'cleaning', note: '座椅积灰' },
      })
    ).json()) as { id: string };
    for (const body of [{ step: 'registered' }, { step: 'dispatched', assignee: ids.team }]) {
      expect((await request(worker, `/api/v1/work-orders/${o.id}/steps`, { method: 'POST', token: tokens.sup, json: body })).status).toBe(
        200,
      );
    }
    await new Promise((r) => setTimeout(r, 1500));
    for (const [vp, lang] of [
      [PHONE, 'zh-CN'],
      [DESKTOP, 'en'],
    ] as const) {
      const sup = await phone('sup', lang, vp);
      await sup.page.goto(`${worker.url}/work-orders?state=all`);
      const first = sup.page.locator('work-orders-page section[data-step="dispatched"] work-order-card a').first();
      await first.waitFor();
      expect(await first.getAttribute('data-id')).toBe(o.id);
      expect(await first.getAttribute('class')).toContain('overdue');
      expect(await first.evaluate((a) => getComputedStyle(a).borderTopColor)).toBe('rgb(179, 18, 27)');
      expect(await horizontalOverflow(sup.page)).toBeLessThanOrEqual(0);
      await sup.page.screenshot({ path: `${SHOTS}/work-order-board-overdue-${vp.name}-${lang}.png`, fullPage: true });
      expect(sup.errors).toEqual([]);
      await sup.close();
    }
  });
});
