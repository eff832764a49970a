import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

/**
 * One small catalogue for every visible string. The language comes from the reader's choice
 * (remembered) or the browser; switching re-renders every element that holds a LocaleController.
 */
export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const KEY = 'amenity.lang';
const CHANGE = 'locale-change';
const catalogues: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

function initial(): Locale {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'zh-CN' || saved === 'en') return saved;
  } catch {
    // Storage blocked: fall through to the browser's languages.
  }
  for (const l of navigator.languages ?? [navigator.language]) {
    if (l.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (l.toLowerCase().startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

let current: Locale = initial();
document.documentElement.lang = current;

export const getLocale = (): Locale => current;

export function setLocale(l: Locale): void {
  if (l === current) return;
  current = l;
  document.documentElement.lang = l;
  try {
    localStorage.setItem(KEY, l);
  } catch {
    // Not remembered; still switched for this page.
  }
  window.dispatchEvent(new CustomEvent(CHANGE));
}

/** The message for `key` in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  let s = catalogues[current][key] ?? en[key];
  if (params) for (const [k, v] of Object.entries(params)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

/** A message key built from data (a health reason, an item code…), or the raw code if unknown. */
export function tCode(prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return key in en ? t(key as MessageKey) : code;
}

export class LocaleController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly onChange = () => this.host.requestUpdate();
  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }
  hostConnected(): void {
    window.addEventListener(CHANGE, this.onChange);
  }
  hostDisconnected(): void {
    window.removeEventListener(CHANGE, this.onChange);
  }
}
