import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { checkReferences, parseCsvImport, parseGeoJsonImport, type SiteRow } from '../../worker/domain/import-parse.ts';

// ─── Arbitraries: valid sites ────────────────────────────────────────────────────────────────

const id = fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);
/** Names with what breaks naive CSV: commas (ASCII and full-width), quotes, line breaks, Chinese. */
const name = fc
  .string({
    minLength: 1,
    maxLength: 24,
    unit: fc.constantFrom('驿', '站', '公', '园', '东', 'a', 'Z', '1', ' ', ',', '，', '"', '\n', '、', '#'),
  })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);
const noNegZero = (v: number) => (v === 0 ? 0 : v);
const lat = fc.double({ min: -90, max: 90, noNaN: true }).map(noNegZero);
const lon = fc.double({ min: -180, max: 180, noNaN: true }).map(noNegZero);
const hours = fc.constantFrom('24/7', 'Mo-Su 06:00-22:00', 'Mo-Fr 07:00-19:00; Sa,Su 08:00-18:00', 'Mo-Sa 08:00-12:00,14:00-18:00');
const day = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const district: fc.Arbitrary<SiteRow> = fc.record({ kind: fc.constant('district' as const), id, name, boundary: fc.constant(null) });
const unit = fc.option(id, { nil: null });
const park: fc.Arbitrary<SiteRow> = fc.record({ kind: fc.constant('park' as const), id, name, district: id, lat, lon, unit });
const station: fc.Arbitrary<SiteRow> = fc.record({
  kind: fc.constant('station' as const),
  id,
  name,
  district: id,
  lat,
  lon,
  opening_hours: fc.option(hours, { nil: null }),
  opened_on: fc.option(day, { nil: null }),
  unit,
});
const bench: fc.Arbitrary<SiteRow> = fc
  .record({
    kind: fc.constant('bench' as const),
    id,
    park: id,
    name: fc.option(name, { nil: null }),
    at: fc.option(fc.tuple(lat, lon), { nil: null }),
    ports: fc.option(fc.integer({ min: 0, max: 64 }), { nil: null }),
    unit,
  })
  .map(({ at, ...b }) => ({ ...b, lat: at ? at[0] : null, lon: at ? at[1] : null }));
const sites = fc.array(fc.oneof(district, park, station, bench), { minLength: 1, maxLength: 25 });

// ─── Writers: rows → GeoJSON / CSV as a city's GIS would export them ─────────────────────────

function toFeature(r: SiteRow): object {
  const { kind, ...rest } = r;
  const props: Record<string, unknown> = { kind };
  let geometry: object | null = null;
  for (const [k, v] of Object.entries(rest)) if (v !== null && k !== 'lat' && k !== 'lon' && k !== 'boundary') props[k] = v;
  if ('lat' in r && r.lat !== null && r.lon !== null) geometry = { type: 'Point', coordinates: [r.lon, r.lat] };
  return { type: 'Feature', geometry, properties: props };
}

const COLUMNS = ['kind', 'id', 'name', 'district', 'park', 'lat', 'lon', 'opening_hours', 'opened_on', 'ports', 'unit'];

function toCells(r: SiteRow): string[] {
  const rec = r as unknown as Record<string, unknown>;
  return COLUMNS.map((c) => (rec[c] === null || rec[c] === undefined ? '' : String(rec[c])));
}

/** The CSV text and the line each row starts on, counted independently of the parser. */
function toCsv(cells: string[][]): { text: string; lines: number[] } {
  const text = Papa.unparse([COLUMNS, ...cells], { newline: '\n' });
  const lines: number[] = [];
  let line = 2;
  for (const row of cells) {
    lines.push(line);
    line += 1 + row.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
  }
  return { text, lines };
}

// ─── Properties ──────────────────────────────────────────────────────────────────────────────

describe('GeoJSON import parsing', () => {
  it('parses any valid sites back to the same rows, each located at its feature', () => {
    fc.assert(
      fc.property(sites, (rows) => {
        const parsed = parseGeoJsonImport({ type: 'FeatureCollection', features: rows.map(toFeature) });
        expect(parsed.errors).toEqual([]);
        expect(parsed.rows.map((r) => r.row)).toEqual(rows);
        expect(parsed.rows.map((r) => r.at)).toEqual(rows.map((_, i) => `/features/${i}`));
      }),
    );
  });

  it('reports a corrupted field at exactly its feature and property, and nothing else', () => {
    const corruptions: Array<[string, unknown]> = [
      ['id', 'has space'],
      ['id', 'x'.repeat(65)],
      ['name', ''],
      ['name', 42],
      ['district', 'bad/id'],
      ['park', ''],
      ['opening_hours', 'Mo-Xx 99:00'],
      ['opened_on', '2026-13-01'],
      ['ports', 65],
      ['ports', 1.5],
      ['ports', '4'],
    ];
    fc.assert(
      fc.property(sites, fc.nat(), fc.nat(), (rows, pick, which) => {
        const features = rows.map(toFeature) as Array<{ properties: Record<string, unknown> }>;
        const i = pick % rows.length;
        const kind = rows[i]!.kind;
        // An empty optional field is simply absent, not an error.
        const applicable = corruptions.filter(([f, v]) => f in (rows[i] as object) && !(v === '' && kind === 'bench' && f === 'name'));
        const [field, value] = applicable[which % applicable.length]!;
        features[i]!.properties[field] = value;
        const parsed = parseGeoJsonImport({ type: 'FeatureCollection', features });
        expect(parsed.errors.map((e) => e.pointer)).toEqual([`/features/${i}/properties/${field}`]);
        expect(parsed.rows).toHaveLength(rows.length - 1);
      }),
    );
  });

  it('reports an out-of-range position at the coordinate', () => {
    fc.assert(
      fc.property(fc.oneof(park, station), fc.boolean(), fc.double({ min: 180.0001, max: 1e6, noNaN: true }), (row, useLat, big) => {
        const f = toFeature(row) as { geometry: { coordinates: number[] } };
        f.geometry.coordinates[useLat ? 1 : 0] = useLat ? big / 2 + 0.01 : -big;
        const parsed = parseGeoJsonImport({ type: 'FeatureCollection', features: [f] });
        expect(parsed.errors.map((e) => e.pointer)).toEqual([`/features/0/geometry/coordinates/${useLat ? 1 : 0}`]);
      }),
    );
  });

  it('keeps a district’s Polygon as its boundary and refuses other geometry on a park', () => {
    const boundary = {
      type: 'Polygon',
      coordinates: [
        [
          [116, 36],
          [116.1, 36],
          [116.1, 36.1],
          [116, 36],
        ],
      ],
    };
    const parsed = parseGeoJsonImport({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: boundary, properties: { kind: 'district', id: 'd', name: 'D' } },
        { type: 'Feature', geometry: boundary, properties: { kind: 'park', id: 'p', name: 'P', district: 'd' } },
        { type: 'Feature', id: 'from-feature-id', geometry: null, properties: { kind: 'district', name: 'E' } },
      ],
    });
    expect(parsed.rows.map((r) => r.row)).toEqual([
      { kind: 'district', id: 'd', name: 'D', boundary },
      { kind: 'district', id: 'from-feature-id', name: 'E', boundary: null },
    ]);
    expect(parsed.errors.map((e) => e.pointer)).toEqual(['/features/1/geometry/type']);
  });
});

describe('CSV import parsing', () => {
  it('round-trips any valid sites, with quoted commas, quotes, line breaks and Chinese names', () => {
    fc.assert(
      fc.property(sites, (rows) => {
        const { text, lines } = toCsv(rows.map(toCells));
        const parsed = parseCsvImport(text);
        expect(parsed.errors).toEqual([]);
        expect(parsed.rows.map((r) => r.row)).toEqual(rows);
        expect(parsed.rows.map((r) => r.at)).toEqual(lines.map((l) => `/rows/${l}`));
      }),
    );
  });

  it('reports a corrupted cell at its line as in the file and its column', () => {
    const corruptions: Array<[string, string]> = [
      ['id', 'has space'],
      ['district', 'a/b'],
      ['lat', '91'],
      ['lat', 'north'],
      ['lon', '-181'],
      ['lon', '1,5'],
      ['opening_hours', 'sometimes'],
      ['opened_on', '2026-02-30'],
      ['ports', '-1'],
      ['ports', 'four'],
      ['kind', 'kiosk'],
    ];
    fc.assert(
      fc.property(sites, fc.nat(), fc.nat(), (rows, pick, which) => {
        const cells = rows.map(toCells);
        const i = pick % rows.length;
        const row = rows[i]!;
        const applicable = corruptions.filter(
          ([f]) => f === 'kind' || (f in (row as object) && (f !== 'lat' && f !== 'lon' ? true : row.kind !== 'bench' || row.lat !== null)),
        );
        const [field, value] = applicable[which % applicable.length]!;
        cells[i]![COLUMNS.indexOf(field)] = value;
        const { text, lines } = toCsv(cells);
        const parsed = parseCsvImport(text);
        expect(parsed.errors.map((e) => e.pointer)).toEqual([`/rows/${lines[i]}/${field}`]);
        expect(parsed.rows).toHaveLength(rows.length - 1);
      }),
    );
  });

  it('strips a byte-order mark, ignores unknown columns and blank lines, and accepts CRLF', () => {
    const text = '\uFEFFKind,ID,Name,备注\r\ndistrict,d1,东昌府区,x\r\n\r\ndistrict,d2,"开发区, 东",y\r\n';
    const parsed = parseCsvImport(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.at, r.row])).toEqual([
      ['/rows/2', { kind: 'district', id: 'd1', name: '东昌府区', boundary: null }],
      ['/rows/4', { kind: 'district', id: 'd2', name: '开发区, 东', boundary: null }],
    ]);
  });

  it('reads Chinese and GIS header names and kinds, and quotes the header as written in errors', () => {
    const text = '类型,编号,名称,行政区,纬度,经度\n区,d1,东昌府区,,,\n驿站,s1,人民广场驿站,d1,36.45,115.99\n公园,p1,印象公园,d1,36.4,200';
    const parsed = parseCsvImport(text);
    expect(parsed.rows.map((r) => r.row)).toEqual([
      { kind: 'district', id: 'd1', name: '东昌府区', boundary: null },
      {
        kind: 'station',
        id: 's1',
        name: '人民广场驿站',
        district: 'd1',
        lat: 36.45,
        lon: 115.99,
        opening_hours: null,
        opened_on: null,
        unit: null,
      },
    ]);
    expect(parsed.errors).toEqual([{ pointer: '/rows/4/经度', message: expect.stringContaining('200') }]);
  });

  it('refuses a header naming one column twice', () => {
    const parsed = parseCsvImport('kind,id,lon,lng\ndistrict,d,,');
    expect(parsed.errors).toEqual([{ pointer: '/rows/1/lng', message: expect.stringContaining('lon') }]);
  });

  it('reports an unterminated quote as a syntax error', () => {
    const parsed = parseCsvImport('kind,id,name\ndistrict,d1,"open');
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.message).toMatch(/CSV syntax/);
  });
});

describe('references between imported sites', () => {
  it('accepts references to the file or to the registry and points at any other', () => {
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 3, maxLength: 3 }), ([d, p, ghost]) => {
        const parsed = parseGeoJsonImport({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', geometry: null, properties: { kind: 'station', id: 's1', name: 'S', district: d, lat: 1, lon: 2 } },
            { type: 'Feature', geometry: null, properties: { kind: 'bench', id: 'b1', park: p } },
            { type: 'Feature', geometry: null, properties: { kind: 'bench', id: 'b2', park: ghost } },
          ],
        });
        expect(parsed.errors).toEqual([]);
        const errors = checkReferences(parsed.rows, { districts: new Set([d!]), parks: new Set([p!]), devices: new Map() });
        expect(errors.map((e) => e.pointer)).toEqual(['/features/2/properties/park']);
      }),
    );
  });
});
