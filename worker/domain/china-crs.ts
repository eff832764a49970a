/**
 * Chinese map coordinates to WGS-84. Map platforms in mainland China (Amap / Gaode, Tencent)
 * publish GCJ-02 coordinates, offset from WGS-84 by some hundreds of metres, and city
 * spreadsheets are often copied from them. The registry stores WGS-84 (CONTRACT), so an import
 * may declare GCJ-02 and is converted here. GCJ-02 is the published forward transform from
 * WGS-84; its inverse is found by fixed-point iteration (to about 1 mm). Outside mainland China's
 * bounding box the offset is zero, as every implementation assumes.
 *
 * Baidu's BD-09 is not offered: its published inverses disagree with each other by 10–40 m, and
 * there is no reference to settle which is right. Convert Baidu points with Baidu's own service.
 */

export const DATUMS = ['wgs84', 'gcj02'] as const;
export type Datum = (typeof DATUMS)[number];

const A = 6378245.0; // Krasovsky 1940 semi-major axis, as the GCJ-02 formula uses
// biome-ignore lint/correctness/noPrecisionLoss: the constant as the published GCJ-02 formula writes it
const EE = 0.00669342162296594323;

export function outOfChina(lat: number, lon: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function offsetLon(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

export interface LatLon {
  lat: number;
  lon: number;
}

/** WGS-84 → GCJ-02 (the published forward transform). */
export function wgs84ToGcj02(lat: number, lon: number): LatLon {
  if (outOfChina(lat, lon)) return { lat, lon };
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLat(lon - 105.0, lat - 35.0) * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (offsetLon(lon - 105.0, lat - 35.0) * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: lat + dLat, lon: lon + dLon };
}

/** GCJ-02 → WGS-84: the WGS-84 point whose forward transform is `lat, lon`. */
export function gcj02ToWgs84(lat: number, lon: number): LatLon {
  if (outOfChina(lat, lon)) return { lat, lon };
  let w = { lat, lon };
  for (let i = 0; i < 30; i++) {
    const g = wgs84ToGcj02(w.lat, w.lon);
    const dLat = g.lat - lat;
    const dLon = g.lon - lon;
    w = { lat: w.lat - dLat, lon: w.lon - dLon };
    if (Math.abs(dLat) < 1e-10 && Math.abs(dLon) < 1e-10) break;
  }
  return w;
}

/** Any supported datum → WGS-84. */
export function toWgs84(datum: Datum, lat: number, lon: number): LatLon {
  return datum === 'gcj02' ? gcj02ToWgs84(lat, lon) : { lat, lon };
}
