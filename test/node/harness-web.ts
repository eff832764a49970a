import { mkdir, readFile } from 'node:fs/promises';
/**
 * The browser tests' city: a local Worker (test/node/harness.ts) with the small demo city loaded
 * through the API and a few days of simulated telemetry posted through the device contract, and
 * a headless Chromium (the one test/node/chromium.ts found for this run) driven by playwright-core.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { loadDemoCity } from '../../scripts/demo/load.ts';
import { Fleet } from '../../scripts/sim/index.ts';
import { startWorker, type TestWorker } from './harness.ts';

const DAY = 86_400_000;

export interface SeededCity {
  worker: TestWorker;
  stationIds: string[];
  benchIds: string[];
  /** Device id → device token, to send more telemetry during a test. */
  deviceTokens: Record<string, string>;
  /** Station id → its device's id. */
  stationDevice: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * `wrangler dev` reloads the Worker when a source file changes, dropping requests in flight; while
 * the tree is being edited a load can be cut off, so a failed load is retried on a fresh Worker.
 */
export async function startSeededCity(opts: { days?: number; seed?: number } = {}): Promise<SeededCity> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await seedOnce(opts);
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

async function seedOnce(opts: { days?: number; seed?: number }): Promise<SeededCity> {
  const worker = await startWorker();
  try {
    const seed = opts.seed ?? 11;
    // No planning layers: the screens here do not draw them, and the upload is the slowest step.
    const { city, tokens } = await loadDemoCity(worker.url, worker.adminToken, { small: true, seed, planning: false });
    const now = Date.now();
    const fleet = new Fleet(
      city.devices.map((d) => ({ device: d, token: tokens[d.id]! })),
      { seed, start: now - (opts.days ?? 8) * DAY },
    );
    await fleet.post(worker.url, now, { flush: true });
    // One bench with a fault raised now, so the screens show a colour other than blue.
    const faulty = city.devices.find((d) => d.kind === 'bench')!;
    const res = await fetch(`${worker.url}/api/v1/telemetry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[faulty.id]}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [
          {
            seq: 2 ** 40,
            ts: new Date(now).toISOString(),
            type: 'fault',
            code: 'usb_port_2',
            active: true,
            detail: 'port 2 gives no power',
          },
        ],
      }),
    });
    if (!res.ok) throw new Error(`fault message refused: ${res.status} ${await res.text()}`);
    return {
      worker,
      stationIds: city.stations.map((s) => s.id),
      benchIds: city.devices.filter((d) => d.kind === 'bench').map((d) => d.id),
      deviceTokens: tokens,
      stationDevice: Object.fromEntries(city.devices.filter((d) => d.kind === 'station').map((d) => [d.site, d.id])),
      stop: () => worker.stop(),
    };
  } catch (err) {
    await worker.stop();
    throw err;
  }
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  const { executablePath, env } = inject('chromium');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, env: { ...process.env, ...env } });
}

/** Where the browser tests leave their screenshots. */
export const SHOTS = 'test-results/screenshots';

/** Chromium for a test file, with the screenshots folder made. */
export async function startBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
  return browser;
}

/** The seeded city and Chromium, for a test file's beforeAll; the city is stopped again if Chromium fails. */
export async function startCityAndBrowser(opts: { days?: number; seed?: number }): Promise<{ city: SeededCity; browser: Browser }> {
  const city = await startSeededCity(opts);
  try {
    return { city, browser: await startBrowser() };
  } catch (err) {
    await city.stop();
    throw err;
  }
}

/** Closes what startCityAndBrowser started (either may be missing when the setup failed). */
export async function stopCityAndBrowser(city: SeededCity | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await city?.stop();
}

export interface Viewport {
  name: 'phone' | 'desktop';
  width: number;
  height: number;
}
export const PHONE: Viewport = { name: 'phone', width: 360, height: 740 };
export const DESKTOP: Viewport = { name: 'desktop', width: 1440, height: 900 };

export interface OpenedPage {
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/**
 * A page already signed in with `token` (in sessionStorage, as after the sign-in form) in the
 * given language; console errors (and, when asked, failed requests) are collected for the test to
 * assert on. `touch` makes it a touch-screen phone.
 */
export async function signedInPage(
  browser: Browser,
  o: { token: string; vp: Viewport; lang: 'zh-CN' | 'en'; touch?: boolean; failedRequests?: boolean },
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: o.vp.width, height: o.vp.height },
    locale: o.lang,
    timezoneId: 'UTC',
    ...(o.touch ? { hasTouch: true, isMobile: true } : {}),
  });
  await context.addInitScript(
    ([token, l]) => {
      sessionStorage.setItem('amenity.token', token);
      // Only the first visit: after that the reader's own switch must survive a reload.
      if (!localStorage.getItem('amenity.lang')) localStorage.setItem('amenity.lang', l);
    },
    [o.token, o.lang] as const,
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  if (o.failedRequests)
    page.on('requestfailed', (r) => {
      if (!r.failure()?.errorText.includes('ERR_ABORTED')) errors.push(`${r.url()} ${r.failure()?.errorText}`);
    });
  return { page, errors, close: () => context.close() };
}

/** A page of the seeded city signed in as admin, collecting console errors and failed requests. */
export function openPage(browser: Browser, city: SeededCity, vp: Viewport, lang: 'zh-CN' | 'en'): Promise<OpenedPage> {
  return signedInPage(browser, { token: city.worker.adminToken, vp, lang, failedRequests: true });
}

/**
 * axe-core's violations on the page. Evaluated through the DevTools protocol, not as a <script>
 * tag: the page's Content-Security-Policy (docs/security.md) refuses inline scripts, and the test
 * must not need it weakened.
 */
export async function axeViolations(page: Page): Promise<Array<{ id: string; help: string; nodes: string[] }>> {
  await page.evaluate(await readFile('node_modules/axe-core/axe.min.js', 'utf8'));
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            o: object,
          ) => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
}
