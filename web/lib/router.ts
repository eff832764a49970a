/**
 * History-API routing: real URLs that survive a reload (the Worker's assets fall back to
 * index.html) and can be shared. Pages load lazily, so only the screen shown is fetched.
 */
import { SCREENS } from './screens.ts';

export interface Match {
  tag: string;
  params: Record<string, string>;
  load: () => Promise<unknown>;
  /** The screen group (see screens.ts); 'none' for a URL that names no screen. */
  screen: string;
}

export function match(pathname: string): Match {
  for (const r of SCREENS) {
    const m = r.pattern.exec(pathname);
    if (m) {
      const params: Record<string, string> = {};
      for (const [i, n] of r.names.entries()) params[n] = decodeURIComponent(m[i + 1]!);
      return { tag: r.tag, params, load: r.load, screen: r.screen };
    }
  }
  return { tag: 'not-found-page', params: {}, load: () => import('../pages/not-found-page.ts'), screen: 'none' };
}

const NAVIGATE = 'route-change';

export function navigate(url: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new CustomEvent(NAVIGATE));
}

/** Query parameters of the current URL, changed in place without a new history entry. */
export function setQuery(values: Record<string, string | null | undefined>): void {
  const u = new URL(location.href);
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined || v === '') u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  history.replaceState(null, '', u.pathname + u.search + u.hash);
}

export function onRouteChange(cb: () => void): () => void {
  window.addEventListener(NAVIGATE, cb);
  window.addEventListener('popstate', cb);
  return () => {
    window.removeEventListener(NAVIGATE, cb);
    window.removeEventListener('popstate', cb);
  };
}

/** Same-origin <a href> clicks (across shadow roots) become client-side navigations. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
    if (a.pathname.startsWith('/api/')) return;
    e.preventDefault();
    navigate(a.pathname + a.search + a.hash);
  });
}
