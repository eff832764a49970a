import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { asAdmin, call } from './helpers.ts';
import { createDistrict, createPark, createStation } from './fixtures.ts';
import { createPerson, createUnit, tokenFor } from './ops-fixtures.ts';

const uid = () => crypto.randomUUID().slice(0, 8);

async function problem(
  res: Response,
  status: number,
): Promise<{ code: string; detail: string; errors?: Array<{ pointer: string; message: string }> }> {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as { code: string; detail: string; errors?: Array<{ pointer: string; message: string }> };
}

describe('units, people and teams', () => {
  it('registers a unit, refuses a duplicate and an unknown district', async () => {
    const d = await createDistrict(`d-${uid()}`);
    const id = `u-${uid()}`;
    const res = await asAdmin('/api/v1/units', { method: 'POST', json: { id, name: '东昌府区环卫所', kind: 'sanitation', district: d } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      id,
      name: '东昌府区环卫所',
      kind: 'sanitation',
      district: d,
      stations: 0,
      parks: 0,
      benches: 0,
    });
    expect((await problem(await asAdmin('/api/v1/units', { method: 'POST', json: { id, name: 'again' } }), 409)).code).toBe('conflict');
    expect(
      (await problem(await asAdmin('/api/v1/units', { method: 'POST', json: { id: `u-${uid()}`, name: 'x', district: 'nowhere' } }), 400))
        .errors?.[0]?.pointer,
    ).toBe('/district');
    expect(
      (await problem(await asAdmin('/api/v1/units', { method: 'POST', json: { id: `u-${uid()}`, name: 'x', kind: 'army' } }), 400))
        .errors?.[0]?.pointer,
    ).toBe('/kind');
    const patched = await asAdmin(`/api/v1/units/${id}`, { method: 'PATCH', json: { kind: 'street_office', district: null } });
    expect(await patched.json()).toMatchObject({ kind: 'street_office', district: null, name: '东昌府区环卫所' });
  });

  it('keeps people in units and teams, with members checked', async () => {
    const unit = await createUnit(`u-${uid()}`);
    const a = await createPerson(`p-${uid()}`, unit);
    const b = await createPerson(`p-${uid()}`);
    expect(
      (await problem(await asAdmin('/api/v1/people', { method: 'POST', json: { id: `p-${uid()}`, name: 'x', unit: 'ghost' } }), 400))
        .errors?.[0]?.pointer,
    ).toBe('/unit');
    const team = `t-${uid()}`;
    expect(
      (await problem(await asAdmin('/api/v1/teams', { method: 'POST', json: { id: team, name: '一班', members: [a, 'ghost'] } }), 400))
        .errors,
    ).toEqual([{ in: 'body', pointer: '/members/1', message: expect.stringContaining('ghost') }]);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM teams WHERE id = ?').bind(team).first()).toEqual({ n: 0 });
    const created = await asAdmin('/api/v1/teams', { method: 'POST', json: { id: team, name: '一班', unit, members: [a] } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: team, unit, members: [{ id: a, name: `Person ${a}` }] });
    const put = await asAdmin(`/api/v1/teams/${team}/members`, { method: 'PUT', json: { members: [b] } });
    expect(((await put.json()) as { members: Array<{ id: string }> }).members.map((m) => m.id)).toEqual([b]);
    const person = (await (await asAdmin(`/api/v1/people/${b}`)).json()) as { teams: string[] };
    expect(person.teams).toEqual([team]);
    const listed = (await (await asAdmin(`/api/v1/people?unit=${unit}`)).json()) as { people: Array<{ id: string }> };
    expect(listed.people.map((p) => p.id)).toEqual([a]);
  });

  it('gives a person a token: their steps are attributed to them; the old token shape stays', async () => {
    const p = await createPerson(`p-${uid()}`);
    const res = await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: '王师傅 phone', role: 'staff', person: p } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ role: 'staff', person: p });
    expect(
      (await problem(await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'x', role: 'staff', person: 'ghost' } }), 400))
        .errors?.[0]?.pointer,
    ).toBe('/person');
    const plain = (await (await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'plain', role: 'planner' } })).json()) as Record<
      string,
      unknown
    >;
    expect('person' in plain).toBe(false);
    const stored = await env.DB.prepare('SELECT person_id FROM api_tokens WHERE id = ?')
      .bind((await env.DB.prepare("SELECT id FROM api_tokens WHERE name = '王师傅 phone'").first<{ id: string }>())!.id)
      .first();
    expect(stored).toEqual({ person_id: p });
  });

  it('admins write; supervisors read people; staff and planners read units and teams only', async () => {
    const [sup, staff, planner] = await Promise.all([tokenFor('supervisor'), tokenFor('staff'), tokenFor('planner')]);
    expect((await call('/api/v1/people', { token: sup })).status).toBe(200);
    expect((await call('/api/v1/people', { token: staff })).status).toBe(403);
    expect((await call('/api/v1/units', { token: planner })).status).toBe(200);
    expect((await call('/api/v1/teams', { token: staff })).status).toBe(200);
    for (const [path, body] of [
      ['/api/v1/units', { id: `u-${uid()}`, name: 'x' }],
      ['/api/v1/people', { id: `p-${uid()}`, name: 'x' }],
      ['/api/v1/teams', { id: `t-${uid()}`, name: 'x' }],
    ] as const) {
      for (const token of [sup, staff, planner]) expect((await call(path, { method: 'POST', token, json: body })).status).toBe(403);
    }
  });
});

describe('responsibility for sites (包片)', () => {
  it('sets exactly the listed sites of each kind given, all-or-nothing', async () => {
    const d = await createDistrict(`d-${uid()}`);
    const [s1, s2] = [await createStation(`s-${uid()}`, d), await createStation(`s-${uid()}`, d)];
    const park = await createPark(`pk-${uid()}`, d);
    const unit = await createUnit(`u-${uid()}`);
    const other = await createUnit(`u-${uid()}`);
    const set = async (u: string, body: unknown) => asAdmin(`/api/v1/units/${u}/sites`, { method: 'PUT', json: body });
    expect(await (await set(unit, { stations: [s1, s2], parks: [park] })).json()).toEqual({
      unit,
      stations: [s1, s2].sort(),
      parks: [park],
      benches: [],
    });
    // Moving s2 to the other unit; the first keeps s1 and its park (parks not given).
    await set(other, { stations: [s2] });
    expect(await (await set(unit, { stations: [s1] })).json()).toEqual({ unit, stations: [s1], parks: [park], benches: [] });
    expect(await env.DB.prepare('SELECT unit_id FROM stations WHERE id = ?').bind(s2).first()).toEqual({ unit_id: other });
    const p = await problem(await set(unit, { stations: [s1, 'nowhere'], parks: [] }), 400);
    expect(p.errors).toEqual([{ in: 'body', pointer: '/stations/1', message: expect.stringContaining('nowhere') }]);
    expect(await env.DB.prepare('SELECT unit_id FROM parks WHERE id = ?').bind(park).first()).toEqual({ unit_id: unit });
    expect(await (await asAdmin(`/api/v1/units/${unit}`)).json()).toMatchObject({ stations: 1, parks: 1 });
    expect((await set('ghost', { stations: [] })).status).toBe(404);
  });

  it('the bulk import sets units from a unit column (or 责任单位), and refuses an unknown one', async () => {
    const d = `d-${uid()}`;
    const unit = await createUnit(`u-${uid()}`);
    const st = `s-${uid()}`;
    const pk = `pk-${uid()}`;
    const csv = `kind,id,name,district,park,lat,lon,责任单位\ndistrict,${d},Dist,,,,,\npark,${pk},Park,${d},,36.4,115.9,${unit}\nstation,${st},St,${d},,36.45,115.99,${unit}\nbench,b-${uid()},,,${pk},,,${unit}\n`;
    const res = await asAdmin('/api/v1/import', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status, await res.clone().text()).toBe(200);
    const sites = (await (await asAdmin(`/api/v1/units/${unit}/sites`)).json()) as {
      stations: string[];
      parks: string[];
      benches: string[];
    };
    expect(sites.stations).toEqual([st]);
    expect(sites.parks).toEqual([pk]);
    expect(sites.benches).toHaveLength(1);
    const bad = `kind,id,name,district,lat,lon,unit\nstation,${st},St,${d},36.45,115.99,ghost-unit\n`;
    const p = await problem(await asAdmin('/api/v1/import', { method: 'POST', body: bad, headers: { 'content-type': 'text/csv' } }), 400);
    expect(p.errors).toEqual([{ in: 'body', pointer: '/rows/2/unit', message: expect.stringContaining('ghost-unit') }]);
    // A re-import without the column keeps the units.
    const again = `kind,id,name,district,lat,lon\nstation,${st},St,${d},36.45,115.99\n`;
    expect((await asAdmin('/api/v1/import', { method: 'POST', body: again, headers: { 'content-type': 'text/csv' } })).status).toBe(200);
    expect(await env.DB.prepare('SELECT unit_id FROM stations WHERE id = ?').bind(st).first()).toEqual({ unit_id: unit });
  });
});
