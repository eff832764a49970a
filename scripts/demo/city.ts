/**
 * The demo city: a synthetic city modelled on Liaocheng (聊城), Shandong, with its districts,
 * pocket parks (口袋公园) and their solar smart benches, and outdoor-worker rest stations
 * (户外劳动者驿站). Names and positions are plausible, not surveyed: see README.md here.
 */
import type { BenchSpec } from '../sim/bench.ts';
import type { SimDevice } from '../sim/device.ts';
import { MINUTE } from '../sim/clock.ts';
import type { LinkSpec } from '../sim/link.ts';
import { rngFor } from '../sim/rng.ts';
import type { StationItem, StationSpec } from '../sim/station.ts';
import { offset, type Box } from './geo.ts';

export interface District {
  id: string;
  name: string;
  box: Box;
}

export interface Park {
  id: string;
  name: string;
  district: string;
  lat: number;
  lon: number;
  /** A square where people dance in the evening (广场舞). */
  dance: boolean;
  benches: number;
}

export interface Station {
  id: string;
  name: string;
  district: string;
  lat: number;
  lon: number;
  opening_hours: string;
  opened_on: string;
  busy: number;
  items: Record<string, StationItem>;
}

export interface Bench {
  id: string;
  park: string;
  name: string;
  lat: number;
  lon: number;
  ports: number;
}

export interface DemoCity {
  districts: District[];
  parks: Park[];
  stations: Station[];
  benches: Bench[];
  /** What the simulator needs to play each device. */
  devices: Array<SimDevice & { site: string }>;
}

export const DISTRICTS: District[] = [
  { id: 'dongchangfu', name: '东昌府区', box: { south: 36.44, west: 115.9, north: 36.51, east: 116.005 } },
  { id: 'dujiaqu', name: '度假区', box: { south: 36.385, west: 115.93, north: 36.44, east: 116.005 } },
  { id: 'gaoxin', name: '高新区', box: { south: 36.455, west: 116.005, north: 36.51, east: 116.08 } },
  { id: 'jingkai', name: '经开区', box: { south: 36.39, west: 116.005, north: 36.455, east: 116.08 } },
  { id: 'chiping', name: '茌平区', box: { south: 36.555, west: 116.22, north: 36.61, east: 116.29 } },
];

type ParkRow = [id: string, name: string, district: string, lat: number, lon: number, dance: boolean, benches: number];
// 印象公园 has the pavilion of four smart seats that the source reports describe.
const PARKS: ParkRow[] = [
  ['park-yinxiang', '印象公园', 'dongchangfu', 36.4702, 115.9635, true, 4],
  ['park-liuyuan', '柳园口袋公园', 'dongchangfu', 36.462, 115.978, true, 2],
  ['park-guangyue', '光岳口袋公园', 'dongchangfu', 36.4575, 115.992, false, 2],
  ['park-xinghua', '兴华口袋公园', 'dongchangfu', 36.468, 115.989, true, 2],
  ['park-yunhe', '运河口袋公园', 'dongchangfu', 36.448, 115.945, false, 2],
  ['park-dongchang', '东昌口袋公园', 'dongchangfu', 36.481, 115.976, false, 2],
  ['park-xiangjiang', '香江口袋公园', 'dongchangfu', 36.49, 115.995, true, 2],
  ['park-huayuan', '花园路口袋公园', 'dongchangfu', 36.476, 115.956, false, 1],
  ['park-weiyu', '卫育口袋公园', 'dongchangfu', 36.456, 115.958, true, 2],
  ['park-xiangyang', '向阳口袋公园', 'dongchangfu', 36.495, 115.962, false, 1],
  ['park-jianshe', '建设口袋公园', 'dongchangfu', 36.485, 115.935, false, 2],
  ['park-hunan', '湖南口袋公园', 'dujiaqu', 36.42, 115.98, false, 2],
  ['park-changrun', '昌润口袋公园', 'dujiaqu', 36.415, 115.96, true, 2],
  ['park-shuicheng', '水城口袋公园', 'dujiaqu', 36.405, 115.99, false, 1],
  ['park-tianjin', '天津路口袋公园', 'gaoxin', 36.472, 116.03, true, 2],
  ['park-jiuzhou', '九州口袋公园', 'gaoxin', 36.485, 116.045, false, 2],
  ['park-songhua', '松花江路口袋公园', 'gaoxin', 36.465, 116.055, false, 1],
  ['park-zhenxing', '振兴口袋公园', 'gaoxin', 36.495, 116.025, false, 2],
  ['park-huanghe', '黄河路口袋公园', 'jingkai', 36.435, 116.03, true, 2],
  ['park-changjiang', '长江路口袋公园', 'jingkai', 36.42, 116.045, false, 1],
  ['park-liaohe', '辽河口袋公园', 'jingkai', 36.405, 116.025, false, 1],
  ['park-cp-xinfa', '茌平信发口袋公园', 'chiping', 36.582, 116.255, true, 2],
  ['park-cp-jinniu', '茌平金牛口袋公园', 'chiping', 36.59, 116.24, false, 1],
  ['park-cp-tuhai', '茌平徒骇河口袋公园', 'chiping', 36.57, 116.27, false, 1],
];

type StationRow = [
  id: string,
  name: string,
  district: string,
  lat: number,
  lon: number,
  hours: string,
  openedOn: string,
  busy: number,
  extras: string[],
];
const STATIONS: StationRow[] = [
  // The source reports' station on People's Square: open 400+ days, close to 10,000 items handed out.
  ['st-renmin-sq', '人民广场户外劳动者驿站', 'dongchangfu', 36.4585, 115.986, '24/7', '2025-09-08', 2.2, ['sunscreen', 'raincoat']],
  ['st-dongchang-rd', '东昌路环卫驿站', 'dongchangfu', 36.456, 115.972, 'Mo-Su 05:00-21:00', '2025-11-20', 1.2, ['raincoat']],
  ['st-liuyuan-rd', '柳园路爱心驿站', 'dongchangfu', 36.47, 115.979, 'Mo-Su 06:00-22:00', '2026-01-15', 1, []],
  ['st-guangyue-rd', '光岳路户外劳动者驿站', 'dongchangfu', 36.464, 115.996, '24/7', '2025-12-01', 1.1, ['sunscreen']],
  ['st-huayuan-rd', '花园北路驿站', 'dongchangfu', 36.488, 115.97, 'Mo-Fr 06:00-20:00; Sa,Su 07:00-19:00', '2026-03-01', 0.8, []],
  ['st-xinhua-rd', '新华路驿站', 'dongchangfu', 36.478, 115.945, 'Mo-Su 06:00-21:00', '2026-04-10', 0.9, []],
  ['st-yunhe', '运河驿站', 'dongchangfu', 36.452, 115.93, 'Mo-Su 07:00-19:00', '2026-05-20', 0.7, []],
  ['st-hunan-rd', '湖南路驿站', 'dujiaqu', 36.423, 115.972, 'Mo-Su 06:00-22:00', '2026-02-18', 1, ['raincoat']],
  ['st-shuicheng', '水城大道驿站', 'dujiaqu', 36.41, 115.95, 'Mo-Su 07:00-19:00', '2026-06-01', 0.7, []],
  ['st-tianjin-rd', '天津路驿站', 'gaoxin', 36.478, 116.035, '24/7', '2026-01-05', 1.1, ['sunscreen']],
  ['st-jiuzhou', '九州驿站', 'gaoxin', 36.492, 116.055, 'Mo-Su 06:00-20:00', '2026-04-01', 0.8, []],
  ['st-huanghe-rd', '黄河路驿站', 'jingkai', 36.44, 116.04, 'Mo-Su 05:30-21:00', '2026-03-15', 1, ['raincoat']],
  ['st-changjiang-rd', '长江路驿站', 'jingkai', 36.415, 116.035, 'Mo-Fr 06:00-20:00; Sa,Su 08:00-18:00', '2026-05-01', 0.8, []],
  ['st-cp-zhenxing', '茌平振兴街驿站', 'chiping', 36.585, 116.25, 'Mo-Su 06:00-21:00', '2026-02-01', 0.9, []],
  ['st-cp-xinzheng', '茌平新政路驿站', 'chiping', 36.576, 116.262, 'Mo-Su 06:00-20:00', '2026-04-20', 0.8, []],
  ['st-cp-jinniu', '茌平金牛驿站', 'chiping', 36.595, 116.272, 'Mo-Su 07:00-19:00', '2026-07-01', 0.7, []],
];

/** Par level (full) and reorder point per item; a busy station keeps more water. */
function stationItems(busy: number, extras: string[]): Record<string, StationItem> {
  const items: Record<string, StationItem> = {
    water: busy >= 2 ? { par: 96, reorder: 24 } : { par: 48, reorder: 12 },
    towel: busy >= 2 ? { par: 40, reorder: 10 } : { par: 20, reorder: 5 },
    umbrella: { par: 12, reorder: 3 },
    medicine_kit: { par: 10, reorder: 3 },
  };
  if (extras.includes('sunscreen')) items.sunscreen = { par: 6, reorder: 2 };
  if (extras.includes('raincoat')) items.raincoat = { par: 8, reorder: 2 };
  return items;
}

/** The subset used by tests and `--small`: two districts, Impression Park, People's Square. */
export const SMALL = {
  districts: ['dongchangfu', 'gaoxin'],
  parks: ['park-yinxiang', 'park-liuyuan', 'park-tianjin'],
  stations: ['st-renmin-sq', 'st-liuyuan-rd', 'st-tianjin-rd'],
};

export function stationDeviceId(stationId: string): string {
  return `${stationId}-kiosk`;
}

/** Build the demo city. Deterministic: the same every time (the seed only varies device details). */
export function demoCity(opts: { small?: boolean; seed?: number } = {}): DemoCity {
  const seed = opts.seed ?? 20260721;
  const rng = rngFor(seed, 'city');
  const keep = <T extends { id: string }>(rows: T[], ids: string[]) => (opts.small ? rows.filter((r) => ids.includes(r.id)) : rows);

  const districts = keep(DISTRICTS, SMALL.districts);
  const parks: Park[] = keep(
    PARKS.map(([id, name, district, lat, lon, dance, benches]) => ({ id, name, district, lat, lon, dance, benches })),
    SMALL.parks,
  );
  const stations: Station[] = keep(
    STATIONS.map(([id, name, district, lat, lon, opening_hours, opened_on, busy, extras]) => ({
      id,
      name,
      district,
      lat,
      lon,
      opening_hours,
      opened_on,
      busy,
      items: stationItems(busy, extras),
    })),
    SMALL.stations,
  );

  const benches: Bench[] = [];
  const devices: DemoCity['devices'] = [];
  let n = 0;
  for (const park of PARKS.map(([id]) => id)) {
    const p = PARKS.find((r) => r[0] === park)!;
    const [parkId, parkName, , lat, lon, dance, count] = p;
    for (let i = 1; i <= count; i++) {
      n++;
      // Numbering over the whole city so that a bench's id is the same in the small subset.
      const id = `bench-${String(n).padStart(4, '0')}`;
      const pavilion = parkId === 'park-yinxiang';
      const pos = pavilion
        ? offset(lat, lon, 6 * Math.sin((i * Math.PI) / 2), 6 * Math.cos((i * Math.PI) / 2))
        : offset(lat, lon, rng.uniform(-60, 60), rng.uniform(-60, 60));
      const bench: Bench = {
        id,
        park: parkId,
        name: pavilion ? `${parkName}凉亭智能座椅 ${i}` : `${parkName}智能座椅 ${i}`,
        lat: pos.lat,
        lon: pos.lon,
        ports: pavilion ? 4 : rng.chance(0.5) ? 4 : 3,
      };
      const spec: BenchSpec = {
        id,
        lat: bench.lat,
        lon: bench.lon,
        panelW: pavilion ? 120 : Math.round(rng.uniform(60, 100)),
        capacityWh: Math.round(12.8 * (pavilion ? 60 : rng.pick([24, 30, 40, 50]))),
        ports: bench.ports,
        danceSquare: dance,
        popularity: Math.round((pavilion ? 1.4 : rng.uniform(0.5, 1.3)) * 100) / 100,
        // One bench nobody wipes: its panel dirties until it stops serving (the silent failure).
        neglected: parkId === 'park-liaohe',
      };
      const link: LinkSpec = {
        tsFormat: n % 3 === 0 ? 'ms' : 'rfc3339', // two vendors' firmware
        uploadEvery: 10 * MINUTE,
        lifoBacklog: n % 2 === 0,
        outagePerDay: 0.04,
        lostAckRate: 0.01,
      };
      if (!opts.small || SMALL.parks.includes(parkId)) {
        benches.push(bench);
        devices.push({ id, kind: 'bench', bench: spec, link, site: parkId });
      }
    }
  }
  for (const s of stations) {
    const id = stationDeviceId(s.id);
    const station: StationSpec = { id, openingHours: s.opening_hours, busy: s.busy, items: s.items, crew: `crew-${s.district}` };
    devices.push({
      id,
      kind: 'station',
      station,
      link: { tsFormat: 'ms', uploadEvery: 5 * MINUTE, lifoBacklog: true, outagePerDay: 0.02, lostAckRate: 0.01 },
      site: s.id,
    });
  }
  return { districts, parks, stations, benches, devices };
}
