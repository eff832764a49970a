/**
 * Geography of the synthetic demo city, modelled on Liaocheng (聊城), Shandong. Boxes are rough
 * outlines of the real districts and water; nothing here is surveyed data.
 */

export interface Box {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** 东昌湖 (Dongchang Lake) around the old town, with a margin: nothing stands or walks in it. */
export const LAKE: Box = { south: 36.427, west: 115.967, north: 36.453, east: 116.003 };

/**
 * A river (synthetic, after 徒骇河) along this meridian between the old city and the development
 * zones: the walking network crosses it only at bridges, so it breaks 15-minute circles.
 */
export const RIVER_LON = 116.0055;
export const RIVER_SPAN = { south: 36.38, north: 36.52 };

export function inBox(b: Box, lat: number, lon: number): boolean {
  return lat >= b.south && lat <= b.north && lon >= b.west && lon <= b.east;
}

export function inWater(lat: number, lon: number): boolean {
  return inBox(LAKE, lat, lon) || (Math.abs(lon - RIVER_LON) < 0.0006 && lat >= RIVER_SPAN.south && lat <= RIVER_SPAN.north);
}

/** GeoJSON Polygon ring of a box (counter-clockwise, closed). */
export function boxPolygon(b: Box): { type: 'Polygon'; coordinates: number[][][] } {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [b.west, b.south],
        [b.east, b.south],
        [b.east, b.north],
        [b.west, b.north],
        [b.west, b.south],
      ],
    ],
  };
}

/** Metres per degree near 36.45° N (enough for offsets of a few hundred metres). */
export const M_PER_DEG_LAT = 110_950;
export const M_PER_DEG_LON = 89_600;

export function offset(lat: number, lon: number, northM: number, eastM: number): { lat: number; lon: number } {
  return { lat: round6(lat + northM / M_PER_DEG_LAT), lon: round6(lon + eastM / M_PER_DEG_LON) };
}

export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
