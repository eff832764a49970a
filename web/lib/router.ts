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
