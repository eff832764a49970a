/**
 * Solar input of a bench panel: sun position (suncalc) → clear-sky irradiance (Haurwitz) →
 * cloud attenuation (Kasten–Czeplak) → panel output with soiling and heat derating.
 */
import { getPosition } from 'suncalc';

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

export function sunAltitude(ms: number, lat: number, lon: number): number {
  return getPosition(new Date(ms), lat, lon).altitude;
}

const HAZE = 0.8;

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
export function panelWatts(p: PanelInput, altitude: number, cloud: number, flicker = 1): number {
  // Haze: the North China Plain's aerosol load takes about a fifth off the clear-sky model.
  const ghi = clearSkyGhi(altitude) * HAZE * cloudTransmission(cloud) * flicker;
  // A fixed, south-facing tilt catches a little more than a horizontal surface.
  const poa = ghi * 1.08;
  const cellC = p.airC + 25 * (poa / 1000);
  const derate = 1 - 0.004 * Math.max(0, cellC - 25);
  return Math.max(0, p.panelW * (poa / 1000) * (1 - p.soiling) * derate);
}
