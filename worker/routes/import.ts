import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { assignUnitStatements, loadExisting, upsertStatements } from '../db/import.ts';
import { devicesInsertStatements, type DeviceInput } from '../db/devices.ts';
import { DATUMS, type Datum } from '../domain/china-crs.ts';
import {
  checkReferences,
  parseCsvImport,
  parseGeoJsonImport,
  rowsToWgs84,
  SITE_KINDS,
  type ImportIssue,
  type ParseResult,
  type SiteKind,
  type SiteRow,
} from '../domain/import-parse.ts';
import { ApiError, type FieldError } from '../errors.ts';
import { mediaType } from '../http.ts';
import { bearerAuth, problems } from '../schemas/common.ts';
import { GeoJsonImport, ImportQuery, ImportResult } from '../schemas/import.ts';

/**
 * Bulk import of a city's registry. Everything is validated first; one bad row and nothing is
 * written. A good file is written in one D1 batch (one transaction). Upsert: re-importing the
 * same file changes nothing; a changed row updates the stored site; fields a row leaves out keep
 * their stored values; nothing is ever deleted. New benches get device tokens, shown once.
 */
const app = createRouter();

const MAX_BYTES = 10 * 1024 * 1024;
const MAX_ROWS = 50_000;
const MAX_ERRORS = 1000;

app.openAPIRegistry.registerPath({
  method: 'post',
  path: '/',
  tags: ['Sites'],
  summary: "Bulk import of a city's districts, parks, stations and benches (GeoJSON or CSV)",
  description: [
    'GeoJSON: a FeatureCollection whose features carry `properties.kind` (district | park | station | bench) and the fields of that kind. ',
    'CSV (`text/csv`): one row per site with the columns `kind,id,name,district,park,lat,lon,opening_hours,opened_on,ports,unit` (only `kind` and `id` are required as columns; others are ignored), UTF-8 or GBK / GB 18030 (as a Chinese-locale Excel saves it). ',
    'Every row is validated first; any bad row makes a 400 problem with one error per bad field (`/features/<index>/properties/<field>`, or `/rows/<line>/<column>` where line 1 is the header) and nothing is written. ',
    'Upsert: re-importing the same file is safe and changes nothing; existing sites are updated, fields left out keep their stored values, nothing is deleted. ',
    'Newly created benches get a device token each, returned once in `devices`. ',
    'Coordinates are WGS-84; points copied from Amap / Tencent maps (GCJ-02) are converted with `crs=gcj02`.',
  ].join(''),
  security: bearerAuth,
  request: {
    query: ImportQuery,
    body: {
      required: true,
      content: {
        'application/geo+json': { schema: GeoJsonImport },
        'application/json': { schema: GeoJsonImport },
        'text/csv': {
          schema: {
            type: 'string',
            example:
              'kind,id,name,district,park,lat,lon\ndistrict,dongchangfu,东昌府区,,,,\npark,park-yinxiang,印象公园,dongchangfu,,36.4563,115.985\nbench,bench-0007,,,park-yinxiang,,',
          },
        },
      },
    },
  },
  responses: {
    200: { description: 'Imported (or validated, with dry_run)', content: { 'application/json': { schema: ImportResult } } },
    ...problems(400, 401, 403, 409, 413, 415),
  },
});

function charsetOf(contentType: string | undefined): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * UTF-8 unless the request says otherwise. A CSV without a charset that is not valid UTF-8 is read
 * as GB 18030: Excel on a Chinese-locale PC saves "CSV (逗号分隔)" in GBK, a subset of it.
 */
function decode(bytes: Uint8Array, charset: string | null, format: 'csv' | 'geojson'): string {
  const label = charset === 'gbk' || charset === 'gb2312' ? 'gb18030' : charset;
  if (label && label !== 'utf-8' && label !== 'utf8') {
    if (format !== 'csv' || label !== 'gb18030')
      throw new ApiError('unsupported_media_type', `Unsupported charset "${charset}": send UTF-8 (or GBK / GB 18030 for CSV)`);
    return new TextDecoder('gb18030').decode(bytes);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    if (format === 'csv' && label === null) return new TextDecoder('gb18030').decode(bytes);
    throw new ApiError('bad_request', 'The body is not valid UTF-8', { errors: [{ in: 'body', pointer: '', message: 'not valid UTF-8' }] });
  }
}

function parseBody(text: string, format: 'csv' | 'geojson'): ParseResult {
  if (format === 'csv') return parseCsvImport(text);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ApiError('bad_request', `Body is not JSON: ${e instanceof Error ? e.message : String(e)}`, {
      errors: [{ in: 'body', pointer: '', message: 'not JSON' }],
    });
  }
  return parseGeoJsonImport(doc);
}

function fail(issues: ImportIssue[], what: string): never {
  const errors: FieldError[] = issues.slice(0, MAX_ERRORS).map((e) => ({ in: 'body', pointer: e.pointer, message: e.message }));
  const more = issues.length > MAX_ERRORS ? ` (first ${MAX_ERRORS} shown)` : '';
  throw new ApiError(
    'validation_failed',
    `${issues.length} problem${issues.length === 1 ? '' : 's'} in the ${what}${more}; nothing was imported`,
    { errors },
  );
}

app.post('/', requireRole('admin'), async (c) => {
  const dryRun = c.req.query('dry_run') === 'true';
  const crs = (c.req.query('crs') ?? 'wgs84').toLowerCase();
  if (!(DATUMS as readonly string[]).includes(crs)) {
    throw new ApiError('validation_failed', `Unknown crs "${crs}"`, {
      errors: [{ in: 'query', pointer: '/crs', message: `must be one of ${DATUMS.join(', ')}` }],
    });
  }
  const type = mediaType(c.req.header('content-type'));
  const format = type === 'text/csv' ? 'csv' : type === 'application/json' || type === 'application/geo+json' ? 'geojson' : null;
  if (!format)
    throw new ApiError(
      'unsupported_media_type',
      `Send application/geo+json (or application/json) for GeoJSON, or text/csv; got "${type || 'nothing'}"`,
    );
  const declared = Number(c.req.header('content-length'));
  if (declared > MAX_BYTES) throw new ApiError('payload_too_large', `The import is limited to ${MAX_BYTES} bytes`);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > MAX_BYTES) throw new ApiError('payload_too_large', `The import is limited to ${MAX_BYTES} bytes`);
  const text = decode(bytes, charsetOf(c.req.header('content-type')), format);

  const parsed = parseBody(text, format);
  const what = format === 'csv' ? 'CSV' : 'GeoJSON';
  if (parsed.rows.length + parsed.errors.length > MAX_ROWS)
    throw new ApiError('payload_too_large', `An import holds at most ${MAX_ROWS} sites; split the file`);
  if (parsed.errors.length) fail(parsed.errors, what);
  const rows: SiteRow[] = rowsToWgs84(
    parsed.rows.map((r) => r.row),
    crs as Datum,
  );
  if (!rows.length) fail([{ pointer: format === 'csv' ? '/rows' : '/features', message: 'no sites to import' }], what);

  const existing = await loadExisting(c.env.DB, rows);
  const refErrors = checkReferences(parsed.rows, existing);
  if (refErrors.length) fail(refErrors, what);

  const counts = Object.fromEntries(SITE_KINDS.map((k) => [k, { created: 0, updated: 0 }])) as Record<
    SiteKind,
    { created: number; updated: number }
  >;
  const known: Record<SiteKind, (id: string) => boolean> = {
    district: (id) => existing.districts.has(id),
    park: (id) => existing.parks.has(id),
    station: (id) => existing.stations.has(id),
    bench: (id) => existing.devices.has(id),
  };
  for (const r of rows) counts[r.kind][known[r.kind](r.id) ? 'updated' : 'created']++;

  const devices: Array<{ id: string; token: string }> = [];
  if (!dryRun) {
    const now = Date.now();
    const statements = upsertStatements(c.env.DB, rows, now);
    const benches: Array<DeviceInput & { tokenHash: string }> = [];
    for (const r of rows) {
      if (r.kind !== 'bench' || existing.devices.has(r.id)) continue;
      const token = newToken('device');
      benches.push({
        id: r.id,
        kind: 'bench',
        site: r.park,
        name: r.name,
        lat: r.lat,
        lon: r.lon,
        ports: r.ports,
        tokenHash: await hashToken(token),
      });
      devices.push({ id: r.id, token });
    }
    statements.push(...devicesInsertStatements(c.env.DB, benches, now), ...assignUnitStatements(c.env.DB, rows));
    try {
      await c.env.DB.batch(statements);
    } catch (e) {
      // A bench registered by someone else between our check and this batch: the batch rolled back.
      if (String(e).includes('UNIQUE'))
        throw new ApiError(
          'conflict',
          'The registry changed while importing (a device id was taken); nothing was imported, send the file again',
        );
      throw e;
    }
  }
  return c.json(
    { format, dry_run: dryRun, districts: counts.district, parks: counts.park, stations: counts.station, benches: counts.bench, devices },
    200,
  );
});

export default app;
