// The one reproducible random draw every family uses (第六条（二） inspection
// targets, 第十四条（三） evaluation site visits): a seeded PRNG and a
// Fisher–Yates draw. The seed is recorded, so anyone can redo the draw. Pure
// and deterministic: safe in workflow code.

/** A 32-bit hash of the seed string (FNV-1a). */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, well-known PRNG; the same seed always gives the same sequence. */
export function prng(seed: string): () => number {
  let a = hashSeed(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` items of `pool` drawn with `rnd` (Fisher–Yates on a copy, then the first n); the pool's order must be fixed by the caller. */
export function drawFrom<T>(pool: readonly T[], n: number, rnd: () => number): T[] {
  const out = [...pool];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out.slice(0, Math.min(n, out.length));
}
