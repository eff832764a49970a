import type { MessageKey } from '../i18n/en.ts';
import type { Role } from '../../worker/schemas/common.ts';
import { appState } from './app-state.ts';

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
  /** Shown without sign-in and without the app's header (a lobby wall screen). */
  public?: boolean;
}

const ALL: readonly Role[] = ['supervisor', 'staff', 'planner'];

export const SCREENS: readonly ScreenDef[] = [
  {
    screen: 'overview',
    pattern: /^\/$/,
    names: [],
    tag: 'overview-page',
    roles: ALL,
    nav: { href: '/', label: 'nav.overview' },
    load: () => import('../pages/overview-page.ts'),
  },
  {
    screen: 'stations',
    pattern: /^\/stations\/?$/,
    names: [],
    tag: 'stations-page',
    roles: ALL,
    nav: { href: '/stations', label: 'nav.stations' },
    load: () => import('../pages/stations-page.ts'),
  },
  {
    screen: 'stations',
    pattern: /^\/stations\/([^/]+)\/?$/,
    names: ['id'],
    tag: 'station-page',
    roles: ALL,
    load: () => import('../pages/station-page.ts'),
  },
  {
    screen: 'benches',
    pattern: /^\/benches\/?$/,
    names: [],
    tag: 'benches-page',
    roles: ALL,
    nav: { href: '/benches', label: 'nav.benches' },
    load: () => import('../pages/benches-page.ts'),
  },
  {
    screen: 'benches',
    pattern: /^\/benches\/([^/]+)\/?$/,
    names: ['id'],
    tag: 'bench-page',
    roles: ALL,
    load: () => import('../pages/bench-page.ts'),
  },
  {
    screen: 'supplies',
    pattern: /^\/supplies\/?$/,
    names: [],
    tag: 'supplies-page',
    roles: ALL,
    nav: { href: '/supplies', label: 'nav.supplies' },
    load: () => import('../pages/supplies-page.ts'),
  },
  {
    screen: 'map',
    pattern: /^\/map\/?$/,
    names: [],
    tag: 'map-page',
    roles: ALL,
    nav: { href: '/map', label: 'nav.map' },
    load: () => import('../pages/map-page.ts'),
  },
  {
    screen: 'rankings',
    pattern: /^\/rankings\/?$/,
    names: [],
    tag: 'rankings-page',
    roles: ['supervisor', 'planner'],
    nav: { href: '/rankings', label: 'nav.rankings' },
    load: () => import('../pages/rankings-page.ts'),
  },
  {
    screen: 'wall',
    pattern: /^\/wall\/?$/,
    names: [],
    tag: 'wall-page',
    roles: ALL,
    public: true,
    load: () => import('../pages/wall-page.ts'),
  },
  {
    screen: 'alerts',
    pattern: /^\/alerts\/?$/,
    names: [],
    tag: 'alerts-page',
    roles: ['supervisor', 'staff'],
    nav: { href: '/alerts', label: 'nav.alerts' },
    load: () => import('../pages/alerts-page.ts'),
  },
  {
    screen: 'work-orders',
    pattern: /^\/work-orders\/?$/,
    names: [],
    tag: 'work-orders-page',
    roles: ['supervisor'],
    nav: { href: '/work-orders', label: 'nav.work_orders' },
    load: () => import('../pages/work-orders-page.ts'),
  },
  {
    screen: 'my-orders',
    pattern: /^\/work-orders\/mine\/?$/,
    names: [],
    tag: 'my-orders-page',
    roles: ['staff'],
    nav: { href: '/work-orders/mine', label: 'nav.my_orders' },
    load: () => import('../pages/my-orders-page.ts'),
  },
  {
    screen: 'work-order',
    pattern: /^\/work-orders\/new\/?$/,
    names: [],
    tag: 'work-order-new-page',
    roles: ['supervisor', 'staff'],
    load: () => import('../pages/work-order-new-page.ts'),
  },
  {
    screen: 'work-order',
    pattern: /^\/work-orders\/([^/]+)\/?$/,
    names: ['id'],
    tag: 'work-order-page',
    roles: ['supervisor', 'staff'],
    load: () => import('../pages/work-order-page.ts'),
  },
  {
    screen: 'coverage',
    pattern: /^\/coverage\/?$/,
    names: [],
    tag: 'coverage-page',
    roles: ['supervisor', 'planner'],
    nav: { href: '/coverage', label: 'nav.coverage' },
    load: () => import('../pages/coverage-page.ts'),
  },
  {
    screen: 'restock',
    pattern: /^\/restock\/?$/,
    names: [],
    tag: 'restock-run-page',
    roles: ['supervisor', 'staff'],
    nav: { href: '/restock', label: 'nav.restock' },
    load: () => import('../pages/restock-run-page.ts'),
  },
  {
    screen: 'qr',
    pattern: /^\/qr\/?$/,
    names: [],
    tag: 'qr-sheet-page',
    roles: [],
    nav: { href: '/qr', label: 'nav.qr' },
    load: () => import('../pages/qr-sheet-page.ts'),
  },
];

/** Whether the signed-in reader (or `role`) may see screens of the group `screen` ('api': the API reference, admin only). */
export function canSee(screen: string, role: Role | undefined = appState.me?.role): boolean {
  if (role === undefined) return false;
  if (role === 'admin') return true;
  if (screen === 'api') return false;
  return SCREENS.some((s) => s.screen === screen && s.roles.includes(role));
}
