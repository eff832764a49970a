import { z } from '@hono/zod-openapi';
import { NAME_MAX } from '../domain/site-rules.ts';
import { Id } from './common.ts';

/** Responsibility (包片): units, the people in them and their teams. */
const Name = z.string().trim().min(1).max(NAME_MAX).openapi({ example: '东昌府区环卫所' });
const Iso = z.string().openapi({ description: 'ISO 8601 instant (UTC)', example: '2026-07-21T06:02:11.120Z' });
const IdList = z.array(Id).max(5000);

export const UNIT_KINDS = ['street_office', 'sanitation', 'park_management', 'other'] as const;

// ─── Units ───────────────────────────────────────────────────────────────────────────────────
export const UnitCreate = z
  .object({
    id: Id.openapi({ example: 'u-hw-dcf' }),
    name: Name,
    kind: z.enum(UNIT_KINDS).optional().openapi({
      description: '街道办事处 street_office, 环卫所 sanitation, park_management, other (default); selects the ranking weights',
    }),
    district: Id.nullish().openapi({ description: 'The district it works in' }),
  })
  .strict()
  .openapi('UnitCreate');
export const UnitPatch = z
  .object({ name: Name.optional(), kind: z.enum(UNIT_KINDS).optional(), district: Id.nullable().optional() })
  .strict()
  .openapi('UnitPatch');
export const Unit = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(UNIT_KINDS),
    district: z.string().nullable(),
    stations: z.number().int().openapi({ description: 'Stations it is responsible for' }),
    parks: z.number().int(),
    benches: z.number().int().openapi({ description: 'Benches with this unit set on the bench itself (others follow their park)' }),
    created_at: Iso,
  })
  .openapi('Unit');
export const UnitSites = z
  .object({ stations: IdList.optional(), parks: IdList.optional(), benches: IdList.optional() })
  .strict()
  .openapi('UnitSites', {
    description:
      'For each kind given, exactly these sites are the unit’s afterwards (others of that kind it had are released); a kind left out is unchanged',
  });
export const UnitSitesView = z
  .object({ unit: z.string(), stations: z.array(z.string()), parks: z.array(z.string()), benches: z.array(z.string()) })
  .openapi('UnitSitesView', { description: 'The sites a unit is responsible for (a bench listed here has the unit set on itself)' });

// ─── People ──────────────────────────────────────────────────────────────────────────────────
const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 -]{3,20}$/, 'must be a phone number (digits, spaces, -)')
  .openapi({ example: '13800000000' });
export const PersonCreate = z
  .object({ id: Id.openapi({ example: 'p-wang' }), name: Name.openapi({ example: '王师傅' }), unit: Id.nullish(), phone: Phone.nullish() })
  .strict()
  .openapi('PersonCreate');
export const PersonPatch = z
  .object({ name: Name.optional(), unit: Id.nullable().optional(), phone: Phone.nullable().optional() })
  .strict()
  .openapi('PersonPatch');
export const Person = z
  .object({
    id: z.string(),
    name: z.string(),
    unit: z.string().nullable(),
    phone: z.string().nullable(),
    teams: z.array(z.string()),
    created_at: Iso,
  })
  .openapi('Person');

// ─── Teams ───────────────────────────────────────────────────────────────────────────────────
export const TeamCreate = z
  .object({
    id: Id.openapi({ example: 't-dcf-1' }),
    name: Name.openapi({ example: '东昌府区养护一班' }),
    unit: Id.nullish(),
    members: IdList.optional().openapi({ description: 'Person ids' }),
  })
  .strict()
  .openapi('TeamCreate');
export const TeamPatch = z.object({ name: Name.optional(), unit: Id.nullable().optional() }).strict().openapi('TeamPatch');
export const TeamMembers = z
  .object({ members: IdList })
  .strict()
  .openapi('TeamMembers', { description: 'The whole membership: exactly these people afterwards' });
export const Team = z
  .object({
    id: z.string(),
    name: z.string(),
    unit: z.string().nullable(),
    members: z.array(z.object({ id: z.string(), name: z.string() })),
    created_at: Iso,
  })
  .openapi('Team');

export type UnitT = z.infer<typeof Unit>;
export type TeamT = z.infer<typeof Team>;
export type PersonT = z.infer<typeof Person>;
