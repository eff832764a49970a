import type { MessageKey } from '../i18n/en.ts';
import type { Role } from '../../worker/schemas/common.ts';

/**
 * Every screen of the dashboard, once: its URL, the element that draws it, who may see it and
 * its place in the navigation. The router, the access rule and the nav all read this table.
 * Pages load lazily, so only the screen shown is fetched.
 */
export interface ScreenDef {
  /** Groups the detail pages with their list (the nav item they light up). */
  screen: string;
  pattern: RegExp;
  /** Names of the pattern's capture groups, in order. */
  names: string[];
  tag: string;
  load: () => Promise<unknown>;
  /** Roles that see it besides admin, who sees everything. Supervisors read everything. */
  roles: readonly Role[];
  /** Shown in the navigation when set (only on a screen's list page). */
  nav?: { href: string; label: MessageKey };
}

const ALL: readonly Role[] = ['supervisor', 'staff', 'planner'];

export const SCREENS: readonly ScreenDef[] = [
  { screen: 'overview', pattern: /^\/$/, names: [], tag: 'overview-page', roles: ALL, nav: { href: '/', label: 'nav.overview' }, load: () => import('../pages/overview-page.ts') },
  { screen: 'stations', pattern: /^\/stations\/?$/, names: [], tag: 'stations-page', roles: ALL, nav: { href: '/stations', label: 'nav.stations' }, load: () => import('../pages/stations-page.ts') },
  { screen: 'stations', pattern: /^\/stations\/([^/]+)\/?$/, names: ['id'], tag: 'station-page', roles: ALL, load: () => import('../pages/station-page.ts') },
  { screen: 'benches', pattern: /^\/benches\/?$/, names: [], tag: 'benches-page', roles: ALL, nav: { href: '/benches', label: 'nav.benches' }, load: () => import('../pages/benches-page.ts') },
  { screen: 'benches', pattern: /^\/benches\/([^/]+)\/?$/, names: ['id'], tag: 'bench-page', roles: ALL, load: () => import('../pages/bench-page.ts') },
  { screen: 'supplies', pattern: /^\/supplies\/?$/, names: [], tag: 'supplies-page', roles: ALL, nav: { href: '/supplies', label: 'nav.supplies' }, load: () => import('../pages/supplies-page.ts') },
  { screen: 'map', pattern: /^\/map\/?$/, names: [], tag: 'map-page', roles: ALL, nav: { href: '/map', label: 'nav.map' }, load: () => import('../pages/map-page.ts') },
  { screen: 'coverage', pattern: /^\/coverage\/?$/, names: [], tag: 'coverage-page', roles: ['supervisor', 'planner'], nav: { href: '/coverage', label: 'nav.coverage' }, load: () => import('../pages/coverage-page.ts') },
  { screen: 'qr', pattern: /^\/qr\/?$/, names: [], tag: 'qr-sheet-page', roles: [], nav: { href: '/qr', label: 'nav.qr' }, load: () => import('../pages/qr-sheet-page.ts') },
];

/** Whether `role` may see screens of the group `screen` ('api': the API reference, admin only). */
export function canSee(screen: string, role: Role | undefined): boolean {
  if (role === undefined) return false;
  if (role === 'admin') return true;
  if (screen === 'api') return false;
  return SCREENS.some((s) => s.screen === screen && s.roles.includes(role));
}
