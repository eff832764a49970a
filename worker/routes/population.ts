import { z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { forgetCachedPlanning, savePopulation, type PopulationMeta } from '../coverage/engine.ts';
import { GEOJSON_TYPES, MAX_UPLOAD_BYTES, MAX_LISTED_ERRORS, collectFeatures } from '../db/planning-upload.ts';
import { BodyTooLarge, mediaType, readBoundedText } from '../http.ts';
import { deleteLayer, layerInfo } from '../db/planning.ts';
import { parsePopulationCsv, parseUnitFeature, PopulationBuilder, type Population } from '../domain/coverage/population.ts';
import { ApiError } from '../errors.ts';
import { PopulationSummary } from '../schemas/planning.ts';
import { documentLayerPut, geoJsonContent, layerSummaryAndRemoval } from './planning-layer.ts';

/**
 * Population units for coverage (CONTRACT "Planning data"). A unit without a district stays
 * without one (counted under `district: null` in by_district): guessing it from the nearest
 * station would blur exactly the district comparisons planners make.
 */
const app = createRouter();
const tags = ['Planning'];

documentLayerPut(app, {
  tags,
  summary: 'Replace the population layer (GeoJSON points / polygons, or CSV lon,lat,population[,district][,name])',
  description:
    'GeoJSON: Point features, or Polygon features taken at their area centroid, with a numeric `population` ≥ 0 and optional `district`, `name`. ' +
    'CSV: a header naming lon, lat, population and optionally district, name (any order). Any bad unit: 400 with errors at /features/<index>/… (CSV: /rows/<index>/<column>), nothing replaced.',
  content: {
    ...geoJsonContent,
    'text/csv': {
      schema: z.string().openapi({ example: 'lon,lat,population,district,name\n115.985,36.456,1200,dongchangfu,Block 7' }),
    },
  },
  schema: PopulationSummary,
});

/** The CSV body, refused (413) as soon as it passes the upload limit. */
async function readCsv(body: ReadableStream<Uint8Array> | null): Promise<string> {
  try {
    return await readBoundedText(body, MAX_UPLOAD_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLarge) throw new ApiError('payload_too_large', e.message);
    throw e;
  }
}

app.put('/', requireRole('planner'), async (c) => {
  const type = mediaType(c.req.header('content-type'));
  let population: Population;
  let total: number;
  forgetCachedPlanning();
  if (type === 'text/csv') {
    const r = parsePopulationCsv(await readCsv(c.req.raw.body), MAX_LISTED_ERRORS);
    if (!r.ok)
      throw new ApiError('validation_failed', `${r.message}; nothing was replaced`, {
        errors: r.errors.map((e) => ({ in: 'body' as const, ...e })),
      });
    population = r.population;
    total = r.total;
  } else if (GEOJSON_TYPES.has(type)) {
    const b = new PopulationBuilder();
    await collectFeatures(c.req.raw.body, parseUnitFeature, (u) => b.add(u));
    population = b.finish();
    total = b.total;
  } else {
    throw new ApiError(
      'unsupported_media_type',
      `Send population as application/geo+json, application/json or text/csv, not ${type || 'no content type'}`,
    );
  }
  const info = await savePopulation(c.env.DB, population, total);
  return c.json(
    {
      units: population.lon.length,
      population: total,
      districts: population.districts,
      version: info.version,
      updated_at: new Date(info.updated_at).toISOString(),
    },
    200,
  );
});

layerSummaryAndRemoval(app, {
  tags,
  summaries: { get: 'The stored population layer’s summary', delete: 'Remove the population layer' },
  schema: PopulationSummary,
  read: async (db) => {
    const info = await layerInfo<Omit<PopulationMeta, 'names'>>(db, 'population');
    if (!info) throw new ApiError('not_found', 'No population layer is loaded');
    const { units, population, districts } = info.meta;
    return { units, population, districts, version: info.version, updated_at: new Date(info.updated_at).toISOString() };
  },
  remove: async (db) => {
    await deleteLayer(db, 'population');
    await deleteLayer(db, 'unit_snaps');
  },
});

export default app;
