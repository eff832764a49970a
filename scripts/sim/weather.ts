/**
 * Synthetic daily weather for a North China Plain city (Liaocheng's climate normals: a
 * continental monsoon climate, hot wet summers, cold dry winters). Pure and keyed by the day, so
 * any day's weather is the same whatever range is simulated; neighbouring days are correlated
 * through smooth value noise, which is what gives multi-day heat waves and cloudy spells.
 */
import { unitHash } from './rng.ts';

/** Monthly normals, January first: mean daily max / min (°C), rainy days, mean cloud cover (0–1). */
const T_MAX = [4, 8, 15, 22, 27, 32, 32, 31, 27, 21, 12, 6];
const T_MIN = [-6, -3, 3, 9, 15, 20, 23, 22, 17, 10, 2, -4];
const RAIN_DAYS = [2, 3, 4, 5, 6, 8, 13, 11, 7, 5, 4, 2];
const CLOUD = [0.35, 0.4, 0.45, 0.45, 0.45, 0.55, 0.65, 0.6, 0.45, 0.4, 0.4, 0.35];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface DayWeather {
  day: string;
  /** Daily max / min air temperature, °C. */
  tMax: number;
  tMin: number;
  /** Mean cloud cover, 0 (clear) – 1 (overcast). */
  cloud: number;
  /** Rain hours [rainFrom, rainTo) in local hours, or null on a dry day. */
  rain: { from: number; to: number; mm: number } | null;
  /** Max ≥ 35 °C: the heat-wave days (高温) when stations matter most. */
  heat: boolean;
}

/** Day number since 1970-01-01 of a YYYY-MM-DD string. */
function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

/** Smooth noise in [-1, 1]: cosine interpolation between hashed values every `period` days. */
function valueNoise(seed: number, key: string, t: number, period: number): number {
  const x = t / period;
  const i = Math.floor(x);
  const f = x - i;
  const a = unitHash(seed, key, period, i) * 2 - 1;
  const b = unitHash(seed, key, period, i + 1) * 2 - 1;
  const w = (1 - Math.cos(Math.PI * f)) / 2;
  return a * (1 - w) + b * w;
}

/** Normals interpolated between month midpoints, so the seasons change smoothly. */
function seasonal(table: readonly number[], day: string): number {
  const month = Number(day.slice(5, 7)) - 1;
  const dom = Number(day.slice(8, 10));
  const mid = DAYS_IN_MONTH[month]! / 2;
  const next = dom >= mid ? (month + 1) % 12 : (month + 11) % 12;
  const span = dom >= mid ? DAYS_IN_MONTH[month]! / 2 + DAYS_IN_MONTH[next]! / 2 : -(DAYS_IN_MONTH[month]! / 2 + DAYS_IN_MONTH[next]! / 2);
  const w = (dom - mid) / span;
  return table[month]! * (1 - w) + table[next]! * w;
}

export function dayWeather(seed: number, day: string): DayWeather {
  const n = dayNumber(day);
  const anomaly = 3.2 * valueNoise(seed, 't', n, 5) + 1.5 * valueNoise(seed, 't', n, 2);
  const cloudiness = Math.min(
    1,
    Math.max(0, seasonal(CLOUD, day) + 0.3 * valueNoise(seed, 'c', n, 3) + 0.15 * (unitHash(seed, 'c1', n) * 2 - 1)),
  );
  const month = Number(day.slice(5, 7)) - 1;
  // Rain probability follows the normals and rises with cloudiness; dry spells cluster.
  const pRain = Math.min(0.9, (RAIN_DAYS[month]! / DAYS_IN_MONTH[month]!) * (0.4 + 1.5 * cloudiness));
  const rainy = unitHash(seed, 'r', n) < pRain;
  let rain: DayWeather['rain'] = null;
  let cloud = cloudiness;
  if (rainy) {
    const from = Math.floor(unitHash(seed, 'rf', n) * 20);
    const hours = 1 + Math.floor(unitHash(seed, 'rh', n) * 8);
    const mm = Math.round((1 + 30 * unitHash(seed, 'rm', n) ** 2) * 10) / 10;
    rain = { from, to: Math.min(24, from + hours), mm };
    cloud = Math.max(cloud, 0.75);
  }
  // Clouds and rain hold the afternoon down; clear days swing wider.
  const tMax = seasonal(T_MAX, day) + anomaly - (rain ? 3 : 0) - 4 * (cloud - 0.5);
  const tMin = seasonal(T_MIN, day) + anomaly * 0.8 + 2 * (cloud - 0.5);
  return { day, tMax: round1(tMax), tMin: round1(Math.min(tMin, tMax - 3)), cloud: round2(cloud), rain, heat: tMax >= 35 };
}

/** Air temperature at a local hour (fractional): minimum near 05:00, maximum near 15:00. */
export function airTemp(w: DayWeather, hour: number): number {
  const phase = ((hour - 15 + 24) % 24) / 24;
  const shape = (Math.cos(2 * Math.PI * phase) + 1) / 2;
  return w.tMin + (w.tMax - w.tMin) * shape;
}

export function raining(w: DayWeather, hour: number): boolean {
  return w.rain !== null && hour >= w.rain.from && hour < w.rain.to;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
