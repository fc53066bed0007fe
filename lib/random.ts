/** Seeded pseudo-random numbers, so every synthetic example is the same on every run and machine. */

/** Mulberry32: a small, fast 32-bit generator. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integers in [lo, hi], inclusive. */
export function randomInts(count: number, lo: number, hi: number, seed: number): number[] {
  const rand = mulberry32(seed);
  return Array.from({length: count}, () => lo + Math.floor(rand() * (hi - lo + 1)));
}
