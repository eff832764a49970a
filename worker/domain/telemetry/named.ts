import { clip, echo } from '../../errors.ts';
import { ItemCode } from '../../schemas/common.ts';
import { MAX_STOCK_LEVEL, StatusFields, type Rejected } from '../../schemas/telemetry.ts';
import { windowRejection, type Outcome, type Window } from './reading.ts';

/**
 * SenML records and ThingsBoard keys are single named values ("battery_soc", "stock:water").
 * Each becomes one reading of type status (one field) or stock (one level), identified for
 * de-duplication by (device, name, time).
 */

/** Units SenML may carry per name (RFC 8428 / IANA registry); a missing unit is accepted. */
const UNITS: Record<string, string[]> = {
  battery_soc: ['%EL', '%'],
  battery_v: ['V'],
  solar_w: ['W'],
  load_w: ['W'],
  temp_c: ['Cel'],
  ports_in_use: ['count', '1'],
  open: [],
  fault_codes: [],
};
const STOCK_UNITS = ['count', '1'];

export const NAMED_STATUS_KEYS = Object.keys(UNITS);

/** Own keys only: "constructor" or "__proto__" are names like any other, not Object's. */
const isStatusName = (name: string): boolean => Object.hasOwn(UNITS, name);

export function isKnownName(name: string): boolean {
  return isStatusName(name) || name.startsWith('stock:');
}

function reject(index: number, name: string, code: Rejected['code'], detail: string): Outcome {
  return { ok: false, rejected: { index, key: clip(name, 64), code, detail } };
}

export function namedReading(index: number, name: string, value: unknown, unit: string | undefined, ts: number, w: Window): Outcome {
  const key = `${name}@${ts}`;
  if (name.startsWith('stock:')) {
    const item = name.slice(6);
    if (!ItemCode.safeParse(item).success)
      return reject(index, name, 'unknown_name', `${echo(name)}: item codes must match ^[a-z0-9_]{1,32}$`);
    if (unit !== undefined && !STOCK_UNITS.includes(unit))
      return reject(index, name, 'invalid_unit', `${echo(name)} takes unit "count"; got ${echo(unit, 40)}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_STOCK_LEVEL) {
      return reject(
        index,
        name,
        'invalid_field',
        `${echo(name)}: the count must be an integer from 0 to ${MAX_STOCK_LEVEL}; got ${echo(value)}`,
      );
    }
    const late = windowRejection(ts, w);
    if (late) return reject(index, name, late.code, late.detail);
    return { ok: true, reading: { index, key, name, ts, type: 'stock', fields: { type: 'stock', ts, levels: { [item]: value } } } };
  }
  if (!isStatusName(name)) {
    return reject(index, name, 'unknown_name', `unknown name ${echo(name)}; known: ${NAMED_STATUS_KEYS.join(', ')}, stock:<item>`);
  }
  const units = UNITS[name]!;
  if (unit !== undefined && units.length && !units.includes(unit))
    return reject(
      index,
      name,
      'invalid_unit',
      `${echo(name)} takes unit ${units.map((u) => `"${u}"`).join(' or ')}; got ${echo(unit, 40)}`,
    );
  const parsed = StatusFields[name as keyof typeof StatusFields].safeParse(value);
  if (!parsed.success || parsed.data === undefined) {
    return reject(
      index,
      name,
      'invalid_field',
      `${echo(name)}: ${parsed.success ? 'a value is required' : parsed.error.issues[0]?.message}; got ${echo(value)}`,
    );
  }
  const late = windowRejection(ts, w);
  if (late) return reject(index, name, late.code, late.detail);
  return { ok: true, reading: { index, key, name, ts, type: 'status', fields: { type: 'status', ts, [name]: parsed.data } } };
}
