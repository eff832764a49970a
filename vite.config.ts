import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { COMMON_HEADERS, PAGE_CSP } from './worker/security-policy.ts';
import { publicPagePwa } from './web/pwa.config.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The /api/docs page loads Swagger UI from our own origin (no CDN: cities run offline). */
function swaggerUiAssets(): Plugin {
  return {
    name: 'copy-swagger-ui',
    apply: 'build',
    async writeBundle() {
      const dir = here('./dist/web/vendor/swagger-ui/');
      await mkdir(dir, { recursive: true });
      for (const f of ['swagger-ui-bundle.js', 'swagger-ui.css']) await copyFile(here(`./node_modules/swagger-ui-dist/${f}`), dir + f);
    },
  };
}

/**
 * The static assets' security headers, in Cloudflare's `_headers` file: with run_worker_first
 * only for /api/*, the dashboard's files are served without the Worker. The values are the
 * Worker's own (worker/security-policy.ts).
 */
function securityHeadersFile(): Plugin {
  return {
    name: 'write-security-headers',
    apply: 'build',
    async writeBundle() {
      const lines = [
        '/*',
        ...Object.entries({ ...COMMON_HEADERS, 'content-security-policy': PAGE_CSP }).map(([k, v]) => `  ${k}: ${v}`),
        '',
      ];
      await writeFile(here('./dist/web/_headers'), lines.join('\n'));
    },
  };
}

export default defineConfig({
  root: here('./web'),
  // Only the public page's icon; the dashboard needs no static files.
  publicDir: here('./web/public'),
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // Chart.js and Leaflet are split out and only fetched by the screens that draw them.
    chunkSizeWarningLimit: 300,
    // Two pages: the staff dashboard, and the public page (/nearby, /s/{id}, /service-map) with no sign-in.
    rollupOptions: { input: { main: here('./web/index.html'), nearby: here('./web/nearby.html') } },
  },
  plugins: [swaggerUiAssets(), securityHeadersFile(), ...publicPagePwa()],
  // `npm run dev` serves the API; `vite` alone can proxy to it while working on the UI.
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
});
