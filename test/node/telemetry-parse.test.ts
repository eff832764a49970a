import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../worker/domain/telemetry/canonical.ts';
import { normalizeEnvelopeMessage } from '../../worker/domain/telemetry/envelope.ts';
import { parseSenml } from '../../worker/domain/telemetry/senml.ts';
import { parseTimestamp } from '../../worker/domain/telemetry/timestamp.ts';
import { MAX_QTY } from '../../worker/schemas/telemetry.ts';

const NOW = Date.UTC(2026, 6, 21, 6, 0, 0);
const W = { now: NOW, maxAgeDays: 90, maxFutureMs: 5 * 60_000 };
const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** An instant and an offset in minutes → RFC 3339 text, written independently of the parser. */
function rfc3339(ms: number, offsetMin: number, fracDigits: number): string {
  const local = new Date(ms + offsetMin * 60_000);
  const frac = fracDigits ? '.' + pad(local.getUTCMilliseconds(), 3).padEnd(fracDigits, '0').slice(0, fracDigits) : '';
  const off =
    offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${frac}${off}`;
}

const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) });
const offset = fc.integer({ min: -12 * 60, max: 14 * 60 }).map((m) => m - (m % 15));

describe('parseTimestamp', () => {
  it('reads any RFC 3339 text with an offset back to its instant (to the millisecond written)', () => {
    fc.assert(
      fc.property(instant, offset, fc.constantFrom(0, 3), (ms, off, frac) => {
        const expected = frac ? ms : ms - (ms % 1000);
        expect(parseTimestamp(rfc3339(ms, off, frac))).toBe(expected);
      }),
    );
  });

  it('takes integer epoch milliseconds as they are and refuses fractions, negatives and unsafe integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (ms) => {
        expect(parseTimestamp(ms)).toBe(ms);
      }),
    );
    fc.assert(
      fc.property(fc.double({ noInteger: true, noNaN: true }), (x) => {
        expect(parseTimestamp(x)).toBeNull();
      }),
    );
    expect(parseTimestamp(-1)).toBeNull();
    expect(parseTimestamp(2 ** 53)).toBeNull();
  });

  it('refuses text without an offset, impossible dates and times, and anything not a timestamp', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        expect(parseTimestamp(new Date(ms).toISOString().slice(0, 19))).toBeNull();
      }),
    );
    for (const bad of [
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-07-21T24:00:00Z',
      '2026-07-21T12:60:00Z',
      '2026-07-21T12:00:00+24:00',
      '21/07/2026',
      '',
      'now',
    ]) {
      expect(parseTimestamp(bad), bad).toBeNull();
    }
    fc.assert(
      fc.property(fc.oneof(fc.boolean(), fc.constant(null), fc.object(), fc.array(fc.integer())), (v) => {
        expect(parseTimestamp(v)).toBeNull();
      }),
    );
  });
});

describe('canonicalJson', () => {
  it('does not depend on key order, and differs whenever the content differs', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });
});

describe('normalizeEnvelopeMessage', () => {
  const dispense = fc.record({
    seq: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    ts: fc.integer({ min: NOW - 89 * 86400_000, max: NOW + 4 * 60_000 }),
    type: fc.constant('dispense'),
    item: fc.stringMatching(/^[a-z0-9_]{1,32}$/),
    qty: fc.integer({ min: 1, max: MAX_QTY }),
  });

  it('accepts every valid message, keyed by its seq, and gives one canonical body for either ts form', () => {
    fc.assert(
      fc.property(dispense, offset, (m, off) => {
        const a = normalizeEnvelopeMessage(m, 0, W);
        const b = normalizeEnvelopeMessage({ ...m, ts: rfc3339(m.ts, off, 3) }, 0, W);
        expect(a.ok && b.ok).toBe(true);
        if (a.ok && b.ok) {
          expect(a.reading.key).toBe(String(m.seq));
          expect(canonicalJson(a.reading.fields)).toBe(canonicalJson(b.reading.fields));
        }
      }),
    );
  });

  it('rejects each corrupted field with the code for that field', () => {
    const corruptions: Array<[string, (m: Record<string, unknown>) => void, string]> = [
      ['seq', (m) => (m.seq = -1), 'invalid_seq'],
      ['seq', (m) => (m.seq = '12'), 'invalid_seq'],
      ['ts', (m) => (m.ts = '2026-07-21 14:00'), 'invalid_ts'],
      ['type', (m) => (m.type = 'dispensed'), 'unknown_type'],
      ['qty', (m) => (m.qty = 0), 'invalid_field'],
      ['qty', (m) => (m.qty = MAX_QTY + 1), 'invalid_field'],
      ['item', (m) => (m.item = 'Water!'), 'invalid_field'],
      ['future', (m) => (m.ts = NOW + 6 * 60_000), 'ts_in_future'],
      ['old', (m) => (m.ts = NOW - 91 * 86400_000), 'ts_too_old'],
    ];
    fc.assert(
      fc.property(dispense, fc.constantFrom(...corruptions), fc.nat(999), (m, [, corrupt, code], index) => {
        const bad: Record<string, unknown> = { ...m };
        corrupt(bad);
        const out = normalizeEnvelopeMessage(bad, index, W);
        expect(out.ok).toBe(false);
        if (!out.ok) {
          expect(out.rejected.code).toBe(code);
          expect(out.rejected.index).toBe(index);
          expect(out.rejected.detail.length).toBeGreaterThan(10);
        }
      }),
    );
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (v, i) => {
        expect(() => normalizeEnvelopeMessage(v, i, W)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('seq', 'ts', 'type', 'item', 'qty', 'levels', 'started_at', 'ended_at', 'port', 'energy_wh', 'expires'),
          fc.jsonValue(),
        ),
        (v) => {
          expect(() => normalizeEnvelopeMessage({ ...v, type: 'charging_session' }, 0, W)).not.toThrow();
          expect(() => normalizeEnvelopeMessage({ ...v, type: 'restock' }, 0, W)).not.toThrow();
        },
      ),
    );
  });
});

describe('parseSenml', () => {
  it('never throws on arbitrary packs, and refuses or rejects what it cannot read', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(() => parseSenml(v, 'bench-1', W)).not.toThrow();
      }),
    );
  });

  it('resolves base time plus record time for every record', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: NOW / 1000 - 80 * 86400, max: NOW / 1000 - 3600 }),
        fc.array(fc.integer({ min: 0, max: 3600 }), { minLength: 1, maxLength: 20 }),
        (bt, ts) => {
          const pack = ts.map((t, i) => ({ ...(i === 0 ? { bn: 'urn:dev:bench-1:', bt } : {}), n: 'battery_soc', u: '%EL', v: 50, t }));
          const out = parseSenml(pack, 'bench-1', W);
          expect(out.ok).toBe(true);
          if (out.ok) expect(out.outcomes.map((o) => (o.ok ? o.reading.ts : null))).toEqual(ts.map((t) => (bt + t) * 1000));
        },
      ),
    );
  });
});
