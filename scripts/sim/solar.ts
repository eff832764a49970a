/**
 * Solar input of a bench panel: sun position (suncalc) → clear-sky irradiance (Haurwitz) →
 * cloud attenuation (Kasten–Czeplak) → beam and diffuse on a south-facing tilted panel → output
 * with soiling and heat derating.
 */
import { getPosition } from 'suncalc';

const RAD = Math.PI / 180;
/** Bench panels are mounted tilted toward the south, about the latitude minus a little. */
const TILT = 30 * RAD;
/** The North China Plain's aerosol load takes about a fifth off the clear-sky model. */
const HAZE = 0.8;

export interface Sun {
  /** Altitude above the horizon, radians. */
  altitude: number;
  /** Azimuth clockwise from north, radians. */
  azimuth: number;
}

/** suncalc 2 answers in degrees (refraction-corrected), azimuth clockwise from north. */
export function sunPosition(ms: number, lat: number, lon: number): Sun {
  const p = getPosition(new Date(ms), lat, lon);
  return { altitude: p.altitude * RAD, azimuth: p.azimuth * RAD };
}

export function sunAltitude(ms: number, lat: number, lon: number): number {
  return sunPosition(ms, lat, lon).altitude;
}

/** Clear-sky global horizontal irradiance, W/m², for a sun altitude in radians. */
export function clearSkyGhi(altitude: number): number {
  const cosZ = Math.sin(altitude);
  if (cosZ <= 0.01) return 0;
  return 1098 * cosZ * Math.exp(-0.057 / cosZ);
}

/** Fraction of clear-sky irradiance that passes a cloud cover of `cloud` (0–1). */
export function cloudTransmission(cloud: number): number {
  return 1 - 0.75 * Math.min(1, Math.max(0, cloud)) ** 3.4;
}

/** Irradiance on the tilted, south-facing panel from the global horizontal irradiance. */
export function planeOfArray(ghi: number, sun: Sun, cloud: number): number {
  if (ghi <= 0) return 0;
  // Diffuse share: a fifth under a clear sky, nearly all of it under overcast.
  const diffuse = ghi * Math.min(1, 0.2 + 0.8 * Math.max(0, Math.min(1, cloud)) ** 2);
  const beam = ghi - diffuse;
  const cosIncidence = Math.sin(sun.altitude) * Math.cos(TILT) + Math.cos(sun.altitude) * Math.sin(TILT) * Math.cos(sun.azimuth - Math.PI);
  const beamFactor = Math.max(0, cosIncidence) / Math.max(0.05, Math.sin(sun.altitude));
  return beam * Math.min(beamFactor, 4) + diffuse * ((1 + Math.cos(TILT)) / 2);
}

export interface PanelInput {
  /** Rated panel power, W at 1000 W/m². */
  panelW: number;
  /** Dirt on the panel, 0 (clean) – 1 (covered). */
  soiling: number;
  /** Air temperature, °C (the cell runs about 25 °C hotter in full sun). */
  airC: number;
}

/**
 * Panel output in W. `flicker` (0–1, from the caller's rng) models passing clouds on a partly
 * cloudy day; 1 means the mean attenuation for that cover.
 */
export function panelWatts(p: PanelInput, sun: Sun, cloud: number, flicker = 1): number {
  const ghi = clearSkyGhi(sun.altitude) * HAZE * cloudTransmission(cloud) * flicker;
  const poa = planeOfArray(ghi, sun, cloud);
  const cellC = p.airC + 25 * (poa / 1000);
  const derate = 1 - 0.004 * Math.max(0, cellC - 25);
  return Math.max(0, p.panelW * (poa / 1000) * (1 - p.soiling) * derate);
}
