import { z } from '@hono/zod-openapi';

const Counts = z.object({ created: z.number().int(), updated: z.number().int() });

export const ImportResult = z
  .object({
    format: z.enum(['geojson', 'csv']),
    dry_run: z.boolean().openapi({ description: 'true: validated only, nothing written' }),
    districts: Counts,
    parks: Counts,
    stations: Counts,
    benches: Counts,
    devices: z.array(z.object({ id: z.string(), token: z.string() })).openapi({
      description: 'Each newly created bench with its device token, shown this once (benches that already existed keep theirs)',
    }),
  })
  .openapi('ImportResult');

export const ImportQuery = z.object({
  dry_run: z.enum(['true', 'false']).optional().openapi({ description: 'Validate and count without writing' }),
  crs: z.enum(['wgs84', 'gcj02']).optional().openapi({
    description:
      'Datum of the coordinates: wgs84 (default, as GeoJSON requires) or gcj02 (copied from Amap / Tencent maps), converted to WGS-84',
  }),
});

export const GeoJsonImport = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        geometry: z.object({ type: z.string(), coordinates: z.array(z.any()) }).nullable(),
        properties: z
          .object({
            kind: z.enum(['district', 'park', 'station', 'bench']),
            id: z.string(),
            name: z.string().optional(),
            district: z.string().optional().openapi({ description: 'park, station' }),
            park: z.string().optional().openapi({ description: 'bench' }),
            opening_hours: z.string().optional().openapi({ description: 'station; default 24/7' }),
            opened_on: z.string().optional().openapi({ description: 'station; YYYY-MM-DD' }),
            ports: z.number().int().optional().openapi({ description: 'bench' }),
            unit: z
              .string()
              .optional()
              .openapi({ description: 'park, station, bench: the responsible unit (包片), registered with POST /api/v1/units' }),
          })
          .passthrough(),
      }),
    ),
  })
  .openapi('RegistryImportGeoJson', {
    description:
      'Point features for parks, stations and benches (a bench without geometry stands at its park); a district may carry a Polygon / MultiPolygon boundary or no geometry',
  });
