import type { RestockPlanT } from '../../worker/schemas/restocks.ts';

/**
 * The restock run kept on the phone (localStorage), so a reload, a lost signal or a closed tab
 * never loses a restock or sends one twice: every stop gets its client-made id once, when the
 * run is planned, and keeps it until the run is discarded; the server counts an id once.
 */
export type StopStatus = 'idle' | 'pending' | 'sent' | 'failed';

export interface StopState {
  /** the client-made restock id, made once per stop */
  id: string;
  status: StopStatus;
  /** when the server recorded it (ISO) */
  at?: string;
  /** why the server refused it */
  detail?: string;
}

export interface RunState {
  plan: RestockPlanT;
  stops: Record<string, StopState>;
  created: string;
}

const RUN_KEY = 'amenity.restock-run';
const FORM_KEY = 'amenity.restock-form';

function read<T>(key: string): T | null {
  try {
    const s = localStorage.getItem(key);
    return s ? (JSON.parse(s) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or blocked: the run still works for this page, without surviving a reload.
  }
}

export const loadRun = () => read<RunState>(RUN_KEY);
export const saveRun = (run: RunState | null) => write(RUN_KEY, run);

export function newRun(plan: RestockPlanT): RunState {
  const stops: Record<string, StopState> = {};
  for (const s of plan.stops) stops[s.station] = { id: crypto.randomUUID(), status: 'idle' };
  return { plan, stops, created: new Date().toISOString() };
}

export interface RunForm {
  lat: number;
  lon: number;
  minutes: number;
  nextVisit: number;
  mode: 'drive' | 'walk';
  capacity: Record<string, number>;
  total: number | null;
}

export const loadForm = () => read<RunForm>(FORM_KEY);
export const saveForm = (f: RunForm) => write(FORM_KEY, f);

/** A van's usual load when the reader has not set one: water by the case, the rest by the bag. */
export const DEFAULT_CAPACITY: Record<string, number> = {
  water: 240,
  towel: 100,
  umbrella: 30,
  medicine_kit: 30,
  sunscreen: 30,
  raincoat: 30,
};
export const DEFAULT_OTHER = 20;
