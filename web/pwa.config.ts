import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The public page as an installable PWA (vite-plugin-pwa → Workbox generateSW). The service worker
 * precaches only what the public page loads (its HTML, its chunks and their CSS: the dashboard's
 * code is left out), answers navigations to /nearby, /s/… and /service-map with that page when
 * offline, and keeps the last answers of the public API (network first, cache when offline).
 */
export function publicPagePwa(): Plugin[] {
  // Filled when the bundle is generated: the files reachable from the public page's entry.
  const keep = new Set<string>(['nearby.html', 'nearby-icon.svg', 'manifest.webmanifest']);
  const collect: Plugin = {
    name: 'public-page-files',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const visit = (file: string) => {
        if (keep.has(file)) return;
        keep.add(file);
        const c = byName.get(file);
        if (c?.type !== 'chunk') return;
        for (const css of c.viteMetadata?.importedCss ?? []) keep.add(css);
        for (const f of [...c.imports, ...c.dynamicImports]) visit(f);
      };
      for (const c of chunks) if (c.isEntry && c.facadeModuleId?.endsWith('nearby.html')) visit(c.fileName);
      for (const c of chunks) if (c.isEntry && c.facadeModuleId?.endsWith('nearby-main.ts')) visit(c.fileName);
      for (const c of chunks) if (c.isEntry && /nearby/.test(c.name)) visit(c.fileName);
    },
  };
  // The manifest belongs to the public page only: the dashboard is not the app to install.
  const dashboardWithoutManifest: Plugin = {
    name: 'dashboard-without-manifest',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) => (ctx.filename.endsWith('nearby.html') ? html : html.replace(/<link rel="manifest"[^>]*>/g, '')),
    },
  };
  return [
    collect,
    ...VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      manifest: {
        id: '/nearby',
        name: '附近开放的驿站 · Nearest open station',
        short_name: '驿站 Stations',
        description: '最近的开放驿站、步行分钟与现有物资 · The nearest open rest station, walking minutes and what it has',
        lang: 'zh-CN',
        start_url: '/nearby',
        scope: '/',
        display: 'standalone',
        background_color: '#f7f7f2',
        theme_color: '#111111',
        icons: [{ src: '/nearby-icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{html,js,css,svg,webmanifest}'],
        manifestTransforms: [async (entries) => ({ manifest: entries.filter((e) => keep.has(e.url.replace(/^\//, ''))), warnings: [] })],
        navigateFallback: '/nearby.html',
        navigateFallbackAllowlist: [/^\/nearby\/?$/, /^\/s\/[^/]+\/?$/, /^\/service-map\/?$/],
        cleanupOutdatedCaches: true,
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname.startsWith('/api/v1/public/') && !url.pathname.startsWith('/api/v1/public/reports'),
            handler: 'NetworkFirst',
            method: 'GET',
            options: { cacheName: 'public-answers', networkTimeoutSeconds: 8, expiration: { maxEntries: 40, maxAgeSeconds: 7 * 86400 } },
          },
        ],
      },
    }),
    dashboardWithoutManifest,
  ];
}
