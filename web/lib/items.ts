import { getLocale } from '../i18n/catalogue.ts';
import { appState } from './app-state.ts';
import { PALETTE } from './palette.ts';

/** Supply item names come from the registry (data, in both languages); unknown codes show as-is. */
export function itemName(code: string): string {
  const item = appState.config?.items.find((i) => i.code === code);
  if (!item) return code;
  return (getLocale() === 'zh-CN' ? item.name_zh : item.name_en) ?? item.name_en ?? item.name_zh ?? code;
}

/** A stable colour per item: its place in the registry. */
export function itemColour(code: string): string {
  const i = appState.config?.items.findIndex((x) => x.code === code) ?? -1;
  return PALETTE[(i < 0 ? code.length : i) % PALETTE.length]!;
}
