/**
 * The security headers' values, one definition (docs/security.md): the Worker sets them on what it
 * answers (worker/middleware/security-headers.ts), and the build writes them into the static
 * assets' `_headers` file (vite.config.ts), since with `run_worker_first: ["/api/*"]` the
 * dashboard's files never pass through the Worker. No imports: the build reads this file too.
 */

/**
 * The dashboard's and the Swagger page's policy: scripts only from this origin (no inline script,
 * no eval). Inline styles stay allowed: Lit templates and Leaflet set `style` attributes, and a
 * style cannot run code. Map tiles may come from any https host (MAP_TILE_URL is configurable).
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** JSON, CSV and problem answers are data, never a page: nothing may load from them or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Headers every answer carries, pages and data alike. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), payment=(), usb=()',
};
