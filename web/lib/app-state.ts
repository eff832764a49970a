import type { ConfigT, MeT } from '../../worker/schemas/dashboard.ts';
import { localDay } from '../../worker/domain/local-time.ts';

/** What the shell learns once per session (role, city configuration); pages read it. */
export const appState: { me: MeT | null; config: ConfigT | null } = { me: null, config: null };

export function config(): ConfigT {
  if (!appState.config) throw new Error('configuration not loaded');
  return appState.config;
}

/** Today in the city's calendar, now (a screen left open past midnight moves on to the new day). */
export function cityToday(): string {
  return localDay(Date.now(), config().tz);
}
