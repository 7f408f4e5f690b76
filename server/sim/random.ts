/**
 * Seeded randomness: the same seed must give the same floor (names, skills, traffic), so
 * nothing in the simulator's model may call Math.random.
 */
export interface TRng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** FNV-1a, to turn any seed string into the 32-bit words sfc32 needs. */
function hashSeed(seed: string, salt: number): number {
  let hash = 0x811c9dc5 ^ salt;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** sfc32: small, fast, and good enough for a traffic model. */
export function createRng(seed: string): TRng {
  let a = hashSeed(seed, 1);
  let b = hashSeed(seed, 2);
  let c = hashSeed(seed, 3);
  let d = hashSeed(seed, 4);
  const rng: TRng = {
    next() {
      a >>>= 0;
      b >>>= 0;
      c >>>= 0;
      d >>>= 0;
      let t = (a + b) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      d = (d + 1) | 0;
      t = (t + d) | 0;
      c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    },
  };
  // The first outputs of sfc32 are poorly mixed; discard them.
  for (let i = 0; i < 15; i++) rng.next();
  return rng;
}

export function randomInt(rng: TRng, minInclusive: number, maxInclusive: number): number {
  return minInclusive + Math.floor(rng.next() * (maxInclusive - minInclusive + 1));
}

export function pick<T>(rng: TRng, items: readonly T[]): T {
  const item = items[Math.floor(rng.next() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

export function chance(rng: TRng, probability: number): boolean {
  return rng.next() < probability;
}

/** Exponential with the given mean: gaps between Poisson arrivals. */
export function exponential(rng: TRng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}

/**
 * Log-normal from its median and shape: talk and answer times are right-skewed (most calls
 * short, a long tail), which is what contact-center handle times look like.
 */
export function logNormal(rng: TRng, median: number, sigma: number): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  const gaussian = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * gaussian);
}

const HEX = "0123456789abcdef";

export function hex32(rng: TRng): string {
  let out = "";
  for (let i = 0; i < 32; i++) out += HEX[Math.floor(rng.next() * 16)];
  return out;
}
