/**
 * What a worker asks for on the public page: a named need, or any item code. `medicine` is the
 * seeded `medicine_kit`; `rest` is any open station; `charging` is a bench with charge and a free
 * port.
 */
export type Need = { kind: 'station'; item: string | null } | { kind: 'bench' };

const ALIASES: Record<string, string> = { medicine: 'medicine_kit' };

export function parseNeed(need: string): Need {
  if (need === 'rest') return { kind: 'station', item: null };
  if (need === 'charging') return { kind: 'bench' };
  return { kind: 'station', item: ALIASES[need] ?? need };
}
