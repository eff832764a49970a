import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './harness-web.ts';
import { request, startWorker, type TestWorker } from './harness.ts';

/**
 * The dashboard's files bypass the Worker (run_worker_first covers only /api/*): their security
 * headers come from the `_headers` file the build writes. Checked against a real local server.
 */
describe('security headers on the static assets', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startWorker();
  });
  afterAll(async () => {
    await w?.stop();
  });

  for (const path of ['/', '/index.html', '/vendor/swagger-ui/swagger-ui.css', '/nearby-or-any-spa-route']) {
    test(`${path} carries the page CSP, nosniff, frame-ancestors 'none' and a referrer policy`, async () => {
      const res = await request(w, path);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("'unsafe-eval'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    });
  }

  test('the built index.html has no inline script for the CSP to block', async () => {
    const html = await (await request(w, '/')).text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const m of scripts) {
      expect(m[1]).toMatch(/\bsrc=/);
      expect(m[2]!.trim()).toBe('');
    }
  });

  test('under that CSP, Chromium draws the dashboard and Swagger UI without a policy violation', async () => {
    let browser: Browser | null = null;
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${w.url}/api/docs`);
      await page.waitForSelector('.swagger-ui .info .title', { timeout: 30_000 });
      expect(await page.evaluate(() => localStorage.getItem('authorized'))).toBeNull();
      await page.goto(`${w.url}/`);
      await page.waitForFunction(() => !!document.querySelector('app-shell')?.shadowRoot?.childElementCount, undefined, {
        timeout: 30_000,
      });
      expect(violations).toEqual([]);
    } finally {
      await browser?.close();
    }
  }, 120_000);

  test('the API answers carry the data CSP', async () => {
    const res = await request(w, '/api/v1/public/map');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
