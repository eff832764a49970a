/** The URL as the app's state: navigation without reloads, and query parameters kept in place. */
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
