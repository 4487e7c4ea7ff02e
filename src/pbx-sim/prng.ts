/**
 * Seeded pseudo-random numbers for the simulator (mulberry32; 32-bit state).
 * The same seed gives the same sequence on every machine, so a run with `--seed` is reproducible.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty array. @throws RangeError if `items` is empty. */
  pick<T>(items: readonly T[]): T;
  /** true with probability `p` (0..1). */
  chance(p: number): boolean;
  /** Exponentially distributed delay with the given mean (same unit as `mean`). */
  exp(mean: number): number;
  /** A random RFC 4122 version-4 shaped UUID string (lower-case hex). */
  uuid(): string;
}

/** Create a seeded generator. `seed` is any integer (taken modulo 2^32). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(next() * 16).toString(16);
    return s;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[Math.floor(next() * items.length)];
    },
    chance: (p) => next() < p,
    exp: (mean) => -Math.log(1 - next()) * mean,
    uuid: () =>
      `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}`,
  };
}
