import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import * as S from '../../worker/schemas/dashboard.ts';
import { asAdmin, call } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';

/**
 * The four-colour card (一卡四色) in the dashboard's lists, map data and overview, next to the
 * current-severity grade, and the emergency rule: an empty station is urgent whatever its card.
 */
const MIN = 60_000;
const DAY = 86_400_000;

async function read<T>(path: string, schema: { parse: (x: unknown) => T }): Promise<T> {
  const res = await asAdmin(path);
  expect(res.status).toBe(200);
  return schema.parse(await res.json());
}

async function send(token: string, messages: unknown[]): Promise<void> {
  const res = await call('/api/v1/telemetry', { method: 'POST', token, json: { messages } });
  expect(res.status).toBe(200);
}

/** A resolved alert in the site's history (what an earlier evaluation left). */
async function pastAlert(site: string, siteKind: 'station' | 'bench', kind: string, item: string | null, openedAgo: number) {
  const opened = Date.now() - openedAgo;
  await env.DB.prepare(
    `INSERT INTO alerts (id, kind, site, site_kind, item, colour, opened_at, resolved_at, detail, data, deadline_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, 'yellow', ?6, ?7, 'earlier', '{}', ?8, ?7)`,
  )
    .bind(crypto.randomUUID(), kind, site, siteKind, item, opened, opened + 30 * MIN, opened + 2 * 60 * MIN)
    .run();
}

describe('the card in the station and bench lists', () => {
  it('a station empty for the first time: yellow card, red current severity with its reason, and urgent', async () => {
    const { station, token } = await stationWithDevice();
    await send(token, [{ seq: 1, ts: Date.now() - MIN, type: 'stock', levels: { water: 0 } }]);
    const { stations } = await read('/api/v1/dashboard/stations', S.StationList);
    const s = stations.find((x) => x.id === station)!;
    expect(s.health).toEqual({ grade: 'red', reasons: ['stock_out'] });
    expect(s.card).toMatchObject({ colour: 'yellow', urgent: true });
    expect(s.card.reasons).toEqual([{ kind: 'stock_out', colour: 'yellow', recent: 1, open: 1, overdue: 0 }]);
    expect(Date.parse(s.card.since!)).toBeGreaterThan(Date.now() - MIN);
  });

  it('the same problem again within the window: orange card; the detail answer carries the same card', async () => {
    const { station, token } = await stationWithDevice();
    await pastAlert(station, 'station', 'stock_out', 'water', 2 * DAY);
    await send(token, [{ seq: 1, ts: Date.now() - MIN, type: 'stock', levels: { water: 0 } }]);
    const { stations } = await read('/api/v1/dashboard/stations', S.StationList);
    expect(stations.find((x) => x.id === station)!.card).toMatchObject({ colour: 'orange', urgent: true });
    const one = await read(`/api/v1/dashboard/stations/${station}`, S.StationDetail);
    expect(one.card).toMatchObject({ colour: 'orange', urgent: true });
    expect(one.card.reasons).toEqual([{ kind: 'stock_out', colour: 'orange', recent: 2, open: 1, overdue: 0 }]);
  });

  it('a past problem that is put right: the card stays yellow but nothing is urgent, the current grade is blue', async () => {
    const { station, token } = await stationWithDevice();
    await pastAlert(station, 'station', 'below_reorder', 'water', 1 * DAY);
    await send(token, [{ seq: 1, ts: Date.now() - MIN, type: 'stock', levels: { water: 30 } }]);
    const s = (await read('/api/v1/dashboard/stations', S.StationList)).stations.find((x) => x.id === station)!;
    expect(s.health.grade).toBe('blue');
    expect(s.card).toMatchObject({ colour: 'yellow', urgent: false });
  });

  it('a bench without any alert has a blue card and is not urgent; a low battery gives it a yellow card', async () => {
    const { device, token } = await benchWithDevice();
    await send(token, [{ seq: 1, ts: Date.now() - MIN, type: 'status', battery_soc: 80 }]);
    let b = (await read('/api/v1/dashboard/benches', S.BenchList)).benches.find((x) => x.id === device)!;
    expect(b.card).toEqual({ colour: 'blue', since: null, reasons: [], urgent: false });
    await send(token, [{ seq: 2, ts: Date.now() - MIN / 2, type: 'status', battery_soc: 15 }]);
    b = (await read('/api/v1/dashboard/benches', S.BenchList)).benches.find((x) => x.id === device)!;
    expect(b.health).toEqual({ grade: 'orange', reasons: ['battery_very_low'] });
    expect(b.card).toMatchObject({ colour: 'yellow', urgent: false });
    const one = await read(`/api/v1/dashboard/benches/${device}`, S.BenchDetail);
    expect(one.card.colour).toBe('yellow');
  });
});

describe('the card in the overview', () => {
  it('counts sites per card colour and urgent ones, and lists urgent sites first with card and current reasons', async () => {
    const empty = await stationWithDevice();
    await send(empty.token, [{ seq: 1, ts: Date.now() - MIN, type: 'stock', levels: { water: 0 } }]);
    const calm = await stationWithDevice();
    await pastAlert(calm.station, 'station', 'fault', null, 3 * 60 * MIN);
    await send(calm.token, [{ seq: 1, ts: Date.now() - MIN, type: 'stock', levels: { water: 30 } }]);

    const o = await read('/api/v1/dashboard/overview', S.Overview);
    const { stations } = await read('/api/v1/dashboard/stations', S.StationList);
    const { benches } = await read('/api/v1/dashboard/benches', S.BenchList);
    const count = (list: Array<{ card: { colour: string } }>, c: string) => list.filter((x) => x.card.colour === c).length;
    for (const c of ['blue', 'yellow', 'orange', 'red'] as const) {
      expect(o.cards.stations[c]).toBe(count(stations, c));
      expect(o.cards.benches[c]).toBe(count(benches, c));
    }
    expect(o.cards.urgent).toBe([...stations, ...benches].filter((x) => x.card.urgent).length);
    // Each district's card counts are its own sites' cards, beside the current-severity counts.
    for (const d of o.districts) {
      const mine = [...stations, ...benches].filter((x) => x.district === d.id);
      expect(d.cards, d.id).toEqual({
        red: count(mine, 'red'),
        orange: count(mine, 'orange'),
        urgent: mine.filter((x) => x.card.urgent).length,
      });
    }
    const emptyDistrict = o.districts.find((d) => d.id === empty.district)!;
    expect(emptyDistrict.cards.urgent).toBe(1);

    const ids = o.attention.map((a) => a.id);
    const e = o.attention.find((a) => a.id === empty.station);
    const c = o.attention.find((a) => a.id === calm.station);
    expect(e).toMatchObject({ health: { grade: 'red', reasons: ['stock_out'] }, card: { colour: 'yellow', urgent: true } });
    // A yellow card with nothing wrong now still needs a look, after every urgent site.
    if (c) {
      expect(c).toMatchObject({ health: { grade: 'blue' }, card: { colour: 'yellow', urgent: false } });
      expect(ids.indexOf(calm.station)).toBeGreaterThan(ids.indexOf(empty.station));
    }
    const urgentFlags = o.attention.map((a) => a.card.urgent);
    expect(urgentFlags).toEqual([...urgentFlags].sort((x, y) => Number(y) - Number(x)));
  });
});
