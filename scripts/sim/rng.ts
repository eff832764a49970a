/**
 * Seeded randomness for the simulator (pure-rand's xoroshiro128+). A stream is keyed by the run's
 * seed plus names (device, day …), so one device-day draws the same numbers whatever else the run
 * simulates: a run is reproducible, and re-simulating a range gives the same messages.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** FNV-1a over the text, then murmur3's finaliser so that similar keys give unrelated seeds. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private readonly gen: RandomGenerator;
  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
    // The first outputs of a freshly seeded xoroshiro follow the seed closely: warm it up.
    for (let i = 0; i < 8; i++) this.gen.next();
  }

  /** [0, 1) */
  next(): number {
    return uniformFloat64(this.gen);
  }

  /** [a, b) */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Integer in [a, b], both inclusive. */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson count with mean `lambda` (Knuth for small means, normal approximation above 30). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Exponentially distributed wait with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** A stream for one purpose, e.g. `rngFor(seed, 'bench-0007', '2026-07-21')`. */
export function rngFor(seed: number, ...keys: Array<string | number>): Rng {
  return new Rng(hash32(`${seed}|${keys.join('|')}`));
}

/** Deterministic uniform [0, 1) for a key, without keeping a generator (value noise, weather). */
export function unitHash(seed: number, ...keys: Array<string | number>): number {
  return hash32(`${seed}|${keys.join('|')}`) / 0x1_0000_0000;
}
